package dev.lanes.autoencoder.sparse;

import dev.lanes.autoencoder.model.Config;
import dev.lanes.core.Blas;
import dev.lanes.core.Losses;
import dev.lanes.core.Sparse;
import java.util.Arrays;

/**
 * AuxK (Gao et al. 2024) for {@link SparseTopK}, as the dense model's: the dead-latent tracking (steps since
 * each latent last had a positive kept activation; dead from {@code deadSteps} on), and per training batch
 * the top {@code min(kAux, dead)} pre-activations among the dead latents, their reconstruction of the
 * residual {@code e = x - y}, its loss and its code gradient. Only the dead encoder rows are multiplied:
 * they are gathered into a compact matrix and go through the same fused product + top-k as the encoder.
 */
final class AuxK {

    private final int n;
    private final int h;
    private final int kAux;
    private final int deadSteps;
    private final float scale;
    private final int[] sinceActive;
    private final int[] deadList;
    private int deadCount;

    /** Whether the last forward selected aux pairs (training, with dead latents). */
    boolean active;
    /** Aux pairs per row in the last training forward. */
    int k;
    /** The batch's aux pairs, row i at {@code [ptr[i], ptr[i+1])}: dead latent, ReLU'd value, code gradient. */
    int[] ptr = new int[1];
    int[] lat = new int[0];
    float[] act = new float[0];
    float[] dz = new float[0];
    private float[] val = new float[0];
    private int[] loc = new int[0];
    private float[] deadW = new float[0];
    private float[] deadB = new float[0];
    private float[] eHat;
    private float loss;

    AuxK(Config cfg) {
        this.n = cfg.inputs();
        this.h = cfg.hidden();
        this.kAux = cfg.kAux();
        this.deadSteps = cfg.deadSteps();
        this.scale = cfg.auxScale();
        this.sinceActive = new int[kAux > 0 ? h : 0];
        this.deadList = new int[kAux > 0 ? h : 0];
    }

    boolean enabled() {
        return kAux > 0;
    }

    /** Aux pairs per row at most (0 without AuxK). */
    int maxK() {
        return kAux > 0 ? Math.min(kAux, h) : 0;
    }

    /** Buffers for batches of {@code b} rows. */
    void allocate(int b) {
        eHat = kAux > 0 ? new float[b * n] : null;
    }

    /** Starts a forward: aux pairs are selected in training when latents are dead. */
    boolean begin(boolean training) {
        active = training && kAux > 0 && deadCount > 0;
        return active;
    }

    /**
     * Per row the top min(kAux, dead) pre-activations among the dead latents, ReLU ({@code W} at {@code wOff}
     * of {@code p}, biases at {@code biasOff} of {@code bias}). {@code lazy}, when not null, is the optimizer
     * whose lazily updated encoder rows must first be brought current.
     */
    void select(int b, float[] input, float[] p, int wOff, float[] bias, int biasOff, LazyAdam lazy) {
        int d = deadCount;
        k = Math.min(kAux, d);
        if (lazy != null) {
            lazy.catchUpEncoder(d, deadList);
        }
        if (deadW.length < d * n) {
            deadW = new float[d * n];
            deadB = new float[d];
        }
        for (int q = 0; q < d; q++) {
            System.arraycopy(p, wOff + deadList[q] * n, deadW, q * n, n);
            deadB[q] = bias[biasOff + deadList[q]];
        }
        int pairs = b * k;
        if (val.length < pairs) {
            val = new float[pairs];
            loc = new int[pairs];
            lat = new int[pairs];
            act = new float[pairs];
            dz = new float[pairs];
        }
        if (ptr.length < b + 1) {
            ptr = new int[b + 1];
        }
        Sparse.productTopK(b, d, n, input, 0, n, deadW, 0, n, deadB, 0, k, val, loc);
        for (int u = 0; u < pairs; u++) {
            lat[u] = deadList[loc[u]];
            act[u] = Math.max(val[u], 0f);
        }
        for (int i = 0; i <= b; i++) {
            ptr[i] = i * k;
        }
    }

    /**
     * e = x - y (constant), eHat = sum of the aux pairs' decoder rows (at {@code decW} of {@code p});
     * returns mse(eHat, e) and leaves auxScale * d mse / d eHat in dy's second half.
     */
    float loss(int b, float[] input, float[] y, float[] dy, float[] p, int decW) {
        int e = b * n;
        for (int i = 0; i < e; i++) {
            dy[e + i] = input[i] - y[i];
        }
        Arrays.fill(eHat, 0, e, 0f);
        Sparse.gatherRows(b, n, ptr, act, lat, p, decW, n, h, eHat, 0, n);
        loss = Losses.mse(e, eHat, 0, dy, e, dy, e);
        Blas.scale(e, scale, dy, e);
        return loss;
    }

    /** The unscaled loss of the last training forward; 0 when no latent was dead. */
    float lastLoss() {
        return active ? loss : 0f;
    }

    /**
     * The aux code gradient (dots of dy's second half with the pairs' decoder rows, masked by relu'), stored
     * at {@code latDz[slotOf[main + q]]} for aux pair q.
     */
    void codeGradient(int b, float[] dy, float[] p, int decW, float[] latDz, int[] slotOf, int main) {
        Sparse.dotGather(b, n, ptr, lat, dy, b * n, n, p, decW, n, h, dz);
        for (int q = 0; q < b * k; q++) {
            latDz[slotOf[main + q]] = act[q] > 0f ? dz[q] : 0f;
        }
    }

    /** Latents dead as of the last step. */
    int deadCount() {
        return deadCount;
    }

    // the dense model's rule: a latent fired in a step if one of its kept activations was positive
    void track(Selection sel, int batch) {
        if (kAux == 0) {
            return;
        }
        for (int u = 0; u < sel.ptr[batch]; u++) {
            if (sel.act[u] > 0f) {
                sinceActive[sel.idx[u]] = -1;
            }
        }
        deadCount = 0;
        for (int j = 0; j < h; j++) {
            sinceActive[j]++;
            if (sinceActive[j] >= deadSteps) {
                deadList[deadCount++] = j;
            }
        }
    }

    /** The steps since each latent last fired; empty without AuxK. */
    int[] state() {
        return sinceActive.clone();
    }

    void restore(String model, int[] state) {
        if (state.length != sinceActive.length) {
            throw new IllegalArgumentException(model + ": training state has " + state.length + " values, expected "
                    + sinceActive.length);
        }
        deadCount = 0;
        for (int j = 0; j < state.length; j++) {
            sinceActive[j] = state[j];
            if (state[j] >= deadSteps) {
                deadList[deadCount++] = j;
            }
        }
    }
}
