package dev.lanes.core.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API activations. Each method: a vector body over {@code loopBound(n)}, then the last
 * {@code n mod L} elements through the scalar reference's per-element function. Not a masked
 * vector tail: a second copy of a transcendental body pushes C2 past its inlining node budget, and
 * the whole loop then runs with boxed vectors, ten times slower. ReLU, TReLU and the sigmoid, tanh,
 * ReLU and TReLU derivatives are bit-exact with {@link ScalarActivation}; SIGMOID, TANH, SOFTPLUS
 * and the SOFTPLUS derivative use {@link PanamaMath} and agree within a few ulps.
 */
final class PanamaActivation implements ActivationKernel {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

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
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            relu(FloatVector.fromArray(S, x, xOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = ScalarActivation.relu(x[xOff + i]);
        }
    }

    @Override
    public void reluBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            reluBackward(FloatVector.fromArray(S, y, yOff + i), FloatVector.fromArray(S, dy, dyOff + i))
                    .intoArray(dx, dxOff + i);
        }
        for (; i < n; i++) {
            dx[dxOff + i] = ScalarActivation.reluBackward(y[yOff + i], dy[dyOff + i]);
        }
    }

    @Override
    public void softplus(float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            softplus(FloatVector.fromArray(S, x, xOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = ScalarActivation.softplus(x[xOff + i]);
        }
    }

    @Override
    public void softplusBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            softplusBackward(FloatVector.fromArray(S, y, yOff + i), FloatVector.fromArray(S, dy, dyOff + i))
                    .intoArray(dx, dxOff + i);
        }
        for (; i < n; i++) {
            dx[dxOff + i] = ScalarActivation.softplusBackward(y[yOff + i], dy[dyOff + i]);
        }
    }

    @Override
    public void sigmoid(float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            sigmoid(FloatVector.fromArray(S, x, xOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = ScalarActivation.sigmoid(x[xOff + i]);
        }
    }

    @Override
    public void sigmoidBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            sigmoidBackward(FloatVector.fromArray(S, y, yOff + i), FloatVector.fromArray(S, dy, dyOff + i))
                    .intoArray(dx, dxOff + i);
        }
        for (; i < n; i++) {
            dx[dxOff + i] = ScalarActivation.sigmoidBackward(y[yOff + i], dy[dyOff + i]);
        }
    }

    @Override
    public void tanh(float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            tanh(FloatVector.fromArray(S, x, xOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = ScalarActivation.tanh(x[xOff + i]);
        }
    }

    @Override
    public void tanhBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            tanhBackward(FloatVector.fromArray(S, y, yOff + i), FloatVector.fromArray(S, dy, dyOff + i))
                    .intoArray(dx, dxOff + i);
        }
        for (; i < n; i++) {
            dx[dxOff + i] = ScalarActivation.tanhBackward(y[yOff + i], dy[dyOff + i]);
        }
    }

    @Override
    public void trelu(float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            trelu(FloatVector.fromArray(S, x, xOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = ScalarActivation.trelu(x[xOff + i]);
        }
    }

    @Override
    public void treluBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            treluBackward(FloatVector.fromArray(S, y, yOff + i), FloatVector.fromArray(S, dy, dyOff + i))
                    .intoArray(dx, dxOff + i);
        }
        for (; i < n; i++) {
            dx[dxOff + i] = ScalarActivation.treluBackward(y[yOff + i], dy[dyOff + i]);
        }
    }

    // One vector of each function. Compare-and-blend rather than lanewise MAX/MIN: Java's max has
    // NaN and -0 rules that cost C2 extra instructions, and a blend on "x <= 0" already gives
    // Math.max(x, 0) exactly (NaN fails the compare and passes through, -0 becomes +0).

    private static FloatVector relu(FloatVector x) {
        return x.blend(0f, x.compare(VectorOperators.LE, 0f));
    }

    private static FloatVector reluBackward(FloatVector y, FloatVector dy) {
        return y.mul(0f).blend(dy, y.compare(VectorOperators.GT, 0f));
    }

    private static FloatVector trelu(FloatVector x) {
        return x.blend(0f, x.compare(VectorOperators.LE, 0f)).blend(1f, x.compare(VectorOperators.GE, 1f));
    }

    private static FloatVector treluBackward(FloatVector y, FloatVector dy) {
        var inside = y.compare(VectorOperators.GT, 0f).and(y.compare(VectorOperators.LT, 1f));
        return y.mul(0f).blend(dy, inside);
    }

    /**
     * max(x, 0) + log1p(exp(-|x|)), with -|x| as one OR of the sign bit, and max(x, 0) + tail as
     * an addition masked to "not x <= 0", which adds x for NaN too (log1pExp does not propagate it).
     */
    private static FloatVector softplus(FloatVector x) {
        FloatVector tail = PanamaMath.log1pExp(x.viewAsIntegralLanes().or(0x8000_0000).viewAsFloatingLanes());
        return tail.add(x, x.compare(VectorOperators.LE, 0f).not());
    }

    /** sigmoid(x) = 1 - exp(-softplus(x)). */
    private static FloatVector softplusBackward(FloatVector y, FloatVector dy) {
        return PanamaMath.oneMinusExpNeg(y).mul(dy);
    }

    /** 1/(1+e) for x >= 0 and e/(1+e) for x < 0, e = exp(-|x|) in (0, 1]: nothing overflows. */
    private static FloatVector sigmoid(FloatVector x) {
        FloatVector e = PanamaMath.expNeg(x.abs());
        FloatVector num = FloatVector.broadcast(S, 1f).blend(e, x.compare(VectorOperators.LT, 0f));
        return num.div(e.add(1f));
    }

    private static FloatVector sigmoidBackward(FloatVector y, FloatVector dy) {
        return y.mul(y.neg().add(1f)).mul(dy);
    }

    /**
     * tanh|x| = m/(2-m), m = 1 - exp(-2|x|), with the sign of x put back (so tanh(-0) = -0). m is
     * accurate near 0, so small |x| needs no separate polynomial; |x| >= 10 gives exactly 1.
     */
    private static FloatVector tanh(FloatVector x) {
        FloatVector a = x.abs();
        FloatVector m = PanamaMath.oneMinusExpNeg(a.add(a));
        FloatVector t = m.div(m.neg().add(2f));
        return t.viewAsIntegralLanes().or(x.viewAsIntegralLanes().and(0x8000_0000)).viewAsFloatingLanes();
    }

    private static FloatVector tanhBackward(FloatVector y, FloatVector dy) {
        return y.neg().add(1f).mul(y.add(1f)).mul(dy);
    }
}
