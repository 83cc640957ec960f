package dev.lanes.autoencoder.pictures;

import java.awt.image.BufferedImage;
import java.util.Objects;

/**
 * A grid of learned filters shown as images: each filter (a decoder column, or an encoder row) is reshaped
 * to height x width and min-max normalised on its own (black = its minimum, white = its maximum; a constant
 * filter is mid-grey, a filter with a non-finite value is magenta). Filters are laid out row by row in a
 * near-square grid, separated by one dark tile-pixel.
 */
public final class FilterGrid {
    static {
        Headless.ensure();
    }

    /** Where the filters are in the weight matrix. */
    public enum Layout {
        /** Filters are the h columns of a d x h matrix: {@code decoder.weight} [in, hidden]. */
        COLUMNS,
        /** Filters are the h rows of an h x d matrix: {@code encoder.weight} [hidden, in]. */
        ROWS
    }

    private FilterGrid() {
    }

    /**
     * @param weights the weight matrix, read
     * @param layout where the filters are
     * @param d values per filter, {@code height*width}
     * @param h number of filters in the matrix
     * @param height filter image height
     * @param width filter image width
     * @param maxFilters how many filters to show (the first ones), {@code >= 1}
     * @param scale pixels per value, in [1, 64]
     * @return the grid image
     */
    public static BufferedImage render(float[] weights, Layout layout, int d, int h, int height, int width,
                                       int maxFilters, int scale) {
        String op = "filter grid";
        Objects.requireNonNull(weights, op + ": weights is null");
        Objects.requireNonNull(layout, op + ": layout is null");
        if (height < 1 || width < 1 || (long) height * width != d) {
            throw new IllegalArgumentException(op + ": image " + height + "x" + width + " does not match d=" + d);
        }
        if (h < 1 || (long) d * h > weights.length) {
            throw new IllegalArgumentException(op + ": h=" + h + " < 1 or weights.length=" + weights.length
                    + " < d*h=" + (long) d * h);
        }
        if (maxFilters < 1) {
            throw new IllegalArgumentException(op + ": maxFilters=" + maxFilters + " < 1");
        }
        Tiles.checkScale(op, scale);
        int count = Math.min(h, maxFilters);
        int cols = (int) Math.ceil(Math.sqrt(count));
        int rows = (count + cols - 1) / cols;
        int tileW = width * scale;
        int tileH = height * scale;
        long pixels = (long) (cols * (tileW + 1) + 1) * (rows * (tileH + 1) + 1);
        if (pixels > 1L << 28) {
            throw new IllegalArgumentException(op + ": " + count + " filters at scale " + scale
                    + " would make a " + pixels + "-pixel image; show fewer or use a smaller scale");
        }
        BufferedImage img = new BufferedImage(cols * (tileW + 1) + 1, rows * (tileH + 1) + 1, BufferedImage.TYPE_INT_RGB);
        Tiles.fill(img, Tiles.GAP_RGB);
        for (int f = 0; f < count; f++) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            boolean finite = true;
            for (int k = 0; k < d; k++) {
                float v = at(weights, layout, d, h, f, k);
                finite &= Float.isFinite(v);
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            int x0 = 1 + (f % cols) * (tileW + 1);
            int y0 = 1 + (f / cols) * (tileH + 1);
            for (int r = 0; r < height; r++) {
                for (int c = 0; c < width; c++) {
                    double v = at(weights, layout, d, h, f, r * width + c);
                    double g = !finite ? Double.NaN : max > min ? (v - min) / (max - min) : 0.5;
                    Tiles.block(img, x0 + c * scale, y0 + r * scale, scale, g);
                }
            }
        }
        return img;
    }

    private static float at(float[] w, Layout layout, int d, int h, int filter, int k) {
        return layout == Layout.COLUMNS ? w[k * h + filter] : w[filter * d + k];
    }
}
