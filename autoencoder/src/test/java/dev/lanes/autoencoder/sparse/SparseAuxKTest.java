package dev.lanes.autoencoder.sparse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.autoencoder.model.Autoencoder;
import dev.lanes.autoencoder.model.Config;
import dev.lanes.autoencoder.model.Models;
import dev.lanes.autoencoder.nn.Params;
import dev.lanes.autoencoder.train.Adam;
import dev.lanes.autoencoder.train.LearningRate;
import dev.lanes.autoencoder.train.Trainer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** AuxK on the sparse path against the dense {@code topk} preset's AuxK (pre-bias and unit norm off). */
class SparseAuxKTest {

    private static final long SEED = 0xA0C5L;
    private static final int N = 96;

    private static Config config(int h, int k, int kAux, int deadSteps, long seed) {
        return Models.builder("topk").inputs(N).hidden(h).k(k).preBias(false).unitNormDecoder(false)
                .auxK(kAux, 1f / 32).deadSteps(deadSteps).seed(seed).config();
    }

    private static float[] slice(float[] a, Params p, String name) {
        var t = p.get(name);
        return Arrays.copyOfRange(a, t.offset(), t.offset() + t.size());
    }

    /**
     * Every other latent dead: the loss (main + AuxK/32) agrees to 1e-5 relative and every gradient
     * element to 1e-5 of its tensor's largest (the same terms summed in another order, and the dead
     * latents' pre-activations from the fused kernel instead of the GEMM: a few ulps apart).
     */
    @Test
    void auxGradientEqualsDense() {
        int h = 300;
        Config cfg = config(h, 6, 16, 3, 13);
        int b = 21;
        float[] x = SparseTopKTest.data(b, SEED);
        int[] state = new int[h];
        for (int j = 0; j < h; j += 2) {
            state[j] = 3 + j % 5;
        }
        Autoencoder d = new Autoencoder(cfg);
        SparseTopK s = new SparseTopK(cfg, 1e-3f);
        d.restoreTrainingState(state);
        s.restoreTrainingState(state);
        assertEquals(d.deadLatents(), s.deadLatents());
        float ld = d.forward(b, x, true);
        float ls = s.forward(b, x, true);
        assertTrue(s.auxLoss() > 0f, "AuxK inactive: the test would prove nothing");
        assertEquals(ld, ls, 1e-5f * ld, "loss seed=0x" + Long.toHexString(SEED));
        assertEquals(d.stateFingerprint(), s.stateFingerprint(), "selected (and aux-selected) latents differ");
        d.backward();
        s.backward();
        Params dp = d.params();
        Params sp = s.params();
        float[] gDec = SparseTopKTest.decoderGradient(sp, h);
        close(slice(dp.grad(), dp, "encoder.weight"), slice(sp.grad(), sp, "encoder.weight"), "encoder.weight");
        close(slice(dp.grad(), dp, "encoder.bias"), slice(sp.grad(), sp, "encoder.bias"), "encoder.bias");
        close(slice(dp.grad(), dp, "decoder.weight"), gDec, "decoder.weight");
        close(slice(dp.grad(), dp, "decoder.bias"), slice(sp.grad(), sp, "decoder.bias"), "decoder.bias");
        // and the gradient of the dead latents alone is not zero: AuxK really reached them
        float deadGrad = 0f;
        float[] ge = slice(sp.grad(), sp, "encoder.weight");
        for (int j = 0; j < h; j += 2) {
            for (int c = 0; c < N; c++) {
                deadGrad = Math.max(deadGrad, Math.abs(ge[j * N + c]));
            }
        }
        assertTrue(deadGrad > 0f, "no gradient on dead latents");
    }

    private static void close(float[] want, float[] got, String what) {
        SparseTopKTest.close(want, got, what, SEED);
    }

    /**
     * The dead set is tracked as the dense model tracks it: after 40 steps on the same batches (few
     * latents fire with h = 400, k = 3, batch 6, dead after 5 steps) the counters agree exactly, and the
     * fused step with AuxK equals backward + dense Adam on the same model bit for bit.
     */
    @Test
    void fusedStepEqualsModelPathWithAuxK() {
        Config cfg = config(400, 3, 8, 5, 5);
        int b = 6;
        float lr = 1e-2f;
        SparseTopK lazy = new SparseTopK(cfg, lr);
        SparseTopK eager = new SparseTopK(cfg, lr);
        Trainer trainer = new Trainer(eager, Adam.defaults(), LearningRate.constant(lr), b, 1, 0f);
        float[] x = SparseTopKTest.data(b * 40, SEED + 1);
        float[] batch = new float[b * N];
        boolean auxSeen = false;
        for (int s = 0; s < 40; s++) {
            System.arraycopy(x, s * b * N, batch, 0, b * N);
            float l1 = lazy.trainStep(b, batch);
            auxSeen |= lazy.auxLoss() > 0f;
            float l2 = trainer.trainStep(b, batch);
            assertEquals(Float.floatToIntBits(l2), Float.floatToIntBits(l1), "loss at step " + s);
        }
        assertTrue(auxSeen, "AuxK never engaged");
        assertArrayEquals(eager.trainingState(), lazy.trainingState(), "dead counters");
        assertArrayEquals(eager.params().data(), lazy.params().data(), "parameters");
        assertArrayEquals(eager.params().m(), lazy.params().m(), "first moments");
        assertArrayEquals(eager.params().v(), lazy.params().v(), "second moments");
    }

    /** The same dead-latent counters as the dense model after the same training from the same start. */
    @Test
    void deadTrackingMatchesDense() {
        Config cfg = config(400, 3, 8, 5, 5);
        int b = 6;
        float lr = 1e-2f;
        Autoencoder d = new Autoencoder(cfg);
        SparseTopK s = new SparseTopK(cfg, lr);
        Trainer td = new Trainer(d, Adam.defaults(), LearningRate.constant(lr), b, 1, 0f);
        float[] batch = SparseTopKTest.data(b, SEED + 2);
        for (int step = 0; step < 8; step++) {
            td.trainStep(b, batch);
            s.trainStep(b, batch);
        }
        assertArrayEquals(d.trainingState(), s.trainingState(), "steps since each latent fired");
        assertEquals(d.deadLatents(), s.deadLatents());
    }
}
