package dev.lanes.core.internal;

/**
 * The specification of every activation: plain Java, transcendentals in double through
 * {@code Math} and rounded once to float, so each forward value is within about half an ulp of
 * the exact result. The per-element functions are also the tails of {@link PanamaActivation}.
 */
final class ScalarActivation implements ActivationKernel {

    static float relu(float x) {
        return Math.max(x, 0f);
    }

    /** 1 where y > 0; 0 * y gives +0 where the output is 0 and NaN where it is NaN. */
    static float reluBackward(float y, float dy) {
        return y > 0f ? dy : 0f * y;
    }

    static float softplus(float x) {
        double v = x;
        return (float) (Math.max(v, 0.0) + Math.log1p(Math.exp(-Math.abs(v))));
    }

    /** sigmoid(x) = 1 - exp(-softplus(x)), without the cancellation of 1 - exp. */
    static float softplusBackward(float y, float dy) {
        return (float) -Math.expm1(-(double) y) * dy;
    }

    static float sigmoid(float x) {
        double v = x;
        double e = Math.exp(-Math.abs(v));
        return (float) ((v < 0.0 ? e : 1.0) / (1.0 + e));
    }

    static float sigmoidBackward(float y, float dy) {
        return y * (1f - y) * dy;
    }

    static float tanh(float x) {
        return (float) Math.tanh(x);
    }

    /** (1-y)(1+y), not 1 - y*y: one factor is exact near |y| = 1, where 1 - y*y cancels. */
    static float tanhBackward(float y, float dy) {
        return (1f - y) * (1f + y) * dy;
    }

    static float trelu(float x) {
        return Math.min(1f, Math.max(0f, x));
    }

    static float treluBackward(float y, float dy) {
        return y > 0f && y < 1f ? dy : 0f * y;
    }

    @Override
    public void identity(float[] x, int xOff, float[] y, int yOff, int n) {
        System.arraycopy(x, xOff, y, yOff, n);
    }

    @Override
    public void identityBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        System.arraycopy(dy, dyOff, dx, dxOff, n);
    }

    @Override
    public void relu(float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = relu(x[xOff + i]);
        }
    }

    @Override
    public void reluBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        for (int i = 0; i < n; i++) {
            dx[dxOff + i] = reluBackward(y[yOff + i], dy[dyOff + i]);
        }
    }

    @Override
    public void softplus(float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = softplus(x[xOff + i]);
        }
    }

    @Override
    public void softplusBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        for (int i = 0; i < n; i++) {
            dx[dxOff + i] = softplusBackward(y[yOff + i], dy[dyOff + i]);
        }
    }

    @Override
    public void sigmoid(float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = sigmoid(x[xOff + i]);
        }
    }

    @Override
    public void sigmoidBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        for (int i = 0; i < n; i++) {
            dx[dxOff + i] = sigmoidBackward(y[yOff + i], dy[dyOff + i]);
        }
    }

    @Override
    public void tanh(float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = tanh(x[xOff + i]);
        }
    }

    @Override
    public void tanhBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        for (int i = 0; i < n; i++) {
            dx[dxOff + i] = tanhBackward(y[yOff + i], dy[dyOff + i]);
        }
    }

    @Override
    public void trelu(float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = trelu(x[xOff + i]);
        }
    }

    @Override
    public void treluBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        for (int i = 0; i < n; i++) {
            dx[dxOff + i] = treluBackward(y[yOff + i], dy[dyOff + i]);
        }
    }
}
