package dev.lanes.core;

import dev.lanes.core.internal.Backends;
import dev.lanes.core.internal.Parallel;
import dev.lanes.core.internal.SparseKernel;

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
    private static final ThreadLocal<Chunk> CHUNK = ThreadLocal.withInitial(Chunk::new);
    private static final ThreadLocal<Candidates> CANDIDATES = ThreadLocal.withInitial(Candidates::new);

    private Sparse() {
    }

    /**
     * The top {@code k} of each row of {@code Z = X W^T + bias}, without storing {@code Z}: for
     * {@code i < m}, {@code j < h}, {@code z_ij = (X W^T)_ij + bias[biasOff + j]} with the product computed
     * exactly as {@link Gemm#sgemm} computes it ({@code sgemm(false, true, m, h, n, 1, x, xOff, ldx, w, wOff,
     * ldw, 0, ...)}); {@code X} is {@code m x n} and {@code W} is {@code h x n}, row-major with leading
     * dimensions {@code ldx} and {@code ldw} (the encoder of an autoencoder, {@code W} stored
     * {@code [hidden, inputs]} as PyTorch's {@code Linear}). Writes, for each row, its {@code k} best
     * {@code z_ij} best first to {@code values[i*k + r]} and their {@code j} to {@code indices[i*k + r]},
     * exactly what {@link TopK#select} writes for that {@code Z}: larger by {@link Float#compare}, ties to
     * the lower {@code j}.
     *
     * <p>How: the latents are cut into chunks of {@value #LATENT_CHUNK}; each chunk's block of {@code Z}
     * ({@code m} by at most {@value #LATENT_CHUNK}, in a per-thread buffer that stays in L2) gets its sgemm,
     * its bias and its per-row top {@code k}, and the chunks' candidates are merged by one more top-k. The
     * pre-activation matrix is never stored whole, and each chunk of the weight is packed once for all rows.
     * An earlier version fused the product with the selection and skipped inputs that were zero in a group
     * of rows (Fashion-MNIST is half zeros); at 256 x 784 x 4096 it took 32-35 ms where this takes 21.5
     * (1 thread, same sitting), because sgemm's register tile does far more per load than a kernel that
     * has to test every input.
     *
     * <p>Reads {@code X}, {@code W}, {@code bias}; writes only those {@code m*k} elements. Bitwise
     * independent of the thread count.
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
        if (chunks == 1) {
            Chunk one = CHUNK.get();
            one.ensure(m, h);
            chunkTopK(m, h, n, x, xOff, ldx, w, wOff, ldw, bias, biasOff, k, one.z, values, indices);
            return;
        }
        // Row i's candidates: chunk c's best min(k, width_c), at columns c*k onwards, each chunk's best
        // first; a lower column is a lower latent among equal values, so the merge breaks ties as TopK does.
        int last = Math.min(k, h - (chunks - 1) * LATENT_CHUNK);
        int cand = (chunks - 1) * k + last;
        Candidates all = CANDIDATES.get();
        all.ensure(m * cand, m * k);
        float[] cv = all.val;
        int[] ci = all.idx;
        Parallel.run(chunks, c -> {
            int j0 = c * LATENT_CHUNK;
            int width = Math.min(LATENT_CHUNK, h - j0);
            int kc = Math.min(k, width);
            Chunk ch = CHUNK.get();
            ch.ensure(m, Math.min(h, LATENT_CHUNK));
            ch.ensureTop(m * kc);
            chunkTopK(m, width, n, x, xOff, ldx, w, wOff + j0 * ldw, ldw, bias, biasOff + j0, kc, ch.z, ch.val, ch.idx);
            for (int i = 0; i < m; i++) {
                int to = i * cand + c * k;
                System.arraycopy(ch.val, i * kc, cv, to, kc);
                for (int r = 0; r < kc; r++) {
                    ci[to + r] = j0 + ch.idx[i * kc + r];
                }
            }
        });
        int[] pos = all.pos;
        TopK.select(cv, 0, m, cand, cand, k, values, pos);
        for (int i = 0; i < m; i++) {
            for (int r = 0; r < k; r++) {
                indices[i * k + r] = ci[i * cand + pos[i * k + r]];
            }
        }
    }

    /** One chunk's {@code Z = X W^T + bias} ({@code m x width}, into {@code z}) and its per-row top {@code k}. */
    private static void chunkTopK(int m, int width, int n, float[] x, int xOff, int ldx, float[] w, int wOff, int ldw,
                                  float[] bias, int biasOff, int k, float[] z, float[] values, int[] indices) {
        Gemm.sgemm(false, true, m, width, n, 1f, x, xOff, ldx, w, wOff, ldw, 0f, z, 0, width);
        Blas.addRowVector(m, width, bias, biasOff, z, 0, width);
        TopK.select(z, 0, m, width, width, k, values, indices);
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

    /** Per-thread block of Z and its top-k of {@link #productTopK}, grown on demand and reused. */
    private static final class Chunk {
        float[] z = new float[0];
        float[] val = new float[0];
        int[] idx = new int[0];

        void ensure(int m, int width) {
            if (z.length < m * width) {
                z = new float[m * width];
            }
        }

        void ensureTop(int size) {
            if (val.length < size) {
                val = new float[size];
                idx = new int[size];
            }
        }
    }

    /** The calling thread's merged candidates of {@link #productTopK}, grown on demand and reused. */
    private static final class Candidates {
        float[] val = new float[0];
        int[] idx = new int[0];
        int[] pos = new int[0];

        void ensure(int size, int out) {
            if (val.length < size) {
                val = new float[size];
                idx = new int[size];
            }
            if (pos.length < out) {
                pos = new int[out];
            }
        }
    }
}
