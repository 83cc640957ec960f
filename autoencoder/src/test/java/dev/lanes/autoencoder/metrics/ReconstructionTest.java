package dev.lanes.autoencoder.metrics;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReconstructionTest {
    @Test
    void handComputed() {
        float[] x = {1, 2, 3, 4};
        float[] xhat = {1, 2, 3, 5};
        // Squared error 1 over 4 values; mean (2, 3), centred total 1+1+1+1 = 4.
        assertEquals(0.25, Reconstruction.mse(x, xhat, 2, 2), 0);
        assertEquals(0.25, Reconstruction.fvu(x, xhat, 2, 2), 0);
        assertEquals(0.0, Reconstruction.fvu(x, x, 2, 2), 0);
        float[] mean = {2, 3, 2, 3};
        assertEquals(1.0, Reconstruction.fvu(x, mean, 2, 2), 0, "predicting the mean explains nothing");
        // FVU is about the mean, not about zero: shifting the data does not change it.
        float[] shifted = {101, 102, 103, 104};
        float[] shiftedHat = {101, 102, 103, 105};
        assertEquals(0.25, Reconstruction.fvu(shifted, shiftedHat, 2, 2), 1e-12);
        assertTrue(Double.isNaN(Reconstruction.fvu(new float[] {1, 2}, new float[] {1, 2}, 1, 2)));
    }

    @Test
    void ratioOfSumsNotMeanOfRatios() {
        // Sample 0 has all the variance and no error, sample 1 none and all the error.
        float[] x = {0, 0, 10, 10, 5, 5};
        float[] xhat = {0, 0, 10, 10, 5, 6};
        double sse = 1;
        double total = 2 * (25 + 25);
        assertEquals(sse / total, Reconstruction.fvu(x, xhat, 3, 2), 1e-15);
    }

    @Test
    void accumulatorMatchesTwoPass() {
        long seed = 0xACC0L;
        SplittableRandom rng = new SplittableRandom(seed);
        int n = 1001;
        int d = 13;
        float[] x = new float[n * d];
        float[] xhat = new float[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (50 + rng.nextGaussian() * (1 + i % d));
            xhat[i] = x[i] + (float) rng.nextGaussian() * 0.1f;
        }
        Reconstruction.Accumulator acc = new Reconstruction.Accumulator(d);
        for (int start = 0; start < n; ) {
            int rows = Math.min(n - start, 1 + rng.nextInt(100));
            float[] bx = java.util.Arrays.copyOfRange(x, start * d, (start + rows) * d);
            float[] bh = java.util.Arrays.copyOfRange(xhat, start * d, (start + rows) * d);
            acc.add(bx, bh, rows);
            start += rows;
        }
        acc.add(new float[0], new float[0], 0);
        assertEquals(n, acc.count());
        double mse = Reconstruction.mse(x, xhat, n, d);
        double fvu = Reconstruction.fvu(x, xhat, n, d);
        // Different summation orders: agreement to ~1e-12 relative is what double accumulation gives.
        assertEquals(mse, acc.mse(), 1e-12 * mse, "seed=" + seed);
        assertEquals(fvu, acc.fvu(), 1e-10 * fvu, "seed=" + seed);
    }

    @Test
    void badArguments() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Reconstruction.mse(new float[4], new float[3], 2, 2));
        assertTrue(e.getMessage().contains("mse: xhat.length=3 < 2*2=4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Reconstruction.fvu(new float[4], new float[4], -1, 2));
        assertThrows(NullPointerException.class, () -> Reconstruction.fvu(null, new float[4], 2, 2));
        assertThrows(IllegalArgumentException.class, () -> new Reconstruction.Accumulator(0));
    }
}
