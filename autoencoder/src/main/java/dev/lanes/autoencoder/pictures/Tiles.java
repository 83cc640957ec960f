package dev.lanes.autoencoder.pictures;

import java.awt.image.BufferedImage;

/** Shared pixel painting for the image grids. */
final class Tiles {
    /** Colour of non-finite values, so a broken model is visible at a glance. */
    static final int NAN_RGB = 0xFF00FF;
    /** Background between tiles. */
    static final int GAP_RGB = 0x404040;

    private Tiles() {
    }

    static void fill(BufferedImage img, int rgb) {
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                img.setRGB(x, y, rgb);
            }
        }
    }

    /** Paints value v (already in [0, 1]; NaN allowed) as a scale x scale grey block at (x0, y0). */
    static void block(BufferedImage img, int x0, int y0, int scale, double v) {
        int rgb;
        if (Double.isNaN(v)) {
            rgb = NAN_RGB;
        } else {
            int g = (int) Math.round(Math.max(0, Math.min(1, v)) * 255);
            rgb = g << 16 | g << 8 | g;
        }
        for (int dy = 0; dy < scale; dy++) {
            for (int dx = 0; dx < scale; dx++) {
                img.setRGB(x0 + dx, y0 + dy, rgb);
            }
        }
    }

    static void checkScale(String op, int scale) {
        if (scale < 1 || scale > 64) {
            throw new IllegalArgumentException(op + ": scale=" + scale + " not in [1, 64]");
        }
    }
}
