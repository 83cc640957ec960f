package dev.lanes.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The public fills on the selected implementation (run once more forced scalar by the build).
 *
 * <p>Statistical bounds are 5 standard errors of the estimator at the sample size used: a correct
 * generator fails one of them with probability below 1e-6 per check, and the seeds are fixed, so
 * the outcome is deterministic anyway.
 */
class FillTest {

    private static final int N = 200_000;

    private static int[] bits(float[] x) {
        int[] b = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            b[i] = Float.floatToRawIntBits(x[i]);
        }
        return b;
    }

    // ---- the stream is part of the contract: these values must never change ----

    @Test
    void knownValuesArePinned() {
        float[] x = new float[4];
        Fill.uniform(42L, 0f, 1f, x, 0, 4);
        assertArrayEquals(new int[] {0x3dd990e8, 0x3dac52a0, 0x3f186d7b, 0x3f1c18a0}, bits(x), "uniform seed 42");
        Fill.uniform(0L, 1000L, -1f, 1f, x, 0, 4);
        assertArrayEquals(new int[] {0x3e56eca8, 0xbefc0a08, 0x3e180320, 0xbf13dd10}, bits(x),
                "uniform seed 0 from index 1000");
        Fill.gaussian(42L, 0f, 1f, x, 0, 4);
        float[] g = {0.928476f, 0.8272695f, -1.1931882f, -1.5238541f};
        for (int i = 0; i < 4; i++) {
            // One ulp of slack: the SIMD gaussian may round to the neighbouring float.
            assertEquals(g[i], x[i], Math.ulp(g[i]), "gaussian seed 42, i=" + i);
        }
        float[] mask = new float[32];
        Fill.bernoulli(7L, 0.5f, mask, 0, 32);
        StringBuilder s = new StringBuilder();
        for (float v : mask) {
            s.append((int) v);
        }
        assertEquals("01010101111111010001011001011001", s.toString(), "bernoulli seed 7");
    }

    @Test
    void slicesAndOverloadsGiveTheSameStream() {
        float[] whole = new float[1000];
        Fill.gaussian(5L, 2f, 3f, whole, 0, 1000);
        float[] parts = new float[1000];
        Fill.gaussian(5L, 0L, 2f, 3f, parts, 0, 333);
        Fill.gaussian(5L, 333L, 2f, 3f, parts, 333, 667);
        assertArrayEquals(whole, parts);
        float[] shifted = new float[1010];
        Fill.gaussian(5L, 0L, 2f, 3f, shifted, 10, 1000);
        assertArrayEquals(whole, Arrays.copyOfRange(shifted, 10, 1010), "the offset does not change the values");
    }

    // ---- statistics ----

    @Test
    void uniformMomentsAndRange() {
        float[] x = new float[N];
        Fill.uniform(1L, -2f, 4f, x, 0, N);
        double mean = 0;
        double m2 = 0;
        for (float v : x) {
            assertTrue(v >= -2f && v < 4f, "value " + v);
            mean += v;
        }
        mean /= N;
        for (float v : x) {
            m2 += (v - mean) * (v - mean);
        }
        double var = m2 / (N - 1);
        // U(a,b): variance w^2/12, w = 6; se(mean) = w/sqrt(12 N); se(var) = w^2 sqrt(1/80 - 1/144)/sqrt(N).
        double w = 6;
        assertEquals(1.0, mean, 5 * w / Math.sqrt(12.0 * N), "mean, seed=1");
        assertEquals(w * w / 12, var, 5 * w * w * Math.sqrt(1.0 / 80 - 1.0 / 144) / Math.sqrt(N), "variance, seed=1");
        float[] narrow = new float[1000];
        Fill.uniform(2L, 1f, Math.nextUp(1f), narrow, 0, 1000);
        for (float v : narrow) {
            assertEquals(1f, v, "half-open interval one ulp wide, seed=2");
        }
    }

    @Test
    void gaussianMoments() {
        float[] x = new float[N];
        Fill.gaussian(3L, 0.5f, 2f, x, 0, N);
        double mean = 0;
        for (float v : x) {
            mean += v;
        }
        mean /= N;
        double m2 = 0;
        double m4 = 0;
        for (float v : x) {
            double d = (v - mean) / 2;
            m2 += d * d;
            m4 += d * d * d * d;
        }
        m2 /= N;
        m4 /= N;
        // N(mu, s^2): se(mean) = s/sqrt(N); se(var/s^2) = sqrt(2/N); se(kurtosis) ~ sqrt(24/N).
        assertEquals(0.5, mean, 5 * 2 / Math.sqrt(N), "mean, seed=3");
        assertEquals(1.0, m2, 5 * Math.sqrt(2.0 / N), "variance / std^2, seed=3");
        assertEquals(3.0, m4 / (m2 * m2), 5 * Math.sqrt(24.0 / N), "kurtosis, seed=3");
        float[] constant = new float[17];
        Fill.gaussian(3L, 7f, 0f, constant, 0, 17);
        for (float v : constant) {
            assertEquals(7f, v, "std=0 gives the mean");
        }
    }

    @Test
    void bernoulliFrequencyWithinFiveSigma() {
        float[] x = new float[N];
        for (float p : new float[] {0.01f, 0.25f, 0.5f, 0.9f}) {
            Fill.bernoulli(4L, p, x, 0, N);
            int ones = 0;
            for (float v : x) {
                assertTrue(v == 0f || v == 1f, "value " + v);
                ones += (int) v;
            }
            double sigma = Math.sqrt(N * p * (1.0 - p));
            assertEquals(N * (double) p, ones, 5 * sigma, "ones for p=" + p + ", seed=4");
        }
        Fill.bernoulli(4L, 0f, x, 0, N);
        assertEquals(0f, (float) Arrays.stream(bits(x)).filter(b -> b != 0).count(), "p=0");
        Fill.bernoulli(4L, 1f, x, 0, N);
        for (float v : x) {
            assertEquals(1f, v, "p=1");
        }
    }

    @Test
    void differentSeedsGiveDifferentStreams() {
        int n = 64;
        float[][] streams = new float[100][n];
        for (int s = 0; s < 100; s++) {
            Fill.uniform(s, 0f, 1f, streams[s], 0, n);
        }
        // Two independent 24-bit values agree with probability 2^-24; across 4950 pairs x 64 values
        // the expected count of equal positions is about 0.02.
        int equal = 0;
        for (int a = 0; a < 100; a++) {
            for (int b = a + 1; b < 100; b++) {
                for (int i = 0; i < n; i++) {
                    equal += streams[a][i] == streams[b][i] ? 1 : 0;
                }
            }
        }
        assertTrue(equal <= 2, equal + " equal positions between seeds 0..99");
        float[] neighbour = new float[n];
        Fill.uniform(0L, 1L, 0f, 1f, neighbour, 0, n);
        assertTrue(!Arrays.equals(neighbour, streams[1]), "seed 1 is not seed 0 shifted by one");
    }

    // ---- bad input ----

    private static final float NONE = -1234.5f;

    private static <T extends Throwable> void bad(Class<T> type, Executable call, float[] watched, String... parts) {
        float[] before = watched.clone();
        T e = assertThrows(type, call);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' lacks '" + part + "'");
        }
        assertArrayEquals(before, watched, "written before the check: " + e.getMessage());
    }

    @Test
    void uniformRejectsBadInput() {
        float[] x = new float[8];
        Arrays.fill(x, NONE);
        Class<IllegalArgumentException> iae = IllegalArgumentException.class;
        bad(iae, () -> Fill.uniform(1L, 0L, Float.NaN, 1f, x, 0, 8), x, "uniform", "lo=NaN");
        bad(iae, () -> Fill.uniform(1L, 0L, 0f, Float.POSITIVE_INFINITY, x, 0, 8), x, "uniform", "hi=Infinity");
        bad(iae, () -> Fill.uniform(1L, 0L, 1f, 1f, x, 0, 8), x, "uniform", "lo=1.0 >= hi=1.0");
        bad(iae, () -> Fill.uniform(1L, 2f, -2f, x, 0, 8), x, "uniform", "lo=2.0 >= hi=-2.0");
        bad(iae, () -> Fill.uniform(1L, -Float.MAX_VALUE, Float.MAX_VALUE, x, 0, 8), x, "uniform", "overflows",
                "lo=-3.4028235E38");
        bad(iae, () -> Fill.uniform(1L, 0L, 0f, 1f, x, 0, -1), x, "uniform", "n=-1");
        bad(NullPointerException.class, () -> Fill.uniform(1L, 0f, 1f, null, 0, 8), x, "uniform", "x");
        bad(IndexOutOfBoundsException.class, () -> Fill.uniform(1L, 0L, 0f, 1f, x, 1, 8), x, "uniform", "x",
                "offset 1", "8");
        bad(IndexOutOfBoundsException.class, () -> Fill.uniform(1L, 0f, 1f, x, -1, 2), x, "uniform", "offset -1");
    }

    @Test
    void gaussianRejectsBadInput() {
        float[] x = new float[8];
        Arrays.fill(x, NONE);
        Class<IllegalArgumentException> iae = IllegalArgumentException.class;
        bad(iae, () -> Fill.gaussian(1L, 0L, Float.NaN, 1f, x, 0, 8), x, "gaussian", "mean=NaN");
        bad(iae, () -> Fill.gaussian(1L, Float.NEGATIVE_INFINITY, 1f, x, 0, 8), x, "gaussian", "mean=-Infinity");
        bad(iae, () -> Fill.gaussian(1L, 0L, 0f, -1f, x, 0, 8), x, "gaussian", "std=-1.0");
        bad(iae, () -> Fill.gaussian(1L, 0f, Float.NaN, x, 0, 8), x, "gaussian", "std=NaN");
        bad(iae, () -> Fill.gaussian(1L, 0f, Float.POSITIVE_INFINITY, x, 0, 8), x, "gaussian", "std=Infinity");
        bad(iae, () -> Fill.gaussian(1L, 0L, 0f, 1f, x, 0, -3), x, "gaussian", "n=-3");
        bad(NullPointerException.class, () -> Fill.gaussian(1L, 0L, 0f, 1f, null, 0, 8), x, "gaussian", "x");
        bad(IndexOutOfBoundsException.class, () -> Fill.gaussian(1L, 0f, 1f, x, 4, 5), x, "gaussian", "offset 4");
    }

    @Test
    void bernoulliRejectsBadInput() {
        float[] x = new float[8];
        Arrays.fill(x, NONE);
        Class<IllegalArgumentException> iae = IllegalArgumentException.class;
        bad(iae, () -> Fill.bernoulli(1L, 0L, -0.1f, x, 0, 8), x, "bernoulli", "p=-0.1");
        bad(iae, () -> Fill.bernoulli(1L, Math.nextUp(1f), x, 0, 8), x, "bernoulli", "p=1.0000001");
        bad(iae, () -> Fill.bernoulli(1L, Float.NaN, x, 0, 8), x, "bernoulli", "p=NaN");
        bad(iae, () -> Fill.bernoulli(1L, 0L, 0.5f, x, 0, -1), x, "bernoulli", "n=-1");
        bad(NullPointerException.class, () -> Fill.bernoulli(1L, 0.5f, null, 0, 8), x, "bernoulli", "x");
        bad(IndexOutOfBoundsException.class, () -> Fill.bernoulli(1L, 0L, 0.5f, x, 9, 0), x, "bernoulli",
                "offset 9");
    }
}
