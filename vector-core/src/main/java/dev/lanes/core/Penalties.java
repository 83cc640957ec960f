package dev.lanes.core;

import dev.lanes.core.internal.Backends;
import dev.lanes.core.internal.PenaltyKernel;

/**
 * Regularisation penalties for autoencoders: L1 on activations, the KL sparsity penalty over a
 * batch of hidden activations, and L2 weight decay. Each value has a gradient method that ADDS
 * into a gradient buffer, so several terms can accumulate into one.
 *
 * <p>Arguments: {@code lambda} and {@code beta} must be finite and {@code >= 0}; {@code rho} in the
 * open interval (0, 1). Matrices are row-major with a leading dimension. NaN in the data propagates:
 * a NaN element gives a NaN value and a NaN gradient where it enters. An output may alias an input
 * only where stated.
 *
 * <p>Accuracy: the values ({@link #l1}, {@link #kl}, {@link #l2}) are float sums; the Panama
 * implementation keeps several partial sums, so it differs from the sequential scalar reference
 * by rounding, within the usual bound {@code n * 2^-24 * sum|terms|} of each. The gradient methods
 * and {@link #klRhoHat} give bit-identical results on both implementations. Everything is
 * single-threaded, so results are trivially independent of {@link Lanes#threads()}.
 *
 * <p><b>Reproducible.</b> Every sum is combined in a fixed order, its vector lanes included, so a call
 * gives the same bits each time on the same input, whether its code runs interpreted or compiled
 * (tested in a fresh JVM over 20,000 calls: ReproducibilityTest).
 */
public final class Penalties {

    /**
     * The clamp of the batch means in the KL penalty: rho-hat is clamped to
     * {@code [KL_EPSILON, 1 - KL_EPSILON]} (1 - KL_EPSILON evaluated in float), like PyTorch's
     * {@code rho_hat.clamp(1e-6, 1 - 1e-6)}, so the logarithms stay finite for dead or saturated units.
     */
    public static final float KL_EPSILON = 1e-6f;

    private static final PenaltyKernel IMPL = Backends.load(PenaltyKernel.class);

    private Penalties() {
    }

    /**
     * L1 penalty: {@code lambda * sum_i |a_i|} over {@code a[aOff, aOff+n)}, read only.
     * {@code n == 0} gives 0.
     *
     * @throws IllegalArgumentException if {@code lambda} is negative or not finite, or {@code n < 0}
     * @throws NullPointerException if {@code a} is null
     * @throws IndexOutOfBoundsException if the range lies outside {@code a}
     */
    public static float l1(float lambda, float[] a, int aOff, int n) {
        Args.nonNegativeFinite("l1", "lambda", lambda);
        Args.vector("l1", "a", a, aOff, n);
        return IMPL.l1(lambda, a, aOff, n);
    }

    /**
     * Adds the L1 subgradient: {@code grad[gOff+i] += lambda * sign(a[aOff+i])}, with sign(+-0) = 0
     * (the subgradient at the kink; {@code grad} is then left unchanged, signed zeros included) and
     * sign(NaN) = NaN. Reads {@code a}; reads and writes {@code grad}, which may be {@code a} at the
     * same offset.
     *
     * @throws IllegalArgumentException if {@code lambda} is negative or not finite, {@code n < 0}, or
     *     {@code grad} partially overlaps {@code a}
     * @throws NullPointerException if an array is null
     * @throws IndexOutOfBoundsException if a range lies outside its array
     */
    public static void l1Gradient(float lambda, float[] a, int aOff, float[] grad, int gOff, int n) {
        Args.nonNegativeFinite("l1Gradient", "lambda", lambda);
        Args.vector("l1Gradient", "a", a, aOff, n);
        Args.vector("l1Gradient", "grad", grad, gOff, n);
        Args.sameOrDisjoint("l1Gradient", "grad", grad, gOff, "a", a, aOff, n);
        IMPL.l1Gradient(lambda, a, aOff, grad, gOff, n);
    }

    /**
     * Batch means of the hidden units: {@code rhoHat[rOff+j] = (1/rows) sum_i a[aOff + i*lda + j]}
     * for {@code j < cols}, over the {@code rows x cols} activation matrix (one row per example).
     * Reads {@code a}, overwrites {@code rhoHat[rOff, rOff+cols)}, which must not overlap {@code a}.
     * Each column sums its rows in order 0, 1, ..., rows-1, then divides by rows.
     *
     * @throws IllegalArgumentException if {@code rows < 1}, {@code cols < 0}, {@code lda < cols}, or
     *     {@code rhoHat} overlaps {@code a}
     * @throws NullPointerException if an array is null
     * @throws IndexOutOfBoundsException if a range lies outside its array
     */
    public static void klRhoHat(int rows, int cols, float[] a, int aOff, int lda, float[] rhoHat, int rOff) {
        if (rows < 1) {
            throw new IllegalArgumentException("klRhoHat: rows=" + rows + " < 1 (a mean needs at least one row)");
        }
        Args.matrix("klRhoHat", "a", a, aOff, rows, cols, lda, "lda", "cols");
        Args.vector("klRhoHat", "rhoHat", rhoHat, rOff, cols);
        Args.disjoint("klRhoHat", "rhoHat", rhoHat, rOff, cols, "a", a, aOff, Args.span(rows, cols, lda));
        IMPL.klRhoHat(rows, cols, a, aOff, lda, rhoHat, rOff);
    }

    /**
     * KL sparsity penalty: {@code beta * sum_j [rho log(rho/r_j) + (1-rho) log((1-rho)/(1-r_j))]}
     * with {@code r_j = clamp(rhoHat[rOff+j], KL_EPSILON, 1-KL_EPSILON)}, for {@code j < cols}
     * (both logarithms, as in the definition of the divergence between Bernoulli(rho) and
     * Bernoulli(r_j)). Reads {@code rhoHat}. A NaN rho-hat gives NaN.
     *
     * @throws IllegalArgumentException if {@code rho} is not in (0, 1), {@code beta} is negative or
     *     not finite, or {@code cols < 0}
     * @throws NullPointerException if {@code rhoHat} is null
     * @throws IndexOutOfBoundsException if the range lies outside {@code rhoHat}
     */
    public static float kl(float rho, float beta, float[] rhoHat, int rOff, int cols) {
        Args.inOpenRange("kl", "rho", rho, 0f, 1f);
        Args.nonNegativeFinite("kl", "beta", beta);
        Args.vector("kl", "rhoHat", rhoHat, rOff, cols);
        return IMPL.kl(rho, beta, rhoHat, rOff, cols);
    }

    /**
     * Adds the gradient of {@link #kl} with respect to every activation, through
     * {@code rhoHat = klRhoHat(a)}: for {@code i < rows, j < cols},
     * {@code grad[gOff + i*ldg + j] += beta * (-rho/r_j + (1-rho)/(1-r_j)) / rows}.
     * This is the true gradient of the clamped function, as autograd gives it: where
     * {@code rhoHat[j]} lies outside {@code [KL_EPSILON, 1-KL_EPSILON]} the clamp is flat and
     * nothing is added to column j (at the bounds themselves the clamp passes the gradient). A NaN
     * rho-hat makes its column NaN. Reads {@code rhoHat}, reads and writes {@code grad}, which must
     * not overlap {@code rhoHat}. {@code rows == 0} adds nothing.
     *
     * @throws IllegalArgumentException if {@code rho} is not in (0, 1), {@code beta} is negative or
     *     not finite, {@code rows < 0}, {@code cols < 0}, {@code ldg < cols}, or {@code grad}
     *     overlaps {@code rhoHat}
     * @throws NullPointerException if an array is null
     * @throws IndexOutOfBoundsException if a range lies outside its array
     */
    public static void klGradient(float rho, float beta, int rows, int cols, float[] rhoHat, int rOff,
                                  float[] grad, int gOff, int ldg) {
        Args.inOpenRange("klGradient", "rho", rho, 0f, 1f);
        Args.nonNegativeFinite("klGradient", "beta", beta);
        Args.matrix("klGradient", "grad", grad, gOff, rows, cols, ldg, "ldg", "cols");
        Args.vector("klGradient", "rhoHat", rhoHat, rOff, cols);
        Args.disjoint("klGradient", "grad", grad, gOff, Args.span(rows, cols, ldg), "rhoHat", rhoHat, rOff, cols);
        IMPL.klGradient(rho, beta, rows, cols, rhoHat, rOff, grad, gOff, ldg);
    }

    /**
     * L2 weight decay: {@code (lambda/2) * sum_i w_i^2} over {@code w[wOff, wOff+n)}, read only. The
     * factor 1/2 makes the gradient {@code lambda * w} (see {@link #l2Gradient}).
     *
     * @throws IllegalArgumentException if {@code lambda} is negative or not finite, or {@code n < 0}
     * @throws NullPointerException if {@code w} is null
     * @throws IndexOutOfBoundsException if the range lies outside {@code w}
     */
    public static float l2(float lambda, float[] w, int wOff, int n) {
        Args.nonNegativeFinite("l2", "lambda", lambda);
        Args.vector("l2", "w", w, wOff, n);
        return IMPL.l2(lambda, w, wOff, n);
    }

    /**
     * Adds the L2 gradient: {@code grad[gOff+i] += lambda * w[wOff+i]}. Reads {@code w}; reads and
     * writes {@code grad}, which may be {@code w} at the same offset.
     *
     * @throws IllegalArgumentException if {@code lambda} is negative or not finite, {@code n < 0}, or
     *     {@code grad} partially overlaps {@code w}
     * @throws NullPointerException if an array is null
     * @throws IndexOutOfBoundsException if a range lies outside its array
     */
    public static void l2Gradient(float lambda, float[] w, int wOff, float[] grad, int gOff, int n) {
        Args.nonNegativeFinite("l2Gradient", "lambda", lambda);
        Args.vector("l2Gradient", "w", w, wOff, n);
        Args.vector("l2Gradient", "grad", grad, gOff, n);
        Args.sameOrDisjoint("l2Gradient", "grad", grad, gOff, "w", w, wOff, n);
        IMPL.l2Gradient(lambda, w, wOff, grad, gOff, n);
    }
}
