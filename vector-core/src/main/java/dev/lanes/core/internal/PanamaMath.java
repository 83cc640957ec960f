package dev.lanes.core.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vectorized float exp(-a), 1 - exp(-a), log1p(exp(v)) and log on the restricted domains the
 * activation and penalty kernels need.
 *
 * <p>Why not {@code lanewise(EXP)} and friends: on this JDK they call out-of-line SVML stubs
 * (EXP about 2.7, TANH 1.8, LOG1P 2.0 G elements/s on one Zen 5 core), too slow for a softplus
 * (exp and log1p) at 2.5 G elements/s. These functions are FMA, compare and integer code that C2
 * inlines and keeps in registers.
 *
 * <p>Method: Cody-Waite range reduction with a two-part ln 2 (k = round(a / ln 2) through the
 * 1.5*2^23 shifter, not a float-to-int conversion, which Java specifies with saturation and C2
 * must then fix up), 2^-k from exponent bits, and polynomials fitted for this class (weighted
 * least squares iterated towards minimax on the reduced ranges, in double, then rounded to float;
 * the fitting error is at most 0.08 ulp in each). Accuracy against {@code Math} in double over
 * the float range: PanamaMathTest.
 *
 * <p>Keep the code lean: C2 parses every Vector API call into many nodes, and a kernel body that
 * exceeds its inlining budget leaves calls with boxed vectors, ten times slower (a softplus loop
 * unrolled by two still does). The softplus body is the largest user, and its speed is set by its
 * count of vector operations: log1pExp is written to need as few as it can.
 */
final class PanamaMath {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;

    private static final float LOG2E = 1.44269504f;
    /** ln 2 = LN2_HI + LN2_LO; with FMA, a - k*LN2_HI is exact. */
    private static final float LN2_HI = 0.693147182f;
    private static final float LN2_LO = -1.90465421e-9f;
    /** Adding 1.5*2^23 rounds a float in [0, 2^22) to an integer held in the low mantissa bits. */
    private static final float SHIFTER = 12582912f;
    private static final int SHIFTER_BITS = Float.floatToRawIntBits(SHIFTER);
    /**
     * SHIFTER + 191, whose low 9 bits are 191 (those of SHIFTER are 0): SCALE_SHIFTER - k, for an
     * integer 0 <= k <= 150, has the exponent field of 2^(64-k) in its low bits.
     */
    private static final float SCALE_SHIFTER = SHIFTER + 191f;

    /** exp(-a) is 0 in float beyond this (exp(-103.98) is half the smallest subnormal). */
    private static final float EXP_LIMIT = 104f;
    private static final int MINUS_EXP_LIMIT_BITS = Float.floatToRawIntBits(-EXP_LIMIT);
    /** 1 - exp(-a) is 1 in float beyond this. */
    private static final float ONE_MINUS_EXP_LIMIT = 40f;

    /** exp(-r) = 1 - r + r^2 Q(r) on |r| <= ln(2)/2, Q of degree 4: 0.05 ulp. */
    private static final float Q0 = 0.49999994f;
    private static final float Q1 = -0.16666521f;
    private static final float Q2 = 0.04166839f;
    private static final float Q3 = -0.008368717f;
    private static final float Q4 = 0.0013814599f;

    /** log1p(e) = u + u z P(z), u = 2e/(2+e) in [0, 2/3], z = u^2, P of degree 3: 0.08 ulp. */
    private static final float P0 = 0.083333015f;
    private static final float P1 = 0.012506781f;
    private static final float P2 = 0.002187433f;
    private static final float P3 = 0.0005473527f;

    /** log(m) = 2s + 2s z R(z), s = (m-1)/(m+1) in [-0.1716, 0.1716], z = s^2, R of degree 2: 0.02 ulp. */
    private static final float R0 = 0.33333388f;
    private static final float R1 = 0.1998877f;
    private static final float R2 = 0.14935927f;

    private static final int SQRT_HALF_BITS = Float.floatToRawIntBits(0.70710677f);
    private static final int MANTISSA = 0x007f_ffff;

    private PanamaMath() {
    }

    private static FloatVector c(float v) {
        return FloatVector.broadcast(S, v);
    }

    /** exp(-a) for a >= 0 (+Inf gives 0, NaN gives NaN). Subnormal results are rounded once. */
    static FloatVector expNeg(FloatVector a) {
        FloatVector x = a.blend(EXP_LIMIT, a.compare(VectorOperators.GT, EXP_LIMIT));
        FloatVector shifted = x.fma(c(LOG2E), c(SHIFTER));
        FloatVector k = shifted.sub(SHIFTER);
        // exp(-x) = 2^-k exp(t), t = k ln 2 - x; 1 + (t + t^2 Q(-t)) rounds once where it matters.
        FloatVector t = k.fma(c(LN2_LO), k.fma(c(LN2_HI), x.neg()));
        FloatVector t2 = t.mul(t);
        FloatVector p = q(t, t2, 1f, -1f).fma(t2, t).add(1f);
        // 2^-k = 2^(64-k) * 2^-64 with 0 <= k <= 151: the first factor is a normal float, the first
        // product exact, and the second rounds once, into the subnormals where it must.
        IntVector field = IntVector.broadcast(I, 127 + 64 + SHIFTER_BITS).sub(shifted.viewAsIntegralLanes());
        return p.mul(field.lanewise(VectorOperators.LSHL, 23).viewAsFloatingLanes()).mul(0x1p-64f);
    }

    /**
     * 1 - exp(-a) = -expm1(-a) for a >= 0 (+Inf gives 1, NaN gives NaN), with full relative
     * accuracy near 0: 2^-k (r - r^2 Q(r)) + (1 - 2^-k), and 1 - 2^-k is exact while it matters.
     */
    static FloatVector oneMinusExpNeg(FloatVector a) {
        FloatVector x = a.blend(ONE_MINUS_EXP_LIMIT, a.compare(VectorOperators.GT, ONE_MINUS_EXP_LIMIT));
        FloatVector shifted = x.fma(c(LOG2E), c(SHIFTER));
        FloatVector k = shifted.sub(SHIFTER);
        FloatVector r = k.fma(c(-LN2_LO), k.fma(c(-LN2_HI), x));
        FloatVector r2 = r.mul(r);
        FloatVector inner = q(r, r2, -1f, -1f).fma(r2, r);
        // k <= 58: 2^-k is normal.
        IntVector field = IntVector.broadcast(I, 127 + SHIFTER_BITS).sub(shifted.viewAsIntegralLanes());
        FloatVector scale = field.lanewise(VectorOperators.LSHL, 23).viewAsFloatingLanes();
        return inner.fma(scale, c(1f).sub(scale));
    }

    /**
     * Q with its even coefficients times {@code even}, odd ones times {@code odd}: q(r, r2, 1, -1) =
     * Q(-r). Estrin's scheme, (Q0 + Q1 r) + r2 ((Q2 + Q3 r) + Q4 r2): a shorter dependency chain
     * than Horner's, for the out-of-order window.
     */
    private static FloatVector q(FloatVector r, FloatVector r2, float even, float odd) {
        FloatVector lo = r.fma(c(odd * Q1), c(even * Q0));
        FloatVector hi = r2.fma(c(even * Q4), r.fma(c(odd * Q3), c(even * Q2)));
        return hi.fma(r2, lo);
    }

    /**
     * log1p(exp(v)) for v with the sign bit set (v <= 0 other than +0; -Inf gives 0, and NaN also
     * gives 0: the caller propagates NaN): the softplus tail, fused so that it costs fewer operations than expNeg and a
     * separate log1p. With e = exp(v) = 2^-k (1 + w),
     * log1p(e) = 2 atanh(e/(2+e)) = u + u z P(z), u = 2e/(2+e) in [0, 2/3], z = u^2. Instead of e,
     * which may be subnormal, it forms E = 2^64 e = fma(w, 2^(64-k), 2^(64-k)), a normal float for
     * every k here, and u = E/(E/2 + 2^64): the division rounds a subnormal u once, and neither a
     * negation of v, the 2^-64 product nor the addition of 1 before the scaling is needed.
     */
    static FloatVector log1pExp(FloatVector v) {
        // With the sign bit set, a larger magnitude is a larger signed int: one integer min clamps v to
        // [-EXP_LIMIT, 0]; it saves a compare and a blend on the critical path.
        FloatVector x = v.viewAsIntegralLanes().min(MINUS_EXP_LIMIT_BITS).viewAsFloatingLanes();
        // shifted = SCALE_SHIFTER - k, k = round(-x / ln 2) in [0, 150].
        FloatVector shifted = x.fma(c(LOG2E), c(SCALE_SHIFTER));
        FloatVector minusK = shifted.sub(SCALE_SHIFTER);
        // exp(x) = 2^-k exp(t), t = x + k ln 2 in [-ln(2)/2, ln(2)/2], exp(t) = 1 + t + t^2 Q(-t).
        FloatVector t = minusK.fma(c(-LN2_LO), minusK.fma(c(-LN2_HI), x));
        FloatVector t2 = t.mul(t);
        FloatVector w = q(t, t2, 1f, -1f).fma(t2, t);
        // The low 9 bits of shifted hold 191 - k, in [41, 191]: shifted left by 23 they are the
        // sign and exponent of 2^(64-k), a normal float.
        FloatVector scale = shifted.viewAsIntegralLanes().lanewise(VectorOperators.LSHL, 23).viewAsFloatingLanes();
        FloatVector big = w.fma(scale, scale);
        FloatVector u = big.div(big.fma(c(0.5f), c(0x1p64f)));
        FloatVector z = u.mul(u);
        FloatVector p = z.fma(c(P3), c(P2)).fma(z, c(P1)).fma(z, c(P0));
        return p.fma(u.mul(z), u);
    }

    /**
     * log(x) for finite x > 0, subnormals included (NaN gives NaN): x = 2^k m with m in
     * [sqrt(1/2), sqrt(2)), log(x) = k ln 2 + 2 atanh((m-1)/(m+1)).
     */
    static FloatVector log(FloatVector x) {
        var tiny = x.compare(VectorOperators.LT, Float.MIN_NORMAL);
        FloatVector xn = x.blend(x.mul(0x1p24f), tiny);
        IntVector bits = xn.viewAsIntegralLanes().sub(SQRT_HALF_BITS);
        FloatVector m = bits.and(MANTISSA).add(SQRT_HALF_BITS).viewAsFloatingLanes();
        FloatVector k = (FloatVector) bits.lanewise(VectorOperators.ASHR, 23).convert(VectorOperators.I2F, 0);
        k = k.blend(k.sub(24f), tiny);
        FloatVector f = m.sub(1f);
        FloatVector s = f.div(f.add(2f));
        FloatVector z = s.mul(s);
        FloatVector s2 = s.add(s);
        FloatVector logm = z.fma(c(R2), c(R1)).fma(z, c(R0)).mul(z).fma(s2, s2);
        // x - x is NaN for NaN (whose bits would otherwise decode to a finite value), 0 otherwise.
        return k.fma(c(LN2_HI), k.fma(c(LN2_LO), logm)).add(x.sub(x));
    }
}
