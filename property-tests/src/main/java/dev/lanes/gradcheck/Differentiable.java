package dev.lanes.gradcheck;

import dev.lanes.autoencoder.nn.Layer;
import java.util.List;

/**
 * A function {@code y = f(x; params)} on flat float arrays, with its backward pass, as the gradient
 * checker sees it. Batched functions use row-major {@code batch x features} arrays, so a layer of
 * the autoencoder module adapts by passing its buffers through.
 *
 * <p>Contract, checked by {@link GradientCheck}:
 * <ul>
 *   <li>{@link #forward} reads {@code x} ({@link #inputSize()} floats) and the parameters and
 *       overwrites {@code y} ({@link #outputSize()} floats); it is deterministic.
 *   <li>{@link #backward} is called right after {@code forward(x, y)} on the same arrays (so it may
 *       use state cached by forward); it reads {@code dy}, OVERWRITES every element of {@code dx}
 *       (the checker fills dx with NaN first) and ADDS each parameter's gradient to its
 *       {@link Tensor#grad()} (the checker runs backward twice and expects twice the gradient).
 *   <li>{@link #discreteState} exposes the function's non-smooth choices (ReLU signs, clamp regions,
 *       a top-k set, a rank order) as a fingerprint; a perturbation that changes it crosses a kink
 *       and that element is skipped. Without it the checker compares the zero pattern of {@code y}.
 *   <li>A function whose backward is a surrogate (not the derivative of forward) says so with
 *       {@link #surrogateGradient()}; the checker then switches it to its true gradient with
 *       {@link #trueGradient(boolean)} for the duration of the check.
 * </ul>
 */
public interface Differentiable {

    /** The number of input floats (for example {@code batch * inFeatures}). */
    int inputSize();

    /** The number of output floats (for example {@code batch * outFeatures}). */
    int outputSize();

    /** The parameter tensors (all of them, biases included); none by default. */
    default List<Tensor> parameters() {
        return List.of();
    }

    /** Reads {@code x} and the parameters, overwrites {@code y}. */
    void forward(float[] x, float[] y);

    /**
     * Given {@code dy = dL/dy}, overwrites {@code dx = dL/dx} and adds {@code dL/dparam} to every
     * parameter's gradient. Called right after {@code forward(x, y)}; {@code y} is that output.
     */
    void backward(float[] x, float[] y, float[] dy, float[] dx);

    /**
     * A fingerprint of the discrete choices forward made for {@code x} (called right after
     * {@code forward(x, y)}), or {@code null} to let the checker use the zero pattern of {@code y}.
     */
    default long[] discreteState(float[] x, float[] y) {
        return null;
    }

    /** Whether {@link #backward} computes a surrogate gradient rather than the true one. */
    default boolean surrogateGradient() {
        return false;
    }

    /** Switches backward to the true gradient ({@code true}) or back to the surrogate ({@code false}). */
    default void trueGradient(boolean enabled) {
    }

    /** {@link #forward}, as a lambda. */
    @FunctionalInterface
    interface Forward {
        void forward(float[] x, float[] y);
    }

    /** {@link #backward}, as a lambda. */
    @FunctionalInterface
    interface Backward {
        void backward(float[] x, float[] y, float[] dy, float[] dx);
    }

    /**
     * A parameter-free smooth function from two lambdas, for quick checks:
     * {@code Differentiable.of("square", n, n, (x, y) -> ..., (x, y, dy, dx) -> ...)}.
     */
    static Differentiable of(String name, int inputSize, int outputSize, Forward forward, Backward backward) {
        if (inputSize < 0 || outputSize < 0) {
            throw new IllegalArgumentException("Differentiable.of: inputSize=" + inputSize + ", outputSize=" + outputSize);
        }
        return new Differentiable() {
            @Override
            public int inputSize() {
                return inputSize;
            }

            @Override
            public int outputSize() {
                return outputSize;
            }

            @Override
            public void forward(float[] x, float[] y) {
                forward.forward(x, y);
            }

            @Override
            public void backward(float[] x, float[] y, float[] dy, float[] dx) {
                backward.backward(x, y, dy, dx);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    /** An autoencoder layer on batches of {@code batch} rows; see {@link LayerAdapter}. */
    static LayerAdapter of(Layer layer, int batch) {
        return LayerAdapter.of(layer, batch);
    }
}
