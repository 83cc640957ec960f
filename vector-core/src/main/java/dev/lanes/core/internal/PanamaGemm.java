package dev.lanes.core.internal;

/**
 * Packed, cache-blocked sgemm after BLIS / GotoBLAS, around {@link PanamaGemmMicroKernel}; block sizes in
 * {@link GemmBlocking}.
 *
 * <p>Loops, outermost first: columns of C in panels of {@code nc}; depth in equal blocks of at most
 * {@code kc} (the first block applies the caller's beta, the later ones accumulate with beta = 1);
 * rows in bands of at most {@link #MB}. For each depth block the {@code kc x nc} B panel and the
 * band's {@code rows x kc} A panel are packed once, in parallel, into buffers shared by all threads.
 * The band is then cut into tasks of {@code mc} rows by {@code nb} columns (a part of the B panel);
 * a task walks each of its A slivers (L1) across the B slivers of its part (L2).
 *
 * <p>Every element of C is summed by the micro-kernel over the same depth blocks, in the same
 * order, whatever the tiling and the thread count, so the result is bitwise independent of both.
 * Buffers live in a per-caller-thread {@link Call} and grow on demand; after warm-up a call
 * allocates nothing.
 *
 * <p>Calls with at most {@link PanamaGemmSmall#MAX_ROWS} rows of C go to {@link PanamaGemmSmall}
 * instead, which does not pack (the choice depends on the shape only).
 */
final class PanamaGemm implements GemmKernel {

    static final int MR = PanamaGemmMicroKernel.MR;
    static final int NR = PanamaGemmMicroKernel.NR;
    static final GemmBlocking BLOCKING = GemmBlocking.forTile(MR, NR);
    /** Rows of A packed at once: bounds the shared A panel (MB x kc floats, a few MiB). */
    static final int MB = 2048;
    /** Slivers per packing task. */
    private static final int PACK_GROUP = 8;

    private static final ThreadLocal<Call> CALLS = ThreadLocal.withInitial(Call::new);
    private static final ThreadLocal<float[]> TILE = ThreadLocal.withInitial(() -> new float[MR * NR]);

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc) {
        assert m >= 0 && n >= 0 && k >= 0;
        if (m == 0 || n == 0) {
            return;
        }
        if (alpha == 0 || k == 0) {
            scale(m, n, beta, c, cOff, ldc);
            return;
        }
        if (m <= PanamaGemmSmall.MAX_ROWS) {
            PanamaGemmSmall.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        packed(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** The packed path for any shape ({@code m, n, k >= 1}, {@code alpha != 0}). */
    static void packed(boolean transA, boolean transB, int m, int n, int k, float alpha,
                       float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                       float beta, float[] c, int cOff, int ldc) {
        Call call = CALLS.get();
        call.set(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        try {
            call.run();
        } finally {
            call.clear();
        }
    }

    private static void scale(int m, int n, float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                c[row + j] = beta == 0 ? 0f : beta * c[row + j];
            }
        }
    }

    /** One caller thread's call: its arguments, the shared packed buffers and the parallel tasks. */
    private static final class Call {
        private boolean transA;
        private boolean transB;
        private int m;
        private int n;
        private int k;
        private float alpha;
        private float[] a;
        private int aOff;
        private int lda;
        private float[] b;
        private int bOff;
        private int ldb;
        private float beta;
        private float[] c;
        private int cOff;
        private int ldc;

        // The current depth block, column panel and row band.
        private int pc;
        private int kc;
        private int jc;
        private int nc;
        private int ib;
        private int rows;
        private float blockBeta;
        private int bTasks;
        private int aTasks;
        private int mcStep;
        private int mBlocks;
        private int partSlivers;
        private int parts;

        private float[] bp = new float[0];
        private float[] ap = new float[0];

        private final Parallel.Task pack = this::pack;
        private final Parallel.Task compute = this::compute;

        void set(boolean transA, boolean transB, int m, int n, int k, float alpha,
                 float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                 float beta, float[] c, int cOff, int ldc) {
            this.transA = transA;
            this.transB = transB;
            this.m = m;
            this.n = n;
            this.k = k;
            this.alpha = alpha;
            this.a = a;
            this.aOff = aOff;
            this.lda = lda;
            this.b = b;
            this.bOff = bOff;
            this.ldb = ldb;
            this.beta = beta;
            this.c = c;
            this.cOff = cOff;
            this.ldc = ldc;
        }

        /** Drops the references to the caller's arrays. */
        void clear() {
            a = null;
            b = null;
            c = null;
        }

        void run() {
            GemmBlocking bl = BLOCKING;
            int kcStep = GemmBlocking.step(k, bl.kc(), 1);
            int ncStep = GemmBlocking.step(n, bl.nc(), NR);
            int mbStep = GemmBlocking.step(m, MB, MR);
            int bSize = kcStep * ncStep;
            int aSize = kcStep * mbStep;
            if (bp.length < bSize) {
                bp = new float[bSize];
            }
            if (ap.length < aSize) {
                ap = new float[aSize];
            }
            for (jc = 0; jc < n; jc += ncStep) {
                nc = Math.min(ncStep, n - jc);
                int slivers = (nc + NR - 1) / NR;
                partSlivers = GemmBlocking.step(slivers, bl.nb() / NR, 1);
                parts = (slivers + partSlivers - 1) / partSlivers;
                for (pc = 0; pc < k; pc += kcStep) {
                    kc = Math.min(kcStep, k - pc);
                    blockBeta = pc == 0 ? beta : 1f;
                    for (ib = 0; ib < m; ib += mbStep) {
                        rows = Math.min(mbStep, m - ib);
                        mcStep = GemmBlocking.step(rows, bl.mc(), MR);
                        mBlocks = (rows + mcStep - 1) / mcStep;
                        bTasks = ib == 0 ? (slivers + PACK_GROUP - 1) / PACK_GROUP : 0;
                        aTasks = ((rows + MR - 1) / MR + PACK_GROUP - 1) / PACK_GROUP;
                        Parallel.run(bTasks + aTasks, pack);
                        Parallel.run(mBlocks * parts, compute);
                    }
                }
            }
        }

        private void pack(int t) {
            if (t < bTasks) {
                int slivers = (nc + NR - 1) / NR;
                PanamaGemmPacking.packB(transB, b, bOff, ldb, pc, kc, jc, nc,
                        t * PACK_GROUP, Math.min(slivers, (t + 1) * PACK_GROUP), bp);
            } else {
                int first = (t - bTasks) * PACK_GROUP * MR;
                int count = Math.min(PACK_GROUP * MR, rows - first);
                PanamaGemmPacking.packA(transA, a, aOff, lda, ib + first, count, pc, kc, ap, first * kc);
            }
        }

        /** Task {@code t}: B part {@code t / mBlocks} (so consecutive tasks share it in L2), row block {@code t % mBlocks}. */
        private void compute(int t) {
            float[] tile = TILE.get();
            int ic = (t % mBlocks) * mcStep;
            int mc = Math.min(mcStep, rows - ic);
            int s0 = (t / mBlocks) * partSlivers;
            int s1 = Math.min((nc + NR - 1) / NR, s0 + partSlivers);
            for (int ir = 0; ir < mc; ir += MR) {
                int i = ic + ir;
                int mr = Math.min(MR, mc - ir);
                int cRow = cOff + (ib + i) * ldc + jc;
                for (int s = s0; s < s1; s++) {
                    int jr = s * NR;
                    PanamaGemmMicroKernel.run(kc, ap, i * kc, bp, jr * kc, alpha, blockBeta,
                            c, cRow + jr, ldc, mr, Math.min(NR, nc - jr), tile);
                }
            }
        }
    }
}
