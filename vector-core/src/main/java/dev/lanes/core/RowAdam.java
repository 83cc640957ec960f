package dev.lanes.core;

import dev.lanes.core.internal.Backends;
import dev.lanes.core.internal.Parallel;
import dev.lanes.core.internal.RowAdamKernel;
import dev.lanes.core.internal.SparseKernel;

/**
 * Lazy, row-wise Adam for parameters whose gradient is non-zero on few rows per step (the weights of a
 * TopK autoencoder, stored one row per latent). Each row remembers the last step it was updated
 * ({@code last[row]}); {@link #update} first replays the steps a row missed with a zero gradient, in
 * registers, then applies the current step, so the row is read and written once per step it is touched
 * instead of once per step. The result is bit-identical to {@link Optimizers#adamStep} run every step
 * on the whole matrix (with {@code gradScale = 1}, no weight decay and the same bias corrections), and
 * {@link #flush} brings every row up to date before the parameters are read (save, evaluation).
 *
 * <p>The schedule is passed per step: {@code stepSize[s] = lr_s / (1 - beta1^s)} and
 * {@code sqrtBc2[s] = sqrt(1 - beta2^s)} in float, as {@code Optimizers.adamStep} derives them from its
 * {@code bc1} and {@code bc2}, for every step {@code s} a row may replay. Rows are split into blocks sized
 * from the problem; each row is updated by one task, so the result is bitwise independent of
 * {@link Lanes#threads()}.
 */
public final class RowAdam {

    private static final RowAdamKernel ADAM = Backends.load(RowAdamKernel.class);
    private static final SparseKernel SPARSE = Backends.load(SparseKernel.class);
    private static final ThreadLocal<float[][]> GRAD = ThreadLocal.withInitial(() -> new float[1][0]);

    private RowAdam() {
    }

    /**
     * Step {@code t} on the listed rows of the {@code last.length x n} matrices {@code p}, {@code m},
     * {@code v} (row {@code j} at {@code off + j*ld}). Row {@code rowIdx[r]}'s gradient is the combination
     * {@code g[c] = fma chain over u in [ptr[r], ptr[r+1]): fma(coef[u], src[srcOff + idx[u]*lds + c], g)}
     * from {@code +0}, {@code c < n} (as {@link Sparse#gatherRows}), so it is never stored. Each listed row
     * first replays the steps {@code last[row]+1 .. t-1} with a zero gradient, then takes step {@code t};
     * {@code last[row]} becomes {@code t}. Rows not listed are not read or written. Reads {@code ptr},
     * {@code coef}, {@code idx}, {@code src}, {@code stepSize}, {@code sqrtBc2}; reads and writes the listed
     * rows of {@code p}, {@code m}, {@code v} and their {@code last}.
     *
     * @throws IllegalArgumentException if a size is negative, {@code rowIdx} is not strictly increasing,
     *     a listed row is already at step {@code t} or later, {@code t < 1}, a leading dimension is short,
     *     {@code beta1}/{@code beta2} is outside [0, 1), {@code eps} is not finite and positive, or the
     *     schedule is shorter than {@code t + 1}
     * @throws IndexOutOfBoundsException if an array is too short or an index is out of range
     * @throws NullPointerException if an array is null
     */
    public static void update(int n, int rows, int[] rowIdx, int[] ptr, float[] coef, int[] idx,
                              float[] src, int srcOff, int lds, int srcRows,
                              float beta1, float beta2, float eps, float[] stepSize, float[] sqrtBc2, int t,
                              int[] last, float[] p, float[] m, float[] v, int off, int ld) {
        String op = "rowAdam";
        Args.nonNegative(op, "rows", rows);
        Args.nonNegative(op, "srcRows", srcRows);
        hyper(op, n, beta1, beta2, eps, stepSize, sqrtBc2, t);
        Args.notNull(op, "last", last);
        state(op, n, last.length, p, m, v, off, ld);
        rowList(op, rows, rowIdx, last, t - 1);
        Sparse.csr(op, rows, srcRows, ptr, "ptr", idx, "idx", coef, "coef");
        Args.matrix(op, "src", src, srcOff, srcRows, n, lds, "lds", "n");
        float c1 = 1f - beta1;
        float c2 = 1f - beta2;
        int per = Sparse.rowsPerTask(rows, n, rows);
        Parallel.run((rows + per - 1) / per, b -> {
            float[][] holder = GRAD.get();
            if (holder[0].length < n) {
                holder[0] = new float[n];
            }
            float[] g = holder[0];
            for (int r = b * per, e = Math.min(rows, r + per); r < e; r++) {
                int j = rowIdx[r];
                java.util.Arrays.fill(g, 0, n, 0f);
                SPARSE.combineRows(n, ptr[r + 1] - ptr[r], coef, ptr[r], idx, ptr[r], src, srcOff, lds, g, 0);
                ADAM.update(n, last[j] + 1, t, beta1, c1, beta2, c2, eps, stepSize, sqrtBc2, g, 0,
                        p, m, v, off + j * ld);
                last[j] = t;
            }
        });
    }

    /**
     * Brings every row {@code j < last.length} with {@code last[j] < t} to step {@code t} by replaying the
     * steps {@code last[j]+1 .. t} with a zero gradient, and sets {@code last[j] = t}. Reads and writes
     * those rows of {@code p}, {@code m}, {@code v} and {@code last}; reads the schedule.
     *
     * @throws IllegalArgumentException as {@link #update}, or if some {@code last[j]} is negative or above {@code t}
     * @throws IndexOutOfBoundsException if an array is too short
     * @throws NullPointerException if an array is null
     */
    public static void flush(int n, float beta1, float beta2, float eps, float[] stepSize, float[] sqrtBc2, int t,
                             int[] last, float[] p, float[] m, float[] v, int off, int ld) {
        String op = "rowAdamFlush";
        hyper(op, n, beta1, beta2, eps, stepSize, sqrtBc2, Math.max(t, 1));
        Args.notNull(op, "last", last);
        state(op, n, last.length, p, m, v, off, ld);
        for (int j = 0; j < last.length; j++) {
            if (last[j] < 0 || last[j] > t) {
                throw new IllegalArgumentException(op + ": row " + j + " has last=" + last[j] + ", not in [0, t=" + t + "]");
            }
        }
        float c1 = 1f - beta1;
        float c2 = 1f - beta2;
        int rows = last.length;
        int per = Sparse.rowsPerTask(rows, n, rows);
        Parallel.run((rows + per - 1) / per, b -> {
            for (int j = b * per, e = Math.min(rows, j + per); j < e; j++) {
                if (last[j] < t) {
                    ADAM.update(n, last[j] + 1, t + 1, beta1, c1, beta2, c2, eps, stepSize, sqrtBc2, null, 0,
                            p, m, v, off + j * ld);
                    last[j] = t;
                }
            }
        });
    }

    /**
     * {@link #flush} restricted to the listed rows: each row {@code rowIdx[r]} ({@code r < rows}, strictly
     * increasing) with {@code last < t} replays the steps {@code last+1 .. t} with a zero gradient and gets
     * {@code last = t}. Used before rows are read mid-training (the decoder rows a batch gathers).
     *
     * @throws IllegalArgumentException as {@link #flush}, or if {@code rowIdx} is not strictly increasing
     * @throws IndexOutOfBoundsException if an array is too short or a row index is out of range
     * @throws NullPointerException if an array is null
     */
    public static void flushRows(int n, int rows, int[] rowIdx, float beta1, float beta2, float eps, float[] stepSize,
                                 float[] sqrtBc2, int t, int[] last, float[] p, float[] m, float[] v, int off, int ld) {
        String op = "rowAdamFlushRows";
        Args.nonNegative(op, "rows", rows);
        hyper(op, n, beta1, beta2, eps, stepSize, sqrtBc2, Math.max(t, 1));
        Args.notNull(op, "last", last);
        state(op, n, last.length, p, m, v, off, ld);
        rowList(op, rows, rowIdx, last, t);
        float c1 = 1f - beta1;
        float c2 = 1f - beta2;
        int per = Sparse.rowsPerTask(rows, n, rows);
        Parallel.run((rows + per - 1) / per, b -> {
            for (int r = b * per, e = Math.min(rows, r + per); r < e; r++) {
                int j = rowIdx[r];
                if (last[j] < t) {
                    ADAM.update(n, last[j] + 1, t + 1, beta1, c1, beta2, c2, eps, stepSize, sqrtBc2, null, 0,
                            p, m, v, off + j * ld);
                    last[j] = t;
                }
            }
        });
    }

    /** rowIdx holds {@code rows} strictly increasing row numbers, each with {@code 0 <= last[row] <= maxLast}. */
    private static void rowList(String op, int rows, int[] rowIdx, int[] last, int maxLast) {
        Args.vector(op, "rowIdx", rowIdx, 0, rows);
        for (int r = 0; r < rows; r++) {
            int j = rowIdx[r];
            if (j < 0 || j >= last.length) {
                throw new IndexOutOfBoundsException(op + ": rowIdx[" + r + "]=" + j + " not in [0, " + last.length + ")");
            }
            if (r > 0 && j <= rowIdx[r - 1]) {
                throw new IllegalArgumentException(op + ": rowIdx[" + r + "]=" + j + " <= rowIdx[" + (r - 1) + "]="
                        + rowIdx[r - 1] + " (must be strictly increasing)");
            }
            if (last[j] < 0 || last[j] > maxLast) {
                throw new IllegalArgumentException(op + ": row " + j + " has last=" + last[j] + ", not in [0, "
                        + maxLast + "]");
            }
        }
    }

    private static void hyper(String op, int n, float beta1, float beta2, float eps, float[] stepSize,
                              float[] sqrtBc2, int t) {
        Args.nonNegative(op, "n", n);
        decay(op, "beta1", beta1);
        decay(op, "beta2", beta2);
        Args.inRange(op, "eps", eps, Float.MIN_VALUE, Float.MAX_VALUE);
        if (t < 1) {
            throw new IllegalArgumentException(op + ": t=" + t + " < 1");
        }
        Args.notNull(op, "stepSize", stepSize);
        Args.notNull(op, "sqrtBc2", sqrtBc2);
        if (stepSize.length <= t || sqrtBc2.length <= t) {
            throw new IllegalArgumentException(op + ": schedule of " + Math.min(stepSize.length, sqrtBc2.length)
                    + " steps does not reach t=" + t);
        }
    }

    private static void state(String op, int n, int rows, float[] p, float[] m, float[] v, int off, int ld) {
        Args.matrix(op, "p", p, off, rows, n, ld, "ld", "n");
        Args.matrix(op, "m", m, off, rows, n, ld, "ld", "n");
        Args.matrix(op, "v", v, off, rows, n, ld, "ld", "n");
    }

    private static void decay(String op, String name, float x) {
        if (!(x >= 0f && x < 1f)) {
            throw new IllegalArgumentException(op + ": " + name + "=" + x + " not in [0, 1)");
        }
    }
}
