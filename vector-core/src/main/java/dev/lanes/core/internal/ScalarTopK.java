package dev.lanes.core.internal;

import java.util.Arrays;

/**
 * Reference top-k: a bounded binary heap of column indices per row, whose root is the worst of the
 * {@code k} kept so far. Each column either replaces the root or is dropped, so a row costs
 * {@code O(cols log k)}; a heap sort of the survivors gives them best first.
 */
final class ScalarTopK implements TopKKernel {

    /** Per-thread scratch, grown on demand, so that a call allocates nothing after warm-up. */
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        int[] heap = new int[0];
        float[] kept = new float[0];

        Scratch grow(int k) {
            if (heap.length < k) {
                heap = new int[k];
                kept = new float[k];
            }
            return this;
        }
    }

    @Override
    public void select(float[] x, int xOff, int rows, int cols, int ldx, int k,
                       float[] values, int[] indices, int outOff) {
        assert 0 <= k && k <= cols && ldx >= cols;
        if (k == 0) {
            return;
        }
        int[] heap = scratch.get().grow(k).heap;
        for (int i = 0; i < rows; i++) {
            int base = xOff + i * ldx;
            best(x, base, cols, k, heap);
            int o = outOff + i * k;
            for (int r = 0; r < k; r++) {
                indices[o + r] = heap[r];
                values[o + r] = x[base + heap[r]];
            }
        }
    }

    @Override
    public void selectSparse(float[] x, int xOff, int rows, int cols, int ldx, int k,
                             float[] y, int yOff, int ldy) {
        assert 0 <= k && k <= cols && ldx >= cols && ldy >= cols;
        Scratch s = scratch.get().grow(k);
        int[] heap = s.heap;
        float[] kept = s.kept;
        for (int i = 0; i < rows; i++) {
            int base = xOff + i * ldx;
            int yBase = yOff + i * ldy;
            best(x, base, cols, k, heap);
            // Read the kept values before zeroing: y may be x.
            for (int r = 0; r < k; r++) {
                kept[r] = x[base + heap[r]];
            }
            Arrays.fill(y, yBase, yBase + cols, 0.0f);
            for (int r = 0; r < k; r++) {
                y[yBase + heap[r]] = kept[r];
            }
        }
    }

    /** Leaves the column indices of the row's {@code k} best in {@code heap[0..k)}, best first. */
    private static void best(float[] x, int base, int cols, int k, int[] heap) {
        if (k == 0) {
            return;
        }
        for (int j = 0; j < k; j++) {
            heap[j] = j;
            up(x, base, heap, j);
        }
        for (int j = k; j < cols; j++) {
            if (better(x, base, j, heap[0])) {
                heap[0] = j;
                down(x, base, heap, k);
            }
        }
        // Heap sort: moving the worst to the end, size by size, leaves the best first.
        for (int size = k - 1; size > 0; size--) {
            int t = heap[0];
            heap[0] = heap[size];
            heap[size] = t;
            down(x, base, heap, size);
        }
    }

    /** Whether column {@code a} ranks above column {@code b}. */
    private static boolean better(float[] x, int base, int a, int b) {
        int c = Float.compare(x[base + a], x[base + b]);
        return c > 0 || (c == 0 && a < b);
    }

    private static void up(float[] x, int base, int[] heap, int pos) {
        int e = heap[pos];
        while (pos > 0) {
            int parent = (pos - 1) >>> 1;
            if (!better(x, base, heap[parent], e)) {
                break;
            }
            heap[pos] = heap[parent];
            pos = parent;
        }
        heap[pos] = e;
    }

    private static void down(float[] x, int base, int[] heap, int size) {
        int pos = 0;
        int e = heap[0];
        while (true) {
            int child = 2 * pos + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && better(x, base, heap[child], heap[child + 1])) {
                child++;
            }
            if (!better(x, base, e, heap[child])) {
                break;
            }
            heap[pos] = heap[child];
            pos = child;
        }
        heap[pos] = e;
    }
}
