package dev.lanes.gradcheck.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.autoencoder.model.Stacked;
import dev.lanes.autoencoder.model.StackedConfig;
import dev.lanes.autoencoder.nn.Params;
import dev.lanes.core.Fill;
import dev.lanes.gradcheck.GradientCheck;
import dev.lanes.gradcheck.GradientReport;
import dev.lanes.gradcheck.ModelAdapter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The stacked model through the checker: its end-to-end losses (reconstruction through the whole stack
 * and the mirrored decoders; the softmax head's negative log-likelihood through every encoder), and each
 * layer's denoising pretraining loss (with the masking noise of a fixed step) with respect to that layer's
 * tensors, for every reconstruction variant, on tiny shapes.
 */
class StackedGradientTest {

    private static final int N = 6;
    private static final int[] HIDDEN = {5, 4, 3};
    private static final int CLASSES = 3;
    private static final int B = 4;
    private static final long[] SEEDS = {0x57AC_0001L, 0x57AC_0002L, 0x57AC_0003L};

    private static Stacked model(StackedConfig.Reconstruction variant, long seed) {
        StackedConfig.Builder b = StackedConfig.builder(N, HIDDEN).classes(CLASSES).masking(0.25f).seed(seed)
                .inputReconstruction(variant);
        if (variant != StackedConfig.Reconstruction.SIGMOID_CROSS_ENTROPY) {
            b.codeReconstruction(variant);
        }
        Stacked m = b.build();
        // a generic point: He init leaves the biases at 0, which would put every ReLU on the same side
        Params p = m.params();
        Fill.uniform(seed, -0.5f, 0.5f, p.data(), 0, p.size());
        int[] labels = new int[B];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < B; i++) {
            labels[i] = r.nextInt(CLASSES);
        }
        m.labels(labels);
        m.setStep(5);
        return m;
    }

    private static float[] input(long seed) {
        float[] x = new float[B * N];
        Fill.uniform(seed + 1, 0f, 1f, x, 0, x.length);
        return x;
    }

    /**
     * The model's loss is one float32 number at the end of several layers and a mean over the batch: a
     * central difference cannot resolve a change of the loss of a few ulps over the step, and the
     * checker's modelled floor (a few roundings of the output) undercounts the roundings of such a loss.
     * A gradient below {@code 16 ulp(L) / (2h)} moves the loss by fewer than 16 ulps across the step: not
     * resolvable, so not judged (about 2e-5 at L = 0.1; the gradients of this model are up to 1e-2).
     */
    private static double lossFloor(Stacked m, float[] x) {
        float loss = m.forward(B, x, true);
        return Math.max(GradientCheck.ABS_TOLERANCE, 16 * Math.ulp(loss) / (2 * GradientCheck.STEP));
    }

    @Test
    void wholeStackReconstructionLoss() {
        List<String> failures = new ArrayList<>();
        for (StackedConfig.Reconstruction variant : StackedConfig.Reconstruction.values()) {
            for (long seed : SEEDS) {
                Stacked m = model(variant, seed).reconstruction();
                ModelAdapter f = ModelAdapter.of(m, B, input(seed)).training(true);
                double floor = lossFloor(m, input(seed));
                GradientReport r = ModelsGradientTest.check("reconstruction " + variant, f, seed, floor, failures);
                assertEquals(m.params().tensors().size() + 1, r.tensors().size(), "every tensor, plus the empty input");
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void supervisedNegativeLogLikelihood() {
        List<String> failures = new ArrayList<>();
        for (long seed : SEEDS) {
            Stacked m = model(StackedConfig.Reconstruction.LINEAR, seed).classification();
            ModelsGradientTest.check("classification", ModelAdapter.of(m, B, input(seed)).training(true), seed, failures);
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    /** Layer l's denoising loss as a function of its own encoder and decoder (the layers below are frozen). */
    @Test
    void eachLayersDenoisingPretrainingLoss() {
        List<String> failures = new ArrayList<>();
        for (StackedConfig.Reconstruction variant : StackedConfig.Reconstruction.values()) {
            for (long seed : SEEDS) {
                for (int l = 0; l < HIDDEN.length; l++) {
                    Stacked m = model(variant, seed).pretraining(l);
                    String prefix = "layers." + l + ".";
                    ModelAdapter f = ModelAdapter.of(m, B, input(seed)).training(true).tensors(n -> n.startsWith(prefix));
                    GradientReport r = ModelsGradientTest.check("pretraining " + variant + " layer " + l, f, seed, failures);
                    assertEquals(4 + 1, r.tensors().size(), "encoder and decoder weight and bias, plus the empty input");
                }
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }
}
