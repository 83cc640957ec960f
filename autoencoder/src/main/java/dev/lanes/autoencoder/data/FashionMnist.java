package dev.lanes.autoencoder.data;

import dev.lanes.autoencoder.io.FileFormatException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads Fashion-MNIST (or MNIST: same file names and format) from a directory holding
 * {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte} and
 * {@code t10k-labels-idx1-ubyte}, each either gzip ({@code .gz}, preferred when both exist) or raw.
 * Pixels are scaled to [0, 1]; images are 28 x 28, so d = 784.
 */
public final class FashionMnist {
    /** Where Debian's {@code dataset-fashion-mnist} package installs the files. */
    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    /**
     * The two splits.
     *
     * @param train 60 000 labelled images
     * @param test 10 000 labelled images
     */
    public record Split(Dataset train, Dataset test) {
    }

    private FashionMnist() {
    }

    /**
     * @param dir the directory with the four files
     * @return train and test splits, labelled, with image shape
     * @throws FileFormatException if a file is missing or malformed, or images and labels disagree in count
     * @throws IOException on other I/O errors
     */
    public static Split load(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new FileFormatException(dir, "not a directory (expected the Fashion-MNIST directory with "
                    + "train-images-idx3-ubyte.gz and the three other IDX files)");
        }
        String name = dir.getFileName() == null ? "idx" : dir.getFileName().toString();
        return new Split(split(dir, "train", name + "/train"), split(dir, "t10k", name + "/test"));
    }

    private static Dataset split(Path dir, String prefix, String name) throws IOException {
        Path imagesFile = find(dir, prefix + "-images-idx3-ubyte");
        Path labelsFile = find(dir, prefix + "-labels-idx1-ubyte");
        Idx.Images images = Idx.readImages(imagesFile);
        if (images.height() == 0 || images.width() == 0) {
            throw new FileFormatException(imagesFile, "images are " + images.height() + "x" + images.width()
                    + ", expected a positive size");
        }
        int[] labels = Idx.readLabels(labelsFile);
        if (labels.length != images.n()) {
            throw new FileFormatException(labelsFile, "has " + labels.length + " labels, expected "
                    + images.n() + " to match " + imagesFile.getFileName());
        }
        return new Dataset(name, images.n(), images.height() * images.width(), images.pixels(), labels,
                images.height(), images.width());
    }

    private static Path find(Path dir, String base) {
        Path gz = dir.resolve(base + ".gz");
        if (Files.exists(gz)) {
            return gz;
        }
        Path raw = dir.resolve(base);
        // When neither exists, name the .gz in the error: that is what the Debian package installs.
        return Files.exists(raw) ? raw : gz;
    }
}
