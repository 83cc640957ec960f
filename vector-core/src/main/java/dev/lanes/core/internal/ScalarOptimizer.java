package dev.lanes.core.internal;

/** The scalar reference for {@link OptimizerKernel}: one plain loop per step, which defines the results. */
final class ScalarOptimizer implements OptimizerKernel {

    @Override
    public void adam(int n, float beta1, float c1, float beta2, float c2, float eps, float l2, float decay,
                     float stepSize, float sqrtBc2, float gradScale, boolean clearGrad,
                     float[] p, int pOff, float[] g, int gOff, float[] m, int mOff, float[] v, int vOff) {
        for (int i = 0; i < n; i++) {
            float pi = p[pOff + i];
            float gi = g[gOff + i] * gradScale + l2 * pi;
            float mi = beta1 * m[mOff + i] + c1 * gi;
            float vi = beta2 * v[vOff + i] + c2 * gi * gi;
            m[mOff + i] = mi;
            v[vOff + i] = vi;
            float denom = (float) Math.sqrt(vi) / sqrtBc2 + eps;
            p[pOff + i] = pi * decay - stepSize * (mi / denom);
            if (clearGrad) {
                g[gOff + i] = 0f;
            }
        }
    }

    @Override
    public void sgd(int n, float lr, float momentum, boolean nesterov, float l2, float gradScale, boolean clearGrad,
                    float[] p, int pOff, float[] g, int gOff, float[] buf, int bufOff) {
        for (int i = 0; i < n; i++) {
            float pi = p[pOff + i];
            float gi = g[gOff + i] * gradScale + l2 * pi;
            float d = gi;
            if (momentum != 0f) {
                float b = momentum * buf[bufOff + i] + gi;
                buf[bufOff + i] = b;
                d = nesterov ? gi + momentum * b : b;
            }
            p[pOff + i] = pi - lr * d;
            if (clearGrad) {
                g[gOff + i] = 0f;
            }
        }
    }
}
