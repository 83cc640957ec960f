package dev.lanes.core.internal;

/**
 * The specification of every activation: plain Java, transcendentals in double through
 * {@code Math} and rounded once to float, so each forward value is within about half an ulp of
 * the exact result.
 */
final class ScalarActivation implements ActivationKernel {

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
            y[yOff + i] = Math.max(x[xOff + i], 0f);
        }
    }

    @Override
    public void reluBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        for (int i = 0; i < n; i++) {
            float v = y[yOff + i];
            // 0 * v: +0 where the output is 0, NaN where it is NaN.
            dx[dxOff + i] = v > 0f ? dy[dyOff + i] : 0f * v;
        }
    }

    @Override
    public void softplus(float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            double v = x[xOff + i];
            y[yOff + i] = (float) (Math.max(v, 0.0) + Math.log1p(Math.exp(-Math.abs(v))));
        }
    }

    @Override
    public void softplusBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        for (int i = 0; i < n; i++) {
            // sigmoid(x) = 1 - exp(-softplus(x)), without the cancellation of 1 - exp.
            float s = (float) -Math.expm1(-(double) y[yOff + i]);
            dx[dxOff + i] = s * dy[dyOff + i];
        }
    }

    @Override
    public void sigmoid(float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            double v = x[xOff + i];
            double e = Math.exp(-Math.abs(v));
            y[yOff + i] = (float) ((v < 0.0 ? e : 1.0) / (1.0 + e));
        }
    }

    @Override
    public void sigmoidBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        for (int i = 0; i < n; i++) {
            float v = y[yOff + i];
            dx[dxOff + i] = v * (1f - v) * dy[dyOff + i];
        }
    }

    @Override
    public void tanh(float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = (float) Math.tanh(x[xOff + i]);
        }
    }

    @Override
    public void tanhBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        for (int i = 0; i < n; i++) {
            float v = y[yOff + i];
            // (1-v)(1+v), not 1 - v*v: one factor is exact near |v| = 1, where 1 - v*v cancels.
            dx[dxOff + i] = (1f - v) * (1f + v) * dy[dyOff + i];
        }
    }

    @Override
    public void trelu(float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = Math.min(1f, Math.max(0f, x[xOff + i]));
        }
    }

    @Override
    public void treluBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        for (int i = 0; i < n; i++) {
            float v = y[yOff + i];
            dx[dxOff + i] = v > 0f && v < 1f ? dy[dyOff + i] : 0f * v;
        }
    }
}
