package dev.lanes.autoencoder.sparse;

import java.util.Arrays;

/**
 * A batch's kept (pre-activation, latent) pairs, row by row: row {@code i} is {@code [ptr[i], ptr[i+1])},
 * best first for TopK; {@code act} is their ReLU. Per-row TopK keeps {@code ptr[i] = i k}.
 */
final class Selection {

    int[] ptr;
    float[] val;
    int[] idx;
    float[] act;

    /** Buffers for {@code b} rows of {@code k} pairs, {@code ptr[i] = i k}. */
    void allocate(int b, int k) {
        ptr = new int[b + 1];
        for (int i = 0; i <= b; i++) {
            ptr[i] = i * k;
        }
        val = new float[b * k];
        idx = new int[b * k];
        act = new float[b * k];
    }

    /** Doubles the pair buffers (a threshold selection with more than {@code k} pairs per row). */
    void grow() {
        int u = val.length;
        val = Arrays.copyOf(val, 2 * u);
        idx = Arrays.copyOf(idx, 2 * u);
        act = Arrays.copyOf(act, 2 * u);
    }
}
