package dev.lanes.core.internal;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * Both sgemm implementations against a naive triple loop in double precision.
 *
 * <p>Tolerance: a float dot product of length k summed in any order is within {@code k*u*sum|a*b|}
 * of the exact one (u = 2^-24). The packed kernel applies alpha and adds into C once per depth block
 * (at most k blocks), one more rounding each, and beta*C costs two more; so every element must satisfy
 * {@code |c - ref| <= 2*(k+4)*u*(|alpha|*sum_p|a_ip*b_pj| + |beta*c_ij|)}, computed in double.
 * Exact cases (alpha == 0, k == 0) need an exact result.
 */
class GemmKernelTest {

    private static final double U = 0x1p-24;
    private static final float[] ALPHAS = {1f, -1f, 0.5f, 2.5f, 0f};
    private static final float[] BETAS = {0f, 1f, -0.75f, 2f};

    private static GemmKernel kernel(Backends.Kind kind) {
        Assumptions.assumeTrue(kind == Backends.Kind.SCALAR || Backends.panamaAvailable(), "no Vector API");
        return Backends.load(GemmKernel.class, kind);
    }

    @ParameterizedTest
    @EnumSource(Backends.Kind.class)
    void randomShapesEveryTransposePair(Backends.Kind kind) {
        GemmKernel g = kernel(kind);
        long seed = 0x5EED_0001L;
        SplittableRandom rnd = new SplittableRandom(seed);
        int cases = kind == Backends.Kind.SCALAR ? 12 : 40;
        for (int t = 0; t < 4; t++) {
            for (int r = 0; r < cases; r++) {
                int m = 1 + rnd.nextInt(r % 3 == 0 ? 300 : 40);
                int n = 1 + rnd.nextInt(r % 3 == 1 ? 300 : 40);
                int k = 1 + rnd.nextInt(r % 3 == 2 ? 300 : 40);
                Case c = new Case(t >> 1 == 1, (t & 1) == 1, m, n, k,
                        ALPHAS[rnd.nextInt(ALPHAS.length)], BETAS[rnd.nextInt(BETAS.length)],
                        rnd.nextInt(8), rnd.nextInt(4), rnd.nextInt(4));
                c.check(g, seed, rnd);
            }
        }
    }

    /** Sizes around the register tile and the blocking of the Panama kernel. */
    @ParameterizedTest
    @EnumSource(Backends.Kind.class)
    void shapesAroundTheBlocking(Backends.Kind kind) {
        GemmKernel g = kernel(kind);
        // The Panama blocking when it can be loaded, else the 512-bit one, for the scalar run.
        GemmBlocking bl = Backends.panamaAvailable() ? PanamaGemm.BLOCKING : GemmBlocking.forTile(12, 32);
        int mr = bl.mr();
        int nr = bl.nr();
        int kc = bl.kc();
        int mc = bl.mc();
        long seed = 0x5EED_0002L;
        SplittableRandom rnd = new SplittableRandom(seed);
        List<int[]> shapes = new ArrayList<>();
        for (int m : new int[] {1, mr - 1, mr, mr + 1, 2 * mr + 1}) {
            for (int n : new int[] {1, nr - 1, nr, nr + 1, 3 * nr + 5}) {
                shapes.add(new int[] {m, n, 9});
            }
        }
        for (int k : new int[] {kc - 1, kc, kc + 1, 2 * kc + 3}) {
            shapes.add(new int[] {mr + 3, nr + 7, k});
        }
        shapes.add(new int[] {mc + 1, 2 * nr + 1, 5});
        shapes.add(new int[] {mc - 1, 17, 3});
        shapes.add(new int[] {2 * mr + 5, 40 * nr + 3, 7});
        for (int[] s : shapes) {
            for (int t = 0; t < 4; t++) {
                Case c = new Case(t >> 1 == 1, (t & 1) == 1, s[0], s[1], s[2],
                        ALPHAS[rnd.nextInt(ALPHAS.length - 1)], BETAS[t], 1, 2, 1);
                c.check(g, seed, rnd);
            }
        }
    }

    /** A few rows of C (the unpacked path of the Panama kernel), across its column tasks. */
    @ParameterizedTest
    @EnumSource(Backends.Kind.class)
    void fewRows(Backends.Kind kind) {
        GemmKernel g = kernel(kind);
        long seed = 0x5EED_0005L;
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int m = 1; m <= 5; m++) {
            for (int t = 0; t < 4; t++) {
                int n = m % 2 == 0 ? 1100 : 1 + rnd.nextInt(90);
                int k = m == 3 ? 1 : 1 + rnd.nextInt(70);
                Case c = new Case(t >> 1 == 1, (t & 1) == 1, m, n, k,
                        ALPHAS[rnd.nextInt(ALPHAS.length)], BETAS[rnd.nextInt(BETAS.length)],
                        rnd.nextInt(8), rnd.nextInt(4), rnd.nextInt(4));
                c.check(g, seed, rnd);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Backends.Kind.class)
    void alphaZeroAndEmptyDepthOnlyScaleC(Backends.Kind kind) {
        GemmKernel g = kernel(kind);
        long seed = 0x5EED_0003L;
        SplittableRandom rnd = new SplittableRandom(seed);
        for (float beta : BETAS) {
            new Case(false, true, 13, 37, 0, 1f, beta, 0, 0, 0).check(g, seed, rnd);
            new Case(true, false, 13, 37, 21, 0f, beta, 2, 1, 0).check(g, seed, rnd);
        }
    }

    @Test
    void oneAndTwoThreadsAreBitwiseEqual() {
        GemmKernel g = kernel(Backends.Kind.PANAMA);
        int before = Parallel.threads();
        long seed = 0x5EED_0004L;
        try {
            for (int t = 0; t < 8; t++) {
                SplittableRandom rnd = new SplittableRandom(seed + t);
                // Packed (700 rows) and unpacked (3 rows, more columns than one task) paths.
                boolean ta = (t & 2) != 0;
                boolean tb = (t & 1) != 0;
                Case c = t < 4 ? new Case(ta, tb, 700, 300, 450, 0.75f, 0.5f, 3, 1, 2)
                        : new Case(ta, tb, 3, 1500, 450, 0.75f, 0.5f, 3, 1, 2);
                float[] a = c.fillA(rnd);
                float[] b = c.fillB(rnd);
                float[] c0 = c.fillC(rnd);
                float[] one = c0.clone();
                float[] two = c0.clone();
                Parallel.setThreads(1);
                c.run(g, a, b, one);
                Parallel.setThreads(2);
                c.run(g, a, b, two);
                for (int x = 0; x < one.length; x++) {
                    if (Float.floatToRawIntBits(one[x]) != Float.floatToRawIntBits(two[x])) {
                        fail("seed=0x" + Long.toHexString(seed + t) + " " + c + " x=" + x + ": 1 thread "
                                + one[x] + ", 2 threads " + two[x]);
                    }
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    /** One sgemm problem: shapes, scalars, and offsets / leading-dimension slack for A, B and C. */
    record Case(boolean ta, boolean tb, int m, int n, int k, float alpha, float beta, int off, int padA, int padC) {

        int lda() {
            return (ta ? m : k) + padA;
        }

        int ldb() {
            return (tb ? k : n) + padA + 1;
        }

        int ldc() {
            return n + padC;
        }

        float[] fillA(SplittableRandom rnd) {
            return random(rnd, off + (ta ? k : m) * lda());
        }

        float[] fillB(SplittableRandom rnd) {
            return random(rnd, off + 1 + (tb ? n : k) * ldb());
        }

        float[] fillC(SplittableRandom rnd) {
            float[] c = random(rnd, off + 2 + m * ldc() + 3);
            if (beta == 0) {
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        c[off + 2 + i * ldc() + j] = Float.NaN;
                    }
                }
            }
            return c;
        }

        void run(GemmKernel g, float[] a, float[] b, float[] c) {
            g.sgemm(ta, tb, m, n, k, alpha, a, off, lda(), b, off + 1, ldb(), beta, c, off + 2, ldc());
        }

        void check(GemmKernel g, long seed, SplittableRandom rnd) {
            float[] a = fillA(rnd);
            float[] b = fillB(rnd);
            if (alpha == 0 || k == 0) {
                java.util.Arrays.fill(a, Float.NaN); // must not be read
                java.util.Arrays.fill(b, Float.NaN);
            }
            float[] c0 = fillC(rnd);
            float[] c = c0.clone();
            run(g, a, b, c);
            int co = off + 2;
            for (int x = 0; x < c.length; x++) {
                int i = (x - co) / ldc();
                int j = (x - co) % ldc();
                String where = "seed=0x" + Long.toHexString(seed) + " " + this + " x=" + x + " (i=" + i
                        + ", j=" + j + ")";
                if (x < co || i >= m || j >= n) {
                    if (Float.floatToRawIntBits(c[x]) != Float.floatToRawIntBits(c0[x])) {
                        fail("wrote outside C: " + where);
                    }
                    continue;
                }
                double s = 0;
                double abs = 0;
                if (alpha != 0) {
                    for (int p = 0; p < k; p++) {
                        double prod = (double) (ta ? a[off + p * lda() + i] : a[off + i * lda() + p])
                                * (tb ? b[off + 1 + j * ldb() + p] : b[off + 1 + p * ldb() + j]);
                        s += prod;
                        abs += Math.abs(prod);
                    }
                }
                double bc = beta == 0 ? 0 : (double) beta * c0[x];
                double ref = alpha * s + bc;
                double tol = 2 * (k + 4) * U * (Math.abs(alpha) * abs + Math.abs(bc));
                double d = Math.abs(c[x] - ref);
                if (!(d <= tol)) {
                    fail(where + ": got " + c[x] + ", expected " + ref + " +- " + tol);
                }
            }
        }

        private static float[] random(SplittableRandom rnd, int len) {
            float[] x = new float[len];
            for (int i = 0; i < len; i++) {
                x[i] = (float) rnd.nextDouble(-1, 1);
            }
            return x;
        }
    }
}
