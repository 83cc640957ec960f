package dev.lanes.core.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Packing of sgemm operands into the layouts {@link PanamaGemmMicroKernel} reads; the four transpose
 * cases of sgemm differ only here. Used by {@link PanamaGemm} only.
 *
 * <p>A block ({@code mc x kc} of {@code op(A)}): slivers of {@code MR} rows, sliver {@code s} at
 * {@code s*MR*kc}, element {@code (i, p)} of a sliver at {@code p*MR + i}. B panel ({@code kc x nc} of
 * {@code op(B)}): slivers of {@code NR} columns, sliver {@code s} at {@code s*NR*kc}, element
 * {@code (p, j)} at {@code p*NR + j}. Rows or columns past the edge of the matrix are zero.
 *
 * <p>Where the source runs along the sliver (A transposed, B not) each step is a vector copy;
 * where it runs across it (A not transposed, B transposed) each step is a gather of one element
 * from each of {@code L} rows, which beats a scalar transpose several times over.
 */
final class PanamaGemmPacking {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int MR = PanamaGemmMicroKernel.MR;
    private static final int NR = PanamaGemmMicroKernel.NR;

    /** Lanes of each L-wide chunk of an A sliver column that lie inside MR; built once, no allocation per call. */
    private static final VectorMask<Float>[] CHUNKS = chunks();

    @SuppressWarnings("unchecked")
    private static VectorMask<Float>[] chunks() {
        VectorMask<Float>[] m = new VectorMask[(MR + L - 1) / L];
        for (int i = 0; i < m.length; i++) {
            m[i] = S.indexInRange(i * L, MR);
        }
        return m;
    }

    private PanamaGemmPacking() {
    }

    /** Length of the gather offsets {@link #rowOffsets} writes: MR rounded up to whole vectors. */
    static final int OFFSETS = (MR + L - 1) / L * L;

    /**
     * {@code offsets[i] = min(i, rows-1) * ld} for {@code i < OFFSETS}: the gather offsets of one
     * element from each of {@code rows} rows. Lanes past the last row repeat it, because a masked
     * gather still bounds-checks its masked-off lanes.
     */
    static void rowOffsets(int ld, int rows, int[] offsets) {
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = Math.min(i, rows - 1) * ld;
        }
    }

    /**
     * Packs rows {@code [i0, i0+mc)} and columns {@code [p0, p0+kc)} of {@code op(A)} into
     * {@code dst[dstOff .. dstOff + ceil(mc/MR)*MR*kc)}. {@code rowOffsets} holds
     * {@code rowOffsets(lda, MR, .)}.
     */
    static void packA(boolean transA, float[] a, int aOff, int lda, int i0, int mc, int p0, int kc,
                      float[] dst, int dstOff, int[] rowOffsets) {
        for (int s = 0; s * MR < mc; s++) {
            int rows = Math.min(MR, mc - s * MR);
            int d = dstOff + s * MR * kc;
            if (rows < MR) {
                packEdgeA(transA, a, aOff, lda, i0 + s * MR, rows, p0, kc, dst, d);
            } else if (transA) {
                // A is k x m: op(A)(i, p) = a[p*lda + i], MR contiguous floats per p.
                int src = aOff + p0 * lda + i0 + s * MR;
                for (int c0 = 0; c0 < MR; c0 += L) {
                    VectorMask<Float> lanes = CHUNKS[c0 / L];
                    for (int p = 0; p < kc; p++) {
                        FloatVector.fromArray(S, a, src + p * lda + c0, lanes).intoArray(dst, d + p * MR + c0, lanes);
                    }
                }
            } else {
                // A is m x k: op(A)(i, p) = a[i*lda + p], one element from each of MR rows per p.
                int src = aOff + (i0 + s * MR) * lda + p0;
                for (int c0 = 0; c0 < MR; c0 += L) {
                    VectorMask<Float> lanes = CHUNKS[c0 / L];
                    for (int p = 0; p < kc; p++) {
                        FloatVector.fromArray(S, a, src + p, rowOffsets, c0, lanes).intoArray(dst, d + p * MR + c0, lanes);
                    }
                }
            }
        }
    }

    private static void packEdgeA(boolean transA, float[] a, int aOff, int lda, int row0, int rows, int p0, int kc,
                                  float[] dst, int d) {
        for (int p = 0; p < kc; p++) {
            for (int i = 0; i < MR; i++) {
                float v = 0f;
                if (i < rows) {
                    v = transA ? a[aOff + (p0 + p) * lda + row0 + i] : a[aOff + (row0 + i) * lda + p0 + p];
                }
                dst[d + p * MR + i] = v;
            }
        }
    }

    /**
     * Packs slivers {@code [s0, s1)} of the panel with rows {@code [p0, p0+kc)} and columns
     * {@code [j0, j0+nc)} of {@code op(B)} into {@code dst}, sliver {@code s} at {@code s*NR*kc}.
     * {@code rowOffsets} holds {@code rowOffsets(ldb, L, .)}.
     */
    static void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int nc,
                      int s0, int s1, float[] dst, int[] rowOffsets) {
        for (int s = s0; s < s1; s++) {
            int cols = Math.min(NR, nc - s * NR);
            int d = s * NR * kc;
            int jb = j0 + s * NR;
            if (cols < NR) {
                packEdgeB(transB, b, bOff, ldb, p0, kc, jb, cols, dst, d);
            } else if (transB) {
                // B is n x k: op(B)(p, j) = b[j*ldb + p], one element from each of L rows per p.
                for (int c0 = 0; c0 < NR; c0 += L) {
                    int src = bOff + (jb + c0) * ldb + p0;
                    for (int p = 0; p < kc; p++) {
                        FloatVector.fromArray(S, b, src + p, rowOffsets, 0).intoArray(dst, d + p * NR + c0);
                    }
                }
            } else {
                // B is k x n: NR contiguous floats per p.
                int src = bOff + p0 * ldb + jb;
                for (int p = 0; p < kc; p++) {
                    for (int c0 = 0; c0 < NR; c0 += L) {
                        FloatVector.fromArray(S, b, src + p * ldb + c0).intoArray(dst, d + p * NR + c0);
                    }
                }
            }
        }
    }

    private static void packEdgeB(boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int jb, int cols,
                                  float[] dst, int d) {
        for (int p = 0; p < kc; p++) {
            for (int j = 0; j < NR; j++) {
                float v = 0f;
                if (j < cols) {
                    v = transB ? b[bOff + (jb + j) * ldb + p0 + p] : b[bOff + (p0 + p) * ldb + jb + j];
                }
                dst[d + p * NR + j] = v;
            }
        }
    }
}
