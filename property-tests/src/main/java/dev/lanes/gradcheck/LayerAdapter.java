package dev.lanes.gradcheck;

import dev.lanes.autoencoder.nn.Dense;
import dev.lanes.autoencoder.nn.Layer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * An autoencoder {@link Layer} at a fixed batch size, as a {@link Differentiable}: the input is the
 * row-major {@code batch x layer.inputs()} array, the output {@code batch x layer.outputs()}, and the
 * parameters are the layer's tensors as views into its flat {@code Params} buffer (data and gradient
 * arrays with the tensor's offset), so the checker perturbs the very floats the layer reads.
 *
 * <pre>{@code
 * GradientCheck.of(LayerAdapter.of(layer, 4)).seed(42).run().assertGradients();
 * }</pre>
 *
 * <ul>
 *   <li><b>Parameters.</b> {@link Layer#parameters()}; a tied {@link Dense} also gets the weight it shares
 *       with its encoder (its gradient accumulates there, and would otherwise go unchecked). A layer that
 *       shares other tensors names them with {@link #parameters(List)}.
 *   <li><b>Kinks.</b> {@link #discreteState} is {@link Layer#stateFingerprint} together with the zero
 *       pattern of the output: a layer that keeps the default fingerprint (0) still gets its ReLU-like
 *       kinks detected, and one that exposes its state (a TReLU region above 1 has no zero) is covered too.
 *   <li><b>Training.</b> {@code forward} runs with {@code training} (default {@code false}); a noise
 *       layer checked in training must replay the same noise on every call (a fixed step).
 *   <li><b>Surrogates.</b> A layer whose backward is a surrogate declares it with
 *       {@link #surrogateGradient(Consumer)}, giving the switch the checker calls with {@code true} to select
 *       the true gradient during the check (and {@code false} afterwards).
 * </ul>
 */
public final class LayerAdapter implements Differentiable {

    private final Layer layer;
    private final int batch;
    private boolean training;
    private List<dev.lanes.autoencoder.nn.Tensor> parameters;
    private Consumer<Boolean> trueGradientSwitch;
    private long[] state = new long[0];

    private LayerAdapter(Layer layer, int batch) {
        this.layer = Objects.requireNonNull(layer, "layer");
        if (batch < 1) {
            throw new IllegalArgumentException("LayerAdapter: batch=" + batch + " < 1");
        }
        this.batch = batch;
    }

    /** {@code layer} on batches of {@code batch >= 1} rows, in inference mode. */
    public static LayerAdapter of(Layer layer, int batch) {
        return new LayerAdapter(layer, batch);
    }

    /** Runs forward in training mode ({@code true}) or inference mode (the default). */
    public LayerAdapter training(boolean enabled) {
        this.training = enabled;
        return this;
    }

    /** Checks these tensors instead of the layer's own (for a layer that writes into shared tensors). */
    public LayerAdapter parameters(List<dev.lanes.autoencoder.nn.Tensor> tensors) {
        this.parameters = List.copyOf(tensors);
        return this;
    }

    /**
     * Declares the layer's backward a surrogate; {@code setTrueGradient.accept(true)} must switch it to
     * the true gradient and {@code accept(false)} back.
     */
    public LayerAdapter surrogateGradient(Consumer<Boolean> setTrueGradient) {
        this.trueGradientSwitch = Objects.requireNonNull(setTrueGradient, "setTrueGradient");
        return this;
    }

    public Layer layer() {
        return layer;
    }

    public int batch() {
        return batch;
    }

    @Override
    public int inputSize() {
        return batch * layer.inputs();
    }

    @Override
    public int outputSize() {
        return batch * layer.outputs();
    }

    /** The layer's tensors as checker tensors, read at call time (the buffer must be allocated). */
    @Override
    public List<Tensor> parameters() {
        List<dev.lanes.autoencoder.nn.Tensor> own = parameters;
        if (own == null) {
            own = new ArrayList<>();
            if (layer instanceof Dense d && d.isTied()) {
                own.add(d.weight());
            }
            own.addAll(layer.parameters());
        }
        List<Tensor> views = new ArrayList<>(own.size());
        for (dev.lanes.autoencoder.nn.Tensor t : own) {
            if (t.data() == null) {
                throw new IllegalStateException("LayerAdapter: parameter " + t + " is not allocated (call Params.allocate())");
            }
            views.add(new Tensor(t.name(), t.data(), t.offset(), t.size(), t.grad(), t.offset()));
        }
        return views;
    }

    @Override
    public void forward(float[] x, float[] y) {
        layer.forward(batch, x, y, training);
    }

    @Override
    public void backward(float[] x, float[] y, float[] dy, float[] dx) {
        layer.backward(batch, x, y, dy, dx);
    }

    /** {@code [fingerprint, zero-pattern words...]} of the last forward. */
    @Override
    public long[] discreteState(float[] x, float[] y) {
        int n = outputSize();
        int words = 1 + ((n + 63) >>> 6);
        if (state.length != words) {
            state = new long[words];
        }
        java.util.Arrays.fill(state, 0L);
        state[0] = layer.stateFingerprint(batch, x, y);
        for (int i = 0; i < n; i++) {
            if (y[i] == 0f) {
                state[1 + (i >>> 6)] |= 1L << i;
            }
        }
        return state;
    }

    @Override
    public boolean surrogateGradient() {
        return trueGradientSwitch != null;
    }

    @Override
    public void trueGradient(boolean enabled) {
        if (trueGradientSwitch != null) {
            trueGradientSwitch.accept(enabled);
        }
    }

    @Override
    public String toString() {
        return layer.getClass().getSimpleName() + "(" + layer.inputs() + "->" + layer.outputs() + ") batch=" + batch
                + (training ? " training" : "");
    }
}
