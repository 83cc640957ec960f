package dev.lanes.core.internal;

/**
 * The specification of the penalties: plain sequential float loops. The logarithms go through
 * {@code Math.log} in double, rounded once to float.
 */
final class ScalarPenalty implements PenaltyKernel {

    /** The clamp of rho-hat, as {@code dev.lanes.core.Penalties.KL_EPSILON}. */
    static final float EPS = 1e-6f;
    static final float ONE_MINUS_EPS = 1f - EPS;

    @Override
    public float l1(float lambda, float[] a, int aOff, int n) {
        float s = 0f;
        for (int i = 0; i < n; i++) {
            s += Math.abs(a[aOff + i]);
        }
        return lambda * s;
    }

    @Override
    public void l1Gradient(float lambda, float[] a, int aOff, float[] grad, int gOff, int n) {
        for (int i = 0; i < n; i++) {
            float sign = Math.signum(a[aOff + i]);
            if (sign != 0f) { // sign(+-0) = 0 adds nothing, not even a +0 that would turn -0 into +0
                grad[gOff + i] += lambda * sign;
            }
        }
    }

    @Override
    public void klRhoHat(int rows, int cols, float[] a, int aOff, int lda, float[] rhoHat, int rOff) {
        for (int j = 0; j < cols; j++) {
            rhoHat[rOff + j] = 0f;
        }
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                rhoHat[rOff + j] += a[aOff + i * lda + j];
            }
        }
        for (int j = 0; j < cols; j++) {
            rhoHat[rOff + j] /= rows;
        }
    }

    @Override
    public float kl(float rho, float beta, float[] rhoHat, int rOff, int cols) {
        float s = 0f;
        for (int j = 0; j < cols; j++) {
            s += klTerm(rho, rhoHat[rOff + j]);
        }
        return beta * s;
    }

    /** rho log(rho/r) + (1-rho) log((1-rho)/(1-r)), r = clamp(rhoHat). */
    static float klTerm(float rho, float rhoHat) {
        float r = clamp(rhoHat);
        return rho * (float) Math.log(rho / r) + (1f - rho) * (float) Math.log((1f - rho) / (1f - r));
    }

    @Override
    public void klGradient(float rho, float beta, int rows, int cols, float[] rhoHat, int rOff,
                           float[] grad, int gOff, int ldg) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                grad[gOff + i * ldg + j] += klColumnGradient(rho, beta, rows, rhoHat[rOff + j]);
            }
        }
    }

    /**
     * The derivative of the KL term of one column with respect to each of its {@code rows}
     * activations. Outside [EPS, 1-EPS] the clamp is constant, its derivative 0: -0 then, because
     * adding -0 leaves every value unchanged (adding +0 would turn -0 into +0). NaN stays NaN.
     */
    static float klColumnGradient(float rho, float beta, int rows, float r) {
        if (r < EPS || r > ONE_MINUS_EPS) {
            return -0f;
        }
        return beta * (-rho / r + (1f - rho) / (1f - r)) / rows;
    }

    /** clamp(r, EPS, 1-EPS); NaN stays NaN. */
    static float clamp(float r) {
        return Math.min(Math.max(r, EPS), ONE_MINUS_EPS);
    }

    @Override
    public float l2(float lambda, float[] w, int wOff, int n) {
        float s = 0f;
        for (int i = 0; i < n; i++) {
            float v = w[wOff + i];
            s += v * v;
        }
        return 0.5f * lambda * s;
    }

    @Override
    public void l2Gradient(float lambda, float[] w, int wOff, float[] grad, int gOff, int n) {
        for (int i = 0; i < n; i++) {
            grad[gOff + i] += lambda * w[wOff + i];
        }
    }
}
