package dev.lanes.core.internal;

/**
 * Products with a sparse operand, for sparse autoencoders: gathers over selected rows of a dense matrix
 * ({@link #combineRows}, {@link #dotRows}). Implemented by {@code ScalarSparse} (the reference) and
 * {@code PanamaSparse}; the public facade is {@code dev.lanes.core.Sparse}, which validates the arguments
 * and splits the work.
 *
 * <p>Exactness: {@link #combineRows} accumulates each output element with fused multiply-adds in index
 * order, so both implementations are bit-identical; {@link #dotRows} reduces in a different order in each
 * and agrees to rounding.
 *
 * <p>Arguments are not checked here beyond {@code assert}s.
 */
public interface SparseKernel {

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
