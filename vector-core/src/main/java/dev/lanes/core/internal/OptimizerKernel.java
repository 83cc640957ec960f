package dev.lanes.core.internal;

/**
 * Optimizer steps over a flat parameter buffer: the kernels behind {@code dev.lanes.core.Optimizers}.
 * The facade validates the arguments and derives the per-step constants once, so both implementations
 * see the same floats; the scalar reference {@link ScalarOptimizer} is the specification. Each element
 * sees the same IEEE operations in the same order on both (no fused multiply-add, correctly rounded
 * sqrt and division), so the results are bit-identical.
 */
public interface OptimizerKernel {

    /**
     * One Adam step per element {@code i < n}, in this order, all in float:
     * <pre>
     * gi = g[i] * gradScale + l2 * p[i]
     * m[i] = beta1 * m[i] + c1 * gi                  (c1 = 1 - beta1)
     * v[i] = beta2 * v[i] + c2 * gi * gi             (c2 = 1 - beta2)
     * p[i] = p[i] * decay - stepSize * (m[i] / (sqrt(v[i]) / sqrtBc2 + eps))
     * g[i] = 0 if clearGrad
     * </pre>
     */
    void adam(int n, float beta1, float c1, float beta2, float c2, float eps, float l2, float decay,
              float stepSize, float sqrtBc2, float gradScale, boolean clearGrad,
              float[] p, int pOff, float[] g, int gOff, float[] m, int mOff, float[] v, int vOff);

    /**
     * One SGD step per element {@code i < n}:
     * <pre>
     * gi = g[i] * gradScale + l2 * p[i]
     * if momentum != 0: b = momentum * buf[i] + gi; buf[i] = b; d = nesterov ? gi + momentum * b : b
     * else d = gi (buf not touched, may be null)
     * p[i] = p[i] - lr * d
     * g[i] = 0 if clearGrad
     * </pre>
     */
    void sgd(int n, float lr, float momentum, boolean nesterov, float l2, float gradScale, boolean clearGrad,
             float[] p, int pOff, float[] g, int gOff, float[] buf, int bufOff);
}
