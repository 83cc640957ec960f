package dev.lanes.core.internal;

import static dev.lanes.core.internal.PanamaMath.LN2_HI;
import static dev.lanes.core.internal.PanamaMath.LN2_LO;
import static dev.lanes.core.internal.PanamaMath.MANTISSA;
import static dev.lanes.core.internal.PanamaMath.R0;
import static dev.lanes.core.internal.PanamaMath.R1;
import static dev.lanes.core.internal.PanamaMath.R2;
import static dev.lanes.core.internal.PanamaMath.SQRT_HALF_BITS;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API penalties. The reductions l1 and l2 keep four vector accumulators, which hide the
 * add latency, kl one per part (its logarithms dominate); the sums differ from the sequential
 * reference by rounding only. Their lanes are added one by one in index order (see {@link PanamaBlas}),
 * so l1, l2 and kl are reproducible bit for bit: the same input gives the same bits on every call,
 * on any thread, interpreted or compiled ({@code reduceLanes(ADD)} leaves its order open, and the
 * interpreter and C2 did differ). The gradients and klRhoHat are bit-exact with {@link ScalarPenalty}:
 * the same float operations on each element, and klRhoHat accumulates the rows of each column in
 * the same order, so it is a column sum vectorized along the columns.
 */
final class PanamaPenalty implements PenaltyKernel {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final float EPS = ScalarPenalty.EPS;
    private static final float ONE_MINUS_EPS = ScalarPenalty.ONE_MINUS_EPS;

    @Override
    public float l1(float lambda, float[] a, int aOff, int n) {
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        int i = 0;
        for (int bound = n - 4 * L + 1; i < bound; i += 4 * L) {
            s0 = s0.add(FloatVector.fromArray(S, a, aOff + i).abs());
            s1 = s1.add(FloatVector.fromArray(S, a, aOff + i + L).abs());
            s2 = s2.add(FloatVector.fromArray(S, a, aOff + i + 2 * L).abs());
            s3 = s3.add(FloatVector.fromArray(S, a, aOff + i + 3 * L).abs());
        }
        for (; i < n; i += L) {
            // The masked load zeroes the lanes past n, and |0| adds nothing.
            s0 = s0.add(FloatVector.fromArray(S, a, aOff + i, S.indexInRange(i, n)).abs());
        }
        FloatVector v = s0.add(s1).add(s2.add(s3));
        float lanes = 0f;
        for (int l = 0; l < L; l++) {
            lanes += v.lane(l);
        }
        return lambda * lanes;
    }

    @Override
    public void l1Gradient(float lambda, float[] a, int aOff, float[] grad, int gOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector g = FloatVector.fromArray(S, grad, gOff + i);
            l1Step(lambda, FloatVector.fromArray(S, a, aOff + i), g).intoArray(grad, gOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector g = FloatVector.fromArray(S, grad, gOff + i, m);
            l1Step(lambda, FloatVector.fromArray(S, a, aOff + i, m), g).intoArray(grad, gOff + i, m);
        }
    }

    /** g + lambda * signum(a), except that a = +-0 leaves g as it is (as in the reference). */
    private static FloatVector l1Step(float lambda, FloatVector a, FloatVector g) {
        // Math.signum: +-1 off zero, NaN stays NaN.
        FloatVector sign = a.blend(1f, a.compare(VectorOperators.GT, 0f)).blend(-1f, a.compare(VectorOperators.LT, 0f));
        return g.add(sign.mul(lambda)).blend(g, a.compare(VectorOperators.EQ, 0f));
    }

    @Override
    public void klRhoHat(int rows, int cols, float[] a, int aOff, int lda, float[] rhoHat, int rOff) {
        float count = rows;
        int j = 0;
        // Four column vectors stay in registers while the rows stream past.
        for (int bound = cols - 4 * L + 1; j < bound; j += 4 * L) {
            FloatVector s0 = FloatVector.zero(S);
            FloatVector s1 = s0;
            FloatVector s2 = s0;
            FloatVector s3 = s0;
            for (int i = 0, p = aOff + j; i < rows; i++, p += lda) {
                s0 = s0.add(FloatVector.fromArray(S, a, p));
                s1 = s1.add(FloatVector.fromArray(S, a, p + L));
                s2 = s2.add(FloatVector.fromArray(S, a, p + 2 * L));
                s3 = s3.add(FloatVector.fromArray(S, a, p + 3 * L));
            }
            s0.div(count).intoArray(rhoHat, rOff + j);
            s1.div(count).intoArray(rhoHat, rOff + j + L);
            s2.div(count).intoArray(rhoHat, rOff + j + 2 * L);
            s3.div(count).intoArray(rhoHat, rOff + j + 3 * L);
        }
        for (int bound = cols - L + 1; j < bound; j += L) {
            FloatVector s = FloatVector.zero(S);
            for (int i = 0, p = aOff + j; i < rows; i++, p += lda) {
                s = s.add(FloatVector.fromArray(S, a, p));
            }
            s.div(count).intoArray(rhoHat, rOff + j);
        }
        // The last cols mod L columns in scalar code, rows in the same order: a partial mask live
        // across the row loop was boxed, 32 B per call (AllocationTest).
        for (; j < cols; j++) {
            float s = 0f;
            for (int i = 0, p = aOff + j; i < rows; i++, p += lda) {
                s += a[p];
            }
            rhoHat[rOff + j] = s / count;
        }
    }

    @Override
    public float kl(float rho, float beta, float[] rhoHat, int rOff, int cols) {
        return beta * klSum(rho, rhoHat, rOff, cols);
    }

    /**
     * sum_j w log(w / (s + t r_j)), r_j = clamp(rhoHat_j), over the two parts of the divergence: with
     * (w, s, t) = (rho, 0, 1) the rho part, with (1-rho, 1, -1) the 1-rho part (fma(r, -1, 1) is
     * 1 - r, rounded once). The parts share one loop body, so that C2 sees one copy of the
     * logarithm: two copies in one compilation (two calls of a helper, both inlined) exceed its
     * inlining node budget, and the second then runs with boxed vectors, 35 KB per call.
     */
    private static float klSum(float rho, float[] rhoHat, int rOff, int cols) {
        float total = 0f;
        for (int part = 0; part < 2; part++) {
            float w = part == 0 ? rho : 1f - rho;
            float s = part;
            float t = 1 - 2 * part;
            FloatVector acc = FloatVector.zero(S);
            FloatVector wv = FloatVector.broadcast(S, w);
            int j = 0;
            for (int bound = S.loopBound(cols); j < bound; j += L) {
                FloatVector v = FloatVector.fromArray(S, rhoHat, rOff + j);
                FloatVector r = v.blend(EPS, v.compare(VectorOperators.LT, EPS))
                        .blend(ONE_MINUS_EPS, v.compare(VectorOperators.GT, ONE_MINUS_EPS));
                // PanamaMath's log of q = w / (s + t r), finite and > 0 here (subnormal when w is
                // tiny, hence the 2^24 scaling of small q).
                FloatVector q = wv.div(r.fma(t, s));
                var tiny = q.compare(VectorOperators.LT, Float.MIN_NORMAL);
                IntVector bits = q.blend(q.mul(0x1p24f), tiny).viewAsIntegralLanes().sub(SQRT_HALF_BITS);
                FloatVector f = bits.and(MANTISSA).add(SQRT_HALF_BITS).viewAsFloatingLanes().sub(1f);
                FloatVector k = (FloatVector) bits.lanewise(VectorOperators.ASHR, 23).convert(VectorOperators.I2F, 0);
                k = k.blend(k.sub(24f), tiny);
                FloatVector d = f.div(f.add(2f));
                FloatVector z = d.mul(d);
                FloatVector d2 = d.add(d);
                FloatVector logm = z.fma(R2, R1).fma(z, FloatVector.broadcast(S, R0)).mul(z).fma(d2, d2);
                acc = k.fma(FloatVector.broadcast(S, LN2_HI), k.fma(FloatVector.broadcast(S, LN2_LO), logm)).add(q.sub(q)).fma(wv, acc);
            }
            float tail = 0f;
            for (; j < cols; j++) {
                tail += w * (float) Math.log(w / (s + t * ScalarPenalty.clamp(rhoHat[rOff + j])));
            }
            float lanes = 0f;
            for (int l = 0; l < L; l++) {
                lanes += acc.lane(l);
            }
            total += lanes + tail;
        }
        return total;
    }

    /**
     * The gradient column vector is computed once per L columns, as in
     * {@link ScalarPenalty#klColumnGradient} (the same operations in the same order), then added to
     * every row. Written inline, not in a helper taking a vector: one that C2 declines to inline
     * boxes its argument and result (the allocation test saw 32 B per call).
     */
    @Override
    public void klGradient(float rho, float beta, int rows, int cols, float[] rhoHat, int rOff,
                           float[] grad, int gOff, int ldg) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector minusRho = FloatVector.broadcast(S, -rho);
        FloatVector q = FloatVector.broadcast(S, 1f - rho);
        int j = 0;
        for (int bound = cols - L + 1; j < bound; j += L) {
            FloatVector r = FloatVector.fromArray(S, rhoHat, rOff + j);
            var outside = r.compare(VectorOperators.LT, EPS).or(r.compare(VectorOperators.GT, ONE_MINUS_EPS));
            FloatVector g = minusRho.div(r).add(q.div(one.sub(r))).mul(beta).div((float) rows).blend(-0f, outside);
            for (int i = 0, p = gOff + j; i < rows; i++, p += ldg) {
                FloatVector.fromArray(S, grad, p).add(g).intoArray(grad, p);
            }
        }
        // The last cols mod L columns by the scalar reference's own function: a partial mask live
        // across the row loop was boxed, 32 B per call (AllocationTest).
        for (; j < cols; j++) {
            float g = ScalarPenalty.klColumnGradient(rho, beta, rows, rhoHat[rOff + j]);
            for (int i = 0, p = gOff + j; i < rows; i++, p += ldg) {
                grad[p] += g;
            }
        }
    }

    @Override
    public float l2(float lambda, float[] w, int wOff, int n) {
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        int i = 0;
        for (int bound = n - 4 * L + 1; i < bound; i += 4 * L) {
            FloatVector v0 = FloatVector.fromArray(S, w, wOff + i);
            FloatVector v1 = FloatVector.fromArray(S, w, wOff + i + L);
            FloatVector v2 = FloatVector.fromArray(S, w, wOff + i + 2 * L);
            FloatVector v3 = FloatVector.fromArray(S, w, wOff + i + 3 * L);
            s0 = v0.fma(v0, s0);
            s1 = v1.fma(v1, s1);
            s2 = v2.fma(v2, s2);
            s3 = v3.fma(v3, s3);
        }
        for (; i < n; i += L) {
            FloatVector v = FloatVector.fromArray(S, w, wOff + i, S.indexInRange(i, n));
            s0 = v.fma(v, s0);
        }
        FloatVector v = s0.add(s1).add(s2.add(s3));
        float lanes = 0f;
        for (int l = 0; l < L; l++) {
            lanes += v.lane(l);
        }
        return 0.5f * lambda * lanes;
    }

    @Override
    public void l2Gradient(float lambda, float[] w, int wOff, float[] grad, int gOff, int n) {
        if (wOff == gOff) {
            // One index for both arrays: C2 vectorizes this loop itself and aligns its stores to grad's
            // cache lines from grad's address, which a Vector API loop cannot see (the reasoning and the
            // figures are at PanamaActivation.sigmoidBackward). Different offsets: C2 must assume overlap
            // and leaves the plain loop scalar, so the Vector API loop below.
            for (int i = gOff, end = gOff + n; i < end; i++) {
                grad[i] += lambda * w[i];
            }
            return;
        }
        // mul then add, not fma: bit-exact with the reference.
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector g = FloatVector.fromArray(S, grad, gOff + i);
            g.add(FloatVector.fromArray(S, w, wOff + i).mul(lambda)).intoArray(grad, gOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector g = FloatVector.fromArray(S, grad, gOff + i, m);
            g.add(FloatVector.fromArray(S, w, wOff + i, m).mul(lambda)).intoArray(grad, gOff + i, m);
        }
    }
}
