package dev.lanes.core.internal;

/**
 * Sparsity and weight penalties: the family behind {@code dev.lanes.core.Penalties}, which validates
 * every argument and documents the formulas. Gradient methods add into {@code grad}.
 */
public interface PenaltyKernel {

    /** lambda * sum |a_i|. */
    float l1(float lambda, float[] a, int aOff, int n);

    /** grad_i += lambda * signum(a_i), where a_i is not +-0. */
    void l1Gradient(float lambda, float[] a, int aOff, float[] grad, int gOff, int n);

    /** rhoHat_j = (sum over rows i of a[i][j]) / rows, rows accumulated in order 0, 1, ... */
    void klRhoHat(int rows, int cols, float[] a, int aOff, int lda, float[] rhoHat, int rOff);

    /** beta * sum_j KL(rho || clamp(rhoHat_j)). */
    float kl(float rho, float beta, float[] rhoHat, int rOff, int cols);

    /** grad[i][j] += d kl / d a[i][j] for i < rows. */
    void klGradient(float rho, float beta, int rows, int cols, float[] rhoHat, int rOff,
                    float[] grad, int gOff, int ldg);

    /** (lambda / 2) * sum w_i^2. */
    float l2(float lambda, float[] w, int wOff, int n);

    /** grad_i += lambda * w_i. */
    void l2Gradient(float lambda, float[] w, int wOff, float[] grad, int gOff, int n);
}
