package dev.lanes.autoencoder.pictures;

import java.awt.image.BufferedImage;
import java.util.Objects;

/**
 * Originals above their reconstructions: two rows of {@code count} images. Values are shown on a fixed
 * scale, clamped to [0, 1] (the range of image data sets here), so a reconstruction that is too bright or
 * too dark looks it; non-finite values are magenta.
 */
public final class ReconstructionStrip {
    static {
        Headless.ensure();
    }

    private ReconstructionStrip() {
    }

    /**
     * @param originals n x d samples, read
     * @param reconstructions n x d reconstructions, read
     * @param n samples available
     * @param height image height
     * @param width image width, {@code height*width = d}
     * @param count how many samples to show (the first ones), in [1, n]
     * @param scale pixels per value, in [1, 64]
     * @return the picture: {@code count} tiles wide, two tiles high
     */
    public static BufferedImage render(float[] originals, float[] reconstructions, int n, int height, int width,
                                       int count, int scale) {
        String op = "reconstruction strip";
        Objects.requireNonNull(originals, op + ": originals is null");
        Objects.requireNonNull(reconstructions, op + ": reconstructions is null");
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException(op + ": image " + height + "x" + width + " is empty");
        }
        int d = height * width;
        if (count < 1 || count > n) {
            throw new IllegalArgumentException(op + ": count=" + count + " not in [1, n=" + n + "]");
        }
        if ((long) n * d > originals.length || (long) n * d > reconstructions.length) {
            throw new IllegalArgumentException(op + ": arrays of length " + originals.length + " and "
                    + reconstructions.length + " are shorter than n*d=" + (long) n * d);
        }
        Tiles.checkScale(op, scale);
        int tileW = width * scale;
        int tileH = height * scale;
        if ((long) count * (tileW + 1) > 1 << 15) {
            throw new IllegalArgumentException(op + ": " + count + " images at scale " + scale + " are too wide");
        }
        BufferedImage img = new BufferedImage(count * (tileW + 1) + 1, 2 * (tileH + 1) + 1, BufferedImage.TYPE_INT_RGB);
        Tiles.fill(img, Tiles.GAP_RGB);
        for (int i = 0; i < count; i++) {
            int x0 = 1 + i * (tileW + 1);
            for (int r = 0; r < height; r++) {
                for (int c = 0; c < width; c++) {
                    int k = i * d + r * width + c;
                    Tiles.block(img, x0 + c * scale, 1 + r * scale, scale, finiteOrNaN(originals[k]));
                    Tiles.block(img, x0 + c * scale, 2 + tileH + r * scale, scale, finiteOrNaN(reconstructions[k]));
                }
            }
        }
        return img;
    }

    private static double finiteOrNaN(float v) {
        return Float.isFinite(v) ? v : Double.NaN;
    }
}
