package dev.lanes.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The Sparse facade: semantics against dense references, thread-count independence, and bad input. */
class SparseTest {

    private static final long SEED = 0x5EA5EL;

    private static float[] draw(SplittableRandom r, int len, boolean halfZero) {
        float[] x = new float[len];
        for (int i = 0; i < len; i++) {
            x[i] = halfZero && r.nextBoolean() ? 0f : (float) r.nextDouble(-1, 1);
        }
        return x;
    }

    /**
     * productTopK writes exactly what sgemm + bias + TopK.select write (the same product, the same
     * selection), across several latent chunks so that the per-chunk candidates are merged, with a last
     * chunk narrower than k, and with ties between chunks (some latents share weights and bias).
     */
    @Test
    void productTopKIsGemmBiasAndTopK() {
        for (int[] shape : new int[][] {{9, 50, 2500, 7}, {5, 31, 2051, 12}, {3, 17, 1030, 9}, {4, 8, 700, 5}}) {
            SplittableRandom r = new SplittableRandom(SEED + shape[2]);
            int m = shape[0];
            int n = shape[1];
            int h = shape[2];
            int k = shape[3];
            String what = "seed=0x" + Long.toHexString(SEED + shape[2]) + " m=" + m + " n=" + n + " h=" + h + " k=" + k;
            float[] x = draw(r, m * n, true);
            float[] w = draw(r, h * n, false);
            float[] bias = draw(r, h, false);
            // latents 1024 + j copy latent j: exact ties across chunks, which must go to the lower latent
            for (int j = 0; j + 1024 < h && j < 40; j++) {
                System.arraycopy(w, j * n, w, (j + 1024) * n, n);
                bias[j + 1024] = bias[j];
            }
            float[] z = new float[m * h];
            Gemm.sgemm(false, true, m, h, n, 1f, x, 0, n, w, 0, n, 0f, z, 0, h);
            Blas.addRowVector(m, h, bias, 0, z, 0, h);
            float[] wantV = new float[m * k];
            int[] wantI = new int[m * k];
            TopK.select(z, 0, m, h, h, k, wantV, wantI);
            float[] gotV = new float[m * k];
            int[] gotI = new int[m * k];
            Sparse.productTopK(m, h, n, x, 0, n, w, 0, n, bias, 0, k, gotV, gotI);
            assertArrayEquals(wantI, gotI, what);
            assertArrayEquals(wantV, gotV, what);
        }
    }

    /** The selection and its values do not depend on the thread count. */
    @Test
    void productTopKIsIndependentOfTheThreadCount() {
        SplittableRandom r = new SplittableRandom(SEED);
        int m = 9;
        int n = 50;
        int h = 2500;
        int k = 7;
        float[] x = draw(r, m * n, true);
        float[] w = draw(r, h * n, false);
        float[] bias = draw(r, h, false);
        float[] gotV = new float[m * k];
        int[] gotI = new int[m * k];
        Sparse.productTopK(m, h, n, x, 0, n, w, 0, n, bias, 0, k, gotV, gotI);
        int threads = Lanes.threads();
        try {
            Lanes.setThreads(threads == 1 ? 2 : 1);
            float[] v2 = new float[m * k];
            int[] i2 = new int[m * k];
            Sparse.productTopK(m, h, n, x, 0, n, w, 0, n, bias, 0, k, v2, i2);
            assertArrayEquals(gotI, i2, "thread count changed the selection");
            assertArrayEquals(gotV, v2, "thread count changed the values");
        } finally {
            Lanes.setThreads(threads);
        }
    }

    /** Ties go to the lower latent, as in TopK: all-zero weights give z = bias. */
    @Test
    void productTopKTies() {
        float[] x = {1f, 2f};
        float[] w = new float[4 * 2];
        float[] bias = {1f, 3f, 3f, 1f};
        float[] v = new float[3];
        int[] i = new int[3];
        Sparse.productTopK(1, 4, 2, x, 0, 2, w, 0, 2, bias, 0, 3, v, i);
        assertArrayEquals(new int[] {1, 2, 0}, i);
        assertArrayEquals(new float[] {3f, 3f, 1f}, v);
    }

    @Test
    void gatherRowsAndDotGather() {
        float[] src = {1f, 2f, 10f, 20f, 100f, 200f};
        int[] ptr = {0, 2, 2, 3};
        int[] idx = {2, 0, 1};
        float[] coef = {0.5f, 2f, -1f};
        float[] out = {1f, 1f, 7f, 7f, 0f, 0f};
        Sparse.gatherRows(3, 2, ptr, coef, idx, src, 0, 2, 3, out, 0, 2);
        assertArrayEquals(new float[] {53f, 105f, 7f, 7f, -10f, -20f}, out);
        float[] x = {1f, 1f, 5f, 5f, 0.5f, 0f};
        float[] dots = new float[3];
        Sparse.dotGather(3, 2, ptr, idx, x, 0, 2, src, 0, 2, 3, dots);
        assertArrayEquals(new float[] {300f, 3f, 5f}, dots);
    }

    private static void rejects(Class<? extends Throwable> type, String words, float[] out, Executable call) {
        float[] before = out.clone();
        Throwable t = assertThrows(type, call);
        for (String w : words.split(" ")) {
            assertTrue(t.getMessage().contains(w), t.getMessage() + " should name " + w);
        }
        assertArrayEquals(before, out, "nothing written");
    }

    @Test
    void badInput() {
        float[] x = new float[8];
        float[] w = new float[12];
        float[] b = new float[3];
        float[] v = new float[4];
        int[] i = new int[4];
        rejects(IllegalArgumentException.class, "productTopK m", v,
                () -> Sparse.productTopK(-1, 3, 4, x, 0, 4, w, 0, 4, b, 0, 2, v, i));
        rejects(IllegalArgumentException.class, "productTopK k", v,
                () -> Sparse.productTopK(2, 3, 4, x, 0, 4, w, 0, 4, b, 0, 4, v, i));
        rejects(IllegalArgumentException.class, "productTopK ldx", v,
                () -> Sparse.productTopK(2, 3, 4, x, 0, 3, w, 0, 4, b, 0, 2, v, i));
        rejects(IllegalArgumentException.class, "productTopK ldw", v,
                () -> Sparse.productTopK(2, 3, 4, x, 0, 4, w, 0, 2, b, 0, 2, v, i));
        rejects(IndexOutOfBoundsException.class, "productTopK x", v,
                () -> Sparse.productTopK(2, 3, 4, x, 1, 4, w, 0, 4, b, 0, 2, v, i));
        rejects(IndexOutOfBoundsException.class, "productTopK bias", v,
                () -> Sparse.productTopK(2, 3, 4, x, 0, 4, w, 0, 4, b, 1, 2, v, i));
        rejects(IndexOutOfBoundsException.class, "productTopK values", v,
                () -> Sparse.productTopK(2, 3, 4, x, 0, 4, w, 0, 4, b, 0, 2, new float[3], i));
        rejects(NullPointerException.class, "productTopK w", v,
                () -> Sparse.productTopK(2, 3, 4, x, 0, 4, null, 0, 4, b, 0, 2, v, i));
        rejects(NullPointerException.class, "productTopK indices", v,
                () -> Sparse.productTopK(2, 3, 4, x, 0, 4, w, 0, 4, b, 0, 2, v, null));

        float[] src = new float[6];
        float[] out = {1f, 2f, 3f, 4f};
        float[] coef = {1f, 1f};
        rejects(IllegalArgumentException.class, "gatherRows rows", out,
                () -> Sparse.gatherRows(-1, 2, new int[] {0}, coef, new int[0], src, 0, 2, 3, out, 0, 2));
        rejects(IllegalArgumentException.class, "gatherRows ptr[1]", out,
                () -> Sparse.gatherRows(2, 2, new int[] {0, 2, 1}, coef, new int[] {0, 1}, src, 0, 2, 3, out, 0, 2));
        rejects(IllegalArgumentException.class, "gatherRows ptr[0]", out,
                () -> Sparse.gatherRows(1, 2, new int[] {1, 2}, coef, new int[] {0, 1}, src, 0, 2, 3, out, 0, 2));
        rejects(IndexOutOfBoundsException.class, "gatherRows idx[1]=3", out,
                () -> Sparse.gatherRows(1, 2, new int[] {0, 2}, coef, new int[] {0, 3}, src, 0, 2, 3, out, 0, 2));
        rejects(IndexOutOfBoundsException.class, "gatherRows coef", out,
                () -> Sparse.gatherRows(1, 2, new int[] {0, 3}, coef, new int[] {0, 1, 2}, src, 0, 2, 3, out, 0, 2));
        rejects(IllegalArgumentException.class, "gatherRows ldo", out,
                () -> Sparse.gatherRows(1, 2, new int[] {0, 1}, coef, new int[] {0}, src, 0, 2, 3, out, 0, 1));
        rejects(IndexOutOfBoundsException.class, "gatherRows src", out,
                () -> Sparse.gatherRows(1, 2, new int[] {0, 1}, coef, new int[] {0}, src, 1, 2, 3, out, 0, 2));
        rejects(IllegalArgumentException.class, "gatherRows overlaps", src,
                () -> Sparse.gatherRows(1, 2, new int[] {0, 1}, coef, new int[] {0}, src, 0, 2, 3, src, 4, 2));
        rejects(NullPointerException.class, "gatherRows idx", out,
                () -> Sparse.gatherRows(1, 2, new int[] {0, 1}, coef, null, src, 0, 2, 3, out, 0, 2));
        rejects(NullPointerException.class, "gatherRows ptr", out,
                () -> Sparse.gatherRows(1, 2, null, coef, new int[] {0}, src, 0, 2, 3, out, 0, 2));

        float[] d = {5f, 5f};
        rejects(IndexOutOfBoundsException.class, "dotGather out", d,
                () -> Sparse.dotGather(1, 2, new int[] {0, 3}, new int[] {0, 1, 2}, x, 0, 2, src, 0, 2, 3, d));
        rejects(IndexOutOfBoundsException.class, "dotGather idx[0]=-1", d,
                () -> Sparse.dotGather(1, 2, new int[] {0, 1}, new int[] {-1}, x, 0, 2, src, 0, 2, 3, d));
        rejects(IllegalArgumentException.class, "dotGather ldx", d,
                () -> Sparse.dotGather(1, 2, new int[] {0, 1}, new int[] {0}, x, 0, 1, src, 0, 2, 3, d));
        rejects(IllegalArgumentException.class, "dotGather n", d,
                () -> Sparse.dotGather(1, -2, new int[] {0, 1}, new int[] {0}, x, 0, 2, src, 0, 2, 3, d));
        rejects(NullPointerException.class, "dotGather x", d,
                () -> Sparse.dotGather(1, 2, new int[] {0, 1}, new int[] {0}, null, 0, 2, src, 0, 2, 3, d));
    }
}
