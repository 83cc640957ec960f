package dev.lanes.autoencoder.sparse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lanes.autoencoder.model.Autoencoder;
import dev.lanes.autoencoder.model.Config;
import dev.lanes.autoencoder.model.Models;
import dev.lanes.autoencoder.nn.Params;
import dev.lanes.autoencoder.train.Adam;
import dev.lanes.autoencoder.train.LearningRate;
import dev.lanes.autoencoder.train.Trainer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Pre-bias on the sparse path (folded into the encoder bias, x keeps its zeros) against the dense
 * {@code topk} preset with unit norm off, with and without AuxK.
 */
class SparsePreBiasTest {

    private static final long SEED = 0x9BE5L;
    private static final int N = 96;

    private static Config config(int h, int k, int kAux, long seed) {
        return Models.builder("topk").inputs(N).hidden(h).k(k).preBias(true).unitNormDecoder(false)
                .auxK(kAux, 1f / 32).deadSteps(3).seed(seed).config();
    }

    private static float[] slice(float[] a, Params p, String name) {
        var t = p.get(name);
        return Arrays.copyOfRange(a, t.offset(), t.offset() + t.size());
    }

    /**
     * Decoder bias at the data mean, every other latent dead: loss to 1e-5 relative, every gradient to
     * 1e-5 of its tensor's largest element (the pre-activations are W x + (b_enc - W b_dec) here and
     * W (x - b_dec) + b_enc there: the same value, rounded differently).
     */
    @Test
    void gradientsEqualDense() {
        for (int kAux : new int[] {0, 16}) {
            int h = 300;
            Config cfg = config(h, 6, kAux, 17);
            int b = 21;
            float[] x = SparseTopKTest.data(b, SEED);
            Autoencoder d = new Autoencoder(cfg);
            SparseTopK s = new SparseTopK(cfg, 1e-3f);
            d.prepare(x, b);
            s.prepare(x, b);
            if (kAux > 0) {
                int[] state = new int[h];
                for (int j = 0; j < h; j += 2) {
                    state[j] = 3;
                }
                d.restoreTrainingState(state);
                s.restoreTrainingState(state);
            }
            float ld = d.forward(b, x, true);
            float ls = s.forward(b, x, true);
            assertEquals(ld, ls, 1e-5f * ld, "loss kAux=" + kAux + " seed=0x" + Long.toHexString(SEED));
            assertEquals(d.stateFingerprint(), s.stateFingerprint(), "selected latents differ, kAux=" + kAux);
            d.backward();
            s.backward();
            Params dp = d.params();
            Params sp = s.params();
            float[] gDec = SparseTopKTest.decoderGradient(sp, h);
            String w = " kAux=" + kAux;
            close(slice(dp.grad(), dp, "encoder.weight"), slice(sp.grad(), sp, "encoder.weight"), "encoder.weight" + w);
            close(slice(dp.grad(), dp, "encoder.bias"), slice(sp.grad(), sp, "encoder.bias"), "encoder.bias" + w);
            close(slice(dp.grad(), dp, "decoder.weight"), gDec, "decoder.weight" + w);
            close(slice(dp.grad(), dp, "decoder.bias"), slice(sp.grad(), sp, "decoder.bias"), "decoder.bias" + w);
        }
    }

    private static void close(float[] want, float[] got, String what) {
        SparseTopKTest.close(want, got, what, SEED);
    }

    /** The fused step with pre-bias and AuxK equals backward + dense Adam on the same model, bit for bit. */
    @Test
    void fusedStepEqualsModelPath() {
        assertFusedEqualsModelPath(config(400, 3, 8, 5), SparseTopKTest.data(6 * 30, SEED + 1), 6, 30);
    }

    /**
     * {@code steps} fused {@link SparseTopK#trainStep}s against forward + backward + dense Adam (the
     * {@link Trainer}) on a twin model started from {@code prepare(x)}: every loss, the parameters and the
     * first moments bit for bit.
     */
    static void assertFusedEqualsModelPath(Config cfg, float[] x, int b, int steps) {
        float lr = 1e-2f;
        SparseTopK fused = new SparseTopK(cfg, lr);
        SparseTopK eager = new SparseTopK(cfg, lr);
        fused.prepare(x, b * steps);
        eager.prepare(x, b * steps);
        Trainer trainer = new Trainer(eager, Adam.defaults(), LearningRate.constant(lr), b, 1, 0f);
        float[] batch = new float[b * N];
        for (int s = 0; s < steps; s++) {
            System.arraycopy(x, s * b * N, batch, 0, b * N);
            float l1 = fused.trainStep(b, batch);
            float l2 = trainer.trainStep(b, batch);
            assertEquals(Float.floatToIntBits(l2), Float.floatToIntBits(l1), "loss at step " + s);
        }
        assertArrayEquals(eager.params().data(), fused.params().data(), "parameters");
        assertArrayEquals(eager.params().m(), fused.params().m(), "first moments");
    }
}
