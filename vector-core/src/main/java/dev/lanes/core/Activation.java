package dev.lanes.core;

import dev.lanes.core.internal.ActivationKernel;
import dev.lanes.core.internal.Backends;

/**
 * Elementwise activation functions and their derivatives, on float vectors.
 *
 * <p>{@link #forward} reads {@code x[xOff, xOff+n)} and writes {@code y[yOff, yOff+n)}, {@code y[i] = f(x[i])}.
 * {@link #backward} reads the forward output {@code y} and the gradient {@code dy} with respect to
 * {@code y}, and overwrites {@code dx[i] = f'(x[i]) * dy[i]}. Every derivative is computed from the
 * output {@code y}, never from {@code x} (which is validated but not read), so backward is correct
 * after an in-place forward that replaced {@code x} by {@code y}:
 * <table class="striped">
 * <caption>Functions and derivatives</caption>
 * <tr><th>constant</th><th>f(x)</th><th>f'(x) as computed</th></tr>
 * <tr><td>{@link #IDENTITY}</td><td>x</td><td>1 ({@code dx} is a copy of {@code dy})</td></tr>
 * <tr><td>{@link #RELU}</td><td>max(x, 0)</td><td>1 where y &gt; 0, else 0 (so f'(0) = 0)</td></tr>
 * <tr><td>{@link #SOFTPLUS}</td><td>max(x, 0) + log1p(exp(-|x|))</td>
 *     <td>sigmoid(x) = -expm1(-y)</td></tr>
 * <tr><td>{@link #SIGMOID}</td><td>1 / (1 + exp(-x))</td><td>y (1 - y)</td></tr>
 * <tr><td>{@link #TANH}</td><td>tanh(x)</td><td>(1 - y)(1 + y)</td></tr>
 * <tr><td>{@link #TRELU}</td><td>min(1, max(0, x))</td><td>1 where 0 &lt; y &lt; 1, else 0 (0 at both kinks)</td></tr>
 * </table>
 *
 * <p>Conventions. NaN in gives NaN out, forward and backward, for every activation (ReLU and TReLU
 * included: a NaN output yields a NaN {@code dx}). For ReLU and TReLU, where the derivative is 0 the
 * result is 0 whatever {@code dy} holds (a select, not a product: an infinite {@code dy} there gives
 * 0), and {@code -0} maps to {@code +0}. The smooth derivatives are products, so
 * {@code 0 * Inf = NaN} as in IEEE arithmetic. Softplus and sigmoid are evaluated through
 * {@code exp(-|x|)} and never overflow: both are finite and non-NaN for every finite x, up to
 * {@code Float.MAX_VALUE}; sigmoid and tanh saturate to exactly 0 or 1, and -1 or 1; softplus(x) is
 * exactly x for large x and 0 for x below about -104. softplus(+Inf) = +Inf.
 *
 * <p>Accuracy. The scalar implementation (the specification) rounds a double-precision result once,
 * so it is within about half an ulp. The Panama implementation is bit-identical for IDENTITY,
 * RELU, TRELU and the SIGMOID, TANH, RELU and TRELU derivatives; its SIGMOID, TANH, SOFTPLUS and
 * the SOFTPLUS derivative use inline vector exp and log1p, measured over the whole float range at
 * at most 2.33, 2.49, 2.72 and 0.97 ulps from the exact value (subnormal results included). The
 * last {@code n mod 16} elements of a call (with 512-bit vectors) take the scalar path, so the same
 * input can differ by those few ulps depending on its position in the call; for given arguments the
 * result is deterministic.
 *
 * <p>Aliasing: an output may be the same array as an input at the same offset (in place); a partial
 * overlap is rejected. All methods are single-threaded, so results are trivially independent of
 * {@link Lanes#threads()}.
 */
public enum Activation {

    /** f(x) = x. */
    IDENTITY {
        @Override
        void run(float[] x, int xOff, float[] y, int yOff, int n) {
            IMPL.identity(x, xOff, y, yOff, n);
        }

        @Override
        void derive(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
            IMPL.identityBackward(y, yOff, dy, dyOff, dx, dxOff, n);
        }
    },

    /** f(x) = max(x, 0); f'(0) = 0. */
    RELU {
        @Override
        void run(float[] x, int xOff, float[] y, int yOff, int n) {
            IMPL.relu(x, xOff, y, yOff, n);
        }

        @Override
        void derive(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
            IMPL.reluBackward(y, yOff, dy, dyOff, dx, dxOff, n);
        }
    },

    /** f(x) = log(1 + exp(x)), computed as max(x, 0) + log1p(exp(-|x|)). */
    SOFTPLUS {
        @Override
        void run(float[] x, int xOff, float[] y, int yOff, int n) {
            IMPL.softplus(x, xOff, y, yOff, n);
        }

        @Override
        void derive(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
            IMPL.softplusBackward(y, yOff, dy, dyOff, dx, dxOff, n);
        }
    },

    /** f(x) = 1 / (1 + exp(-x)), computed through exp(-|x|). */
    SIGMOID {
        @Override
        void run(float[] x, int xOff, float[] y, int yOff, int n) {
            IMPL.sigmoid(x, xOff, y, yOff, n);
        }

        @Override
        void derive(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
            IMPL.sigmoidBackward(y, yOff, dy, dyOff, dx, dxOff, n);
        }
    },

    /** f(x) = tanh(x); tanh(-0) = -0. */
    TANH {
        @Override
        void run(float[] x, int xOff, float[] y, int yOff, int n) {
            IMPL.tanh(x, xOff, y, yOff, n);
        }

        @Override
        void derive(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
            IMPL.tanhBackward(y, yOff, dy, dyOff, dx, dxOff, n);
        }
    },

    /** Truncated ReLU: f(x) = min(1, max(0, x)); f' = 1 on the open interval (0, 1), 0 elsewhere. */
    TRELU {
        @Override
        void run(float[] x, int xOff, float[] y, int yOff, int n) {
            IMPL.trelu(x, xOff, y, yOff, n);
        }

        @Override
        void derive(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
            IMPL.treluBackward(y, yOff, dy, dyOff, dx, dxOff, n);
        }
    };

    private static final ActivationKernel IMPL = Backends.load(ActivationKernel.class);

    private final String forwardOp = name() + ".forward";
    private final String backwardOp = name() + ".backward";

    abstract void run(float[] x, int xOff, float[] y, int yOff, int n);

    abstract void derive(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n);

    /**
     * {@code y[yOff+i] = f(x[xOff+i])} for {@code i < n}. Reads {@code x}, writes {@code y}; {@code y}
     * may be {@code x} at the same offset.
     *
     * @throws NullPointerException if {@code x} or {@code y} is null
     * @throws IllegalArgumentException if {@code n < 0}, or {@code y} partially overlaps {@code x}
     * @throws IndexOutOfBoundsException if a range lies outside its array
     */
    public void forward(float[] x, int xOff, float[] y, int yOff, int n) {
        Args.vector(forwardOp, "x", x, xOff, n);
        Args.vector(forwardOp, "y", y, yOff, n);
        Args.sameOrDisjoint(forwardOp, "y", y, yOff, "x", x, xOff, n);
        run(x, xOff, y, yOff, n);
    }

    /**
     * {@code dx[dxOff+i] = f'(x[xOff+i]) * dy[dyOff+i]} for {@code i < n}, with the derivative taken
     * from the forward output {@code y} (see the class comment). Reads {@code y} and {@code dy};
     * {@code x} is checked but not read, so it may hold {@code y} after an in-place forward. Writes
     * {@code dx}, which may be {@code dy} or {@code y} at the same offset (it overwrites, it does not
     * accumulate).
     *
     * @param x the pre-activation (not read)
     * @param y the forward output f(x)
     * @param dy the gradient of the loss with respect to {@code y}
     * @param dx receives the gradient with respect to {@code x}
     * @throws NullPointerException if an array is null
     * @throws IllegalArgumentException if {@code n < 0}, or {@code dx} partially overlaps {@code y} or {@code dy}
     * @throws IndexOutOfBoundsException if a range lies outside its array
     */
    public void backward(float[] x, int xOff, float[] y, int yOff, float[] dy, int dyOff,
                         float[] dx, int dxOff, int n) {
        Args.vector(backwardOp, "x", x, xOff, n);
        Args.vector(backwardOp, "y", y, yOff, n);
        Args.vector(backwardOp, "dy", dy, dyOff, n);
        Args.vector(backwardOp, "dx", dx, dxOff, n);
        Args.sameOrDisjoint(backwardOp, "dx", dx, dxOff, "y", y, yOff, n);
        Args.sameOrDisjoint(backwardOp, "dx", dx, dxOff, "dy", dy, dyOff, n);
        derive(y, yOff, dy, dyOff, dx, dxOff, n);
    }
}
