package dev.lanes.core.internal;

/** The scalar reference for {@link SparseKernel}: the definitions, one element at a time. */
final class ScalarSparse implements SparseKernel {

    @Override
    public void combineRows(int n, int count, float[] coef, int coefOff, int[] idx, int idxOff,
                            float[] src, int srcOff, int lds, float[] out, int outOff) {
        for (int t = 0; t < count; t++) {
            float a = coef[coefOff + t];
            int row = srcOff + idx[idxOff + t] * lds;
            for (int c = 0; c < n; c++) {
                out[outOff + c] = Math.fma(a, src[row + c], out[outOff + c]);
            }
        }
    }

    @Override
    public void dotRows(int n, int count, float[] x, int xOff, int[] idx, int idxOff,
                        float[] src, int srcOff, int lds, float[] out, int outOff) {
        for (int t = 0; t < count; t++) {
            int row = srcOff + idx[idxOff + t] * lds;
            float s = 0f;
            for (int c = 0; c < n; c++) {
                s += x[xOff + c] * src[row + c];
            }
            out[outOff + t] = s;
        }
    }
}
