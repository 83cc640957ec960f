package dev.lanes.autoencoder.nn;

import dev.lanes.core.Activation;
import dev.lanes.core.TopK;

/**
 * TopK activation (Makhzani and Frey 2013; Gao et al. 2024): per row, keep the {@code k} largest
 * pre-activations, zero the rest, then ReLU. {@link #auxForward} does the same among a subset of
 * latents (the dead ones) for the AuxK loss.
 */
public final class TopKLayer implements Layer {

    private final int features;
    private final int k;

    public TopKLayer(int features, int k) {
        if (k < 1 || k > features) {
            throw new IllegalArgumentException("TopK: k=" + k + " not in [1, hidden=" + features + "]");
        }
        this.features = features;
        this.k = k;
    }

    public int k() {
        return k;
    }

    @Override
    public int inputs() {
        return features;
    }

    @Override
    public int outputs() {
        return features;
    }

    // z: (batch, features)  h = relu(topk_k(z)): (batch, features), at most k non-zeros per row
    @Override
    public void forward(int batch, float[] in, float[] out, boolean training) {
        TopK.selectSparse(in, 0, batch, features, features, k, out, 0, features);
        Activation.RELU.forward(out, 0, out, 0, batch * features);
    }

    // dz = dh where h > 0 (kept and positive), else 0; dz may alias dh
    @Override
    public void backward(int batch, float[] in, float[] out, float[] dOut, float[] dIn) {
        if (dIn != null) {
            Activation.RELU.backward(in, 0, out, 0, dOut, 0, dIn, 0, batch * features);
        }
    }

    /**
     * AuxK: {@code masked} receives {@code z} with every latent {@code j} where {@code !dead[j]} set to
     * -Inf, and {@code out} the ReLU of its top {@code kAux} ({@code kAux} is clipped to the number of dead
     * latents; with none, {@code out} is all zeros).
     */
    public void auxForward(int batch, float[] z, boolean[] dead, int deadCount, int kAux, float[] masked, float[] out) {
        int n = batch * features;
        int kk = Math.min(kAux, deadCount);
        for (int r = 0; r < batch; r++) {
            int o = r * features;
            for (int j = 0; j < features; j++) {
                masked[o + j] = dead[j] ? z[o + j] : Float.NEGATIVE_INFINITY;
            }
        }
        TopK.selectSparse(masked, 0, batch, features, features, kk, out, 0, features);
        Activation.RELU.forward(out, 0, out, 0, n);
    }

    /** The set of positive kept latents of each row (the top-k choice and the ReLU signs). */
    @Override
    public long stateFingerprint(int batch, float[] in, float[] out) {
        long h = 1469598103934665603L;
        for (int i = 0; i < batch * features; i++) {
            h = (h ^ (out[i] > 0f ? 1 : 0)) * 1099511628211L;
        }
        return h;
    }
}
