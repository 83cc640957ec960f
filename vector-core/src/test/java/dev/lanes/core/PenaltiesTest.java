package dev.lanes.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The public penalties, on whichever implementation the build selected. */
class PenaltiesTest {

    @Test
    void l1AndL2KnownValues() {
        float[] a = {9f, 1f, -2f, 0f, -0f, 3f};
        assertEquals(3f, Penalties.l1(0.5f, a, 1, 5));
        assertEquals(0f, Penalties.l1(0.5f, a, 1, 0));
        assertEquals(0.25f * (1 + 4 + 9), Penalties.l2(0.5f, a, 1, 5), "lambda/2 * sum w^2");
        float[] g = {-0f, 10f, 10f, 10f, 10f, 10f};
        Penalties.l1Gradient(2f, a, 1, g, 0, 5);
        assertArrayEquals(new float[] {2f, 8f, 10f, 10f, 12f, 10f}, g);
        float[] h = {-0f, -0f};
        Penalties.l1Gradient(2f, new float[] {0f, -0f}, 0, h, 0, 2);
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(h[0]), "sign(+0) adds nothing, -0 stays -0");
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(h[1]), "sign(-0) adds nothing");
        float[] w = {1f, -2f};
        Penalties.l2Gradient(0.5f, w, 0, w, 0, 2); // grad may alias w exactly
        assertArrayEquals(new float[] {1.5f, -3f}, w);
        float[] nan = {Float.NaN};
        assertTrue(Float.isNaN(Penalties.l1(1f, nan, 0, 1)));
        float[] gn = {0f};
        Penalties.l1Gradient(1f, nan, 0, gn, 0, 1);
        assertTrue(Float.isNaN(gn[0]));
    }

    @Test
    void klRhoHatIsTheColumnMean() {
        // 3 x 2 in a 3 x 3 buffer at offset 1.
        float[] a = {7f, 0.1f, 0.2f, 7f, 0.3f, 0.4f, 7f, 0.5f, 0.9f, 7f};
        float[] rhoHat = {-1f, -1f, -1f};
        Penalties.klRhoHat(3, 2, a, 1, 3, rhoHat, 1);
        assertEquals(-1f, rhoHat[0]);
        assertEquals((0.1f + 0.3f + 0.5f) / 3, rhoHat[1]);
        assertEquals((0.2f + 0.4f + 0.9f) / 3, rhoHat[2]);
    }

    private static double klDouble(double rho, double beta, double[] rhoHat) {
        double s = 0;
        double eps = Penalties.KL_EPSILON;
        double hi = 1f - Penalties.KL_EPSILON;
        for (double v : rhoHat) {
            double r = Math.min(Math.max(v, eps), hi);
            s += rho * Math.log(rho / r) + (1 - rho) * Math.log((1 - rho) / (1 - r));
        }
        return beta * s;
    }

    @Test
    void klKnownValues() {
        float[] r = {0.2f, 0.05f, 0.5f, 0f, 1f};
        double expected = klDouble(0.05, 3, new double[] {0.2f, 0.05f, 0.5f, 0f, 1f});
        assertEquals(expected, Penalties.kl(0.05f, 3f, r, 0, 5), 1e-5 * expected);
        assertEquals(0f, Penalties.kl(0.3f, 1f, new float[] {0.3f, 0.3f}, 0, 2), 1e-7, "rho-hat = rho");
        // Dead and saturated units are clamped, so the penalty is large but finite.
        float dead = Penalties.kl(0.05f, 1f, new float[] {0f, 1f}, 0, 2);
        assertTrue(Float.isFinite(dead) && dead > 10, "kl=" + dead);
        assertTrue(Float.isNaN(Penalties.kl(0.05f, 1f, new float[] {Float.NaN}, 0, 1)));
        assertEquals(0f, Penalties.kl(0.05f, 1f, new float[0], 0, 0));
    }

    @Test
    void klGradientAddsAndIsZeroWhereClamped() {
        float eps = Penalties.KL_EPSILON;
        float[] rhoHat = {0.2f, 0f, 1f, eps, 1f - eps, Float.NaN};
        float[] g = new float[2 * 6];
        java.util.Arrays.fill(g, 1f);
        g[1] = -0f;
        Penalties.klGradient(0.05f, 2f, 2, 6, rhoHat, 0, g, 0, 6);
        for (int i = 0; i < 2; i++) {
            double expected = 1 + 2 * (-0.05 / 0.2f + 0.95 / (1 - 0.2f)) / 2;
            assertEquals(expected, g[i * 6], 1e-5, "row " + i);
            assertEquals(i == 0 ? -0f : 1f, g[i * 6 + 1], "rho-hat below the clamp: nothing added");
            assertEquals(1f, g[i * 6 + 2], "rho-hat above the clamp: nothing added");
            assertTrue(g[i * 6 + 3] < -1000, "at the lower bound the clamp passes the gradient");
            assertTrue(g[i * 6 + 4] > 1000, "at the upper bound the clamp passes the gradient");
            assertTrue(Float.isNaN(g[i * 6 + 5]), "NaN rho-hat");
        }
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(g[1]), "-0 stays -0 where nothing is added");
    }

    private static double centralDifference(float[] p, int i, double h, ToDoubleFunction<float[]> f) {
        float saved = p[i];
        p[i] = (float) (saved + h);
        double up = f.applyAsDouble(p);
        double hUp = p[i] - (double) saved;
        p[i] = (float) (saved - h);
        double down = f.applyAsDouble(p);
        double hDown = saved - (double) p[i];
        p[i] = saved;
        return (up - down) / (hUp + hDown);
    }

    /** Relative error |analytic - numeric| / max(1, |numeric|), the step and the penalty in double. */
    private static void assertGradient(String what, double analytic, double numeric, double tol) {
        double err = Math.abs(analytic - numeric) / Math.max(1, Math.abs(numeric));
        assertTrue(err <= tol, what + ": analytic=" + analytic + " numeric=" + numeric + " err=" + err);
    }

    @Test
    void gradientsMatchCentralDifferences() {
        long seed = 0x6EAD_0001L;
        SplittableRandom rnd = new SplittableRandom(seed);
        int rows = 5;
        int cols = 7;
        float[] a = new float[rows * cols];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rnd.nextDouble(0.02, 0.98);
        }
        float lambda = 0.7f;
        float rho = 0.1f;
        float beta = 1.3f;
        ToDoubleFunction<float[]> l1 = p -> {
            double s = 0;
            for (float v : p) {
                s += Math.abs(v);
            }
            return lambda * s;
        };
        ToDoubleFunction<float[]> l2 = p -> {
            double s = 0;
            for (float v : p) {
                s += (double) v * v;
            }
            return lambda * s / 2;
        };
        ToDoubleFunction<float[]> kl = p -> {
            double[] mean = new double[cols];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    mean[j] += p[i * cols + j] / (double) rows;
                }
            }
            return klDouble(rho, beta, mean);
        };
        float[] g1 = new float[a.length];
        Penalties.l1Gradient(lambda, a, 0, g1, 0, a.length);
        float[] g2 = new float[a.length];
        Penalties.l2Gradient(lambda, a, 0, g2, 0, a.length);
        float[] rhoHat = new float[cols];
        Penalties.klRhoHat(rows, cols, a, 0, cols, rhoHat, 0);
        float[] gk = new float[a.length];
        Penalties.klGradient(rho, beta, rows, cols, rhoHat, 0, gk, 0, cols);
        // Away from the L1 kink at 0 (all a >= 0.02 > h); float steps of 1e-3 leave O(h^2) = 1e-6
        // truncation and about 1e-7 / 1e-3 of rounding from representing a + h in float.
        for (int i = 0; i < a.length; i++) {
            String what = "seed=0x" + Long.toHexString(seed) + " i=" + i;
            assertGradient("l1 " + what, g1[i], centralDifference(a, i, 1e-3, l1), 1e-5);
            assertGradient("l2 " + what, g2[i], centralDifference(a, i, 1e-3, l2), 1e-5);
            assertGradient("kl " + what, gk[i], centralDifference(a, i, 1e-3, kl), 1e-4);
        }
    }

    private static void assertRejected(Class<? extends RuntimeException> type, Executable call, String op,
                                       String operand, float[]... untouched) {
        float[][] before = new float[untouched.length][];
        for (int i = 0; i < untouched.length; i++) {
            before[i] = untouched[i].clone();
        }
        RuntimeException e = assertThrows(type, call);
        assertTrue(e.getMessage().startsWith(op + ":"), e.getMessage());
        assertTrue(e.getMessage().contains(operand), e.getMessage());
        for (int i = 0; i < untouched.length; i++) {
            assertArrayEquals(before[i], untouched[i], "written before the check: " + e.getMessage());
        }
    }

    private static final float[] BAD_WEIGHTS = {-1f, Float.NaN, Float.POSITIVE_INFINITY, -0.001f};

    @Test
    void l1AndL2RejectBadInput() {
        float[] a = {1f, 2f, 3f};
        for (String op : new String[] {"l1", "l2"}) {
            boolean isL1 = op.equals("l1");
            String arr = isL1 ? "a" : "w";
            interface Call {
                float run(float lambda, float[] v, int off, int n);
            }
            Call f = isL1 ? Penalties::l1 : Penalties::l2;
            for (float bad : BAD_WEIGHTS) {
                assertRejected(IllegalArgumentException.class, () -> f.run(bad, a, 0, 3), op, "lambda=" + bad);
            }
            assertRejected(NullPointerException.class, () -> f.run(1f, null, 0, 1), op, arr);
            assertRejected(IllegalArgumentException.class, () -> f.run(1f, a, 0, -1), op, "n=-1");
            assertRejected(IndexOutOfBoundsException.class, () -> f.run(1f, a, 1, 3), op, arr);
            assertRejected(IndexOutOfBoundsException.class, () -> f.run(1f, a, -1, 1), op, arr);
        }
    }

    @Test
    void l1AndL2GradientsRejectBadInput() {
        for (String op : new String[] {"l1Gradient", "l2Gradient"}) {
            boolean isL1 = op.equals("l1Gradient");
            String arr = isL1 ? "a" : "w";
            interface Call {
                void run(float lambda, float[] v, int off, float[] g, int gOff, int n);
            }
            Call f = isL1 ? Penalties::l1Gradient : Penalties::l2Gradient;
            float[] a = {1f, 2f, 3f};
            float[] g = {5f, 5f, 5f};
            for (float bad : BAD_WEIGHTS) {
                assertRejected(IllegalArgumentException.class, () -> f.run(bad, a, 0, g, 0, 3), op, "lambda=" + bad, g);
            }
            assertRejected(NullPointerException.class, () -> f.run(1f, null, 0, g, 0, 1), op, arr, g);
            assertRejected(NullPointerException.class, () -> f.run(1f, a, 0, null, 0, 1), op, "grad", a);
            assertRejected(IllegalArgumentException.class, () -> f.run(1f, a, 0, g, 0, -3), op, "n=-3", g);
            assertRejected(IndexOutOfBoundsException.class, () -> f.run(1f, a, 2, g, 0, 2), op, arr, g);
            assertRejected(IndexOutOfBoundsException.class, () -> f.run(1f, a, 0, g, 2, 2), op, "grad", g);
            assertRejected(IndexOutOfBoundsException.class, () -> f.run(1f, a, 0, new float[2], 0, 3), op, "grad", g);
            assertRejected(IllegalArgumentException.class, () -> f.run(1f, g, 0, g, 1, 2), op, "overlaps", g);
        }
    }

    @Test
    void klRhoHatRejectsBadInput() {
        String op = "klRhoHat";
        float[] a = new float[6];
        float[] r = {9f, 9f, 9f};
        assertRejected(IllegalArgumentException.class, () -> Penalties.klRhoHat(0, 3, a, 0, 3, r, 0), op, "rows=0", r);
        assertRejected(IllegalArgumentException.class, () -> Penalties.klRhoHat(2, -1, a, 0, 3, r, 0), op, "cols=-1", r);
        assertRejected(IllegalArgumentException.class, () -> Penalties.klRhoHat(2, 3, a, 0, 2, r, 0), op, "lda=2 < cols=3", r);
        assertRejected(NullPointerException.class, () -> Penalties.klRhoHat(2, 3, null, 0, 3, r, 0), op, "a", r);
        assertRejected(NullPointerException.class, () -> Penalties.klRhoHat(2, 3, a, 0, 3, null, 0), op, "rhoHat", a);
        assertRejected(IndexOutOfBoundsException.class, () -> Penalties.klRhoHat(2, 3, a, 1, 3, r, 0), op, "a", r);
        assertRejected(IndexOutOfBoundsException.class, () -> Penalties.klRhoHat(3, 3, a, 0, 3, r, 0), op, "a", r);
        assertRejected(IndexOutOfBoundsException.class, () -> Penalties.klRhoHat(2, 3, a, 0, 3, r, 1), op, "rhoHat", r);
        float[] both = new float[9];
        assertRejected(IllegalArgumentException.class, () -> Penalties.klRhoHat(2, 3, both, 0, 3, both, 5), op,
                "rhoHat [5, 8) overlaps a [0, 6)", both);
    }

    @Test
    void klRejectsBadInput() {
        String op = "kl";
        float[] r = {0.1f, 0.2f};
        for (float bad : new float[] {0f, 1f, -0.5f, 1.5f, Float.NaN}) {
            assertRejected(IllegalArgumentException.class, () -> Penalties.kl(bad, 1f, r, 0, 2), op, "rho=" + bad);
        }
        for (float bad : BAD_WEIGHTS) {
            assertRejected(IllegalArgumentException.class, () -> Penalties.kl(0.1f, bad, r, 0, 2), op, "beta=" + bad);
        }
        assertRejected(NullPointerException.class, () -> Penalties.kl(0.1f, 1f, null, 0, 2), op, "rhoHat");
        assertRejected(IllegalArgumentException.class, () -> Penalties.kl(0.1f, 1f, r, 0, -2), op, "n=-2");
        assertRejected(IndexOutOfBoundsException.class, () -> Penalties.kl(0.1f, 1f, r, 1, 2), op, "rhoHat");
    }

    @Test
    void klGradientRejectsBadInput() {
        String op = "klGradient";
        float[] r = {0.1f, 0.2f, 0.3f};
        float[] g = new float[6];
        for (float bad : new float[] {0f, 1f, Float.NaN}) {
            assertRejected(IllegalArgumentException.class, () -> Penalties.klGradient(bad, 1f, 2, 3, r, 0, g, 0, 3), op,
                    "rho=" + bad, g);
        }
        for (float bad : BAD_WEIGHTS) {
            assertRejected(IllegalArgumentException.class, () -> Penalties.klGradient(0.1f, bad, 2, 3, r, 0, g, 0, 3), op,
                    "beta=" + bad, g);
        }
        assertRejected(IllegalArgumentException.class, () -> Penalties.klGradient(0.1f, 1f, -1, 3, r, 0, g, 0, 3), op,
                "rows=-1", g);
        assertRejected(IllegalArgumentException.class, () -> Penalties.klGradient(0.1f, 1f, 2, 3, r, 0, g, 0, 2), op,
                "ldg=2 < cols=3", g);
        assertRejected(NullPointerException.class, () -> Penalties.klGradient(0.1f, 1f, 2, 3, null, 0, g, 0, 3), op,
                "rhoHat", g);
        assertRejected(NullPointerException.class, () -> Penalties.klGradient(0.1f, 1f, 2, 3, r, 0, null, 0, 3), op,
                "grad", r);
        assertRejected(IndexOutOfBoundsException.class, () -> Penalties.klGradient(0.1f, 1f, 2, 3, r, 1, g, 0, 3), op,
                "rhoHat", g);
        assertRejected(IndexOutOfBoundsException.class, () -> Penalties.klGradient(0.1f, 1f, 2, 3, r, 0, g, 1, 3), op,
                "grad", g);
        assertRejected(IndexOutOfBoundsException.class, () -> Penalties.klGradient(0.1f, 1f, 3, 3, r, 0, g, 0, 3), op,
                "grad", g);
        float[] both = new float[9];
        both[7] = 0.5f;
        assertRejected(IllegalArgumentException.class, () -> Penalties.klGradient(0.1f, 1f, 2, 3, both, 6, both, 0, 4),
                op, "grad [0, 7) overlaps rhoHat [6, 9)", both);
    }
}
