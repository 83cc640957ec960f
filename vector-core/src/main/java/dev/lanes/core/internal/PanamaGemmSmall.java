package dev.lanes.core.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * sgemm for a few rows of C ({@code m <= }{@link #MAX_ROWS}), unpacked: with so few rows each element
 * of B is used {@code m} times, so copying B into packed slivers costs as much as the multiply and
 * the call is bound by reading B once. Used by {@link PanamaGemm}.
 *
 * <ul>
 * <li>B not transposed: each row of C is {@code sum_p op(A)(i,p) * B[p][:]}, the partial sums of the
 *     task's columns kept in L1 while B streams through once, row by row.</li>
 * <li>B transposed: each element is a dot product of two contiguous rows (op(A) rows copied first
 *     when A is transposed), {@link #DOTS} rows of B at a time so every A vector is reused.</li>
 * </ul>
 * The columns are cut into tasks of {@link #TASK_COLUMNS} (from the size only), each element is
 * summed by one task in a fixed order, so the result is bitwise independent of the thread count.
 * Summation order differs from the packed path (vector lanes, then a lane reduction, for B
 * transposed); both are float sums of the same products within the tolerance of GemmKernel.
 */
final class PanamaGemmSmall {

    /**
     * Rows of C up to which this path runs. Measured (1 thread, best thread CPU time, n = 4096,
     * k = 784, loaded machine): NN m = 1, 2, 4: 0.82, 0.88, 1.26 ms against 2.1-2.3 ms packed;
     * NT: 0.24, 0.46, 0.78 ms against 2.3-2.4 ms. The NN cost grows by ~0.2 ms a row and the
     * packed cost is flat, so they meet near m = 8; the NT dot products would still win there.
     */
    static final int MAX_ROWS = 4;
    /** Rows of B per dot-product step (B transposed). */
    private static final int DOTS = 4;
    /** Columns of C per task; a multiple of L and of DOTS. */
    static final int TASK_COLUMNS = 512;

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private static final ThreadLocal<Call> CALLS = ThreadLocal.withInitial(Call::new);
    /** Partial sums of MAX_ROWS rows of one task, per thread (8 KiB: stays in L1). */
    private static final ThreadLocal<float[]> ACC = ThreadLocal.withInitial(() -> new float[MAX_ROWS * TASK_COLUMNS]);
    /**
     * The lanes of one dot product, per thread. reduceLanes(ADD) leaves the order of the lane sum open, and
     * the interpreter, C1 and C2 do differ: a result then depended on whether the loop had been compiled yet
     * (caught by the alpha-scaling property). The lanes are summed in index order instead.
     */
    private static final ThreadLocal<float[]> LANES = ThreadLocal.withInitial(() -> new float[L]);

    private PanamaGemmSmall() {
    }

    static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc) {
        assert m >= 1 && m <= MAX_ROWS && n >= 1 && k >= 1;
        Call call = CALLS.get();
        call.transB = transB;
        call.m = m;
        call.n = n;
        call.k = k;
        call.alpha = alpha;
        call.beta = beta;
        call.b = b;
        call.bOff = bOff;
        call.ldb = ldb;
        call.c = c;
        call.cOff = cOff;
        call.ldc = ldc;
        if (transB) {
            // Rows of op(A), contiguous.
            if (transA) {
                if (call.rows.length < m * k) {
                    call.rows = new float[m * k];
                }
                for (int p = 0; p < k; p++) {
                    for (int i = 0; i < m; i++) {
                        call.rows[i * k + p] = a[aOff + p * lda + i];
                    }
                }
                call.a = call.rows;
                call.aOff = 0;
                call.lda = k;
                call.step = 1;
            } else {
                call.a = a;
                call.aOff = aOff;
                call.lda = lda;
                call.step = 1;
            }
        } else {
            // op(A)(i, p) = a[aOff + i*rowStep + p*step].
            call.a = a;
            call.aOff = aOff;
            call.lda = transA ? 1 : lda;
            call.step = transA ? lda : 1;
        }
        try {
            Parallel.run((n + TASK_COLUMNS - 1) / TASK_COLUMNS, call.task);
        } finally {
            call.a = null;
            call.b = null;
            call.c = null;
        }
    }

    /** One caller thread's call; {@code lda} here is the stride between rows of op(A), {@code step} between its columns. */
    private static final class Call {
        boolean transB;
        int m;
        int n;
        int k;
        float alpha;
        float beta;
        float[] a;
        int aOff;
        int lda;
        int step;
        float[] b;
        int bOff;
        int ldb;
        float[] c;
        int cOff;
        int ldc;
        float[] rows = new float[0];
        final Parallel.Task task = this::columns;

        private void columns(int t) {
            int j0 = t * TASK_COLUMNS;
            int j1 = Math.min(n, j0 + TASK_COLUMNS);
            if (transB) {
                for (int i = 0; i < m; i++) {
                    dots(i, j0, j1);
                }
            } else {
                rows(j0, j1);
            }
        }

        /**
         * C[0..m)[j0..j1) as {@code acc[i][:] += op(A)(i,p) * B[p][:]} for p in order, the m rows of
         * partial sums in an L1 scratch: B is read once, along its rows (m = 1: 0.82 ms against
         * 1.2 ms for register strips that walked B down a column of 4 vectors at a time).
         */
        private void rows(int j0, int j1) {
            float[] acc = ACC.get();
            int w = j1 - j0;
            int vw = (w + L - 1) / L * L;
            java.util.Arrays.fill(acc, 0, m * TASK_COLUMNS, 0f);
            int full = S.loopBound(w);
            // Rows past m repeat row m-1 (read, never stored), so the loop has no case per m.
            int a0 = aOff;
            int a1 = aOff + Math.min(1, m - 1) * lda;
            int a2 = aOff + Math.min(2, m - 1) * lda;
            int a3 = aOff + Math.min(3, m - 1) * lda;
            for (int p = 0; p < k; p++) {
                int row = bOff + p * ldb + j0;
                int q = p * step;
                FloatVector x0 = FloatVector.broadcast(S, a[a0 + q]);
                FloatVector x1 = FloatVector.broadcast(S, a[a1 + q]);
                FloatVector x2 = FloatVector.broadcast(S, a[a2 + q]);
                FloatVector x3 = FloatVector.broadcast(S, a[a3 + q]);
                for (int v = 0; v < full; v += L) {
                    FloatVector y = FloatVector.fromArray(S, b, row + v);
                    x0.fma(y, FloatVector.fromArray(S, acc, v)).intoArray(acc, v);
                    if (m > 1) {
                        x1.fma(y, FloatVector.fromArray(S, acc, TASK_COLUMNS + v)).intoArray(acc, TASK_COLUMNS + v);
                        if (m > 2) {
                            x2.fma(y, FloatVector.fromArray(S, acc, 2 * TASK_COLUMNS + v)).intoArray(acc, 2 * TASK_COLUMNS + v);
                            if (m > 3) {
                                x3.fma(y, FloatVector.fromArray(S, acc, 3 * TASK_COLUMNS + v)).intoArray(acc, 3 * TASK_COLUMNS + v);
                            }
                        }
                    }
                }
                if (full < w) {
                    FloatVector y = FloatVector.fromArray(S, b, row + full, S.indexInRange(full, w));
                    for (int i = 0; i < m; i++) {
                        FloatVector x = i == 0 ? x0 : i == 1 ? x1 : i == 2 ? x2 : x3;
                        int at = i * TASK_COLUMNS + full;
                        x.fma(y, FloatVector.fromArray(S, acc, at)).intoArray(acc, at);
                    }
                }
            }
            for (int i = 0; i < m; i++) {
                int ci = cOff + i * ldc + j0;
                for (int v = 0; v < vw; v += L) {
                    store(FloatVector.fromArray(S, acc, i * TASK_COLUMNS + v), ci + v, S.indexInRange(v, w));
                }
            }
        }

        /** C[i][j0..j1) as dot products of op(A) row i with DOTS rows of B at a time. */
        private void dots(int i, int j0, int j1) {
            int ai = aOff + i * lda;
            int ci = cOff + i * ldc;
            int bound = S.loopBound(k);
            float[] lanes = LANES.get();
            int j = j0;
            for (; j + DOTS <= j1; j += DOTS) {
                int b0 = bOff + j * ldb;
                FloatVector s0 = FloatVector.zero(S);
                FloatVector s1 = s0;
                FloatVector s2 = s0;
                FloatVector s3 = s0;
                int p = 0;
                for (; p < bound; p += L) {
                    FloatVector x = FloatVector.fromArray(S, a, ai + p);
                    s0 = x.fma(FloatVector.fromArray(S, b, b0 + p), s0);
                    s1 = x.fma(FloatVector.fromArray(S, b, b0 + ldb + p), s1);
                    s2 = x.fma(FloatVector.fromArray(S, b, b0 + 2 * ldb + p), s2);
                    s3 = x.fma(FloatVector.fromArray(S, b, b0 + 3 * ldb + p), s3);
                }
                if (p < k) {
                    VectorMask<Float> in = S.indexInRange(p, k);
                    FloatVector x = FloatVector.fromArray(S, a, ai + p, in);
                    s0 = x.fma(FloatVector.fromArray(S, b, b0 + p, in), s0);
                    s1 = x.fma(FloatVector.fromArray(S, b, b0 + ldb + p, in), s1);
                    s2 = x.fma(FloatVector.fromArray(S, b, b0 + 2 * ldb + p, in), s2);
                    s3 = x.fma(FloatVector.fromArray(S, b, b0 + 3 * ldb + p, in), s3);
                }
                s0.intoArray(lanes, 0);
                put(ci + j, inOrder(lanes));
                s1.intoArray(lanes, 0);
                put(ci + j + 1, inOrder(lanes));
                s2.intoArray(lanes, 0);
                put(ci + j + 2, inOrder(lanes));
                s3.intoArray(lanes, 0);
                put(ci + j + 3, inOrder(lanes));
            }
            for (; j < j1; j++) {
                int b0 = bOff + j * ldb;
                FloatVector s0 = FloatVector.zero(S);
                int p = 0;
                for (; p < bound; p += L) {
                    s0 = FloatVector.fromArray(S, a, ai + p).fma(FloatVector.fromArray(S, b, b0 + p), s0);
                }
                if (p < k) {
                    VectorMask<Float> in = S.indexInRange(p, k);
                    s0 = FloatVector.fromArray(S, a, ai + p, in).fma(FloatVector.fromArray(S, b, b0 + p, in), s0);
                }
                s0.intoArray(lanes, 0);
                put(ci + j, inOrder(lanes));
            }
        }

        /** {@code C := alpha*sum + beta*C} on the masked lanes, as the micro-kernel does; C unread when beta == 0. */
        private void store(FloatVector sum, int at, VectorMask<Float> in) {
            FloatVector v = sum.mul(alpha);
            if (beta != 0) {
                v = FloatVector.fromArray(S, c, at, in).fma(FloatVector.broadcast(S, beta), v);
            }
            v.intoArray(c, at, in);
        }

        private static float inOrder(float[] lanes) {
            float sum = 0f;
            for (int l = 0; l < L; l++) {
                sum += lanes[l];
            }
            return sum;
        }

        private void put(int at, float sum) {
            float v = alpha * sum;
            c[at] = beta == 0 ? v : Math.fma(beta, c[at], v);
        }
    }
}
