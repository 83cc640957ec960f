package dev.lanes.autoencoder.sparse;

import dev.lanes.autoencoder.nn.Params;
import dev.lanes.core.Blas;
import dev.lanes.core.Gemm;
import dev.lanes.core.Sparse;

/**
 * The pre-bias of {@link SparseTopK} (or its absence): the dense model encodes {@code x - b_dec}; here
 * {@code z = W (x - b_dec) + b_enc = W x + (b_enc - W b_dec)}, so x keeps its zeros for the fused encoder.
 * Holds the bias the encoder adds ({@code b_enc} itself without pre-bias), the source rows of the encoder
 * rows' gradients ({@code xc = x - b_dec}, or x), and the decoder bias's extra gradient term.
 */
final class PreBias {

    private final boolean on;
    private final int n;
    private final int h;
    private final Params params;
    private final int encW;
    private final int encB;
    private final int decB;
    private final float[] effBias;
    private float[] xc;
    /** The bias the encoder adds, at {@link #biasOff}. */
    float[] bias;
    int biasOff;
    /** The rows the encoder rows' gradients are formed from: x, or x - b_dec with pre-bias. */
    float[] xGrad;

    PreBias(boolean on, int n, int h, Params params, int encW, int encB, int decB) {
        this.on = on;
        this.n = n;
        this.h = h;
        this.params = params;
        this.encW = encW;
        this.encB = encB;
        this.decB = decB;
        this.effBias = on ? new float[h] : null;
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

    /** The bias the fused encoder adds: b_enc, or with pre-bias b_enc - W_enc b_dec (one mat-vec). */
    void encoderBias() {
        float[] p = params.data();
        if (!on) {
            bias = p;
            biasOff = encB;
            return;
        }
        Gemm.sgemm(false, true, 1, h, n, 1f, p, decB, n, p, encW, n, 0f, effBias, 0, h);
        for (int j = 0; j < h; j++) {
            effBias[j] = p[encB + j] - effBias[j];
        }
        bias = effBias;
        biasOff = 0;
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
