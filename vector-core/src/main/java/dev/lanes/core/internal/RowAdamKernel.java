package dev.lanes.core.internal;

/**
 * Lazy Adam on one row of parameters: replays the steps the row missed (zero gradient) in registers,
 * then applies the current step. Implemented by {@code ScalarRowAdam} (the reference) and
 * {@code PanamaRowAdam}; the public facade is {@code dev.lanes.core.RowAdam}.
 *
 * <p>Every step performs the float operations of {@code Optimizers.adamStep} with {@code gradScale = 1}
 * and no weight decay, in the same order and without fused multiply-adds:
 * <pre>
 * gi = g * 1 + 0 * p;  m = beta1 * m + c1 * gi;  v = beta2 * v + (c2 * gi) * gi
 * p  = p * 1 - stepSize[s] * (m / (sqrt(v) / sqrtBc2[s] + eps))
 * </pre>
 * so a row brought up to date here is bit-identical to the same row updated densely every step, and the
 * two implementations are bit-identical to each other.
 */
public interface RowAdamKernel {

    /**
     * For the {@code n} elements at {@code off} of {@code p}, {@code m}, {@code v}: zero-gradient steps
     * {@code s = from .. to-1}, then, if {@code g != null}, step {@code to} with gradient
     * {@code g[gOff ..]}. {@code stepSize} and {@code sqrtBc2} are indexed by the step number.
     */
    void update(int n, int from, int to, float beta1, float c1, float beta2, float c2, float eps,
                float[] stepSize, float[] sqrtBc2, float[] g, int gOff, float[] p, float[] m, float[] v, int off);
}
