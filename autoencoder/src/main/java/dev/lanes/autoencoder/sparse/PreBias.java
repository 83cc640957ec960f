package dev.lanes.autoencoder.sparse;

import dev.lanes.autoencoder.nn.Params;
import dev.lanes.core.Blas;
import dev.lanes.core.Gemm;
import dev.lanes.core.Sparse;

/**
 * The pre-bias of {@link SparseTopK} (or its absence): as the dense model, the encoder reads
 * {@code xc = x - b_dec} ({@link #xGrad}), which is also the source of the encoder rows' gradients;
 * and the decoder bias's extra gradient term. (It used to encode {@code W x + (b_enc - W b_dec)} so
 * that x kept its zeros for a fused encoder that skipped them; the encoder is a plain sgemm now, and
 * the mat-vec {@code W b_dec} read all of W_enc once more per step for nothing.)
 */
final class PreBias {

    private final boolean on;
    private final int n;
    private final int h;
    private final Params params;
    private final int encW;
    private final int decB;
    private float[] xc;
    /** The rows the encoder reads and its rows' gradients are formed from: x, or x - b_dec with pre-bias. */
    float[] xGrad;

    PreBias(boolean on, int n, int h, Params params, int encW, int decB) {
        this.on = on;
        this.n = n;
        this.h = h;
        this.params = params;
        this.encW = encW;
        this.decB = decB;
    }

    /** Buffers for batches of {@code b} rows. */
    void allocate(int b) {
        xc = on ? new float[b * n] : null;
    }

    /** The gradient source rows of a batch of {@code b} rows of {@code input}. */
    void center(int b, float[] input) {
        xGrad = input;
        if (on) {
            float[] p = params.data();
            for (int i = 0; i < b; i++) {
                for (int c = 0; c < n; c++) {
                    xc[i * n + c] = input[i * n + c] - p[decB + c];
                }
            }
            xGrad = xc;
        }
    }

    /**
     * With pre-bias, the decoder bias also gets -sum_j s_j W_enc[j] over the active latents
     * {@code active[0..activeCount)} (s_j = {@code s[sOff + j]}: latent j's summed code gradient).
     */
    void gradient(float[] s, int sOff, float[] g, int activeCount, int[] active) {
        if (!on) {
            return;
        }
        float[] col = new float[n];
        float[] coef = new float[activeCount];
        for (int r = 0; r < activeCount; r++) {
            coef[r] = -s[sOff + active[r]];
        }
        Sparse.gatherRows(1, n, new int[] {0, activeCount}, coef, active, params.data(), encW, n, h,
                col, 0, n);
        Blas.axpy(n, 1f, col, 0, g, decB);
    }
}
