package dev.lanes.gradcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.autoencoder.nn.Layer;
import dev.lanes.autoencoder.nn.ParamSpec;
import dev.lanes.autoencoder.nn.Params;
import dev.lanes.autoencoder.nn.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The contract's own tests: each default test catches the fault it is for, and names seed and batch size. */
class LayerGradientContractTest {

    /** {@code y = a * x + b} per feature, with a fault switched in. */
    enum Fault { NONE, GRADIENT_SCALE, MIXES_ROWS, NONDETERMINISTIC }

    private static final class Scale implements Layer {
        private static int calls;
        private final int n = 4;
        private final Fault fault;
        private final Tensor a;
        private final Tensor b;

        Scale(long seed, Fault fault) {
            this.fault = fault;
            Params p = new Params();
            a = p.add(new ParamSpec("a", n));
            b = p.add(new ParamSpec("b", n));
            p.allocate();
            dev.lanes.core.Fill.uniform(seed, 0.5f, 1.5f, p.data(), a.offset(), n);
            dev.lanes.core.Fill.uniform(seed + 1, -0.5f, 0.5f, p.data(), b.offset(), n);
        }

        @Override public int inputs() { return n; }
        @Override public int outputs() { return n; }
        @Override public List<Tensor> parameters() { return List.of(a, b); }

        @Override
        public void forward(int batch, float[] in, float[] out, boolean training) {
            float[] p = a.data();
            float drift = fault == Fault.NONDETERMINISTIC ? 1e-3f * calls++ : 0f;
            for (int r = 0; r < batch; r++) {
                for (int j = 0; j < n; j++) {
                    float mixed = fault == Fault.MIXES_ROWS && r > 0 ? 0.5f * in[(r - 1) * n + j] : 0f;
                    out[r * n + j] = p[a.offset() + j] * in[r * n + j] + p[b.offset() + j] + mixed + drift;
                }
            }
        }

        @Override
        public void backward(int batch, float[] in, float[] out, float[] dOut, float[] dIn) {
            float[] p = a.data();
            float[] g = a.grad();
            float wrong = fault == Fault.GRADIENT_SCALE ? 1.01f : 1f;
            for (int r = 0; r < batch; r++) {
                for (int j = 0; j < n; j++) {
                    float d = dOut[r * n + j];
                    g[a.offset() + j] += wrong * d * in[r * n + j];
                    g[b.offset() + j] += d;
                    float fromNext = fault == Fault.MIXES_ROWS && r + 1 < batch ? 0.5f * dOut[(r + 1) * n + j] : 0f;
                    dIn[r * n + j] = d * p[a.offset() + j] + fromNext;
                }
            }
        }
    }

    private record Contract(Fault fault) implements LayerGradientContract {
        @Override
        public Layer layer(long seed) {
            return new Scale(seed, fault);
        }

        @Override
        public int inputFeatures() {
            return 4;
        }
    }

    /** Runs a contract test that must fail in {@code cases} of its cases, naming each expected string. */
    private static void fails(Runnable test, int cases, String... expected) {
        AssertionError e = assertThrows(AssertionError.class, test::run);
        assertEquals(cases, e.getSuppressed().length, "failing cases in:\n" + e.getMessage());
        StringBuilder all = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable s : e.getSuppressed()) {
            all.append('\n').append(s.getMessage());
        }
        for (String x : expected) {
            assertTrue(all.toString().contains(x), "expected '" + x + "' in:\n" + all);
        }
    }

    @Test
    void aCorrectLayerPassesAllThree() {
        Contract c = new Contract(Fault.NONE);
        c.gradientsMatchFiniteDifferences();
        c.rowsAreIndependent();
        c.deterministic();
    }

    @Test
    void aOnePercentGradientErrorFailsTheGradientCheckOnEveryCase() {
        Contract c = new Contract(Fault.GRADIENT_SCALE);
        fails(c::gradientsMatchFiniteDifferences, 9, "seed=0x5eed0001 batch=1", "seed=0x5eed0003 batch=8", "tensor a");
        c.rowsAreIndependent();
        c.deterministic();
    }

    @Test
    void mixingRowsFailsRowIndependenceUnlessDeclared() {
        Contract c = new Contract(Fault.MIXES_ROWS);
        c.gradientsMatchFiniteDifferences(); // its gradient is right: only the row check can tell
        fails(c::rowsAreIndependent, 6, "seed=0x5eed0001 batch=3", "output row 1 changed when only input row 0 did");
        LayerGradientContract coupled = new LayerGradientContract() {
            @Override public Layer layer(long seed) { return new Scale(seed, Fault.MIXES_ROWS); }
            @Override public int inputFeatures() { return 4; }
            @Override public boolean batchCoupled() { return true; }
        };
        coupled.rowsAreIndependent();
    }

    @Test
    void hiddenStateFailsDeterminism() {
        fails(new Contract(Fault.NONDETERMINISTIC)::deterministic, 9, "not deterministic: output differs", "batch=8");
    }
}
