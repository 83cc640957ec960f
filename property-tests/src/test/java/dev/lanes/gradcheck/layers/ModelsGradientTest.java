package dev.lanes.gradcheck.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.autoencoder.model.Autoencoder;
import dev.lanes.autoencoder.model.Model;
import dev.lanes.autoencoder.model.Models;
import dev.lanes.autoencoder.model.RankOrdered;
import dev.lanes.autoencoder.nn.Params;
import dev.lanes.core.Fill;
import dev.lanes.gradcheck.GradientCheck;
import dev.lanes.gradcheck.GradientReport;
import dev.lanes.gradcheck.ModelAdapter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every preset model end to end: the loss (reconstruction, penalties, pre-bias path, the noise of a
 * fixed step) as a function of every parameter tensor, through {@link ModelAdapter}, on tiny shapes.
 */
class ModelsGradientTest {

    private static final int N = 6;
    private static final int HID = 5;
    private static final int B = 4;
    private static final long[] SEEDS = {0x40DE_0001L, 0x40DE_0002L, 0x40DE_0003L};

    /** Parameters moved to a generic point (biases start at 0), data in [0, 1], noise of step 5. */
    private static ModelAdapter adapter(Model m, long seed) {
        Params p = m.params();
        Fill.uniform(seed, -0.3f, 0.3f, p.data(), 0, p.size());
        float[] x = new float[B * N];
        Fill.uniform(seed + 1, 0f, 1f, x, 0, x.length);
        m.setStep(5);
        return ModelAdapter.of(m, B, x).training(true);
    }

    private static Models.Builder preset(String name) {
        Models.Builder b = Models.builder(name).inputs(N).hidden(HID);
        return switch (name) {
            case "topk" -> b.k(3);
            case "sparse-l1" -> b.l1(0.05f);
            case "sparse-kl" -> b.kl(0.2f, 0.5f);
            default -> b;
        };
    }

    /** Runs the check; a failure is recorded (so every model and seed runs) with the model and seed. */
    static GradientReport check(String label, ModelAdapter f, long seed, List<String> failures) {
        return check(label, f, seed, GradientCheck.ABS_TOLERANCE, failures);
    }

    /** {@link #check} with a given smallest absolute floor. */
    static GradientReport check(String label, ModelAdapter f, long seed, double absTolerance, List<String> failures) {
        GradientReport r = GradientCheck.of(f).seed(seed).absTolerance(absTolerance).run();
        try {
            r.assertGradients();
        } catch (AssertionError e) {
            failures.add(label + " seed=0x" + Long.toHexString(seed) + ": " + e.getMessage());
        }
        return r;
    }

    @Test
    void everyPresetModel() {
        List<String> failures = new ArrayList<>();
        for (String name : Models.NAMES) {
            for (long seed : SEEDS) {
                Autoencoder m = preset(name).seed(seed).build();
                GradientReport r = check(name, adapter(m, seed), seed, failures);
                assertEquals(m.params().tensors().size(), r.tensors().size() - 1, "every tensor, plus the empty input");
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    /** Bertens' TReLU derivative is a surrogate: declared, so the checker checks the true gradient and says so. */
    @Test
    void rankOrderedInTrueGradientMode() {
        List<String> failures = new ArrayList<>();
        for (long seed : SEEDS) {
            RankOrdered m = Models.rankOrdered(N, HID, 3, seed).surrogateGradient(true, 1e-4f);
            ModelAdapter f = adapter(m, seed).surrogateGradient(trueGradient -> m.surrogateGradient(!trueGradient, 1e-4f));
            GradientReport r = check("rank-ordered", f, seed, failures);
            assertTrue(r.trueGradientMode(), r.toString());
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }
}
