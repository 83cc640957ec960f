package dev.lanes.core.internal;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packing routines against their index definitions, bit for bit (packing only moves bits, so
 * random bit patterns, NaN payloads included, must arrive unchanged). The register transpose for
 * L = 16 and the staged one for any L are both checked, whatever L this machine has. The Vector API
 * types stay inside {@link Vec}, so that the class loads (and skips) where the module is absent.
 */
class PanamaGemmPackingTest {

    private static int L;

    @BeforeAll
    static void needsPanama() {
        Assumptions.assumeTrue(Backends.panamaAvailable(), "Vector API not available");
        L = Vec.lanes();
    }

    private static final class Vec {
        static int lanes() {
            return FloatVector.SPECIES_PREFERRED.length();
        }

        static void transpose(boolean staged, float[] src, int off, int ld, int rows, float[] dst, int d,
                              int stride, int width, float[] t) {
            if (staged) {
                PanamaGemmPacking.transposeStaged(src, off, ld, rows, dst, d, stride, width, t);
            } else {
                PanamaGemmPacking.transpose(src, off, ld, rows, dst, d, stride, width, t);
            }
        }
    }

    @Test
    void transposeMovesEveryBitAndOnlyTheMaskedLanes() {
        long seed = 0x7A45_0001L;
        SplittableRandom rnd = new SplittableRandom(seed);
        int ld = L + 3;
        int stride = L + 5;
        float[] t = new float[L * L];
        for (boolean staged : new boolean[] {false, true}) {
            for (int rows = 1; rows <= L; rows++) {
                for (int width : new int[] {L, L - 3, 1}) {
                    float[] src = randomBits(rnd, 2 + rows * ld + L);
                    float[] dst = randomBits(rnd, 1 + L * stride + L);
                    float[] before = dst.clone();
                    Vec.transpose(staged, src, 2, ld, rows, dst, 1, stride, width, t);
                    for (int i = 0; i < dst.length; i++) {
                        int q = (i - 1) / stride;
                        int r = (i - 1) % stride;
                        boolean written = i >= 1 && q < L && r < width;
                        float want = !written ? before[i] : r < rows ? src[2 + r * ld + q] : 0f;
                        if (Float.floatToRawIntBits(dst[i]) != Float.floatToRawIntBits(want)) {
                            fail("seed=0x" + Long.toHexString(seed) + " staged=" + staged + " rows=" + rows
                                    + " width=" + width + " i=" + i + ": " + dst[i] + " != " + want);
                        }
                    }
                }
            }
        }
    }

    @Test
    void packedSliversMatchTheirDefinitionForEveryTransposition() {
        long seed = 0x7A45_0002L;
        SplittableRandom rnd = new SplittableRandom(seed);
        int mr = PanamaGemmMicroKernel.MR;
        int nr = PanamaGemmMicroKernel.NR;
        int[][] shapes = {{1, 1, 1}, {mr, nr, L}, {2 * mr + 5, 2 * nr + 3, 3 * L + 7}, {mr - 1, nr - 1, L - 1},
            {3 * mr, nr + L, 2 * L}};
        for (int[] sh : shapes) {
            int m = sh[0];
            int n = sh[1];
            int k = sh[2];
            for (boolean trans : new boolean[] {false, true}) {
                // A: rows [1, m) of op(A), columns [1, k); lda and ldb longer than a row.
                int lda = (trans ? m : k) + 3;
                float[] a = randomBits(rnd, 5 + (trans ? k : m) * lda);
                int rows = m - 1;
                int kc = k - 1;
                float[] ap = new float[(rows + mr - 1) / mr * mr * kc + 7];
                if (rows > 0 && kc > 0) {
                    PanamaGemmPacking.packA(trans, a, 5, lda, 1, rows, 1, kc, ap, 7);
                    for (int s = 0; s * mr < rows; s++) {
                        for (int p = 0; p < kc; p++) {
                            for (int i = 0; i < mr; i++) {
                                int r = 1 + s * mr + i;
                                float want = s * mr + i >= rows ? 0f : trans ? a[5 + (1 + p) * lda + r] : a[5 + r * lda + 1 + p];
                                same(seed, "A trans=" + trans + " m=" + m + " k=" + k + " s=" + s + " p=" + p + " i=" + i,
                                        ap[7 + s * mr * kc + p * mr + i], want);
                            }
                        }
                    }
                }
                int ldb = (trans ? k : n) + 2;
                float[] b = randomBits(rnd, 3 + (trans ? n : k) * ldb);
                int cols = n - 1;
                int slivers = (cols + nr - 1) / nr;
                float[] bp = new float[slivers * nr * kc];
                if (cols > 0 && kc > 0) {
                    PanamaGemmPacking.packB(trans, b, 3, ldb, 1, kc, 1, cols, 0, slivers, bp);
                    for (int s = 0; s < slivers; s++) {
                        for (int p = 0; p < kc; p++) {
                            for (int j = 0; j < nr; j++) {
                                int c = 1 + s * nr + j;
                                float want = s * nr + j >= cols ? 0f : trans ? b[3 + c * ldb + 1 + p] : b[3 + (1 + p) * ldb + c];
                                same(seed, "B trans=" + trans + " n=" + n + " k=" + k + " s=" + s + " p=" + p + " j=" + j,
                                        bp[s * nr * kc + p * nr + j], want);
                            }
                        }
                    }
                    // A packing task packs a range of slivers and must leave the others alone.
                    float[] part = new float[bp.length];
                    PanamaGemmPacking.packB(trans, b, 3, ldb, 1, kc, 1, cols, slivers / 2, slivers, part);
                    for (int q = 0; q < bp.length; q++) {
                        same(seed, "B part trans=" + trans + " n=" + n + " k=" + k + " q=" + q,
                                part[q], q < slivers / 2 * nr * kc ? 0f : bp[q]);
                    }
                }
            }
        }
    }

    private static void same(long seed, String where, float got, float want) {
        if (Float.floatToRawIntBits(got) != Float.floatToRawIntBits(want)) {
            fail("seed=0x" + Long.toHexString(seed) + " " + where + ": " + got + " != " + want);
        }
    }

    private static float[] randomBits(SplittableRandom rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = Float.intBitsToFloat(rnd.nextInt());
        }
        return x;
    }
}
