package dev.lanes.autoencoder.metrics;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LinearProbeTest {
    private static final long SEED = 0x9B0BEL;

    /** Gaussian blobs around class centres far apart compared with their spread, plus dead features. */
    private static float[] blobs(SplittableRandom rng, float[] centres, int classes, int h, int n, int[] y) {
        float[] x = new float[n * h];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(classes);
            for (int j = 0; j < h; j++) {
                x[i * h + j] = j >= h - 3 ? 0 : centres[y[i] * h + j] + (float) rng.nextGaussian();
            }
        }
        return x;
    }

    @Test
    void separableDataIsLearnedAndRunsAreReproducible() {
        SplittableRandom rng = new SplittableRandom(SEED);
        int h = 20;
        int classes = 4;
        float[] centres = new float[classes * h];
        for (int i = 0; i < centres.length; i++) {
            centres[i] = (float) rng.nextGaussian() * 3;
        }
        int[] y = new int[2000];
        int[] yt = new int[500];
        float[] x = blobs(rng, centres, classes, h, y.length, y);
        float[] xt = blobs(rng, centres, classes, h, yt.length, yt);
        LinearProbe.Result r = LinearProbe.fit(x, y, y.length, xt, yt, yt.length, h, classes, LinearProbe.Config.DEFAULT);
        assertTrue(r.testAccuracy() > 0.98 && r.trainAccuracy() > 0.98, "seed=" + SEED + " " + r.trainAccuracy()
                + " " + r.testAccuracy());
        LinearProbe.Result again = LinearProbe.fit(x, y, y.length, xt, yt, yt.length, h, classes, LinearProbe.Config.DEFAULT);
        assertArrayEquals(r.weights(), again.weights());

        // Labels unrelated to the codes: about chance on the test set.
        int[] shuffled = yt.clone();
        for (int i = 0; i < shuffled.length; i++) {
            shuffled[i] = rng.nextInt(classes);
        }
        LinearProbe.Result chance = LinearProbe.fit(x, y, y.length, xt, shuffled, yt.length, h, classes,
                LinearProbe.Config.DEFAULT);
        assertTrue(chance.testAccuracy() < 0.4, "seed=" + SEED + " " + chance.testAccuracy());
    }

    @Test
    void badArguments() {
        float[] x = new float[6];
        assertThrows(IllegalArgumentException.class,
                () -> LinearProbe.fit(x, new int[] {0, 2, 1}, 3, x, new int[] {0, 1, 0}, 3, 2, 2, LinearProbe.Config.DEFAULT));
        assertThrows(IllegalArgumentException.class,
                () -> LinearProbe.fit(x, new int[] {0, 1}, 3, x, new int[] {0, 1, 0}, 3, 2, 2, LinearProbe.Config.DEFAULT));
        assertThrows(IllegalArgumentException.class,
                () -> LinearProbe.fit(x, new int[] {0, 1, 0}, 3, x, new int[] {0, 1, 0}, 3, 2, 1, LinearProbe.Config.DEFAULT));
        assertThrows(IllegalArgumentException.class, () -> new LinearProbe.Config(0, 1, 0.1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new LinearProbe.Config(1, 1, Double.NaN, 0, 1));
    }
}
