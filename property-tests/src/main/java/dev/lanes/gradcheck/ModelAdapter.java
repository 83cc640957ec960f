package dev.lanes.gradcheck;

import dev.lanes.autoencoder.model.Model;
import dev.lanes.autoencoder.nn.Params;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A whole {@link Model} as a {@link Differentiable}: its loss on a fixed batch {@code x} as a function
 * of the parameters, {@code y[0] = model.forward(batch, x, training)}. The input is empty (a model
 * exposes no input gradient), so the checker checks every tensor of {@link Model#params()}, with the
 * model's {@link Model#stateFingerprint()} for kinks.
 *
 * <p>{@link Model#backward()} adds {@code dloss/dtheta} into the gradient buffer; the probe's weight
 * {@code dy[0]} is applied by running it on a zeroed buffer and adding {@code dy[0]} times the result to
 * what was there, so gradients accumulate as the checker expects.
 *
 * <pre>{@code
 * GradientCheck.of(ModelAdapter.of(model, 4, x).training(true)).seed(7).run().assertGradients();
 * }</pre>
 * A noise model checked in training must replay its noise (call {@code setStep} first).
 */
public final class ModelAdapter implements Differentiable {

    private final Model model;
    private final int batch;
    private final float[] x;
    private boolean training;
    private Consumer<Boolean> trueGradientSwitch;
    private Predicate<String> checked = name -> true;
    private float[] saved = new float[0];

    private ModelAdapter(Model model, int batch, float[] x) {
        this.model = Objects.requireNonNull(model, "model");
        if (batch < 1 || x.length != batch * model.inputs()) {
            throw new IllegalArgumentException("ModelAdapter: batch=" + batch + " x.length=" + x.length
                    + " != batch * inputs=" + (long) batch * model.inputs());
        }
        this.batch = batch;
        this.x = x.clone();
    }

    /** The loss of {@code model} on the batch {@code x} ({@code batch x model.inputs()}, copied), inference mode. */
    public static ModelAdapter of(Model model, int batch, float[] x) {
        return new ModelAdapter(model, batch, x);
    }

    /** Runs forward in training mode ({@code true}: penalties, noise of the current step) or inference. */
    public ModelAdapter training(boolean enabled) {
        this.training = enabled;
        return this;
    }

    /**
     * Checks only the parameter tensors whose names pass {@code names}: those the model's current objective
     * trains. A frozen tensor (the layers below one being pretrained greedily) still changes the loss, but
     * its gradient is deliberately not computed, so checking it would report a false mismatch.
     */
    public ModelAdapter tensors(Predicate<String> names) {
        this.checked = Objects.requireNonNull(names, "names");
        return this;
    }

    /** Declares a surrogate backward; {@code setTrueGradient.accept(true)} selects the true gradient. */
    public ModelAdapter surrogateGradient(Consumer<Boolean> setTrueGradient) {
        this.trueGradientSwitch = Objects.requireNonNull(setTrueGradient, "setTrueGradient");
        return this;
    }

    @Override
    public int inputSize() {
        return 0;
    }

    @Override
    public int outputSize() {
        return 1;
    }

    @Override
    public List<Tensor> parameters() {
        Params p = model.params();
        List<Tensor> views = new ArrayList<>();
        for (dev.lanes.autoencoder.nn.Tensor t : p.tensors()) {
            if (!checked.test(t.name())) {
                continue;
            }
            views.add(new Tensor(t.name(), p.data(), t.offset(), t.size(), p.grad(), t.offset()));
        }
        return views;
    }

    @Override
    public void forward(float[] ignored, float[] y) {
        y[0] = model.forward(batch, x, training);
    }

    @Override
    public void backward(float[] ignored, float[] y, float[] dy, float[] dx) {
        float[] g = model.params().grad();
        if (saved.length != g.length) {
            saved = new float[g.length];
        }
        System.arraycopy(g, 0, saved, 0, g.length);
        java.util.Arrays.fill(g, 0f);
        model.backward();
        float r = dy[0];
        for (int i = 0; i < g.length; i++) {
            g[i] = saved[i] + r * g[i];
        }
    }

    @Override
    public long[] discreteState(float[] ignored, float[] y) {
        return new long[] {model.stateFingerprint()};
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
        return "model " + model.name() + " batch=" + batch + (training ? " training" : "");
    }
}
