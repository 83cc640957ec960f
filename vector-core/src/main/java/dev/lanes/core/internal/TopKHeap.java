package dev.lanes.core.internal;

/**
 * A fixed-size min-heap of {@code (value, index)} pairs over a slice of two parallel arrays, keeping the
 * {@code k} best offered pairs. "Better" is the order of {@code dev.lanes.core.TopK}: larger by
 * {@link Float#compare} ({@code -0.0 < +0.0}, NaN above {@code +Inf}), ties to the lower index. The root is
 * the worst kept pair, so a scan can skip every value below {@link #bar}. Empty slots hold a sentinel
 * {@code (-Inf, Integer.MAX_VALUE)} that every real pair beats.
 */
public final class TopKHeap {

    public static final int EMPTY = Integer.MAX_VALUE;

    private TopKHeap() {
    }

    /** Fills {@code k} slots at {@code off} with the sentinel. */
    public static void clear(float[] val, int[] idx, int off, int k) {
        for (int r = 0; r < k; r++) {
            val[off + r] = Float.NEGATIVE_INFINITY;
            idx[off + r] = EMPTY;
        }
    }

    /** A value below which nothing can enter: the root's value (a pair equal to it may still enter). */
    public static float bar(float[] val, int off) {
        return val[off];
    }

    /** True if {@code (a, ia)} ranks above {@code (b, ib)}. */
    public static boolean better(float a, int ia, float b, int ib) {
        int c = Float.compare(a, b);
        return c > 0 || (c == 0 && ia < ib);
    }

    /** Offers {@code (v, j)}: replaces the worst kept pair if {@code (v, j)} is better. */
    public static void offer(float[] val, int[] idx, int off, int k, float v, int j) {
        if (!better(v, j, val[off], idx[off])) {
            return;
        }
        int pos = 0;
        while (true) {
            int child = 2 * pos + 1;
            if (child >= k) {
                break;
            }
            if (child + 1 < k && better(val[off + child], idx[off + child], val[off + child + 1], idx[off + child + 1])) {
                child++;
            }
            if (!better(v, j, val[off + child], idx[off + child])) {
                break;
            }
            val[off + pos] = val[off + child];
            idx[off + pos] = idx[off + child];
            pos = child;
        }
        val[off + pos] = v;
        idx[off + pos] = j;
    }

    /** Sorts the {@code k} slots best first (insertion sort: {@code k} is small). */
    public static void sortBestFirst(float[] val, int[] idx, int off, int k) {
        for (int a = 1; a < k; a++) {
            float v = val[off + a];
            int j = idx[off + a];
            int b = a - 1;
            while (b >= 0 && better(v, j, val[off + b], idx[off + b])) {
                val[off + b + 1] = val[off + b];
                idx[off + b + 1] = idx[off + b];
                b--;
            }
            val[off + b + 1] = v;
            idx[off + b + 1] = j;
        }
    }
}
