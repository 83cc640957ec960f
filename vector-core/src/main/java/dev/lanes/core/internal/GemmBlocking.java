package dev.lanes.core.internal;

/**
 * Block sizes of the packed sgemm, after BLIS: the micro-kernel computes an {@code mr x nr} tile of C
 * over a depth of at most {@code kc}; a packed {@code kc x nr} B sliver stays in L1 while the
 * micro-kernel walks down an {@code mc x kc} packed A block held in L2; the {@code kc x nc} packed B
 * panel stays in L3 while the A blocks go by.
 *
 * @param mr rows of the register tile
 * @param nr columns of the register tile (a multiple of the vector length)
 * @param kc depth of one packed block (the k loop is cut into equal blocks of at most kc)
 * @param mc rows of a packed A block (a multiple of mr)
 * @param nc columns of a packed B panel (a multiple of nr)
 */
record GemmBlocking(int mr, int nr, int kc, int mc, int nc) {

    /** L1d per core on the target (AMD Zen 5); 32 KiB parts just see more L1 misses on B. */
    static final int L1_BYTES = 48 << 10;
    /** L2 per core. */
    static final int L2_BYTES = 1 << 20;
    /** L3 share a panel of B may take. */
    static final int L3_BYTES = 16 << 20;

    GemmBlocking {
        assert mr >= 1 && nr >= 1 && kc >= 1 && mc % mr == 0 && nc % nr == 0;
    }

    /**
     * Sizes for a register tile of {@code mr x nr} floats: a B sliver takes half of L1 (the other
     * half for the streaming A sliver and C), an A block half of L2, the B panel {@link #L3_BYTES}.
     * With 512-bit vectors (nr = 32) that is kc = 192, mc = 672; with 256-bit ones (nr = 16)
     * kc = 384, mc = 336.
     */
    static GemmBlocking forTile(int mr, int nr) {
        int kc = Math.max(16, (L1_BYTES / 2) / (nr * Float.BYTES) / 16 * 16);
        int mc = Math.max(mr, (L2_BYTES / 2) / (kc * Float.BYTES) / mr * mr);
        int nc = Math.max(nr, L3_BYTES / (kc * Float.BYTES) / nr * nr);
        return new GemmBlocking(mr, nr, kc, mc, nc);
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
