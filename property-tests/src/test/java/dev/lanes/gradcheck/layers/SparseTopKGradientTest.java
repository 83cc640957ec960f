package dev.lanes.gradcheck.layers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.autoencoder.model.Config;
import dev.lanes.autoencoder.model.Models;
import dev.lanes.autoencoder.sparse.SparseTopK;
import dev.lanes.core.Fill;
import dev.lanes.gradcheck.GradientReport;
import dev.lanes.gradcheck.ModelAdapter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The sparse-aware TopK model's backward (active rows only) by finite differences, with TopK and with
 * BatchTopK (batch-coupled: the checker perturbs one input of the whole batch at a time, so coupling is
 * part of the function it differentiates), plain and with pre-bias. A change of the selected set is a
 * kink the checker skips (the model's state fingerprint covers the selection).
 */
class SparseTopKGradientTest {

    private static final int N = 6;
    private static final int HID = 8;
    private static final int B = 4;
    private static final long[] SEEDS = {0x5BA2_0001L, 0x5BA2_0002L, 0x5BA2_0003L};

    private static ModelAdapter adapter(SparseTopK m, long seed) {
        Fill.uniform(seed, -0.3f, 0.3f, m.params().data(), 0, m.params().size());
        float[] x = new float[B * N];
        Fill.uniform(seed + 1, 0f, 1f, x, 0, x.length);
        return ModelAdapter.of(m, B, x).training(true);
    }

    @Test
    void topKAndBatchTopK() {
        List<String> failures = new ArrayList<>();
        for (long seed : SEEDS) {
            Config plain = SparseTopK.config(N, HID, 3, seed);
            Config preBias = Models.builder("topk").inputs(N).hidden(HID).k(3).preBias(true)
                    .unitNormDecoder(false).auxK(0, 0f).seed(seed).config();
            checked(ModelsGradientTest.check("sparse topk", adapter(new SparseTopK(plain, 1e-3f), seed), seed,
                    failures));
            checked(ModelsGradientTest.check("sparse topk pre-bias", adapter(new SparseTopK(preBias, 1e-3f), seed),
                    seed, failures));
            checked(ModelsGradientTest.check("sparse batchtopk", adapter(SparseTopK.batchTopK(plain, 1e-3f), seed),
                    seed, failures));
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    /** Every weight tensor had elements compared, not only skipped at kinks. */
    private static void checked(GradientReport r) {
        for (GradientReport.TensorResult t : r.tensors()) {
            if (t.name().endsWith("weight") || t.name().endsWith("weight_t")) {
                assertTrue(t.checked() > t.skippedAtKinks(), t + "\n" + r);
            }
        }
    }
}
