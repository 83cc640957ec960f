package dev.lanes.core.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vectorized float exp, expm1, log1p and log on restricted domains, for the activation and
 * penalty kernels.
 *
 * <p>Why not {@code lanewise(EXP)} and friends: on this JDK they call out-of-line SVML stubs
 * (EXP about 2.7, TANH 1.8, LOG1P 2.0 G elements/s on one Zen 5 core), too slow for a softplus
 * (exp and log1p) at 2.5 G elements/s. These inline functions are pure FMA, compare and integer
 * code that C2 keeps in registers.
 *
 * <p>Method: Cody-Waite range reduction with a two-part ln 2, Taylor polynomials in Horner form
 * (the truncation error is below 0.25 ulp on every reduced range, so minimax buys little), and
 * 2^k built from exponent bits. The rounding-to-integer of k uses the 1.5*2^23 shifter, not a
 * float-to-int conversion, which Java specifies with saturation and C2 must then fix up.
 * Accuracy, measured against {@code Math} in double over every float of the domain
 * (ActivationKernelTest and PanamaMathTest): see the constants {@code *_ULPS} in the tests.
 */
final class PanamaMath {

    private static final float LOG2E = 1.44269504f;
    /** ln 2 = LN2_HI + LN2_LO; the first FMA of the reduction is exact. */
    private static final float LN2_HI = 0.693147182f;
    private static final float LN2_LO = -1.90465421e-9f;
    /** Adding 1.5*2^23 rounds a float of magnitude below 2^22 to an integer held in the low bits. */
    private static final float SHIFTER = 12582912f;
    private static final int SHIFTER_BITS = Float.floatToRawIntBits(SHIFTER);

    /** exp(-a) is 0 in float beyond this (exp(-103.98) is half the smallest subnormal). */
    private static final float EXP_NEG_LIMIT = 104f;
    /** expm1(-a) is -1 in float beyond this. */
    private static final float EXPM1_NEG_LIMIT = 40f;

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private PanamaMath() {
    }

    private static FloatVector c(float v) {
        return FloatVector.broadcast(S, v);
    }

    /**
     * exp(-a) for a >= 0 (or +Inf, or NaN, which gives NaN). Subnormal results are rounded once.
     */
    static FloatVector expNeg(FloatVector a) {
        FloatVector x = a.blend(EXP_NEG_LIMIT, a.compare(VectorOperators.GT, EXP_NEG_LIMIT)).neg();
        FloatVector shifted = x.fma(LOG2E, SHIFTER);
        FloatVector k = shifted.sub(SHIFTER);
        FloatVector r = k.fma(c(-LN2_HI), x);
        r = k.fma(c(-LN2_LO), r);
        FloatVector p = expm1Reduced(r).add(1f);
        // k >= -151 here: two factors 2^k1 * 2^k2 with k1, k2 >= -76 are both normal floats, so
        // the product rounds once, into the subnormal range if it must.
        IntVector ki = shifted.viewAsIntegralLanes().sub(SHIFTER_BITS);
        IntVector k1 = ki.lanewise(VectorOperators.ASHR, 1);
        IntVector k2 = ki.sub(k1);
        return p.mul(pow2(k1)).mul(pow2(k2));
    }

    /** expm1(-a) for a >= 0 (or +Inf, or NaN, which gives NaN). Relative accuracy near 0. */
    static FloatVector expm1Neg(FloatVector a) {
        FloatVector x = a.blend(EXPM1_NEG_LIMIT, a.compare(VectorOperators.GT, EXPM1_NEG_LIMIT)).neg();
        FloatVector shifted = x.fma(LOG2E, SHIFTER);
        FloatVector k = shifted.sub(SHIFTER);
        FloatVector r = k.fma(c(-LN2_HI), x);
        r = k.fma(c(-LN2_LO), r);
        // expm1(x) = 2^k * expm1(r) + (2^k - 1); k >= -58, so 2^k is normal, and 2^k - 1 is exact
        // while it matters (k >= -24).
        FloatVector scale = pow2(shifted.viewAsIntegralLanes().sub(SHIFTER_BITS));
        return expm1Reduced(r).fma(scale, scale.sub(1f));
    }

    /** expm1(r) for |r| <= ln(2)/2: Taylor to r^8/8!; the truncation is below 0.25 ulp relative. */
    private static FloatVector expm1Reduced(FloatVector r) {
        FloatVector q = r.fma(1f / 40320f, 1f / 5040f);
        q = q.fma(r, c(1f / 720f));
        q = q.fma(r, c(1f / 120f));
        q = q.fma(r, c(1f / 24f));
        q = q.fma(r, c(1f / 6f));
        q = q.fma(r, c(0.5f));
        return q.fma(r.mul(r), r);
    }

    /** 2^k for -126 <= k <= 127, from the exponent bits. */
    private static FloatVector pow2(IntVector k) {
        return k.add(127).lanewise(VectorOperators.LSHL, 23).viewAsFloatingLanes();
    }

    /**
     * log1p(e) for 0 <= e <= 1 (or NaN), as 2*atanh(s) with s = e/(2+e) in [0, 1/3]: the series
     * in s^2 <= 1/9 to s^15 truncates below 0.2 ulp. It works on t = 2s = 2e/(2+e), not s, so that a
     * subnormal e loses no bit to a halving; the coefficients 1/(2k+1) carry the 4^-k exactly.
     */
    static FloatVector log1pUnit(FloatVector e) {
        FloatVector t = e.add(e).div(e.add(2f));
        FloatVector z = t.mul(t);
        FloatVector q = z.fma(c(1f / 15f / 16384f), c(1f / 13f / 4096f));
        q = q.fma(z, c(1f / 11f / 1024f));
        q = q.fma(z, c(1f / 9f / 256f));
        q = q.fma(z, c(1f / 7f / 64f));
        q = q.fma(z, c(1f / 5f / 16f));
        q = q.fma(z, c(1f / 3f / 4f));
        return q.mul(z).fma(t, t);
    }

    private static final int SQRT_HALF_BITS = Float.floatToRawIntBits(0.70710677f);
    private static final int MANTISSA = 0x007f_ffff;
    private static final float TWO_POW_24 = 16777216f;

    /**
     * log(x) for x > 0 finite, subnormals included (or NaN, which gives NaN). x = 2^k * m with m in
     * [sqrt(1/2), sqrt(2)), log(m) = 2*atanh(s), s = (m-1)/(m+1), |s| <= 0.1716: the series in
     * s^2 to s^11 truncates below 0.1 ulp.
     */
    static FloatVector log(FloatVector x) {
        var tiny = x.compare(VectorOperators.LT, Float.MIN_NORMAL);
        FloatVector xn = x.blend(x.mul(TWO_POW_24), tiny);
        IntVector bits = xn.viewAsIntegralLanes().sub(SQRT_HALF_BITS);
        IntVector ki = bits.lanewise(VectorOperators.ASHR, 23);
        FloatVector m = bits.and(MANTISSA).add(SQRT_HALF_BITS).viewAsFloatingLanes();
        FloatVector k = ((FloatVector) ki.convert(VectorOperators.I2F, 0));
        k = k.blend(k.sub(24f), tiny);
        FloatVector f = m.sub(1f);
        FloatVector s = f.div(f.add(2f));
        FloatVector z = s.mul(s);
        FloatVector q = z.fma(1f / 11f, 1f / 9f);
        q = q.fma(z, c(1f / 7f));
        q = q.fma(z, c(1f / 5f));
        q = q.fma(z, c(1f / 3f));
        FloatVector s2 = s.add(s);
        FloatVector logm = q.mul(z).fma(s2, s2);
        // x - x is NaN for NaN (whose bits would otherwise decode to a finite garbage value), 0 else.
        return k.fma(c(LN2_HI), k.fma(c(LN2_LO), logm)).add(x.sub(x));
    }
}
