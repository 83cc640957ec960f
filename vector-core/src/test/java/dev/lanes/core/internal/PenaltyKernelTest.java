package dev.lanes.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Panama against the scalar reference. The gradients and klRhoHat must be bit-exact (same float
 * operations per element, same row order). The sums differ by rounding order: a sequential float
 * sum of n terms is within (n-1) u sum|t| of the exact sum (u = 2^-24), a blocked one too, the
 * products (w*w rounded, or fused) and the final scaling add about 2u each, so the two results
 * differ by at most (2n + 4) u sum|terms|, i.e. c = 2 in |d| <= c n u sum|terms| plus 4u for the
 * roundings outside the sum. The KL pieces go through logarithms accurate to 0.5 ulp (scalar) and
 * 2 ulps (Panama), 5 more u per piece: (2n + 12) u sum(|pieces|).
 */
class PenaltyKernelTest {

    private static final double U = 0x1p-24;
    private static final float[] CORNERS = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, 1e-40f, Float.MIN_NORMAL, 1f, -1f,
        1e-6f, Math.nextDown(1e-6f), Math.nextUp(1e-6f), 1f - 1e-6f, Math.nextUp(1f - 1e-6f), Math.nextDown(1f - 1e-6f),
        0.5f, 2f, -2f, 1e30f, -1e30f};

    private static int lanes;
    private static PenaltyKernel scalar;
    private static PenaltyKernel panama;

    @BeforeAll
    static void setUp() {
        assumeTrue(Backends.panamaAvailable(), "Panama unavailable");
        lanes = PanamaProbe.floatLanes();
        scalar = Backends.load(PenaltyKernel.class, Backends.Kind.SCALAR);
        panama = Backends.load(PenaltyKernel.class, Backends.Kind.PANAMA);
    }

    private int[] sizes() {
        return new int[] {0, 1, lanes - 1, lanes, lanes + 1, 2 * lanes - 1, 2 * lanes, 2 * lanes + 1, 4 * lanes + 3, 31, 97,
            1009, 65537};
    }

    /** Finite data: mostly ordinary magnitudes, some corner values. */
    private static float[] data(SplittableRandom rnd, int len, boolean unit) {
        float[] a = new float[len];
        for (int i = 0; i < len; i++) {
            int pick = rnd.nextInt(8);
            if (pick == 0) {
                a[i] = CORNERS[rnd.nextInt(CORNERS.length)];
            } else {
                a[i] = unit ? (float) rnd.nextDouble() : (float) rnd.nextGaussian();
            }
        }
        return a;
    }

    private static void assertSum(String what, float ref, float got, double sumAbsTerms, int n, int extra) {
        if (!Float.isFinite(ref)) {
            assertEquals(ref, got, what + " (an overflowing or NaN sum must agree)");
            return;
        }
        double bound = (2.0 * n + extra) * U * sumAbsTerms;
        if (!(Math.abs((double) got - ref) <= bound)) {
            fail(what + ": scalar=" + ref + " panama=" + got + " |d|=" + Math.abs((double) got - ref) + " > " + bound);
        }
    }

    @Test
    void l1AndL2SumsMatchWithinTheRoundingBound() {
        long seed = 0x9E7A_0001L;
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int n : sizes()) {
            int off = rnd.nextInt(5);
            float[] a = data(rnd, off + n + 2, false);
            float lambda = (float) rnd.nextDouble(0, 3);
            double abs = 0;
            double sq = 0;
            for (int i = 0; i < n; i++) {
                abs += Math.abs(a[off + i]);
                sq += (double) a[off + i] * a[off + i];
            }
            String what = "seed=0x" + Long.toHexString(seed) + " n=" + n + " off=" + off;
            assertSum("l1 " + what, scalar.l1(lambda, a, off, n), panama.l1(lambda, a, off, n), lambda * abs, n, 4);
            assertSum("l2 " + what, scalar.l2(lambda, a, off, n), panama.l2(lambda, a, off, n), lambda * sq / 2, n, 4);
        }
    }

    @Test
    void sumsPropagateNanAndInfinity() {
        for (int n : new int[] {1, lanes + 3, 5 * lanes + 1}) {
            for (float special : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
                float[] a = new float[n];
                Arrays.fill(a, 0.25f);
                a[n - 1] = special;
                String what = "n=" + n + " special=" + special;
                assertEquals(scalar.l1(1f, a, 0, n), panama.l1(1f, a, 0, n), "l1 " + what);
                assertEquals(scalar.l2(1f, a, 0, n), panama.l2(1f, a, 0, n), "l2 " + what);
            }
        }
    }

    @Test
    void klMatchesWithinTheRoundingBound() {
        long seed = 0x9E7A_0002L;
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int n : sizes()) {
            int off = rnd.nextInt(5);
            float[] r = data(rnd, off + n + 1, true);
            for (float rho : new float[] {0.05f, 0.5f, 0.9f, 1e-7f}) {
                float beta = (float) rnd.nextDouble(0, 3);
                double pieces = 0;
                for (int j = 0; j < n; j++) {
                    double c = ScalarPenalty.clamp(r[off + j]);
                    pieces += Math.abs(rho * Math.log(rho / c)) + Math.abs((1 - rho) * Math.log((1 - rho) / (1 - c)));
                }
                String what = "kl seed=0x" + Long.toHexString(seed) + " n=" + n + " off=" + off + " rho=" + rho;
                assertSum(what, scalar.kl(rho, beta, r, off, n), panama.kl(rho, beta, r, off, n), beta * pieces, n, 12);
            }
        }
        float[] nan = {0.5f, Float.NaN, 0.5f};
        assertTrue(Float.isNaN(panama.kl(0.1f, 1f, nan, 0, 3)), "NaN rho-hat");
    }

    private static void assertBits(String what, float[] ref, float[] got) {
        for (int i = 0; i < ref.length; i++) {
            if (Float.floatToIntBits(ref[i]) != Float.floatToIntBits(got[i])) {
                fail(what + " i=" + i + ": scalar=" + ref[i] + " panama=" + got[i]);
            }
        }
    }

    @Test
    void l1AndL2GradientsAreBitExact() {
        long seed = 0x9E7A_0003L;
        SplittableRandom rnd = new SplittableRandom(seed);
        // Each size twice: offsets drawn apart, then one offset for both arrays (where Panama's
        // l2Gradient runs C2's own loop instead of its Vector API loop).
        for (int n : sizes()) {
            for (boolean sameOffset : new boolean[] {false, true}) {
                int aOff = rnd.nextInt(5);
                int gOff = sameOffset ? aOff : rnd.nextInt(5);
                float[] a = data(rnd, aOff + n + 1, false);
                if (n > 2) {
                    a[aOff + n / 2] = Float.NaN;
                    a[aOff + n - 1] = Float.NEGATIVE_INFINITY;
                }
                float[] g = data(rnd, gOff + n + 2, false);
                float lambda = (float) rnd.nextDouble(0, 3);
                String what = "seed=0x" + Long.toHexString(seed) + " n=" + n + " aOff=" + aOff + " gOff=" + gOff;
                float[] gs = g.clone();
                float[] gp = g.clone();
                scalar.l1Gradient(lambda, a, aOff, gs, gOff, n);
                panama.l1Gradient(lambda, a, aOff, gp, gOff, n);
                assertBits("l1Gradient " + what, gs, gp);
                gs = g.clone();
                gp = g.clone();
                scalar.l2Gradient(lambda, a, aOff, gs, gOff, n);
                panama.l2Gradient(lambda, a, aOff, gp, gOff, n);
                assertBits("l2Gradient " + what, gs, gp);
            }
        }
    }

    private int[][] shapes() {
        int[] rows = {1, 2, 7, 33};
        int[] cols = {0, 1, lanes - 1, lanes, lanes + 1, 2 * lanes + 1, 4 * lanes, 4 * lanes + 5, 97, 1009};
        int[][] out = new int[rows.length * cols.length][];
        int k = 0;
        for (int r : rows) {
            for (int c : cols) {
                out[k++] = new int[] {r, c};
            }
        }
        return out;
    }

    @Test
    void klRhoHatIsBitExact() {
        long seed = 0x9E7A_0004L;
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int[] shape : shapes()) {
            int rows = shape[0];
            int cols = shape[1];
            int lda = cols + rnd.nextInt(3);
            int aOff = rnd.nextInt(4);
            int rOff = rnd.nextInt(4);
            float[] a = data(rnd, aOff + rows * lda + 1, true);
            float[] rs = new float[rOff + cols + 2];
            Arrays.fill(rs, 42f);
            float[] rp = rs.clone();
            scalar.klRhoHat(rows, cols, a, aOff, lda, rs, rOff);
            panama.klRhoHat(rows, cols, a, aOff, lda, rp, rOff);
            assertBits("klRhoHat seed=0x" + Long.toHexString(seed) + " rows=" + rows + " cols=" + cols + " lda=" + lda
                    + " aOff=" + aOff + " rOff=" + rOff, rs, rp);
        }
    }

    @Test
    void klGradientIsBitExact() {
        long seed = 0x9E7A_0005L;
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int[] shape : shapes()) {
            int rows = shape[0];
            int cols = shape[1];
            int ldg = cols + rnd.nextInt(3);
            int gOff = rnd.nextInt(4);
            int rOff = rnd.nextInt(4);
            float[] rhoHat = data(rnd, rOff + cols + 1, true);
            if (cols > 3) {
                rhoHat[rOff + 1] = Float.NaN;
                rhoHat[rOff + 2] = -0.5f;
                rhoHat[rOff + 3] = 1.5f;
            }
            float[] g = data(rnd, gOff + rows * ldg + 1, false);
            float rho = (float) rnd.nextDouble(0.01, 0.99);
            float beta = (float) rnd.nextDouble(0, 3);
            float[] gs = g.clone();
            float[] gp = g.clone();
            scalar.klGradient(rho, beta, rows, cols, rhoHat, rOff, gs, gOff, ldg);
            panama.klGradient(rho, beta, rows, cols, rhoHat, rOff, gp, gOff, ldg);
            assertBits("klGradient seed=0x" + Long.toHexString(seed) + " rows=" + rows + " cols=" + cols + " ldg=" + ldg
                    + " gOff=" + gOff + " rOff=" + rOff, gs, gp);
        }
    }
}
