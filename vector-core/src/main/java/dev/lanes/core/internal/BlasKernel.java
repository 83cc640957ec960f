package dev.lanes.core.internal;

/**
 * BLAS-1 and reductions: the kernels behind {@code dev.lanes.core.Blas}. The facade validates every
 * argument; implementations only {@code assert}. The contract of each method is the facade's; the
 * scalar reference {@link ScalarBlas} is its executable specification.
 *
 * <p>Elementwise methods, {@code columnSums} and the argmax methods are bit-exact between
 * implementations (up to NaN payloads). The float reductions {@code dot}, {@code sum} and
 * {@code sumOfSquares} may differ by rounding, within the error bound stated in {@code Blas}.
 */
public interface BlasKernel {

    /** {@code y[i] += alpha * x[i]}: a multiply then an add, each rounded (no fused multiply-add). */
    void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff);

    /** {@code x[i] *= alpha}. */
    void scale(int n, float alpha, float[] x, int xOff);

    /** {@code sum x[i] * y[i]}. */
    float dot(int n, float[] x, int xOff, float[] y, int yOff);

    /** {@code sum x[i]}. */
    float sum(int n, float[] x, int xOff);

    /** {@code sum x[i] * x[i]}. */
    float sumOfSquares(int n, float[] x, int xOff);

    /** {@code z[i] = x[i] * y[i]}; z is either disjoint from or identical to x and y. */
    void mul(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff);

    /** {@code z[i] = x[i] + y[i]}; z is either disjoint from or identical to x and y. */
    void add(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff);

    /** {@code z[i] = x[i] - y[i]}; z is either disjoint from or identical to x and y. */
    void sub(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff);

    /** {@code y[i] = Math.min(hi, Math.max(lo, x[i]))}; lo, hi not NaN, lo <= hi. */
    void clamp(int n, float lo, float hi, float[] x, int xOff, float[] y, int yOff);

    /** {@code x[i][j] += v[j]}; v does not overlap x. */
    void addRowVector(int rows, int cols, float[] v, int vOff, float[] x, int xOff, int ldx);

    /** {@code out[j] = (accumulate ? out[j] : 0) + x[0][j] + x[1][j] + ...}, added in row order. */
    void columnSums(int rows, int cols, float[] x, int xOff, int ldx, float[] out, int outOff, boolean accumulate);

    /** The lowest index of the largest element by {@link Float#compare}; {@code n >= 1}. */
    int argmax(int n, float[] x, int xOff);

    /** {@code out[i] = argmax(cols, x, xOff + i * ldx)}; {@code cols >= 1}. */
    void rowArgmax(int rows, int cols, float[] x, int xOff, int ldx, int[] out, int outOff);
}
