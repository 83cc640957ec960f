package dev.lanes.core.internal;

/**
 * Block sizes of the packed sgemm (after BLIS), in one place.
 *
 * <p>The micro-kernel computes an {@code mr x nr} tile of C over a depth of at most {@code kc}. A
 * thread walks one {@code mr x kc} A sliver (kept in L1) across the B slivers of a {@code kc x nb}
 * part of the packed B panel (kept in L2), so C is written row band by row band, along its rows,
 * which the hardware prefetchers follow. The whole {@code kc x nc} B panel sits in L3. A task is
 * {@code mc} rows by one B part.
 *
 * @param mr rows of the register tile
 * @param nr columns of the register tile (a multiple of the vector length)
 * @param kc depth of a block (the k loop is cut into equal blocks of at most kc)
 * @param nb columns of the B part one task walks (a multiple of nr)
 * @param nc columns of a packed B panel (a multiple of nr)
 * @param mc rows of one task (a multiple of mr)
 */
record GemmBlocking(int mr, int nr, int kc, int nb, int nc, int mc) {

    /** L1d per core on the target (AMD Zen 4/5 class: 32-48 KiB). */
    static final int L1_BYTES = 48 << 10;
    /** L2 per core. */
    static final int L2_BYTES = 1 << 20;
    /** The share of L3 a packed B panel may take. */
    static final int L3_BYTES = 16 << 20;
    /** Rows per task: enough tasks to balance two or more threads, few enough to keep each cheap. */
    static final int TASK_ROWS = 192;

    GemmBlocking {
        assert mr >= 1 && nr >= 1 && kc >= 1 && nb % nr == 0 && nc % nr == 0 && mc % mr == 0;
    }

    /**
     * Sizes for an {@code mr x nr} register tile: the A sliver takes half of L1 (B streams past it);
     * the B part twice the L2 (measured on 1024^3 and 256x4096x784, 1 thread: nb of 256, 512, 1024
     * columns gave 93, 94, 98 GFLOP/s; the prefetchers keep the B stream ahead); the B panel
     * {@link #L3_BYTES}. For the 12 x 32 tile of 512-bit vectors that is kc = 512, nb = 1024,
     * nc = 8192. Fewer float lanes give a narrower tile and so wider parts in the same bytes.
     */
    static GemmBlocking forTile(int mr, int nr) {
        int kc = Math.max(16, (L1_BYTES / 2) / (mr * Float.BYTES) / 16 * 16);
        int nb = Math.max(nr, 2 * L2_BYTES / (kc * Float.BYTES) / nr * nr);
        int nc = Math.max(nb, L3_BYTES / (kc * Float.BYTES) / nr * nr);
        int mc = Math.max(mr, TASK_ROWS / mr * mr);
        return new GemmBlocking(mr, nr, kc, nb, nc, mc);
    }

    /** Number of equal blocks of at most {@code max} covering {@code n}. */
    static int blocks(int n, int max) {
        return (n + max - 1) / max;
    }

    /** Step of {@code blocks(n, max)} equal blocks, rounded up to a multiple of {@code unit}. */
    static int step(int n, int max, int unit) {
        int per = (n + blocks(n, max) - 1) / blocks(n, max);
        return (per + unit - 1) / unit * unit;
    }
}
