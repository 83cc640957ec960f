package dev.lanes.core.internal;

/**
 * Products with a sparse operand, for sparse autoencoders: a dense matrix with many exact zeros times a weight,
 * fused with the bias and a per-row top-k ({@link #productTopK}), and gathers over selected rows of a dense matrix
 * ({@link #combineRows}, {@link #dotRows}). Implemented by {@code ScalarSparse} (the reference) and
 * {@code PanamaSparse}; the public facade is {@code dev.lanes.core.Sparse}, which validates the arguments
 * and splits the work.
 *
 * <p>Exactness: {@link #productTopK} and {@link #combineRows} accumulate each output element with fused
 * multiply-adds in index order, so both implementations are bit-identical (up to the sign of a zero
 * {@code productTopK} sum, see there);
 * {@link #dotRows} reduces in a different order in each and agrees to rounding.
 *
 * <p>Arguments are not checked here beyond {@code assert}s.
 */
public interface SparseKernel {

    /**
     * For each row {@code i < m} of {@code x} (at {@code xOff + i*ldx}, {@code n} long) and each latent
     * {@code j} in {@code [j0, j1)}:
     * <pre>
     * acc = +0; for p in 0 .. n-1: acc = fma(x[xOff + i*ldx + p], w[wOff + j*ldw + p], acc)
     * z_ij = acc + bias[biasOff + j]
     * </pre>
     * and offers {@code (z_ij, j)} to row {@code i}'s heap of {@code k} slots at {@code heapOff + i*k}
     * ({@link TopKHeap}), which the caller has filled with sentinels or earlier candidates. An
     * implementation may skip terms whose {@code x} is zero: with a finite {@code w} that changes at most
     * the sign of a zero sum. {@code order} is a permutation of {@code [0, m)}: the order in which an
     * implementation may group rows (rows with zeros in the same places, next to each other, let more
     * work be skipped); it does not change the results. Reads {@code x}, {@code w}, {@code bias},
     * {@code order}; writes only the heaps.
     */
    void productTopK(int m, int n, int j0, int j1, float[] x, int xOff, int ldx, int[] order,
                     float[] w, int wOff, int ldw, float[] bias, int biasOff, int k,
                     float[] heapVal, int[] heapIdx, int heapOff);

    /**
     * {@code out[outOff + c] = fma(coef[coefOff + t], src[srcOff + idx[idxOff + t]*lds + c], out[outOff + c])}
     * for {@code t = 0 .. count-1} in order, {@code c < n}. Reads {@code coef}, {@code idx}, {@code src};
     * reads and writes {@code n} elements of {@code out}, which must not overlap {@code src}.
     */
    void combineRows(int n, int count, float[] coef, int coefOff, int[] idx, int idxOff,
                     float[] src, int srcOff, int lds, float[] out, int outOff);

    /**
     * {@code out[outOff + t] = sum_c x[xOff + c] * src[srcOff + idx[idxOff + t]*lds + c]} for
     * {@code t < count}, {@code c < n}. Reads {@code x}, {@code idx}, {@code src}; writes {@code count}
     * elements of {@code out}.
     */
    void dotRows(int n, int count, float[] x, int xOff, int[] idx, int idxOff,
                 float[] src, int srcOff, int lds, float[] out, int outOff);
}
