package dev.lanes.gradcheck;

import static org.junit.jupiter.api.Assertions.assertAll;

import dev.lanes.autoencoder.nn.Layer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * A JUnit Jupiter contract for a layer: implement it in a test class, supply the layer and its input
 * width, and inherit three tests.
 *
 * <pre>{@code
 * class MyLayerTest implements LayerGradientContract {
 *     public Layer layer(long seed) { ... a new layer, parameters initialised from seed ... }
 *     public int inputFeatures() { return 5; }
 * }
 * }</pre>
 *
 * <ul>
 *   <li>{@link #gradientsMatchFiniteDifferences()}: {@link GradientCheck} on every seed of
 *       {@link #seeds()} and batch size of {@link #batchSizes()}, the input gradient and every
 *       parameter tensor, kinks skipped (see {@link LayerAdapter}).
 *   <li>{@link #rowsAreIndependent()}: replacing input row {@code i} leaves every other output row
 *       bitwise unchanged; skipped for a layer that declares {@link #batchCoupled()} (batch statistics,
 *       a batch-wide top-k).
 *   <li>{@link #deterministic()}: two layers built from the same seed, on the same input, give bitwise
 *       the same output, input gradient and parameter gradients, and so does a second pass of the first.
 * </ul>
 * Every case runs, and the failures are reported together, each naming its seed and batch size
 * ({@code seed=0x... batch=3}); to replay one, override {@link #seeds()} and {@link #batchSizes()}.
 * The layer, the checker's probe and the input all derive from that seed.
 */
public interface LayerGradientContract {

    /** A new layer with its parameters allocated and initialised from {@code seed}. */
    Layer layer(long seed);

    /** The width of one input row (must equal the layer's {@code inputs()}). */
    int inputFeatures();

    /** The seeds tried; default three fixed ones, so the build is reproducible. */
    default long[] seeds() {
        return new long[] {0x5EED_0001L, 0x5EED_0002L, 0x5EED_0003L};
    }

    /** The batch sizes tried; default 1, 3 and 8. */
    default int[] batchSizes() {
        return new int[] {1, 3, 8};
    }

    /** Whether an output row may depend on other input rows (batch statistics); default {@code false}. */
    default boolean batchCoupled() {
        return false;
    }

    /** The input of case ({@code seed}, {@code batch}): {@code batch x inputFeatures()}, default uniform in [-1, 1]. */
    default float[] input(long seed, int batch) {
        SplittableRandom random = new SplittableRandom(seed ^ 0x1F3D5B79L * batch);
        float[] x = new float[batch * inputFeatures()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return x;
    }

    /**
     * The layer as the checker sees it; override to run in training mode, to declare a surrogate
     * gradient or to name shared tensors (see {@link LayerAdapter}).
     */
    default LayerAdapter adapter(Layer layer, int batch) {
        return LayerAdapter.of(layer, batch);
    }

    /** Adjusts a check before it runs (thresholds, samples); default unchanged. */
    default GradientCheck configure(GradientCheck check) {
        return check;
    }

    /** The analytic gradients match central differences, for the input and every parameter tensor. */
    @Test
    default void gradientsMatchFiniteDifferences() {
        assertAll(getClass().getSimpleName() + ": gradient checks", cases(batch -> true, (seed, batch) -> {
            LayerAdapter f = freshAdapter(seed, batch);
            GradientCheck check = GradientCheck.of(f).seed(seed).input(input(seed, batch));
            configure(check).run().assertGradients();
        }));
    }

    /** Replacing input row {@code i} changes no output row but row {@code i} (unless batch-coupled). */
    @Test
    default void rowsAreIndependent() {
        if (batchCoupled()) {
            return;
        }
        assertAll(getClass().getSimpleName() + ": row independence", cases(batch -> batch >= 2, (seed, batch) -> {
            LayerAdapter f = freshAdapter(seed, batch);
            float[] x = input(seed, batch);
            float[] y = new float[f.outputSize()];
            f.forward(x, y);
            int in = inputFeatures();
            int out = f.layer().outputs();
            SplittableRandom random = new SplittableRandom(~seed);
            float[] yi = new float[y.length];
            for (int i = 0; i < batch; i++) {
                float[] xi = x.clone();
                for (int k = 0; k < in; k++) {
                    xi[i * in + k] = (float) (random.nextDouble() * 2 - 1);
                }
                f.forward(xi, yi);
                for (int j = 0; j < batch; j++) {
                    if (j != i && !Arrays.equals(y, j * out, (j + 1) * out, yi, j * out, (j + 1) * out)) {
                        int k = Arrays.mismatch(Arrays.copyOfRange(y, j * out, (j + 1) * out),
                                Arrays.copyOfRange(yi, j * out, (j + 1) * out));
                        throw new AssertionError(String.format(Locale.ROOT,
                                "output row %d changed when only input row %d did: out[%d][%d] %s -> %s"
                                        + " (a batch-coupled layer must override batchCoupled())",
                                j, i, j, k, y[j * out + k], yi[j * out + k]));
                    }
                }
            }
        }));
    }

    /** The same seed and input give bitwise the same output and gradients, on a fresh layer and on a second pass. */
    @Test
    default void deterministic() {
        assertAll(getClass().getSimpleName() + ": determinism", cases(batch -> true, (seed, batch) -> {
            float[] x = input(seed, batch);
            LayerAdapter first = freshAdapter(seed, batch);
            ContractPass a = ContractPass.run(first, x, seed);
            ContractPass again = ContractPass.run(first, x, seed);
            ContractPass b = ContractPass.run(freshAdapter(seed, batch), x, seed);
            a.assertSame(again, "a second forward/backward of the same layer");
            a.assertSame(b, "a second layer built from the same seed");
        }));
    }

    private LayerAdapter freshAdapter(long seed, int batch) {
        Layer layer = layer(seed);
        if (layer.inputs() != inputFeatures()) {
            throw new AssertionError("layer(seed).inputs()=" + layer.inputs() + " != inputFeatures()=" + inputFeatures());
        }
        return adapter(layer, batch);
    }

    /** One case per seed and batch size accepted by {@code batches}, its failures prefixed with both. */
    private List<Executable> cases(java.util.function.IntPredicate batches, ContractPass.Case body) {
        List<Executable> cases = new ArrayList<>();
        for (long seed : seeds()) {
            for (int batch : batchSizes()) {
                if (!batches.test(batch)) {
                    continue;
                }
                cases.add(() -> {
                    try {
                        body.run(seed, batch);
                    } catch (AssertionError | RuntimeException e) {
                        throw new AssertionError(String.format(Locale.ROOT, "seed=0x%x batch=%d: %s", seed, batch,
                                e.getMessage()), e);
                    }
                });
            }
        }
        return cases;
    }
}
