package dev.lanes.autoencoder.pictures;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PicturesTest {
    @TempDir
    Path dir;

    private static int grey(BufferedImage img, int x, int y) {
        return img.getRGB(x, y) & 0xff;
    }

    @Test
    void runsHeadless() {
        FilterGrid.render(new float[4], FilterGrid.Layout.COLUMNS, 4, 1, 2, 2, 1, 1);
        assertTrue(GraphicsEnvironment.isHeadless());
    }

    @Test
    void filterGridLayoutAndNormalisation() throws IOException {
        // d = 2x3 image, h = 5 filters as decoder columns: filter j has value k + 10 j at pixel k.
        int d = 6;
        int h = 5;
        float[] w = new float[d * h];
        for (int k = 0; k < d; k++) {
            for (int j = 0; j < h; j++) {
                w[k * h + j] = k + 10 * j;
            }
        }
        w[0 * h + 4] = Float.NaN;
        int scale = 4;
        BufferedImage img = FilterGrid.render(w, FilterGrid.Layout.COLUMNS, d, h, 2, 3, 100, scale);
        // 5 filters: a 3 x 2 grid of (3*4 + 1) x (2*4 + 1) tiles plus the closing gap.
        assertEquals(3 * 13 + 1, img.getWidth());
        assertEquals(2 * 9 + 1, img.getHeight());
        // Filter 0, pixel 0 is its minimum (black), pixel 5 its maximum (white), whatever the offset 10 j.
        assertEquals(0, grey(img, 1, 1));
        assertEquals(255, grey(img, 1 + 2 * scale, 1 + scale));
        assertEquals(0, grey(img, 1 + 13, 1), "filter 1 is normalised on its own");
        assertEquals(Tiles.NAN_RGB, img.getRGB(1 + 13, 1 + 9) & 0xFFFFFF, "filter 4 holds a NaN");
        assertEquals(Tiles.GAP_RGB, img.getRGB(0, 0) & 0xFFFFFF);

        // Rows layout of the transposed matrix gives the same picture.
        float[] t = new float[h * d];
        for (int k = 0; k < d; k++) {
            for (int j = 0; j < h; j++) {
                t[j * d + k] = w[k * h + j];
            }
        }
        BufferedImage rows = FilterGrid.render(t, FilterGrid.Layout.ROWS, d, h, 2, 3, 100, scale);
        assertArrayEquals(img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth()),
                rows.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth()));

        Path p = dir.resolve("filters.png");
        Png.write(p, img);
        BufferedImage back = ImageIO.read(p.toFile());
        assertEquals(img.getWidth(), back.getWidth());
        assertEquals(img.getHeight(), back.getHeight());
        assertEquals(img.getRGB(7, 7), back.getRGB(7, 7));

        assertEquals(1 * 13 + 1, FilterGrid.render(w, FilterGrid.Layout.COLUMNS, d, h, 2, 3, 1, scale).getWidth());
        assertThrows(IllegalArgumentException.class, () -> FilterGrid.render(w, FilterGrid.Layout.COLUMNS, d, h, 2, 2, 9, 1));
        assertThrows(IllegalArgumentException.class, () -> FilterGrid.render(w, FilterGrid.Layout.COLUMNS, d, 6, 2, 3, 9, 1));
        assertThrows(IllegalArgumentException.class, () -> FilterGrid.render(w, FilterGrid.Layout.COLUMNS, d, h, 2, 3, 9, 0));
    }

    @Test
    void reconstructionStripHasTwoRows() throws IOException {
        int n = 4;
        float[] x = new float[n * 4];
        float[] r = new float[n * 4];
        for (int i = 0; i < x.length; i++) {
            x[i] = 1f;
            r[i] = 2f;
        }
        r[0] = -1f;
        r[1] = Float.POSITIVE_INFINITY;
        BufferedImage img = ReconstructionStrip.render(x, r, n, 2, 2, 3, 5);
        assertEquals(3 * 11 + 1, img.getWidth());
        assertEquals(2 * 11 + 1, img.getHeight());
        assertEquals(255, grey(img, 1, 1), "originals on top");
        assertEquals(0, grey(img, 1, 13), "reconstructions below, clamped at 0");
        assertEquals(Tiles.NAN_RGB, img.getRGB(1 + 5, 13) & 0xFFFFFF);
        assertEquals(255, grey(img, 1 + 11, 13), "clamped at 1");
        Path p = dir.resolve("recon.png");
        Png.write(p, img);
        assertEquals(34, ImageIO.read(p.toFile()).getWidth());
        assertThrows(IllegalArgumentException.class, () -> ReconstructionStrip.render(x, r, n, 2, 2, 5, 1));
        assertThrows(IllegalArgumentException.class, () -> ReconstructionStrip.render(x, new float[3], n, 2, 2, 1, 1));
    }

    @Test
    void lineChartHasTheRequestedSizeAndDrawsTheSeries() throws IOException {
        double[] x = new double[200];
        double[] loss = new double[200];
        double[] val = new double[200];
        for (int i = 0; i < x.length; i++) {
            x[i] = i * 10;
            loss[i] = 2 * Math.exp(-i / 40.0) + 0.01;
            val[i] = i % 20 == 0 ? loss[i] * 1.2 : Double.NaN;
        }
        BufferedImage img = new LineChart("Training loss", "step", "loss").logY(true)
                .add("train", x, loss).add("validation", x, val).render(640, 400);
        assertEquals(640, img.getWidth());
        assertEquals(400, img.getHeight());
        int blue = 0;
        for (int yy = 0; yy < img.getHeight(); yy++) {
            for (int xx = 0; xx < img.getWidth(); xx++) {
                if ((img.getRGB(xx, yy) & 0xFFFFFF) == 0x1f77b4) {
                    blue++;
                }
            }
        }
        assertTrue(blue > 300, "the first series is drawn: " + blue + " pixels");
        Path p = dir.resolve("loss.png");
        Png.write(p, img);
        BufferedImage back = ImageIO.read(p.toFile());
        assertEquals(640, back.getWidth());
        assertEquals(400, back.getHeight());

        // Degenerate inputs still render: no series, one point, constant series, all NaN.
        new LineChart("empty", "x", "y").render(300, 200);
        new LineChart("one", "x", "y").add("p", new double[] {1}, new double[] {1}).render(300, 200);
        new LineChart("flat", "x", "y").logY(true).add("p", new double[] {1, 2}, new double[] {0.5, 0.5}).render(300, 200);
        new LineChart("nan", "x", "y").add("p", new double[] {1, 2}, new double[] {Double.NaN, Double.NaN}).render(300, 200);
        assertThrows(IllegalArgumentException.class, () -> new LineChart("t", "x", "y").add("p", new double[2], new double[1]));
        assertThrows(IllegalArgumentException.class, () -> new LineChart("t", "x", "y").render(10, 10));
    }

    @Test
    void ticksAreRoundNumbers() {
        assertArrayEquals(new double[] {0, 0.2, 0.4, 0.6000000000000001, 0.8, 1}, LineChart.ticks(0, 1), 1e-12);
        double[] t = LineChart.ticks(3, 1997);
        assertEquals(0, t[0]);
        assertEquals(2000, t[t.length - 1]);
        assertEquals(List.of(-3.0, -2.0, -1.0, 0.0, 1.0), java.util.Arrays.stream(LineChart.logTicks(-2.5, 0.3)).boxed().toList());
    }

    @Test
    void failedPngWriteKeepsTheOldFile() throws IOException {
        Path p = dir.resolve("keep.png");
        Files.writeString(p, "old");
        Path blocker = dir.resolve("dir.png");
        Files.createDirectories(blocker.resolve("child"));
        BufferedImage img = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
        assertThrows(IOException.class, () -> Png.write(blocker, img));
        assertEquals("old", Files.readString(p));
        try (var s = Files.list(dir)) {
            assertEquals(2, s.count());
        }
    }
}
