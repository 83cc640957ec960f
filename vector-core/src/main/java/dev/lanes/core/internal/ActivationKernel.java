package dev.lanes.core.internal;

/**
 * Elementwise activations and their derivatives: the family behind {@code dev.lanes.core.Activation},
 * which validates every argument and documents the conventions.
 *
 * <p>Forward methods read {@code x[xOff, xOff+n)} and write {@code y[yOff, yOff+n)}; {@code y} may be
 * {@code x} at the same offset. Backward methods read the forward output {@code y} and the incoming
 * gradient {@code dy}, and overwrite {@code dx = f'(x) * dy}; {@code dx} may be {@code y} or
 * {@code dy} at the same offset. No method reads the pre-activation: every derivative here is a
 * function of the output, so backward stays correct after an in-place forward.
 */
public interface ActivationKernel {

    void identity(float[] x, int xOff, float[] y, int yOff, int n);

    void identityBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n);

    void relu(float[] x, int xOff, float[] y, int yOff, int n);

    void reluBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n);

    void softplus(float[] x, int xOff, float[] y, int yOff, int n);

    void softplusBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n);

    void sigmoid(float[] x, int xOff, float[] y, int yOff, int n);

    void sigmoidBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n);

    void tanh(float[] x, int xOff, float[] y, int yOff, int n);

    void tanhBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n);

    void trelu(float[] x, int xOff, float[] y, int yOff, int n);

    void treluBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n);
}
