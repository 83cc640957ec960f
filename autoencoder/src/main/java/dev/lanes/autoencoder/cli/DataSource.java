package dev.lanes.autoencoder.cli;

import dev.lanes.autoencoder.data.Dataset;
import dev.lanes.autoencoder.data.FashionMnist;
import dev.lanes.autoencoder.data.Npy;
import dev.lanes.autoencoder.data.SyntheticDictionary;
import dev.lanes.autoencoder.io.FileFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code --data} option: {@code synthetic} (the embedded known-dictionary data,
 * {@link SyntheticDictionary.Config#DEFAULT}), a directory of MNIST-family IDX files (train and t10k),
 * or a {@code .npy} float32 matrix (rows are samples).
 *
 * @param spec the option's value
 * @param train the training samples
 * @param test held-out samples for the final metrics (the IDX test split), or {@code train} when there is none
 * @param truth the true features (m x d) of synthetic data, or null
 * @param m the number of true features, 0 when there are none
 */
record DataSource(String spec, Dataset train, Dataset test, float[] truth, int m) {

    static final String SYNTHETIC = "synthetic";

    /**
     * @param spec the {@code --data} value
     * @param samples use only the first {@code samples} rows of each split, 0 for all
     * @return the loaded data
     * @throws UserException if the value names nothing usable
     * @throws FileFormatException if a file is malformed
     * @throws IOException on other I/O errors
     */
    static DataSource load(String spec, int samples) throws IOException {
        if (spec.equals(SYNTHETIC)) {
            SyntheticDictionary.Config cfg = SyntheticDictionary.Config.DEFAULT;
            if (samples > 0 && samples < cfg.n()) {
                cfg = cfg.withN(samples);
            }
            SyntheticDictionary.Result r = SyntheticDictionary.generate(cfg);
            return new DataSource(spec, r.data(), r.data(), r.features(), cfg.m());
        }
        Path path = Path.of(spec);
        if (!Files.exists(path)) {
            throw new UserException("--data: " + path + ": no such file or directory (expected 'synthetic', an "
                    + "MNIST-family IDX directory or a .npy file)");
        }
        if (Files.isDirectory(path)) {
            FashionMnist.Split split = FashionMnist.load(path);
            return new DataSource(spec, head(split.train(), samples), head(split.test(), samples), null, 0);
        }
        if (!path.getFileName().toString().endsWith(".npy")) {
            throw new UserException("--data: " + path + ": expected 'synthetic', an MNIST-family IDX directory or "
                    + "a .npy file");
        }
        Npy.Matrix m = Npy.read(path);
        if (m.rows() < 1) {
            throw new FileFormatException(path, "has no rows (expected samples x features)");
        }
        Dataset d = head(m.toDataset(path.getFileName().toString()), samples);
        return new DataSource(spec, d, d, null, 0);
    }

    private static Dataset head(Dataset d, int samples) {
        return samples > 0 && samples < d.n() ? d.slice(0, samples, d.name()) : d;
    }

    /** @return whether the samples are images (a filter grid makes sense) */
    boolean images() {
        return train.isImages();
    }
}
