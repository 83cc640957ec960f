package dev.lanes.core.internal;

/**
 * Packing of sgemm operands into the layouts the micro-kernel reads. The four transpose cases of
 * sgemm differ only here.
 *
 * <p>A block ({@code mc x kc} of {@code op(A)}): slivers of {@code mr} rows, sliver {@code s} at
 * {@code s*mr*kc}, element {@code (i, p)} of a sliver at {@code p*mr + i}. B panel ({@code kc x nc} of
 * {@code op(B)}): slivers of {@code nr} columns, sliver {@code s} at {@code s*nr*kc}, element
 * {@code (p, j)} at {@code p*nr + j}. Rows or columns past the edge of the matrix are zero.
 */
final class GemmPacking {

    private GemmPacking() {
    }

    /**
     * Packs rows {@code [i0, i0+mc)} and columns {@code [p0, p0+kc)} of {@code op(A)} into
     * {@code dst[dstOff .. dstOff + ceil(mc/mr)*mr*kc)}.
     */
    static void packA(boolean transA, float[] a, int aOff, int lda, int i0, int mc, int p0, int kc,
                      int mr, float[] dst, int dstOff) {
        for (int s = 0; s * mr < mc; s++) {
            int rows = Math.min(mr, mc - s * mr);
            int d = dstOff + s * mr * kc;
            if (transA) {
                // A is k x m: op(A)(i, p) = a[p*lda + i]; each p gives mr contiguous floats.
                int src = aOff + p0 * lda + i0 + s * mr;
                for (int p = 0; p < kc; p++, src += lda, d += mr) {
                    for (int i = 0; i < rows; i++) {
                        dst[d + i] = a[src + i];
                    }
                    for (int i = rows; i < mr; i++) {
                        dst[d + i] = 0f;
                    }
                }
            } else {
                // A is m x k: read each row contiguously, write with stride mr.
                for (int i = 0; i < mr; i++) {
                    if (i < rows) {
                        int src = aOff + (i0 + s * mr + i) * lda + p0;
                        for (int p = 0; p < kc; p++) {
                            dst[d + p * mr + i] = a[src + p];
                        }
                    } else {
                        for (int p = 0; p < kc; p++) {
                            dst[d + p * mr + i] = 0f;
                        }
                    }
                }
            }
        }
    }

    /**
     * Packs slivers {@code [s0, s1)} of the panel with rows {@code [p0, p0+kc)} and columns
     * {@code [j0, j0+nc)} of {@code op(B)} into {@code dst}, sliver {@code s} at {@code s*nr*kc}.
     */
    static void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int nc,
                      int nr, int s0, int s1, float[] dst) {
        for (int s = s0; s < s1; s++) {
            int cols = Math.min(nr, nc - s * nr);
            int d = s * nr * kc;
            int jb = j0 + s * nr;
            if (transB) {
                // B is n x k: op(B)(p, j) = b[j*ldb + p]; read each row of B contiguously.
                for (int j = 0; j < nr; j++) {
                    if (j < cols) {
                        int src = bOff + (jb + j) * ldb + p0;
                        for (int p = 0; p < kc; p++) {
                            dst[d + p * nr + j] = b[src + p];
                        }
                    } else {
                        for (int p = 0; p < kc; p++) {
                            dst[d + p * nr + j] = 0f;
                        }
                    }
                }
            } else {
                // B is k x n: each p gives nr contiguous floats.
                int src = bOff + p0 * ldb + jb;
                for (int p = 0; p < kc; p++, src += ldb, d += nr) {
                    for (int j = 0; j < cols; j++) {
                        dst[d + j] = b[src + j];
                    }
                    for (int j = cols; j < nr; j++) {
                        dst[d + j] = 0f;
                    }
                }
            }
        }
    }
}
