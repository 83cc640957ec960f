package dev.lanes.autoencoder.model;

import dev.lanes.autoencoder.nn.GradCheck;
import dev.lanes.autoencoder.nn.Loss;
import dev.lanes.autoencoder.nn.Params;
import dev.lanes.autoencoder.nn.Tensor;
import dev.lanes.core.Activation;
import dev.lanes.core.Fill;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Each model's full loss gradient (reconstruction, penalties, pre-bias path, noise of a fixed step)
 * against central differences of its float32 loss, on tiny shapes.
 */
class ModelGradientTest {

    private static final long SEED = 0x40DE_15EEDL;
    private static final int N = 6;
    private static final int HID = 5;
    private static final int B = 4;

    private static void check(String label, Models.Builder builder, long seed) {
        Autoencoder m = builder.inputs(N).hidden(HID).seed(seed).build();
        Params p = m.params();
        // biases start at 0: move every parameter to a generic point so all paths are exercised
        Fill.uniform(seed, -0.3f, 0.3f, p.data(), 0, p.size());
        float[] x = new float[B * N];
        Fill.uniform(seed + 1, 0f, 1f, x, 0, x.length);
        m.setStep(5);
        m.forward(B, x, true);
        p.zeroGrad();
        m.backward();
        float[] grad = p.grad().clone();
        // the loss is ~0.1-1 and its gradient ~1e-2 (means over B*N): floor 1e-4, h 1e-2, 3% on float32 differences
        GradCheck c = new GradCheck(label + " seed=0x" + Long.toHexString(seed), 1e-2f, 3e-2, 1e-4);
        GradCheck.Scalar f = () -> m.forward(B, x, true);
        SplittableRandom rng = new SplittableRandom(seed);
        for (Tensor t : p.tensors()) {
            c.check(t.name(), p.data(), t.offset(), t.size(), grad, t.offset(), 30, rng, f, m::stateFingerprint);
        }
        c.done();
    }

    @Test
    void everyModel() {
        for (String name : Models.NAMES) {
            long seed = SEED ^ name.hashCode();
            Models.Builder b = Models.builder(name);
            if (name.equals("topk")) {
                b.k(3);
            }
            if (name.equals("sparse-l1")) {
                b.l1(0.05f);
            }
            if (name.equals("sparse-kl")) {
                b.kl(0.2f, 0.5f);
            }
            check(name, b, seed);
        }
    }

    @Test
    void variants() {
        check("ae cross-entropy", Models.builder("ae").loss(Loss.SIGMOID_CROSS_ENTROPY), SEED ^ 1);
        check("ae softplus output", Models.builder("ae").output(Activation.SOFTPLUS), SEED ^ 2);
        check("ae tied, weight decay", Models.builder("ae").tied(true).weightDecay(0.1f), SEED ^ 3);
        check("dae gaussian", Models.builder("dae").noise(dev.lanes.autoencoder.nn.Corruption.Kind.GAUSSIAN, 0.3f),
                SEED ^ 4);
        check("topk with masking", Models.builder("topk").k(2).noise(dev.lanes.autoencoder.nn.Corruption.Kind.MASKING,
                0.2f), SEED ^ 5);
    }
}
