package dev.lanes.core;

import dev.lanes.core.internal.Backends;
import dev.lanes.core.internal.BlasKernel;

/**
 * BLAS-1 operations and reductions on float vectors and row-major matrices.
 *
 * <p>Every operand is an array with an offset; a matrix also has a leading dimension {@code ld >= cols}
 * (element {@code (i, j)} is {@code a[off + i * ld + j]}). Arguments are validated before anything is
 * written: a negative size, an operand that does not fit its array, {@code ld < cols} or a null array
 * throws {@link IllegalArgumentException}, {@link IndexOutOfBoundsException} or
 * {@link NullPointerException}, with a message naming the operation, the operand and the values.
 * An output may be the very same region as an input where a method says so; an output that partly
 * overlaps an input is rejected with {@link IllegalArgumentException}.
 *
 * <p><b>Exactness.</b> The elementwise methods ({@code axpy}, {@code scale}, {@code mul}, {@code add},
 * {@code sub}, {@code clamp}, {@code addRowVector}), {@code columnSums}, {@code argmax} and
 * {@code rowArgmax} give the same bits on every implementation (NaN payloads aside): each element sees
 * the same IEEE operations in the same order as the plain loop written in its javadoc. {@code axpy} is
 * a multiply then an add, not a fused multiply-add.
 *
 * <p><b>Reductions.</b> {@code dot}, {@code sum} and {@code sumOfSquares} are computed in float. The
 * scalar reference adds in index order; the SIMD implementation adds into {@code 4 x lanes} partial
 * sums (with fused multiply-adds for products) and combines them in a fixed order. So both are
 * deterministic, but they differ by rounding: each is within {@code 1.01 * n_eff * 2^-24 * sum|t_i|}
 * (plus {@code n * Float.MIN_VALUE} for products that underflow) of the exact sum of the terms
 * {@code t_i}, with {@code n_eff = n} for the scalar reference and for SIMD below {@code lanes}
 * elements (where it runs the scalar loop), and {@code n_eff = ceil(n / (4 * lanes)) + 5 + log2(lanes)}
 * for SIMD from {@code lanes} elements on. Sums that overflow may differ
 * (one may be infinite where the other is finite, or the other infinity).
 *
 * <p><b>Threads.</b> Every method runs on the calling thread only; results are bitwise independent of
 * the thread count ({@link Lanes#setThreads(int)}).
 *
 * <p><b>Reproducible.</b> Every sum is combined in a fixed order, its vector lanes included, so a call
 * gives the same bits each time on the same input, whether its code runs interpreted or compiled
 * (tested in a fresh JVM over 20,000 calls: ReproducibilityTest).
 */
public final class Blas {

    private static final BlasKernel IMPL = Backends.load(BlasKernel.class);

    private Blas() {
    }

    /**
     * {@code y[yOff + i] += alpha * x[xOff + i]} for {@code i < n}, as a rounded multiply then a rounded
     * add. Reads x and y, writes y. y may be the same region as x (then it is scaled by {@code 1 + alpha}
     * element by element).
     */
    public static void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        String op = "axpy";
        Args.vector(op, "x", x, xOff, n);
        Args.vector(op, "y", y, yOff, n);
        Args.sameOrDisjoint(op, "y", y, yOff, "x", x, xOff, n);
        IMPL.axpy(n, alpha, x, xOff, y, yOff);
    }

    /** {@code x[xOff + i] *= alpha} for {@code i < n}. Reads and writes x. */
    public static void scale(int n, float alpha, float[] x, int xOff) {
        Args.vector("scale", "x", x, xOff, n);
        IMPL.scale(n, alpha, x, xOff);
    }

    /**
     * The dot product {@code sum x[xOff + i] * y[yOff + i]} over {@code i < n}, in float, {@code +0.0}
     * for {@code n = 0}. Reads x and y. Rounding: see the class comment.
     */
    public static float dot(int n, float[] x, int xOff, float[] y, int yOff) {
        Args.vector("dot", "x", x, xOff, n);
        Args.vector("dot", "y", y, yOff, n);
        return IMPL.dot(n, x, xOff, y, yOff);
    }

    /** {@code sum x[xOff + i]} over {@code i < n}, {@code +0.0} for {@code n = 0}. Rounding: see the class comment. */
    public static float sum(int n, float[] x, int xOff) {
        Args.vector("sum", "x", x, xOff, n);
        return IMPL.sum(n, x, xOff);
    }

    /**
     * {@code sum x[xOff + i]^2} over {@code i < n}, {@code +0.0} for {@code n = 0}. Rounding: see the
     * class comment.
     */
    public static float sumOfSquares(int n, float[] x, int xOff) {
        Args.vector("sumOfSquares", "x", x, xOff, n);
        return IMPL.sumOfSquares(n, x, xOff);
    }

    /**
     * Elementwise product {@code z[zOff + i] = x[xOff + i] * y[yOff + i]} for {@code i < n}. Reads x and
     * y, writes z; z may be the same region as x or y.
     */
    public static void mul(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
        binary("mul", n, x, xOff, y, yOff, z, zOff);
        IMPL.mul(n, x, xOff, y, yOff, z, zOff);
    }

    /**
     * Elementwise sum {@code z[zOff + i] = x[xOff + i] + y[yOff + i]} for {@code i < n}. Reads x and y,
     * writes z; z may be the same region as x or y.
     */
    public static void add(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
        binary("add", n, x, xOff, y, yOff, z, zOff);
        IMPL.add(n, x, xOff, y, yOff, z, zOff);
    }

    /**
     * Elementwise difference {@code z[zOff + i] = x[xOff + i] - y[yOff + i]} for {@code i < n}. Reads x
     * and y, writes z; z may be the same region as x or y.
     */
    public static void sub(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
        binary("sub", n, x, xOff, y, yOff, z, zOff);
        IMPL.sub(n, x, xOff, y, yOff, z, zOff);
    }

    /**
     * {@code y[yOff + i] = Math.min(hi, Math.max(lo, x[xOff + i]))} for {@code i < n}: a NaN element stays
     * NaN, and {@code -0.0 < +0.0} (so {@code lo = +0.0} turns {@code -0.0} into {@code +0.0}). The bounds
     * may be infinite. Reads x, writes y; y may be the same region as x.
     *
     * @throws IllegalArgumentException if lo or hi is NaN, or {@code lo > hi}
     */
    public static void clamp(int n, float lo, float hi, float[] x, int xOff, float[] y, int yOff) {
        String op = "clamp";
        if (Float.isNaN(lo) || Float.isNaN(hi)) {
            throw new IllegalArgumentException(op + ": bounds must not be NaN, lo=" + lo + ", hi=" + hi);
        }
        if (lo > hi) {
            throw new IllegalArgumentException(op + ": lo=" + lo + " > hi=" + hi);
        }
        Args.vector(op, "x", x, xOff, n);
        Args.vector(op, "y", y, yOff, n);
        Args.sameOrDisjoint(op, "y", y, yOff, "x", x, xOff, n);
        IMPL.clamp(n, lo, hi, x, xOff, y, yOff);
    }

    /**
     * Adds a row vector to every row: {@code x[i][j] += v[vOff + j]} for {@code i < rows, j < cols}
     * (a bias). Reads v and x, writes x. v must not overlap the rows of x.
     */
    public static void addRowVector(int rows, int cols, float[] v, int vOff, float[] x, int xOff, int ldx) {
        String op = "addRowVector";
        Args.matrix(op, "x", x, xOff, rows, cols, ldx, "ldx", "cols");
        Args.vector(op, "v", v, vOff, cols);
        disjointFromMatrix(op, "v", v, vOff, cols, x, xOff, rows, ldx);
        IMPL.addRowVector(rows, cols, v, vOff, x, xOff, ldx);
    }

    /**
     * Column sums (a bias gradient): {@code out[outOff + j] = s + x[0][j] + x[1][j] + ... + x[rows-1][j]}
     * for {@code j < cols}, added left to right, where {@code s} is the old {@code out[outOff + j]} if
     * {@code accumulate}, else {@code +0.0}. Reads x (and out if accumulating), writes out. The rows are
     * added in order on every implementation, so the result is bit-exact with the plain loop. out must
     * not overlap the rows of x.
     */
    public static void columnSums(int rows, int cols, float[] x, int xOff, int ldx, float[] out, int outOff,
                                  boolean accumulate) {
        String op = "columnSums";
        Args.matrix(op, "x", x, xOff, rows, cols, ldx, "ldx", "cols");
        Args.vector(op, "out", out, outOff, cols);
        disjointFromMatrix(op, "out", out, outOff, cols, x, xOff, rows, ldx);
        IMPL.columnSums(rows, cols, x, xOff, ldx, out, outOff, accumulate);
    }

    /**
     * The index {@code i} in {@code [0, n)} of the largest {@code x[xOff + i]} in the total order of
     * {@link Float#compare}: {@code -0.0 < +0.0}, NaN above {@code +Infinity}, all NaNs equal. Ties go to
     * the lowest index, so the result is the first NaN if there is one. Reads x.
     *
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public static int argmax(int n, float[] x, int xOff) {
        String op = "argmax";
        if (n < 1) {
            throw new IllegalArgumentException(op + ": n=" + n + " < 1");
        }
        Args.vector(op, "x", x, xOff, n);
        return IMPL.argmax(n, x, xOff);
    }

    /**
     * For each row {@code i < rows}, {@code out[outOff + i]} = the column index in {@code [0, cols)} of
     * the largest element of row i, as {@link #argmax}. Reads x, writes out.
     *
     * @throws IllegalArgumentException if {@code cols < 1}
     */
    public static void rowArgmax(int rows, int cols, float[] x, int xOff, int ldx, int[] out, int outOff) {
        String op = "rowArgmax";
        if (cols < 1) {
            throw new IllegalArgumentException(op + ": cols=" + cols + " < 1");
        }
        Args.matrix(op, "x", x, xOff, rows, cols, ldx, "ldx", "cols");
        Args.vector(op, "out", out, outOff, rows);
        IMPL.rowArgmax(rows, cols, x, xOff, ldx, out, outOff);
    }

    private static void binary(String op, int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
        Args.vector(op, "x", x, xOff, n);
        Args.vector(op, "y", y, yOff, n);
        Args.vector(op, "z", z, zOff, n);
        Args.sameOrDisjoint(op, "z", z, zOff, "x", x, xOff, n);
        Args.sameOrDisjoint(op, "z", z, zOff, "y", y, yOff, n);
    }

    /** The vector {@code v[vOff, vOff + n)} shares no element with the rows of the matrix x (gaps are fine). */
    private static void disjointFromMatrix(String op, String vName, float[] v, int vOff, int n,
                                           float[] x, int xOff, int rows, int ldx) {
        if (v != x || n == 0 || rows == 0) {
            return;
        }
        long rel = (long) vOff - xOff;
        // rows are [i*ldx, i*ldx + n) relative to xOff and ldx >= n, so at most two can meet v
        long first = Math.max(0, Math.floorDiv(rel - n, (long) ldx));
        for (long i = first; i < rows && i * ldx < rel + n; i++) {
            if (i * ldx + n > rel) {
                throw new IllegalArgumentException(op + ": " + vName + " [" + vOff + ", " + (vOff + n)
                        + ") overlaps row " + i + " of x [" + (xOff + i * ldx) + ", " + (xOff + i * ldx + n) + ")");
            }
        }
    }
}
