package dev.lanes.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PanamaSparse against ScalarSparse. productTopK and combineRows accumulate every element with the same
 * fma chain in both, so they must agree bit for bit (productTopK: for finite weights; only zero inputs are
 * skipped, which here cannot change a sum's sign because the sums are not zero). dotRows reduces in a
 * different order: |d| <= 1e-5 * sum|x_c * w_c| + 1e-30, the error bound of a float dot product of
 * length <= 65537 (n * 2^-24 ~ 4e-3 at worst; the sum of products bound is what matters, and the
 * observed errors are far below it) — the tolerance is relative to the sum of magnitudes, never to |ref|
 * alone.
 */
class SparseKernelTest {

    private static final long SEED = 0x5A_2E5EL;
    private static SparseKernel scalar;
    private static SparseKernel panama;
    private static int lanes;

    @BeforeAll
    static void load() {
        assumeTrue(Backends.panamaAvailable(), "Panama kernels unavailable");
        scalar = Backends.load(SparseKernel.class, Backends.Kind.SCALAR);
        panama = Backends.load(SparseKernel.class, Backends.Kind.PANAMA);
        lanes = PanamaProbe.floatLanes();
    }

    private int[] sizes() {
        int l = lanes;
        return new int[] {0, 1, l - 1, l, l + 1, 2 * l - 1, 2 * l + 1, 31, 97, 1009};
    }

    /** Half of the inputs exact zeros (as images), the rest in [-1, 1); a few rows all zero. */
    private static float[] sparseInput(SplittableRandom r, int rows, int n, int ld) {
        float[] x = new float[rows * ld + 3];
        for (int i = 0; i < rows; i++) {
            if (r.nextInt(8) == 0) {
                continue;
            }
            for (int c = 0; c < n; c++) {
                x[i * ld + c] = r.nextBoolean() ? 0f : (float) r.nextDouble(-1, 1);
            }
        }
        return x;
    }

    private static float[] uniform(SplittableRandom r, int len) {
        float[] x = new float[len];
        for (int i = 0; i < len; i++) {
            x[i] = (float) r.nextDouble(-1, 1);
        }
        return x;
    }

    @Test
    void productTopKIsBitExact() {
        SplittableRandom r = new SplittableRandom(SEED);
        int[][] shapes = {{1, 1, 1}, {3, 5, 2}, {4, 17, 16}, {7, 33, 31}, {9, 97, 64}, {13, 130, 200}, {6, 1009, 65},
            {5, 0, 3}};
        for (int[] s : shapes) {
            int m = s[0];
            int n = s[1];
            int h = s[2];
            for (int k : new int[] {1, Math.min(h, 3), h}) {
                int ldx = n + 2;
                int ldw = n + 1;
                float[] x = sparseInput(r, m, n, ldx);
                float[] w = uniform(r, h * ldw + 5);
                float[] bias = uniform(r, h + 2);
                for (int[] range : new int[][] {{0, h}, {h / 3, h}}) {
                    String where = "seed=0x" + Long.toHexString(SEED) + " m=" + m + " n=" + n + " h=" + h + " k=" + k
                            + " j0=" + range[0];
                    int cap = Math.min(k, range[1] - range[0]);
                    if (cap < 1) {
                        continue;
                    }
                    float[] wantV = new float[m * cap + 1];
                    int[] wantI = new int[m * cap + 1];
                    float[] gotV = new float[m * cap + 1];
                    int[] gotI = new int[m * cap + 1];
                    TopKHeap.clear(wantV, wantI, 1, m * cap);
                    TopKHeap.clear(gotV, gotI, 1, m * cap);
                    int[] order = new int[m];
                    for (int i = 0; i < m; i++) {
                        order[i] = (i * 7 + 3) % m; // a permutation when gcd(7, m) == 1, identity-like otherwise
                    }
                    if (m % 7 == 0) {
                        for (int i = 0; i < m; i++) {
                            order[i] = m - 1 - i;
                        }
                    }
                    scalar.productTopK(m, n, range[0], range[1], x, 1, ldx, order, w, 3, ldw, bias, 2, cap, wantV, wantI, 1);
                    panama.productTopK(m, n, range[0], range[1], x, 1, ldx, order, w, 3, ldw, bias, 2, cap, gotV, gotI, 1);
                    for (int i = 0; i < m; i++) {
                        TopKHeap.sortBestFirst(wantV, wantI, 1 + i * cap, cap);
                        TopKHeap.sortBestFirst(gotV, gotI, 1 + i * cap, cap);
                    }
                    for (int u = 0; u < m * cap + 1; u++) {
                        assertEquals(wantI[u], gotI[u], "index " + where + " u=" + u);
                        assertEquals(Float.floatToIntBits(wantV[u]), Float.floatToIntBits(gotV[u]), "value " + where + " u=" + u);
                    }
                }
            }
        }
    }

    @Test
    void combineRowsIsBitExact() {
        SplittableRandom r = new SplittableRandom(SEED + 1);
        for (int n : sizes()) {
            for (int count : new int[] {0, 1, 7}) {
                int srcRows = 11;
                int lds = n + 3;
                float[] src = uniform(r, srcRows * lds + 4);
                float[] coef = uniform(r, count + 2);
                int[] idx = new int[count + 1];
                for (int t = 0; t <= count; t++) {
                    idx[t] = r.nextInt(srcRows);
                }
                float[] want = uniform(r, n + 5);
                float[] got = want.clone();
                scalar.combineRows(n, count, coef, 1, idx, 1, src, 2, lds, want, 3);
                panama.combineRows(n, count, coef, 1, idx, 1, src, 2, lds, got, 3);
                for (int c = 0; c < want.length; c++) {
                    assertEquals(Float.floatToIntBits(want[c]), Float.floatToIntBits(got[c]),
                            "seed=0x" + Long.toHexString(SEED + 1) + " n=" + n + " count=" + count + " c=" + c);
                }
            }
        }
    }

    @Test
    void dotRowsAgreeToRounding() {
        SplittableRandom r = new SplittableRandom(SEED + 2);
        for (int n : new int[] {0, 1, lanes - 1, lanes, lanes + 1, 2 * lanes + 1, 97, 1009, 65537}) {
            int count = 5;
            int srcRows = 7;
            int lds = n + 1;
            float[] src = uniform(r, srcRows * lds + 2);
            float[] x = uniform(r, n + 3);
            int[] idx = new int[count];
            for (int t = 0; t < count; t++) {
                idx[t] = r.nextInt(srcRows);
            }
            float[] want = new float[count + 2];
            float[] got = new float[count + 2];
            scalar.dotRows(n, count, x, 2, idx, 0, src, 1, lds, want, 1);
            panama.dotRows(n, count, x, 2, idx, 0, src, 1, lds, got, 1);
            for (int t = 0; t < count; t++) {
                double mag = 0;
                for (int c = 0; c < n; c++) {
                    mag += Math.abs((double) x[2 + c] * src[1 + idx[t] * lds + c]);
                }
                double d = Math.abs(want[1 + t] - got[1 + t]);
                assertTrue(d <= 1e-30 + 1e-5 * mag, "seed=0x" + Long.toHexString(SEED + 2) + " n=" + n + " t=" + t
                        + " want=" + want[1 + t] + " got=" + got[1 + t]);
            }
            assertEquals(0f, got[0]);
            assertEquals(0f, got[count + 1]);
        }
    }

    /** The heap keeps the k best by Float.compare, ties to the lower index, whatever the offer order. */
    @Test
    void heapOrder() {
        float[] v = new float[3];
        int[] i = new int[3];
        TopKHeap.clear(v, i, 0, 3);
        float[] vals = {1f, Float.NaN, -0f, 0f, 1f, Float.NEGATIVE_INFINITY, 5f};
        int[] order = {4, 0, 6, 2, 3, 1, 5};
        for (int o : order) {
            TopKHeap.offer(v, i, 0, 3, vals[o], o);
        }
        TopKHeap.sortBestFirst(v, i, 0, 3);
        assertEquals(1, i[0]);
        assertEquals(6, i[1]);
        assertEquals(0, i[2]);
    }
}
