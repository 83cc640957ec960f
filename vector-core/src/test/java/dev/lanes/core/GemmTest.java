package dev.lanes.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The public sgemm: semantics on known values and bad input, on whichever implementation runs. */
class GemmTest {

    // A = [1 2 3; 4 5 6] (2x3), B = [1 -1; 0 2; 3 1] (3x2), A*B = [10 6; 22 12]: small integers, exact.
    private static final float[] A = {1, 2, 3, 4, 5, 6};
    private static final float[] AT = {1, 4, 2, 5, 3, 6};
    private static final float[] B = {1, -1, 0, 2, 3, 1};
    private static final float[] BT = {1, 0, 3, -1, 2, 1};
    private static final float[] AB = {10, 6, 22, 12};

    @Test
    void everyTransposePairGivesTheSameProduct() {
        for (int t = 0; t < 4; t++) {
            boolean ta = t >> 1 == 1;
            boolean tb = (t & 1) == 1;
            float[] c = new float[4];
            Gemm.sgemm(ta, tb, 2, 2, 3, 1f, ta ? AT : A, 0, ta ? 2 : 3, tb ? BT : B, 0, tb ? 3 : 2, 0f, c, 0, 2);
            assertArrayEquals(AB, c, "transA=" + ta + " transB=" + tb);
        }
    }

    @Test
    void alphaAndBetaScale() {
        float[] c = {1, 2, 3, 4};
        Gemm.sgemm(false, false, 2, 2, 3, 2f, A, 0, 3, B, 0, 2, -1f, c, 0, 2);
        assertArrayEquals(new float[] {19, 10, 41, 20}, c);
    }

    @Test
    void offsetsAndLeadingDimensionsLeaveTheRestAlone() {
        float[] a = new float[2 + 2 * 5];
        for (int i = 0; i < 2; i++) {
            System.arraycopy(A, i * 3, a, 2 + i * 5, 3);
        }
        float[] c = new float[1 + 2 * 4];
        Arrays.fill(c, 7f);
        Gemm.sgemm(false, false, 2, 2, 3, 1f, a, 2, 5, B, 0, 2, 0f, c, 1, 4);
        assertArrayEquals(new float[] {7, 10, 6, 7, 7, 22, 12, 7, 7}, c);
    }

    @Test
    void betaZeroDoesNotReadC() {
        float[] c = {Float.NaN, Float.POSITIVE_INFINITY, Float.NaN, Float.NEGATIVE_INFINITY};
        Gemm.sgemm(false, false, 2, 2, 3, 1f, A, 0, 3, B, 0, 2, 0f, c, 0, 2);
        assertArrayEquals(AB, c);
    }

    @Test
    void emptyDepthScalesCAndBetaZeroWritesZeros() {
        float[] c = {1, Float.NaN, 3, 4};
        Gemm.sgemm(false, false, 2, 2, 0, 1f, new float[0], 0, 1, new float[0], 0, 2, 0f, c, 0, 2);
        assertArrayEquals(new float[] {0, 0, 0, 0}, c);
        float[] d = {1, 2, 3, 4};
        Gemm.sgemm(true, true, 2, 2, 0, 1f, new float[0], 0, 2, new float[0], 0, 1, 3f, d, 0, 2);
        assertArrayEquals(new float[] {3, 6, 9, 12}, d);
    }

    @Test
    void alphaZeroReadsNeitherAnorB() {
        float[] nan = new float[6];
        Arrays.fill(nan, Float.NaN);
        float[] c = {1, 2, 3, 4};
        Gemm.sgemm(false, false, 2, 2, 3, 0f, nan, 0, 3, nan, 0, 2, 0.5f, c, 0, 2);
        assertArrayEquals(new float[] {0.5f, 1, 1.5f, 2}, c);
    }

    @Test
    void emptyOutputWritesNothing() {
        float[] c = {5};
        Gemm.sgemm(false, false, 0, 1, 3, 1f, new float[0], 0, 3, B, 0, 1, 0f, c, 0, 1);
        Gemm.sgemm(false, false, 1, 0, 3, 1f, A, 0, 3, new float[0], 0, 1, 0f, c, 0, 1);
        assertArrayEquals(new float[] {5}, c);
    }

    /** A mid-size product against double precision; tolerance as in GemmKernelTest. */
    @Test
    void largerProductMatchesDoublePrecision() {
        long seed = 0x6E77L;
        SplittableRandom rnd = new SplittableRandom(seed);
        int m = 67;
        int n = 45;
        int k = 301;
        float[] a = new float[k * m];
        float[] b = new float[n * k];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rnd.nextDouble(-1, 1);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) rnd.nextDouble(-1, 1);
        }
        float[] c = new float[m * n];
        Gemm.sgemm(true, true, m, n, k, -1.5f, a, 0, m, b, 0, k, 0f, c, 0, n);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                double abs = 0;
                for (int p = 0; p < k; p++) {
                    double prod = (double) a[p * m + i] * b[j * k + p];
                    s += prod;
                    abs += Math.abs(prod);
                }
                double ref = -1.5 * s;
                double tol = 2 * (k + 4) * 0x1p-24 * 1.5 * abs;
                float got = c[i * n + j];
                assertTrue(Math.abs(got - ref) <= tol,
                        "seed=0x" + Long.toHexString(seed) + " i=" + i + " j=" + j + " got " + got + " ref " + ref);
            }
        }
    }

    // ---- bad input: every argument, the exception type, the message, and C left alone ----

    private static <T extends Throwable> void rejects(Class<T> type, String fragment, Executable call, float[] c) {
        float[] before = c.clone();
        T e = assertThrows(type, call);
        assertTrue(e.getMessage().startsWith("sgemm: "), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), () -> "'" + e.getMessage() + "' lacks '" + fragment + "'");
        assertArrayEquals(before, c, "C was written before the exception");
    }

    @Test
    void negativeSizes() {
        float[] c = new float[4];
        rejects(IllegalArgumentException.class, "m=-1",
                () -> Gemm.sgemm(false, false, -1, 2, 3, 1f, A, 0, 3, B, 0, 2, 0f, c, 0, 2), c);
        rejects(IllegalArgumentException.class, "n=-2",
                () -> Gemm.sgemm(false, false, 2, -2, 3, 1f, A, 0, 3, B, 0, 2, 0f, c, 0, 2), c);
        rejects(IllegalArgumentException.class, "k=-3",
                () -> Gemm.sgemm(false, false, 2, 2, -3, 1f, A, 0, 3, B, 0, 2, 0f, c, 0, 2), c);
    }

    @Test
    void nullArrays() {
        float[] c = new float[4];
        rejects(NullPointerException.class, "a is null",
                () -> Gemm.sgemm(false, false, 2, 2, 3, 1f, null, 0, 3, B, 0, 2, 0f, c, 0, 2), c);
        rejects(NullPointerException.class, "b is null",
                () -> Gemm.sgemm(false, false, 2, 2, 3, 1f, A, 0, 3, null, 0, 2, 0f, c, 0, 2), c);
        assertThrows(NullPointerException.class,
                () -> Gemm.sgemm(false, false, 2, 2, 3, 1f, A, 0, 3, B, 0, 2, 0f, null, 0, 2));
    }

    @Test
    void leadingDimensionsShorterThanTheRow() {
        float[] c = new float[4];
        float[] big = new float[128 * 100];
        rejects(IllegalArgumentException.class, "lda=100 < k=128",
                () -> Gemm.sgemm(false, false, 2, 2, 128, 1f, big, 0, 100, big, 0, 2, 0f, c, 0, 2), c);
        rejects(IllegalArgumentException.class, "lda=1 < m=2",
                () -> Gemm.sgemm(true, false, 2, 2, 3, 1f, A, 0, 1, B, 0, 2, 0f, c, 0, 2), c);
        rejects(IllegalArgumentException.class, "ldb=1 < n=2",
                () -> Gemm.sgemm(false, false, 2, 2, 3, 1f, A, 0, 3, B, 0, 1, 0f, c, 0, 2), c);
        rejects(IllegalArgumentException.class, "ldb=2 < k=3",
                () -> Gemm.sgemm(false, true, 2, 2, 3, 1f, A, 0, 3, BT, 0, 2, 0f, c, 0, 2), c);
        rejects(IllegalArgumentException.class, "ldc=1 < n=2",
                () -> Gemm.sgemm(false, false, 2, 2, 3, 1f, A, 0, 3, B, 0, 2, 0f, c, 0, 1), c);
        rejects(IllegalArgumentException.class, "lda=0",
                () -> Gemm.sgemm(false, false, 2, 2, 0, 1f, A, 0, 0, B, 0, 2, 0f, c, 0, 2), c);
    }

    @Test
    void offsetsOutOfRangeAndArraysTooShort() {
        float[] c = new float[4];
        rejects(IndexOutOfBoundsException.class, "a offset=-1",
                () -> Gemm.sgemm(false, false, 2, 2, 3, 1f, A, -1, 3, B, 0, 2, 0f, c, 0, 2), c);
        rejects(IndexOutOfBoundsException.class, "a (2x3, lda=3) needs 6 elements from offset 1",
                () -> Gemm.sgemm(false, false, 2, 2, 3, 1f, A, 1, 3, B, 0, 2, 0f, c, 0, 2), c);
        rejects(IndexOutOfBoundsException.class, "a (3x2, lda=4)",
                () -> Gemm.sgemm(true, false, 2, 2, 3, 1f, AT, 0, 4, B, 0, 2, 0f, c, 0, 2), c);
        rejects(IndexOutOfBoundsException.class, "b offset=7",
                () -> Gemm.sgemm(false, false, 2, 2, 3, 1f, A, 0, 3, B, 7, 2, 0f, c, 0, 2), c);
        rejects(IndexOutOfBoundsException.class, "b (3x2, ldb=3)",
                () -> Gemm.sgemm(false, false, 2, 2, 3, 1f, A, 0, 3, B, 0, 3, 0f, c, 0, 2), c);
        rejects(IndexOutOfBoundsException.class, "b (2x3, ldb=3) needs 6 elements from offset 2",
                () -> Gemm.sgemm(false, true, 2, 2, 3, 1f, A, 0, 3, BT, 2, 3, 0f, c, 0, 2), c);
        rejects(IndexOutOfBoundsException.class, "c offset=-3",
                () -> Gemm.sgemm(false, false, 2, 2, 3, 1f, A, 0, 3, B, 0, 2, 0f, c, -3, 2), c);
        rejects(IndexOutOfBoundsException.class, "c (2x2, ldc=3) needs 5 elements",
                () -> Gemm.sgemm(false, false, 2, 2, 3, 1f, A, 0, 3, B, 0, 2, 0f, c, 0, 3), c);
        rejects(IndexOutOfBoundsException.class, "c (2x2, ldc=2) needs 4 elements from offset 1",
                () -> Gemm.sgemm(false, false, 2, 2, 3, 1f, A, 0, 3, B, 0, 2, 0f, c, 1, 2), c);
    }

    @Test
    void implementationIsTheExpectedOne() {
        String expected = System.getProperty("lanes.expect.implementation");
        if (expected != null) {
            assertEquals(expected, Lanes.implementation());
        }
    }
}
