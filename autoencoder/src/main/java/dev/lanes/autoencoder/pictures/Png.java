package dev.lanes.autoencoder.pictures;

import dev.lanes.autoencoder.io.AtomicFiles;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/** Writes images as PNG, atomically. Off-screen only: no display is ever needed. */
public final class Png {
    static {
        Headless.ensure();
    }

    private Png() {
    }

    /**
     * @param file the file to create or replace
     * @param image the picture, read
     * @throws IOException if the file cannot be written; an old file is then unchanged
     */
    public static void write(Path file, BufferedImage image) throws IOException {
        Objects.requireNonNull(image, "png: image is null");
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("png: no PNG writer for image type " + image.getType());
            }
        });
    }
}
