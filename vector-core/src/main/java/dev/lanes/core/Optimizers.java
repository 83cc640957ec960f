package dev.lanes.core;

import dev.lanes.core.internal.Backends;
import dev.lanes.core.internal.OptimizerKernel;
import java.util.Locale;

/**
 * Optimizer steps over a flat parameter buffer, one pass each: Adam / AdamW and SGD with momentum or
 * Nesterov momentum, as PyTorch's {@code torch.optim.Adam}, {@code AdamW} and {@code SGD} (dampening 0)
 * define them. Parameters {@code p}, gradients {@code g} and the optimizer state are parallel ranges of
 * {@code n} elements; they may share an array but must not overlap.
 *
 * <p>{@code gradScale} multiplies every gradient element before use (gradient-norm clipping passes
 * {@code min(1, maxNorm / norm)}, 1 otherwise), and {@code clearGrad} zeroes {@code g} in the same pass,
 * so the caller needs no separate pass for either.
 *
 * <p>Exactness: both implementations perform the same float operations per element, in the order given
 * in each method's comment (no fused multiply-add), so they give bit-identical results. Single-threaded:
 * results are trivially independent of {@link Lanes#threads()}. Non-finite values propagate; a weight
 * decay term {@code 0 * p} is still evaluated, so an infinite parameter gives NaN.
 */
public final class Optimizers {

    private static final OptimizerKernel IMPL = Backends.load(OptimizerKernel.class);

    private Optimizers() {
    }

    /**
     * One Adam (or AdamW) step, for {@code i < n}, in float:
     * <pre>
     * gi   = g[i] * gradScale + (decoupled ? 0 : weightDecay) * p[i]
     * m[i] = beta1 * m[i] + (1 - beta1) * gi
     * v[i] = beta2 * v[i] + (1 - beta2) * gi * gi
     * p[i] = p[i] * (decoupled ? 1 - lr * weightDecay : 1)
     *        - (lr / bc1) * (m[i] / (sqrt(v[i]) / sqrt(bc2) + eps))
     * </pre>
     * with the bias corrections {@code bc1 = 1 - beta1^t}, {@code bc2 = 1 - beta2^t} at step {@code t >= 1}
     * (pass 1 and 1 for none). {@code decoupled} is AdamW's weight decay, otherwise it is L2 added to the
     * gradient as in {@code Adam(weight_decay=...)}. Reads and writes {@code p}, {@code m}, {@code v};
     * reads {@code g}, and zeroes it if {@code clearGrad}.
     *
     * @throws IllegalArgumentException if {@code n < 0}; {@code lr}, {@code weightDecay} or
     *     {@code gradScale} is negative or not finite; {@code beta1} or {@code beta2} is outside [0, 1);
     *     {@code eps} is not finite and positive; a bias correction is outside (0, 1]; or two ranges overlap
     * @throws IndexOutOfBoundsException if a range lies outside its array
     * @throws NullPointerException if an array is null
     */
    public static void adamStep(int n, float lr, float beta1, float beta2, float eps, float weightDecay,
                                boolean decoupled, float bc1, float bc2, float gradScale, boolean clearGrad,
                                float[] p, int pOff, float[] g, int gOff, float[] m, int mOff, float[] v, int vOff) {
        String op = "adamStep";
        Args.nonNegative(op, "n", n);
        Args.inRange(op, "lr", lr, 0f, Float.MAX_VALUE);
        halfOpen(op, "beta1", beta1);
        halfOpen(op, "beta2", beta2);
        Args.inRange(op, "eps", eps, Float.MIN_VALUE, Float.MAX_VALUE);
        Args.inRange(op, "weightDecay", weightDecay, 0f, Float.MAX_VALUE);
        Args.inRange(op, "bc1", bc1, Float.MIN_VALUE, 1f);
        Args.inRange(op, "bc2", bc2, Float.MIN_VALUE, 1f);
        Args.inRange(op, "gradScale", gradScale, 0f, Float.MAX_VALUE);
        Args.vector(op, "p", p, pOff, n);
        Args.vector(op, "g", g, gOff, n);
        Args.vector(op, "m", m, mOff, n);
        Args.vector(op, "v", v, vOff, n);
        Args.disjoint(op, "p", p, pOff, n, "g", g, gOff, n);
        Args.disjoint(op, "p", p, pOff, n, "m", m, mOff, n);
        Args.disjoint(op, "p", p, pOff, n, "v", v, vOff, n);
        Args.disjoint(op, "g", g, gOff, n, "m", m, mOff, n);
        Args.disjoint(op, "g", g, gOff, n, "v", v, vOff, n);
        Args.disjoint(op, "m", m, mOff, n, "v", v, vOff, n);
        float l2 = decoupled ? 0f : weightDecay;
        float decay = decoupled ? 1f - lr * weightDecay : 1f;
        IMPL.adam(n, beta1, 1f - beta1, beta2, 1f - beta2, eps, l2, decay, lr / bc1, (float) Math.sqrt(bc2),
                gradScale, clearGrad, p, pOff, g, gOff, m, mOff, v, vOff);
    }

    /**
     * One SGD step, for {@code i < n}, in float:
     * <pre>
     * gi = g[i] * gradScale + weightDecay * p[i]
     * if momentum != 0: buf[i] = momentum * buf[i] + gi; d = nesterov ? gi + momentum * buf[i] : buf[i]
     * else d = gi
     * p[i] = p[i] - lr * d
     * </pre>
     * A momentum buffer that starts at zero gives PyTorch's first step ({@code buf = g}). Reads and writes
     * {@code p} and {@code buf}; reads {@code g}, and zeroes it if {@code clearGrad}. With
     * {@code momentum == 0}, {@code buf} is not used and may be null.
     *
     * @throws IllegalArgumentException if {@code n < 0}; {@code lr}, {@code weightDecay} or
     *     {@code gradScale} is negative or not finite; {@code momentum} is outside [0, 1); Nesterov is
     *     asked without momentum; or two ranges overlap
     * @throws IndexOutOfBoundsException if a range lies outside its array
     * @throws NullPointerException if {@code p}, {@code g}, or with momentum {@code buf}, is null
     */
    public static void sgdStep(int n, float lr, float momentum, boolean nesterov, float weightDecay,
                               float gradScale, boolean clearGrad,
                               float[] p, int pOff, float[] g, int gOff, float[] buf, int bufOff) {
        String op = "sgdStep";
        Args.nonNegative(op, "n", n);
        Args.inRange(op, "lr", lr, 0f, Float.MAX_VALUE);
        halfOpen(op, "momentum", momentum);
        Args.inRange(op, "weightDecay", weightDecay, 0f, Float.MAX_VALUE);
        Args.inRange(op, "gradScale", gradScale, 0f, Float.MAX_VALUE);
        if (nesterov && momentum == 0f) {
            throw new IllegalArgumentException(op + ": nesterov needs momentum > 0, momentum=" + momentum);
        }
        Args.vector(op, "p", p, pOff, n);
        Args.vector(op, "g", g, gOff, n);
        if (momentum != 0f) {
            Args.vector(op, "buf", buf, bufOff, n);
            Args.disjoint(op, "p", p, pOff, n, "buf", buf, bufOff, n);
            Args.disjoint(op, "g", g, gOff, n, "buf", buf, bufOff, n);
        }
        Args.disjoint(op, "p", p, pOff, n, "g", g, gOff, n);
        IMPL.sgd(n, lr, momentum, nesterov, weightDecay, gradScale, clearGrad, p, pOff, g, gOff, buf, bufOff);
    }

    /** A decay rate: in [0, 1). */
    private static void halfOpen(String op, String name, float x) {
        if (!(x >= 0f && x < 1f)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: %s=%s not in [0, 1)", op, name, x));
        }
    }
}
