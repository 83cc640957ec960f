package dev.lanes.core.internal;

/**
 * The constants and the method of Lanes' vector exp(-a), 1 - exp(-a), log1p(exp(v)) and log, on
 * the restricted domains the activation and penalty kernels need. The code itself is written out
 * in the loops that use it (PanamaActivation's sigmoid, tanh, softplus and softplus derivative;
 * PanamaPenalty's KL divergence), each block headed by the name of the function here.
 *
 * <p>Why written out and not helper methods taking and returning a {@code FloatVector}: C2 inlines
 * such a helper only if it has not already compiled it on its own into a large method, and that
 * depends on which compilation finishes first. When it declines, every vector crossing the call is
 * boxed and the loop runs ten times slower: tanh forward ran at 0.18 G elements/s instead of 2.7
 * in one JMH fork. The Vector API's own methods are force-inlined, so a loop that calls nothing
 * else compiles the same way every time.
 *
 * <p>Why not {@code lanewise(EXP)} and friends: on this JDK they call out-of-line SVML stubs
 * (EXP about 2.7, TANH 1.8, LOG1P 2.0 G elements/s on one core), too slow for a softplus
 * (exp and log1p) at 2.5 G elements/s. These functions are FMA, compare and integer code that C2
 * keeps in registers.
 *
 * <p>Method: Cody-Waite range reduction with a two-part ln 2 (k = round(a / ln 2) through the
 * 1.5*2^23 shifter, not a float-to-int conversion, which Java specifies with saturation and C2
 * must then fix up), 2^-k from exponent bits, and polynomials fitted for this class (weighted
 * least squares iterated towards minimax on the reduced ranges, in double, then rounded to float;
 * the fitting error is at most 0.08 ulp in each). Accuracy against {@code Math} in double over
 * the float range: ActivationKernelTest and PenaltyKernelTest.
 * <ul>
 * <li><b>expNeg</b>(a) = exp(-a), a >= 0: x = min(a, 104), k = round(x / ln 2), t = k ln 2 - x
 *     in [-ln(2)/2, ln(2)/2], exp(t) = 1 + t + t^2 Q(-t), times 2^-k = 2^(64-k) * 2^-64 (the first
 *     factor normal, the first product exact, the second rounds once, into the subnormals where it
 *     must).
 * <li><b>oneMinusExpNeg</b>(a) = -expm1(-a), a >= 0, with full relative accuracy near 0:
 *     x = min(a, 40), r = x - k ln 2, 2^-k (r - r^2 Q(r)) + (1 - 2^-k); 1 - 2^-k is exact while it
 *     matters and 2^-k is normal for k <= 58.
 * <li><b>log1pExp</b>(v) = log1p(exp(v)) for v with the sign bit set, the softplus tail. With
 *     e = exp(v) = 2^-k (1 + w), log1p(e) = 2 atanh(e/(2+e)) = u + u z P(z), u = 2e/(2+e) in
 *     [0, 2/3], z = u^2. Instead of e, which may be subnormal, it forms E = 2^64 e =
 *     fma(w, 2^(64-k), 2^(64-k)), a normal float for every k here, and u = E/(E/2 + 2^64): the
 *     division rounds a subnormal u once. With the sign bit set, a larger magnitude is a larger
 *     signed int, so one integer min clamps v to [-104, 0]; SCALE_SHIFTER - k carries the exponent
 *     field of 2^(64-k) in its low bits. NaN gives 0: the caller propagates it.
 * <li><b>log</b>(x) for finite x > 0, subnormals included: x = 2^k m with m in [sqrt(1/2),
 *     sqrt(2)), log(x) = k ln 2 + 2s + 2s z R(z), s = (m-1)/(m+1), z = s^2.
 * </ul>
 * Q is evaluated with Estrin's scheme, (Q0 + Q1 r) + r^2 ((Q2 + Q3 r) + Q4 r^2): a shorter
 * dependency chain than Horner's, for the out-of-order window.
 *
 * <p>Keep the code lean: C2 parses every Vector API call into many nodes, and a loop body past its
 * node budget is compiled badly; the softplus body is the largest, and its speed is set by its
 * count of vector operations.
 */
final class PanamaMath {

    static final float LOG2E = 1.44269504f;
    /** ln 2 = LN2_HI + LN2_LO; with FMA, a - k*LN2_HI is exact. */
    static final float LN2_HI = 0.693147182f;
    static final float LN2_LO = -1.90465421e-9f;
    /** Adding 1.5*2^23 rounds a float in [0, 2^22) to an integer held in the low mantissa bits. */
    static final float SHIFTER = 12582912f;
    static final int SHIFTER_BITS = Float.floatToRawIntBits(SHIFTER);
    /**
     * SHIFTER + 191, whose low 9 bits are 191 (those of SHIFTER are 0): SCALE_SHIFTER - k, for an
     * integer 0 <= k <= 150, has the exponent field of 2^(64-k) in its low bits.
     */
    static final float SCALE_SHIFTER = SHIFTER + 191f;
    /** SHIFTER + 190: SCALE_SHIFTER - k - 127, for 0 <= k <= 150, is 63 - k in its low 9 bits. */
    static final float HALF_SCALE_SHIFTER = SHIFTER + 190f;

    /** exp(-a) is 0 in float beyond this (exp(-103.98) is half the smallest subnormal). */
    static final float EXP_LIMIT = 104f;
    static final int MINUS_EXP_LIMIT_BITS = Float.floatToRawIntBits(-EXP_LIMIT);
    /** 1 - exp(-a) is 1 in float beyond this. */
    static final float ONE_MINUS_EXP_LIMIT = 40f;

    /** exp(-r) = 1 - r + r^2 Q(r) on |r| <= ln(2)/2, Q of degree 4: 0.05 ulp. */
    static final float Q0 = 0.49999994f;
    static final float Q1 = -0.16666521f;
    static final float Q2 = 0.04166839f;
    static final float Q3 = -0.008368717f;
    static final float Q4 = 0.0013814599f;

    /** log1p(e) = u + u z P(z), u = 2e/(2+e) in [0, 2/3], z = u^2, P of degree 3: 0.08 ulp. */
    static final float P0 = 0.083333015f;
    static final float P1 = 0.012506781f;
    static final float P2 = 0.002187433f;
    static final float P3 = 0.0005473527f;
    /**
     * P in terms of h = u/2 and z' = h^2 = z/4: log1p(e) = 2h + h z' P'(z'), P'(z') = 8 P(4 z'); the
     * scaling by powers of two is exact.
     */
    static final float HP0 = 8 * P0;
    static final float HP1 = 32 * P1;
    static final float HP2 = 128 * P2;
    static final float HP3 = 512 * P3;

    /** log(m) = 2s + 2s z R(z), s = (m-1)/(m+1) in [-0.1716, 0.1716], z = s^2, R of degree 2: 0.02 ulp. */
    static final float R0 = 0.33333388f;
    static final float R1 = 0.1998877f;
    static final float R2 = 0.14935927f;

    static final int SQRT_HALF_BITS = Float.floatToRawIntBits(0.70710677f);
    static final int MANTISSA = 0x007f_ffff;

    private PanamaMath() {
    }
}
