package dev.lanes.core;

import dev.lanes.core.internal.Backends;
import dev.lanes.core.internal.Parallel;
import dev.lanes.core.internal.SparseKernel;
import dev.lanes.core.internal.TopKHeap;

/**
 * Products with a sparse operand, the kernels of a sparse-aware TopK autoencoder: an input with many
 * zeros times the encoder weight fused with the bias and a per-row top-k ({@link #productTopK}), and
 * sums and dot products over selected rows of a dense matrix ({@link #gatherRows}, {@link #dotGather}).
 *
 * <p>The gathers take index lists in CSR form: {@code ptr} ({@code rows + 1} non-decreasing offsets from
 * 0) and the parallel arrays {@code idx} (and {@code coef}): row {@code r}'s entries are {@code t} in
 * {@code [ptr[r], ptr[r+1])}.
 *
 * <p>Threads: the work is split into blocks sized from the problem, never from the thread count, and every
 * output element is computed by one task in a fixed order, so all results are bitwise independent of
 * {@link Lanes#threads()}.
 */
public final class Sparse {

    private static final SparseKernel IMPL = Backends.load(SparseKernel.class);
    /** Latents per parallel task of {@link #productTopK}; each task keeps its own top-k candidates. */
    private static final int LATENT_CHUNK = 1024;
    /** Output rows per parallel task of the gathers, at least. */
    private static final int ROW_BLOCK = 16;
    /** Multiply-adds per parallel task, at least: below that, handing the task to a thread costs more. */
    private static final long TASK_WORK = 1 << 15;
    private static final ThreadLocal<Heaps> HEAPS = ThreadLocal.withInitial(Heaps::new);

    private Sparse() {
    }

    /**
     * The top {@code k} of each row of {@code Z = X W^T + bias}, without storing {@code Z}:
     * <pre>
     * acc = +0; for p in 0 .. n-1: acc = fma(x[xOff + i*ldx + p], w[wOff + j*ldw + p], acc)
     * z_ij = acc + bias[biasOff + j]
     * </pre>
     * for {@code i < m}, {@code j < h}; {@code X} is {@code m x n} and {@code W} is {@code h x n}, row-major
     * with leading dimensions {@code ldx} and {@code ldw} (the encoder of an autoencoder, {@code W} stored
     * {@code [hidden, inputs]} as PyTorch's {@code Linear}). Writes, for each row, its {@code k} best
     * {@code z_ij} best first to {@code values[i*k + r]} and their {@code j} to {@code indices[i*k + r]},
     * in the order of {@link TopK}: larger by {@link Float#compare}, ties to the lower {@code j}.
     *
     * <p>Built for inputs with many exact zeros (images): the SIMD kernel skips an input that is zero in
     * a group of rows, which, for a finite {@code W}, changes nothing but possibly the sign of a zero
     * {@code z}. Reads {@code X}, {@code W}, {@code bias}; writes only those {@code m*k} elements.
     * Bitwise independent of the thread count; bit-identical between the implementations for a finite
     * {@code W} (zero signs aside).
     *
     * @throws IllegalArgumentException if a size is negative, {@code k} is not in {@code [1, h]} (with
     *     {@code m > 0}), or a leading dimension is below {@code max(1, n)}
     * @throws IndexOutOfBoundsException if an array is too short
     * @throws NullPointerException if an array is null
     */
    public static void productTopK(int m, int h, int n, float[] x, int xOff, int ldx,
                                   float[] w, int wOff, int ldw, float[] bias, int biasOff, int k,
                                   float[] values, int[] indices) {
        String op = "productTopK";
        Args.nonNegative(op, "m", m);
        Args.nonNegative(op, "h", h);
        Args.nonNegative(op, "n", n);
        Args.matrix(op, "x", x, xOff, m, n, ldx, "ldx", "n");
        Args.matrix(op, "w", w, wOff, h, n, ldw, "ldw", "n");
        Args.vector(op, "bias", bias, biasOff, h);
        if (m > 0 && (k < 1 || k > h)) {
            throw new IllegalArgumentException(op + ": k=" + k + " not in [1, h=" + h + "]");
        }
        Args.vector(op, "values", values, 0, m * Math.max(k, 0));
        Args.vector(op, "indices", indices, 0, m * Math.max(k, 0));
        if (m == 0) {
            return;
        }
        int chunks = (h + LATENT_CHUNK - 1) / LATENT_CHUNK;
        int per = m * k;
        Heaps heaps = HEAPS.get();
        heaps.ensure(chunks * per, m);
        float[] hv = heaps.val;
        int[] hi = heaps.idx;
        int[] order = heaps.order;
        rowOrder(m, n, x, xOff, ldx, heaps.keys, order);
        Parallel.run(chunks, c -> {
            int j0 = c * LATENT_CHUNK;
            TopKHeap.clear(hv, hi, c * per, per);
            IMPL.productTopK(m, n, j0, Math.min(h, j0 + LATENT_CHUNK), x, xOff, ldx, order, w, wOff, ldw,
                    bias, biasOff, k, hv, hi, c * per);
        });
        for (int i = 0; i < m; i++) {
            int o = i * k;
            TopKHeap.clear(values, indices, o, k);
            for (int c = 0; c < chunks; c++) {
                int src = c * per + o;
                for (int r = 0; r < k; r++) {
                    if (hi[src + r] != TopKHeap.EMPTY) {
                        TopKHeap.offer(values, indices, o, k, hv[src + r], hi[src + r]);
                    }
                }
            }
            TopKHeap.sortBestFirst(values, indices, o, k);
        }
    }

    /**
     * For each output row {@code r < rows}, in order of the list entries {@code t} in
     * {@code [ptr[r], ptr[r+1])}:
     * {@code out[outOff + r*ldo + c] = fma(coef[t], src[srcOff + idx[t]*lds + c], out[outOff + r*ldo + c])},
     * {@code c < n}. So {@code out} accumulates a sparse combination of the {@code srcRows x n} matrix's rows
     * (the decoder forward of a TopK autoencoder, or a weight gradient grouped by latent). Reads
     * {@code ptr}, {@code coef}, {@code idx}, {@code src}; reads and writes the {@code rows x n} block of
     * {@code out}, which must not overlap {@code src}. Bit-identical between implementations and thread
     * counts.
     *
     * @throws IllegalArgumentException if a size is negative, a leading dimension is below
     *     {@code max(1, n)}, {@code ptr} is not non-decreasing from 0, or {@code out} overlaps {@code src}
     * @throws IndexOutOfBoundsException if an array is too short or an index is not in {@code [0, srcRows)}
     * @throws NullPointerException if an array is null
     */
    public static void gatherRows(int rows, int n, int[] ptr, float[] coef, int[] idx,
                                  float[] src, int srcOff, int lds, int srcRows, float[] out, int outOff, int ldo) {
        String op = "gatherRows";
        Args.nonNegative(op, "rows", rows);
        Args.nonNegative(op, "n", n);
        Args.nonNegative(op, "srcRows", srcRows);
        csr(op, rows, srcRows, ptr, "ptr", idx, "idx", coef, "coef");
        Args.matrix(op, "src", src, srcOff, srcRows, n, lds, "lds", "n");
        Args.matrix(op, "out", out, outOff, rows, n, ldo, "ldo", "n");
        Args.disjoint(op, "out", out, outOff, Args.span(rows, n, ldo), "src", src, srcOff, Args.span(srcRows, n, lds));
        int per = rowsPerTask(rows, n, ptr[rows]);
        Parallel.run((rows + per - 1) / per, b -> {
            for (int r = b * per, e = Math.min(rows, r + per); r < e; r++) {
                IMPL.combineRows(n, ptr[r + 1] - ptr[r], coef, ptr[r], idx, ptr[r], src, srcOff, lds,
                        out, outOff + r * ldo);
            }
        });
    }

    /**
     * For each row {@code r < rows} of {@code x} and each list entry {@code t} in {@code [ptr[r], ptr[r+1])}:
     * {@code out[t] = sum_c x[xOff + r*ldx + c] * src[srcOff + idx[t]*lds + c]}, {@code c < n}: the dot
     * products of each row with its selected rows of {@code src} (the code gradient of a TopK decoder).
     * Reads {@code x}, {@code ptr}, {@code idx}, {@code src}; writes {@code out[ptr[0] .. ptr[rows])}. The
     * sum order differs between implementations (agreement to rounding); bitwise independent of the thread
     * count.
     *
     * @throws IllegalArgumentException if a size is negative, a leading dimension is below
     *     {@code max(1, n)}, or {@code ptr} is not non-decreasing from 0
     * @throws IndexOutOfBoundsException if an array is too short or an index is not in {@code [0, srcRows)}
     * @throws NullPointerException if an array is null
     */
    public static void dotGather(int rows, int n, int[] ptr, int[] idx, float[] x, int xOff, int ldx,
                                 float[] src, int srcOff, int lds, int srcRows, float[] out) {
        String op = "dotGather";
        Args.nonNegative(op, "rows", rows);
        Args.nonNegative(op, "n", n);
        Args.nonNegative(op, "srcRows", srcRows);
        csr(op, rows, srcRows, ptr, "ptr", idx, "idx", out, "out");
        Args.matrix(op, "x", x, xOff, rows, n, ldx, "ldx", "n");
        Args.matrix(op, "src", src, srcOff, srcRows, n, lds, "lds", "n");
        int per = rowsPerTask(rows, n, ptr[rows]);
        Parallel.run((rows + per - 1) / per, b -> {
            for (int r = b * per, e = Math.min(rows, r + per); r < e; r++) {
                IMPL.dotRows(n, ptr[r + 1] - ptr[r], x, xOff + r * ldx, idx, ptr[r], src, srcOff, lds, out, ptr[r]);
            }
        });
    }

    /** Rows per task from the problem size alone (never the thread count): ROW_BLOCK rows and TASK_WORK fmas at least. */
    static int rowsPerTask(int rows, int n, int entries) {
        long work = Math.max(1L, (long) entries * Math.max(1, n));
        long tasks = Math.max(1L, Math.min((rows + ROW_BLOCK - 1) / ROW_BLOCK, work / TASK_WORK));
        return (int) Math.max(1L, (rows + tasks - 1) / tasks);
    }

    /**
     * Checks a CSR structure: {@code ptr} has {@code rows + 1} non-decreasing entries from 0, {@code index}
     * and {@code values} hold {@code ptr[rows]} entries, each index in {@code [0, limit)}.
     */
    static void csr(String op, int rows, int limit, int[] ptr, String ptrName, int[] index, String indexName,
                    float[] values, String valuesName) {
        Args.vector(op, ptrName, ptr, 0, rows + 1);
        if (ptr[0] != 0) {
            throw new IllegalArgumentException(op + ": " + ptrName + "[0]=" + ptr[0] + " != 0");
        }
        for (int r = 0; r < rows; r++) {
            if (ptr[r + 1] < ptr[r]) {
                throw new IllegalArgumentException(op + ": " + ptrName + "[" + (r + 1) + "]=" + ptr[r + 1] + " < "
                        + ptrName + "[" + r + "]=" + ptr[r]);
            }
        }
        int nnz = ptr[rows];
        Args.vector(op, indexName, index, 0, nnz);
        Args.vector(op, valuesName, values, 0, nnz);
        for (int t = 0; t < nnz; t++) {
            if (index[t] < 0 || index[t] >= limit) {
                throw new IndexOutOfBoundsException(op + ": " + indexName + "[" + t + "]=" + index[t]
                        + " not in [0, " + limit + ")");
            }
        }
    }

    /**
     * Orders the rows by where their zeros are, so that the kernel's groups of rows share more all-zero
     * inputs (on Fashion-MNIST batches: 36 % of the inputs skipped per group of four instead of 21 %).
     * The key of a row has one bit per segment of {@code ceil(n/40)} consecutive inputs, set if any is
     * non-zero, first segment most significant; rows sort by key, then index. Any order gives the same
     * results; with more rows than the packing allows, rows keep their order.
     */
    private static void rowOrder(int m, int n, float[] x, int xOff, int ldx, long[] keys, int[] order) {
        if (m >= 1 << 23) {
            for (int i = 0; i < m; i++) {
                order[i] = i;
            }
            return;
        }
        int seg = Math.max(1, (n + 39) / 40);
        for (int i = 0; i < m; i++) {
            long key = 0;
            int row = xOff + i * ldx;
            for (int s0 = 0, bit = 39; s0 < n; s0 += seg, bit--) {
                for (int p = s0, e = Math.min(n, s0 + seg); p < e; p++) {
                    if (x[row + p] != 0f) {
                        key |= 1L << bit;
                        break;
                    }
                }
            }
            keys[i] = key << 23 | i;
        }
        java.util.Arrays.sort(keys, 0, m);
        for (int i = 0; i < m; i++) {
            order[i] = (int) (keys[i] & ((1 << 23) - 1));
        }
    }

    /** Per-thread candidate heaps and row order of {@link #productTopK}, grown on demand and reused. */
    private static final class Heaps {
        float[] val = new float[0];
        int[] idx = new int[0];
        long[] keys = new long[0];
        int[] order = new int[0];

        void ensure(int size, int rows) {
            if (val.length < size) {
                val = new float[size];
                idx = new int[size];
            }
            if (keys.length < rows) {
                keys = new long[rows];
                order = new int[rows];
            }
        }
    }
}
