package dev.lanes.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PanamaSparse against ScalarSparse. combineRows accumulates every element with the same fma chain in
 * both, so they must agree bit for bit. dotRows reduces in a
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

    private static float[] uniform(SplittableRandom r, int len) {
        float[] x = new float[len];
        for (int i = 0; i < len; i++) {
            x[i] = (float) r.nextDouble(-1, 1);
        }
        return x;
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

}
