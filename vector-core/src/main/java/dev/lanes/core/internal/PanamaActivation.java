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
 *
 * <p>Each loop body is written out in its loop, not in a helper taking and returning a vector: C2
 * sometimes declines to inline such a helper (AllocationTest caught reluBackward boxing every
 * vector, 5 KB per call), and every vector crossing the call is then boxed. The PanamaMath calls
 * are the one helper level left. Compare-and-blend rather than lanewise MAX/MIN: Java's max has NaN
 * and -0 rules that cost C2 extra instructions, and a blend on "x <= 0" already gives
 * Math.max(x, 0) exactly (NaN fails the compare and passes through, -0 becomes +0).
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
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            v.blend(0f, v.compare(VectorOperators.LE, 0f)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = ScalarActivation.relu(x[xOff + i]);
        }
    }

    @Override
    public void reluBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector vy = FloatVector.fromArray(S, y, yOff + i);
            FloatVector vdy = FloatVector.fromArray(S, dy, dyOff + i);
            vy.mul(0f).blend(vdy, vy.compare(VectorOperators.GT, 0f)).intoArray(dx, dxOff + i);
        }
        for (; i < n; i++) {
            dx[dxOff + i] = ScalarActivation.reluBackward(y[yOff + i], dy[dyOff + i]);
        }
    }

    @Override
    public void softplus(float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            // max(x, 0) + log1p(exp(-|x|)), with -|x| as one OR of the sign bit, and max(x, 0) + tail
            // as an addition masked to "not x <= 0", which adds x for NaN too (log1pExp does not
            // propagate it).
            PanamaMath.log1pExp(v.viewAsIntegralLanes().or(0x8000_0000).viewAsFloatingLanes())
                    .add(v, v.compare(VectorOperators.LE, 0f).not()).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = ScalarActivation.softplus(x[xOff + i]);
        }
    }

    @Override
    public void softplusBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector vy = FloatVector.fromArray(S, y, yOff + i);
            FloatVector vdy = FloatVector.fromArray(S, dy, dyOff + i);
            // sigmoid(x) = 1 - exp(-softplus(x)).
            PanamaMath.oneMinusExpNeg(vy).mul(vdy).intoArray(dx, dxOff + i);
        }
        for (; i < n; i++) {
            dx[dxOff + i] = ScalarActivation.softplusBackward(y[yOff + i], dy[dyOff + i]);
        }
    }

    @Override
    public void sigmoid(float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            // 1/(1+e) for x >= 0 and e/(1+e) for x < 0, e = exp(-|x|) in (0, 1]: nothing overflows.
            FloatVector e = PanamaMath.expNeg(v.abs());
            FloatVector.broadcast(S, 1f).blend(e, v.compare(VectorOperators.LT, 0f)).div(e.add(1f)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = ScalarActivation.sigmoid(x[xOff + i]);
        }
    }

    @Override
    public void sigmoidBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector vy = FloatVector.fromArray(S, y, yOff + i);
            FloatVector vdy = FloatVector.fromArray(S, dy, dyOff + i);
            vy.mul(vy.neg().add(1f)).mul(vdy).intoArray(dx, dxOff + i);
        }
        for (; i < n; i++) {
            dx[dxOff + i] = ScalarActivation.sigmoidBackward(y[yOff + i], dy[dyOff + i]);
        }
    }

    @Override
    public void tanh(float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            // tanh|x| = m/(2-m), m = 1 - exp(-2|x|), with the sign of x put back (so tanh(-0) = -0). m
            // is accurate near 0, so small |x| needs no separate polynomial; |x| >= 10 gives exactly 1.
            FloatVector a = v.abs();
            FloatVector m = PanamaMath.oneMinusExpNeg(a.add(a));
            m.div(m.neg().add(2f)).viewAsIntegralLanes().or(v.viewAsIntegralLanes().and(0x8000_0000))
                    .viewAsFloatingLanes().intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = ScalarActivation.tanh(x[xOff + i]);
        }
    }

    @Override
    public void tanhBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector vy = FloatVector.fromArray(S, y, yOff + i);
            FloatVector vdy = FloatVector.fromArray(S, dy, dyOff + i);
            vy.neg().add(1f).mul(vy.add(1f)).mul(vdy).intoArray(dx, dxOff + i);
        }
        for (; i < n; i++) {
            dx[dxOff + i] = ScalarActivation.tanhBackward(y[yOff + i], dy[dyOff + i]);
        }
    }

    @Override
    public void trelu(float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            v.blend(0f, v.compare(VectorOperators.LE, 0f)).blend(1f, v.compare(VectorOperators.GE, 1f))
                    .intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = ScalarActivation.trelu(x[xOff + i]);
        }
    }

    @Override
    public void treluBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector vy = FloatVector.fromArray(S, y, yOff + i);
            FloatVector vdy = FloatVector.fromArray(S, dy, dyOff + i);
            vy.mul(0f).blend(vdy, vy.compare(VectorOperators.GT, 0f).and(vy.compare(VectorOperators.LT, 1f))).intoArray(dx, dxOff + i);
        }
        for (; i < n; i++) {
            dx[dxOff + i] = ScalarActivation.treluBackward(y[yOff + i], dy[dyOff + i]);
        }
    }
}
