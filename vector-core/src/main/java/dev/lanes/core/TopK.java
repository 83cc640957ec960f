package dev.lanes.core;

import dev.lanes.core.internal.Backends;
import dev.lanes.core.internal.Parallel;
import dev.lanes.core.internal.TopKKernel;

/**
 * Partial top-k per row of a row-major {@code rows x cols} matrix.
 *
 * <p><b>Order.</b> Values are ranked by the total order of {@link Float#compare}: {@code -0.0 < +0.0},
 * every NaN ranks above {@code +Inf}, and all NaNs are equal. So NaNs are selected first (as in
 * PyTorch's {@code topk}) and show up in the result instead of vanishing. Ties, NaNs included, go
 * to the lower column index.
 *
 * <p><b>Cost.</b> {@code O(cols)} per row, not a sort. The Panama kernel's SIMD scan compares
 * each element with a bar, and only the few elements above it (about {@code 2k} on random data)
 * are kept for a selection and a final sort of the {@code k} survivors. The bar for a row comes
 * from the row before it, on the same thread (of the same call, or of the previous call with the
 * same {@code k} and {@code cols}), set so that about {@code 2k} elements of a like row clear it, which
 * makes the scan one read of the row; if fewer than {@code k} clear it (the row is smaller than the
 * one before), the row is scanned again with a bar of its own, which takes two passes. So rows drawn
 * alike, such as one layer's activations for a batch, are the fast case, and the order of the rows
 * changes the time, never the result. Rows with many elements near the top (few distinct values,
 * long runs close to the maximum) cost more, still {@code O(cols)} amortised. The scalar reference
 * (used without the Vector API) keeps a heap of the best {@code k}: {@code O(cols log k)} at worst,
 * and several times slower.
 *
 * <p><b>Threads.</b> Large problems are split into blocks of whole rows, sized from the problem
 * (never from the thread count), and run on {@link Lanes#threads()} threads. Rows are independent,
 * so results are bitwise independent of the thread count.
 */
public final class TopK {

    private static final TopKKernel IMPL = Backends.load(TopKKernel.class);
    /** Elements per parallel block: big enough that a block outweighs handing it to a thread. */
    private static final int BLOCK_ELEMENTS = 1 << 16;
    private static final ThreadLocal<Blocks> BLOCKS = ThreadLocal.withInitial(Blocks::new);

    private TopK() {
    }

    /**
     * Writes the {@code k} largest values of each row and their column indices, best first.
     *
     * <p>Reads row {@code i} of {@code x} at {@code x[xOff + i*ldx + j]}, {@code j < cols}. Writes
     * {@code values[i*k + r]} and {@code indices[i*k + r]} for {@code i < rows}, {@code r < k}
     * (row-major {@code rows x k}, starting at index 0): the {@code r}-th best value of row {@code i}
     * and its column. Nothing else is written. Order and ties: see the class comment. The result is
     * bitwise independent of the thread count.
     *
     * @param k the number kept per row, {@code 0 <= k <= cols}; {@code 0} writes nothing
     * @throws IllegalArgumentException if a size is negative, {@code ldx < max(1, cols)} or {@code k > cols}
     * @throws IndexOutOfBoundsException if {@code x} is too short for the matrix, or {@code values}
     *     or {@code indices} has fewer than {@code rows*k} elements
     * @throws NullPointerException if an array is null
     */
    public static void select(float[] x, int xOff, int rows, int cols, int ldx, int k,
                              float[] values, int[] indices) {
        String op = "topk";
        Args.matrix(op, "x", x, xOff, rows, cols, ldx, "ldx", "cols");
        checkK(op, k, cols);
        int out = rows * k; // no overflow: k <= cols and x holds rows*cols elements
        Args.vector(op, "values", values, 0, out);
        Args.vector(op, "indices", indices, 0, out);
        if (out == 0) {
            return;
        }
        Blocks b = BLOCKS.get();
        b.set(false, x, xOff, rows, cols, ldx, k);
        b.values = values;
        b.indices = indices;
        b.run();
    }

    /**
     * Keeps the {@code k} largest values of each row and zeroes the rest:
     * {@code y[yOff + i*ldy + j] = x[xOff + i*ldx + j]} if column {@code j} is among row {@code i}'s
     * {@code k} best (same order and ties as {@link #select}), else {@code +0.0f}.
     *
     * <p>Reads {@code x}; writes the {@code rows x cols} elements of {@code y} (not the padding
     * between rows). {@code y} may be {@code x} itself with the same offset and leading dimension
     * (in place); other overlaps give unspecified results. {@code k = 0} writes all zeros. The
     * result is bitwise independent of the thread count.
     *
     * @param k the number kept per row, {@code 0 <= k <= cols}
     * @throws IllegalArgumentException if a size is negative, {@code ldx} or {@code ldy} is below
     *     {@code max(1, cols)}, or {@code k > cols}
     * @throws IndexOutOfBoundsException if {@code x} or {@code y} is too short for the matrix
     * @throws NullPointerException if an array is null
     */
    public static void selectSparse(float[] x, int xOff, int rows, int cols, int ldx, int k,
                                    float[] y, int yOff, int ldy) {
        String op = "topkSparse";
        Args.matrix(op, "x", x, xOff, rows, cols, ldx, "ldx", "cols");
        checkK(op, k, cols);
        Args.matrix(op, "y", y, yOff, rows, cols, ldy, "ldy", "cols");
        if (rows == 0 || cols == 0) {
            return;
        }
        Blocks b = BLOCKS.get();
        b.set(true, x, xOff, rows, cols, ldx, k);
        b.y = y;
        b.yOff = yOff;
        b.ldy = ldy;
        b.run();
    }

    private static void checkK(String op, int k, int cols) {
        Args.nonNegative(op, "k", k);
        if (k > cols) {
            throw new IllegalArgumentException(op + ": k=" + k + " > cols=" + cols);
        }
    }

    /** One call's arguments, split into blocks of whole rows; kept per thread to avoid allocation. */
    private static final class Blocks implements Parallel.Task {
        boolean sparse;
        float[] x;
        int xOff;
        int rows;
        int cols;
        int ldx;
        int k;
        int rowsPerBlock;
        float[] values;
        int[] indices;
        float[] y;
        int yOff;
        int ldy;

        void set(boolean sparse, float[] x, int xOff, int rows, int cols, int ldx, int k) {
            this.sparse = sparse;
            this.x = x;
            this.xOff = xOff;
            this.rows = rows;
            this.cols = cols;
            this.ldx = ldx;
            this.k = k;
            this.rowsPerBlock = Math.max(1, BLOCK_ELEMENTS / cols);
        }

        void run() {
            try {
                int blocks = (rows + rowsPerBlock - 1) / rowsPerBlock;
                if (blocks == 1) {
                    run(0);
                } else {
                    Parallel.run(blocks, this);
                }
            } finally {
                // Do not keep the caller's arrays alive.
                x = null;
                values = null;
                indices = null;
                y = null;
            }
        }

        @Override
        public void run(int block) {
            int r0 = block * rowsPerBlock;
            int n = Math.min(rowsPerBlock, rows - r0);
            if (sparse) {
                IMPL.selectSparse(x, xOff + r0 * ldx, n, cols, ldx, k, y, yOff + r0 * ldy, ldy);
            } else {
                IMPL.select(x, xOff + r0 * ldx, n, cols, ldx, k, values, indices, r0 * k);
            }
        }
    }
}
