package dev.lanes.core.internal;

import static dev.lanes.core.internal.PanamaMath.EXP_LIMIT;
import static dev.lanes.core.internal.PanamaMath.LN2_HI;
import static dev.lanes.core.internal.PanamaMath.LN2_LO;
import static dev.lanes.core.internal.PanamaMath.LOG2E;
import static dev.lanes.core.internal.PanamaMath.MINUS_EXP_LIMIT_BITS;
import static dev.lanes.core.internal.PanamaMath.ONE_MINUS_EXP_LIMIT;
import static dev.lanes.core.internal.PanamaMath.P0;
import static dev.lanes.core.internal.PanamaMath.P1;
import static dev.lanes.core.internal.PanamaMath.P2;
import static dev.lanes.core.internal.PanamaMath.P3;
import static dev.lanes.core.internal.PanamaMath.Q0;
import static dev.lanes.core.internal.PanamaMath.Q1;
import static dev.lanes.core.internal.PanamaMath.Q2;
import static dev.lanes.core.internal.PanamaMath.Q3;
import static dev.lanes.core.internal.PanamaMath.Q4;
import static dev.lanes.core.internal.PanamaMath.SCALE_SHIFTER;
import static dev.lanes.core.internal.PanamaMath.SHIFTER;
import static dev.lanes.core.internal.PanamaMath.SHIFTER_BITS;
import static dev.lanes.core.internal.PanamaMath.SIGMOID_TABLE;
import static dev.lanes.core.internal.PanamaMath.SIGMOID_TABLE_END;
import static dev.lanes.core.internal.PanamaMath.SOFTPLUS_TABLE;
import static dev.lanes.core.internal.PanamaMath.SOFTPLUS_TABLE_END;
import static dev.lanes.core.internal.PanamaMath.SOFTPLUS_TABLE_END_BITS;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API activations. Each method: a vector body over {@code loopBound(n)}, then the last
 * {@code n mod L} elements. ReLU and TReLU take them through the scalar reference's per-element
 * function. The transcendental kernels copy them into a per-thread scratch of L floats padded with
 * zeros and run their own body once more on it (tailOf): a scalar tail of up to 15 softplus calls
 * took four times as long as the 7 vectors before it at n = 127. Not a masked vector tail in the
 * same method: a second copy of a transcendental body pushes C2 past its inlining node budget, and
 * the whole loop then runs with boxed vectors, ten times slower. The sigmoid and tanh derivatives,
 * two multiplications each, do take one masked vector step for the tail: their scalar references
 * are loops C2 vectorizes itself, and a scalar tail of up to 15 elements left the SIMD kernel at
 * about half their speed at n = 127. When their three offsets agree they run C2's own loop instead
 * (see {@link #sigmoidBackward}). ReLU, TReLU and the sigmoid, tanh,
 * ReLU and TReLU derivatives are bit-exact with {@link ScalarActivation}; SIGMOID, TANH, SOFTPLUS
 * and the SOFTPLUS derivative use {@link PanamaMath} and agree within a few ulps.
 *
 * <p>Each loop body is written out in its loop, the PanamaMath functions included, not in a helper
 * taking and returning a vector: C2 sometimes declines to inline such a helper (AllocationTest
 * caught reluBackward boxing every vector, 5 KB per call; tanh once ran ten times slower), and
 * every vector crossing the call is then boxed. Compare-and-blend rather than lanewise MAX/MIN: Java's max has NaN
 * and -0 rules that cost C2 extra instructions, and a blend on "x <= 0" already gives
 * Math.max(x, 0) exactly (NaN fails the compare and passes through, -0 becomes +0).
 */
final class PanamaActivation implements ActivationKernel {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Each thread's 2 L floats for tailOf. */
    private static final ThreadLocal<float[]> TAIL = ThreadLocal.withInitial(() -> new float[2 * L]);

    /**
     * The last r < L elements of a, at off, copied into this thread's scratch and followed by zeros
     * up to L: the transcendental kernels run their vector body once more on it instead of r scalar
     * calls (a second, masked copy of the body would push C2 past its node budget; see above).
     */
    private static float[] tailOf(float[] a, int off, int r) {
        float[] buf = TAIL.get();
        System.arraycopy(a, off, buf, 0, r);
        Arrays.fill(buf, r, L, 0f);
        return buf;
    }

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
        if (xOff == yOff) {
            // One index: C2's own loop with aligned stores, as in sigmoidBackward. Measured 0.92x for the
            // Vector API loop against it at n = 65536, in one JVM (2026-11-23).
            for (int i = yOff, end = yOff + n; i < end; i++) {
                y[i] = ScalarActivation.relu(x[i]);
            }
            return;
        }
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
        // softplusTable: coefficient j of all 32 segments in two vectors, picked per lane by one
        // two-register permute each.
        IntVector a0l = IntVector.fromArray(I, SOFTPLUS_TABLE, 0), a0h = IntVector.fromArray(I, SOFTPLUS_TABLE, 16);
        IntVector a1l = IntVector.fromArray(I, SOFTPLUS_TABLE, 32), a1h = IntVector.fromArray(I, SOFTPLUS_TABLE, 48);
        IntVector a2l = IntVector.fromArray(I, SOFTPLUS_TABLE, 64), a2h = IntVector.fromArray(I, SOFTPLUS_TABLE, 80);
        IntVector a3l = IntVector.fromArray(I, SOFTPLUS_TABLE, 96), a3h = IntVector.fromArray(I, SOFTPLUS_TABLE, 112);
        IntVector a4l = IntVector.fromArray(I, SOFTPLUS_TABLE, 128), a4h = IntVector.fromArray(I, SOFTPLUS_TABLE, 144);
        IntVector a5l = IntVector.fromArray(I, SOFTPLUS_TABLE, 160), a5h = IntVector.fromArray(I, SOFTPLUS_TABLE, 176);
        // The inner loop has no call in it, so C2 keeps the tables and constants in registers and
        // unrolls it; a vector it cannot take ends it, goes to softplusByExpLog, and the loop resumes.
        int i = 0;
        int bound = S.loopBound(n);
        while (i < bound) {
            for (; i < bound; i += L) {
                FloatVector v = FloatVector.fromArray(S, x, xOff + i);
                if (!v.compare(VectorOperators.GE, -SOFTPLUS_TABLE_END).allTrue()) {
                    break; // a lane below the table, or NaN
                }
                // |x| clamped to the table's end by one integer min (for x beyond it, x + tail
                // rounds to x); segment j = round(2|x|) from the shifter's low bits, which the
                // two-register permute reads modulo 32; s = |x| - j/2 exactly.
                FloatVector a = v.abs().viewAsIntegralLanes().min(SOFTPLUS_TABLE_END_BITS).viewAsFloatingLanes();
                FloatVector shifted = a.fma(2f, SHIFTER);
                FloatVector s = shifted.sub(SHIFTER).fma(FloatVector.broadcast(S, -0.5f), a);
                IntVector j = shifted.viewAsIntegralLanes();
                FloatVector tail = j.selectFrom(a5l, a5h).viewAsFloatingLanes()
                        .fma(s, j.selectFrom(a4l, a4h).viewAsFloatingLanes())
                        .fma(s, j.selectFrom(a3l, a3h).viewAsFloatingLanes())
                        .fma(s, j.selectFrom(a2l, a2h).viewAsFloatingLanes())
                        .fma(s, j.selectFrom(a1l, a1h).viewAsFloatingLanes())
                        .fma(s, j.selectFrom(a0l, a0h).viewAsFloatingLanes());
                tail.add(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, yOff + i);
            }
            if (i < bound) {
                softplusByExpLog(x, xOff + i, y, yOff + i);
                i += L;
            }
        }
        if (i < n) {
            float[] buf = tailOf(x, xOff + i, n - i);
            softplus(buf, 0, buf, 0, L);
            System.arraycopy(buf, 0, y, yOff + i, n - i);
        }
    }

    /** softplus by log1pExp for the one vector at xOff, which the table does not cover (a lane x < -SOFTPLUS_TABLE_END, or NaN). */
    private static void softplusByExpLog(float[] x, int xOff, float[] y, int yOff) {
        FloatVector v = FloatVector.fromArray(S, x, xOff);
        // max(x, 0) + log1pExp(-|x|), -|x| as one OR of the sign bit, clamped to [-104, 0] by one
        // integer min; max(x, 0) + tail as an addition masked to "not x <= 0", which adds x for NaN
        // too (log1pExp gives 0 for it).
        FloatVector nx = v.viewAsIntegralLanes().or(0x8000_0000).min(MINUS_EXP_LIMIT_BITS).viewAsFloatingLanes();
        FloatVector shifted = nx.fma(LOG2E, SCALE_SHIFTER);
        FloatVector minusK = shifted.sub(SCALE_SHIFTER);
        FloatVector t = minusK.fma(FloatVector.broadcast(S, -LN2_LO), minusK.fma(FloatVector.broadcast(S, -LN2_HI), nx));
        FloatVector t2 = t.mul(t);
        FloatVector q = t2.fma(FloatVector.broadcast(S, Q4), t.fma(-Q3, Q2)).fma(t2, t.fma(-Q1, Q0));
        // E = 2^64 e = (1 + w) 2^(64-k), the power of two added to the exponent field as an integer;
        // u = E/(E/2 + 2^64) rounds once, into the subnormals where it must.
        FloatVector e = q.fma(t2, t).add(1f).viewAsIntegralLanes()
                .add(shifted.viewAsIntegralLanes().sub(127).lanewise(VectorOperators.LSHL, 23)).viewAsFloatingLanes();
        FloatVector u = e.div(e.fma(0.5f, 0x1p64f));
        FloatVector z = u.mul(u);
        FloatVector p = z.fma(P3, P2).fma(z, FloatVector.broadcast(S, P1)).fma(z, FloatVector.broadcast(S, P0));
        p.fma(u.mul(z), u).add(v, v.compare(VectorOperators.LE, 0f).not()).intoArray(y, yOff);
    }

    @Override
    public void softplusBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector vy = FloatVector.fromArray(S, y, yOff + i);
            FloatVector vdy = FloatVector.fromArray(S, dy, dyOff + i);
            // sigmoid(x) = 1 - exp(-softplus(x)) = oneMinusExpNeg(y).
            FloatVector a = vy.blend(ONE_MINUS_EXP_LIMIT, vy.compare(VectorOperators.GT, ONE_MINUS_EXP_LIMIT));
            FloatVector shifted = a.fma(LOG2E, SHIFTER);
            FloatVector k = shifted.sub(SHIFTER);
            FloatVector r = k.fma(FloatVector.broadcast(S, -LN2_LO), k.fma(FloatVector.broadcast(S, -LN2_HI), a));
            FloatVector r2 = r.mul(r);
            FloatVector q = r2.fma(FloatVector.broadcast(S, -Q4), r.fma(-Q3, -Q2)).fma(r2, r.fma(-Q1, -Q0));
            FloatVector scale = IntVector.broadcast(I, 127 + SHIFTER_BITS).sub(shifted.viewAsIntegralLanes())
                    .lanewise(VectorOperators.LSHL, 23).viewAsFloatingLanes();
            q.fma(r2, r).fma(scale, FloatVector.broadcast(S, 1f).sub(scale)).mul(vdy).intoArray(dx, dxOff + i);
        }
        if (i < n) {
            float[] buf = tailOf(y, yOff + i, n - i);
            System.arraycopy(dy, dyOff + i, buf, L, n - i);
            softplusBackward(buf, 0, buf, L, buf, 0, L);
            System.arraycopy(buf, 0, dx, dxOff + i, n - i);
        }
    }

    @Override
    public void sigmoid(float[] x, int xOff, float[] y, int yOff, int n) {
        // sigmoidTable, as softplus's: coefficient j of all 32 segments in two vectors.
        IntVector a0l = IntVector.fromArray(I, SIGMOID_TABLE, 0), a0h = IntVector.fromArray(I, SIGMOID_TABLE, 16);
        IntVector a1l = IntVector.fromArray(I, SIGMOID_TABLE, 32), a1h = IntVector.fromArray(I, SIGMOID_TABLE, 48);
        IntVector a2l = IntVector.fromArray(I, SIGMOID_TABLE, 64), a2h = IntVector.fromArray(I, SIGMOID_TABLE, 80);
        IntVector a3l = IntVector.fromArray(I, SIGMOID_TABLE, 96), a3h = IntVector.fromArray(I, SIGMOID_TABLE, 112);
        IntVector a4l = IntVector.fromArray(I, SIGMOID_TABLE, 128), a4h = IntVector.fromArray(I, SIGMOID_TABLE, 144);
        IntVector a5l = IntVector.fromArray(I, SIGMOID_TABLE, 160), a5h = IntVector.fromArray(I, SIGMOID_TABLE, 176);
        int i = 0;
        int bound = S.loopBound(n);
        while (i < bound) { // as softplus's: no call in the inner loop
            for (; i < bound; i += L) {
                FloatVector v = FloatVector.fromArray(S, x, xOff + i);
                FloatVector a = v.abs();
                if (!a.compare(VectorOperators.LE, SIGMOID_TABLE_END).allTrue()) {
                    break; // a lane beyond the table, or NaN
                }
                // sigmoid(-|x|) from segment j = round(2|x|), s = |x| - j/2; sigmoid(x) = 1 - that
                // for x >= 0 (at least 1/2, so the subtraction loses nothing).
                FloatVector shifted = a.fma(2f, SHIFTER);
                FloatVector s = shifted.sub(SHIFTER).fma(FloatVector.broadcast(S, -0.5f), a);
                IntVector j = shifted.viewAsIntegralLanes();
                FloatVector low = j.selectFrom(a5l, a5h).viewAsFloatingLanes()
                        .fma(s, j.selectFrom(a4l, a4h).viewAsFloatingLanes())
                        .fma(s, j.selectFrom(a3l, a3h).viewAsFloatingLanes())
                        .fma(s, j.selectFrom(a2l, a2h).viewAsFloatingLanes())
                        .fma(s, j.selectFrom(a1l, a1h).viewAsFloatingLanes())
                        .fma(s, j.selectFrom(a0l, a0h).viewAsFloatingLanes());
                low.blend(FloatVector.broadcast(S, 1f).sub(low), v.compare(VectorOperators.GE, 0f)).intoArray(y, yOff + i);
            }
            if (i < bound) {
                sigmoidByExp(x, xOff + i, y, yOff + i);
                i += L;
            }
        }
        if (i < n) {
            float[] buf = tailOf(x, xOff + i, n - i);
            sigmoid(buf, 0, buf, 0, L);
            System.arraycopy(buf, 0, y, yOff + i, n - i);
        }
    }

    /** sigmoid by expNeg for the one vector at xOff, which the table does not cover (a lane |x| > SIGMOID_TABLE_END, or NaN). */
    private static void sigmoidByExp(float[] x, int xOff, float[] y, int yOff) {
        FloatVector v = FloatVector.fromArray(S, x, xOff);
        // 1/(1+e) for x >= 0 and e/(1+e) for x < 0, e = expNeg(|x|) in (0, 1]: nothing overflows.
        FloatVector a = v.abs();
        a = a.blend(EXP_LIMIT, a.compare(VectorOperators.GT, EXP_LIMIT));
        FloatVector shifted = a.fma(LOG2E, SHIFTER);
        FloatVector k = shifted.sub(SHIFTER);
        FloatVector t = k.fma(FloatVector.broadcast(S, LN2_LO), k.fma(FloatVector.broadcast(S, LN2_HI), a.neg()));
        FloatVector t2 = t.mul(t);
        FloatVector q = t2.fma(FloatVector.broadcast(S, Q4), t.fma(-Q3, Q2)).fma(t2, t.fma(-Q1, Q0));
        FloatVector scale = IntVector.broadcast(I, 127 + 64 + SHIFTER_BITS).sub(shifted.viewAsIntegralLanes())
                .lanewise(VectorOperators.LSHL, 23).viewAsFloatingLanes();
        FloatVector e = q.fma(t2, t).add(1f).mul(scale).mul(0x1p-64f);
        FloatVector.broadcast(S, 1f).blend(e, v.compare(VectorOperators.LT, 0f)).div(e.add(1f)).intoArray(y, yOff);
    }

    /**
     * With one offset for all three arrays (whole arrays, in place: every call Lanes itself makes) the
     * loop has a single index, and C2 vectorizes it itself, with a pre-loop that aligns the stores to
     * dx's 64-byte lines. It computes that from dx's address, which Java code cannot see, so a Vector
     * API loop cannot have the alignment; at 64K floats, in L2, a Vector API loop measured 0.84-0.98x
     * of this one depending on where the arrays fell. With different offsets C2 must assume the arrays
     * overlap and leaves the plain loop scalar (about 2 G elements/s); the Vector API loop then runs
     * at 6-8. Same operations in the same order either way: bitwise the same result.
     */
    @Override
    public void sigmoidBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        if (yOff == dxOff && dyOff == dxOff) {
            for (int i = dxOff, end = dxOff + n; i < end; i++) {
                dx[i] = ScalarActivation.sigmoidBackward(y[i], dy[i]);
            }
            return;
        }
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector vy = FloatVector.fromArray(S, y, yOff + i);
            FloatVector vdy = FloatVector.fromArray(S, dy, dyOff + i);
            vy.mul(FloatVector.broadcast(S, 1f).sub(vy)).mul(vdy).intoArray(dx, dxOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector vy = FloatVector.fromArray(S, y, yOff + i, m);
            FloatVector vdy = FloatVector.fromArray(S, dy, dyOff + i, m);
            vy.mul(FloatVector.broadcast(S, 1f).sub(vy)).mul(vdy).intoArray(dx, dxOff + i, m);
        }
    }

    @Override
    public void tanh(float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            // tanh|x| = m/(2-m), m = oneMinusExpNeg(2|x|), with the sign of x put back (so tanh(-0) =
            // -0). m is accurate near 0, so small |x| needs no separate polynomial; |x| >= 10 gives
            // exactly 1.
            FloatVector a = v.abs();
            a = a.add(a);
            a = a.blend(ONE_MINUS_EXP_LIMIT, a.compare(VectorOperators.GT, ONE_MINUS_EXP_LIMIT));
            FloatVector shifted = a.fma(LOG2E, SHIFTER);
            FloatVector k = shifted.sub(SHIFTER);
            FloatVector r = k.fma(FloatVector.broadcast(S, -LN2_LO), k.fma(FloatVector.broadcast(S, -LN2_HI), a));
            FloatVector r2 = r.mul(r);
            FloatVector q = r2.fma(FloatVector.broadcast(S, -Q4), r.fma(-Q3, -Q2)).fma(r2, r.fma(-Q1, -Q0));
            FloatVector scale = IntVector.broadcast(I, 127 + SHIFTER_BITS).sub(shifted.viewAsIntegralLanes())
                    .lanewise(VectorOperators.LSHL, 23).viewAsFloatingLanes();
            FloatVector m = q.fma(r2, r).fma(scale, FloatVector.broadcast(S, 1f).sub(scale));
            m.div(FloatVector.broadcast(S, 2f).sub(m)).viewAsIntegralLanes().or(v.viewAsIntegralLanes().and(0x8000_0000))
                    .viewAsFloatingLanes().intoArray(y, yOff + i);
        }
        if (i < n) {
            float[] buf = tailOf(x, xOff + i, n - i);
            tanh(buf, 0, buf, 0, L);
            System.arraycopy(buf, 0, y, yOff + i, n - i);
        }
    }

    /** One offset for all three arrays: C2's own aligned loop, as in {@link #sigmoidBackward}. */
    @Override
    public void tanhBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        if (yOff == dxOff && dyOff == dxOff) {
            for (int i = dxOff, end = dxOff + n; i < end; i++) {
                dx[i] = ScalarActivation.tanhBackward(y[i], dy[i]);
            }
            return;
        }
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector vy = FloatVector.fromArray(S, y, yOff + i);
            FloatVector vdy = FloatVector.fromArray(S, dy, dyOff + i);
            FloatVector.broadcast(S, 1f).sub(vy).mul(vy.add(1f)).mul(vdy).intoArray(dx, dxOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector vy = FloatVector.fromArray(S, y, yOff + i, m);
            FloatVector vdy = FloatVector.fromArray(S, dy, dyOff + i, m);
            FloatVector.broadcast(S, 1f).sub(vy).mul(vy.add(1f)).mul(vdy).intoArray(dx, dxOff + i, m);
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
