package dev.lanes.core.internal;

/**
 * Partial top-k per row of a row-major matrix. Implemented by {@code ScalarTopK} (the reference)
 * and {@code PanamaTopK}; the public facade is {@code dev.lanes.core.TopK}, which validates the
 * arguments and splits large problems into row blocks.
 *
 * <p>Order: the total order of {@link Float#compare}: {@code -0.0 < +0.0}, every NaN above
 * {@code +Inf} and all NaNs equal. Ties go to the lower column index. Both implementations give
 * bit-identical results.
 *
 * <p>Arguments are not checked here beyond {@code assert}s: {@code 0 <= k <= cols}, every row in
 * bounds, {@code ldx >= cols}, {@code ldy >= cols}.
 */
public interface TopKKernel {

    /**
     * For each row {@code i < rows} of {@code x} (at {@code xOff + i*ldx}, {@code cols} long), writes
     * its {@code k} best values and their column indices, best first, to
     * {@code values[outOff + i*k + r]} and {@code indices[outOff + i*k + r]}, {@code r < k}.
     * Reads {@code x}; writes only those {@code rows*k} elements of {@code values} and {@code indices}.
     */
    void select(float[] x, int xOff, int rows, int cols, int ldx, int k,
                float[] values, int[] indices, int outOff);

    /**
     * For each row {@code i < rows}, writes {@code y[yOff + i*ldy + j] = x[xOff + i*ldx + j]} if
     * column {@code j} is among the row's {@code k} best, else {@code +0.0f}. Reads {@code x}, writes
     * {@code cols} elements per row of {@code y}. {@code y} may be {@code x} at the same offset and
     * leading dimension.
     */
    void selectSparse(float[] x, int xOff, int rows, int cols, int ldx, int k,
                      float[] y, int yOff, int ldy);
}
