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
 *     [0, 2/3], z = u^2. Instead of e, which may be subnormal, it forms E = 2^64 e = (1 + w)
 *     2^(64-k), a normal float for every k here, with 64 - k added to the exponent field as an
 *     integer, and u = E/fma(E, 1/2, 2^64): the division rounds a subnormal u once, and for such u
 *     the result is u. With the sign bit set, a larger magnitude is a larger signed int, so one
 *     integer min clamps v to [-104, 0]; SCALE_SHIFTER - k carries the exponent field of 2^(64-k)
 *     in its low bits. NaN gives 0: the caller propagates it. Softplus uses it where its table does
 *     not reach.
 * <li><b>softplusTable</b>: log1p(exp(-t)) for 0 <= t <= 15.74 as 32 polynomials of degree 5, one per
 *     segment j = round(2t), in s = t - j/2 in [-1/4, 1/4]. The coefficients were fitted per segment
 *     for relative error (Lawson-weighted least squares on Chebyshev nodes towards minimax, in double
 *     against a 40-digit log1p(exp), then rounded to float): below 1e-9 relative, so what is left is
 *     float rounding, at most 1.97 ulps with the max(x, 0) added (sweep of every 7th bit pattern). The
 *     coefficients of one degree fill two 16-lane vectors, and a two-register permute picks each
 *     lane's segment: 6 permutes and 5 FMAs replace an exp, a division and a log1p polynomial, 20
 *     vector operations per 16 elements instead of 28. Beyond 15.74 the tail is below half an ulp of
 *     x, so x > 15.74 clamps t there; x < -15.74 (where the result is the tail itself, down to the
 *     subnormals) and NaN take log1pExp, a whole vector at a time.
 * <li><b>sigmoidTable</b>: sigmoid(-t) = 1/(1 + exp(t)) for 0 <= t <= 15.74, fitted and evaluated as
 *     softplusTable (its poles, at t = i pi (2m + 1), are as far from the real line): at most 1.82
 *     ulps over |x| <= 15.74 (every 7th bit pattern). No exp and no division: 20 vector operations per 16 elements instead of 23 and
 *     a division. |x| > 15.74, where sigmoid(x) is within 2 ulps of 1 or needs exp down to the
 *     subnormals, and NaN take expNeg, a whole vector at a time.
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

    /** log(m) = 2s + 2s z R(z), s = (m-1)/(m+1) in [-0.1716, 0.1716], z = s^2, R of degree 2: 0.02 ulp. */
    static final float R0 = 0.33333388f;
    static final float R1 = 0.1998877f;
    static final float R2 = 0.14935927f;

    /** The end of softplusTable's range; also the most negative x whose vector takes the table. */
    static final float SOFTPLUS_TABLE_END = 15.74f;
    static final int SOFTPLUS_TABLE_END_BITS = Float.floatToRawIntBits(SOFTPLUS_TABLE_END);
    /**
     * softplusTable's coefficients as float bits: a0 of segments 0..31, then a1, ..., a5; segment j
     * is log1p(exp(-t)) = a0 + a1 s + ... + a5 s^5 with s = t - j/2.
     */
    static final int[] SOFTPLUS_TABLE = {
        // a0, segments 0..31
        0x3f317218, 0x3ef2ba38, 0x3ea063d6, 0x3e4e3f48, 0x3e01f96b, 0x3da190f1, 0x3d470388, 0x3cf3b726,
        0x3c94af28, 0x3c35019a, 0x3bdc0c6d, 0x3b85a476, 0x3b223f1b, 0x3ac4e92a, 0x3a6eef7b, 0x3a10f29b,
        0x39afd97b, 0x39555492, 0x39016586, 0x389cf844, 0x383e6ab3, 0x37e6fd43, 0x378c1a55, 0x3729f433,
        0x36ce2a38, 0x367a174c, 0x3617b01f, 0x35b801c4, 0x355f3632, 0x35076280, 0x34a43ae4, 0x3447389b,
        // a1, segments 0..31
        0xbf000000, 0xbec14d03, 0xbe89b2b1, 0xbe3acdc2, 0xbdf420aa, 0xbd9b5b89, 0xbd4241a2, 0xbcf02034,
        0xbc9357d1, 0xbc340293, 0xbbdb4fb3, 0xbb855eca, 0xbb220bbb, 0xbac4c351, 0xba6ed39c, 0xba10e858,
        0xb9afd1ee, 0xb9554f03, 0xb901637a, 0xb89cf6c3, 0xb83e6997, 0xb7e6fc72, 0xb78c1a07, 0xb729f3fa,
        0xb6ce2a0e, 0xb67a172c, 0xb617b013, 0xb5b801bb, 0xb55f362b, 0xb507627d, 0xb4a43ae1, 0xb4473899,
        // a2, segments 0..31
        0x3dffff9b, 0x3df0a499, 0x3dc954b8, 0x3d98ba09, 0x3d570727, 0x3d0f92a7, 0x3cb90b32, 0x3c69163b,
        0x3c10b144, 0x3bb20815, 0x3b59d7ac, 0x3b04d3a5, 0x3aa1a4ed, 0x3a447769, 0x39ee9b8d, 0x3990d39f,
        0x392fc292, 0x38d54394, 0x38815f31, 0x381cf383, 0x37be6715, 0x3766fa76, 0x370c1937, 0x36a9f347,
        0x364e296a, 0x35fa168d, 0x3597afc1, 0x35380162, 0x34df35c7, 0x34876243, 0x34243a9d, 0x33c73848,
        // a3, segments 0..31
        0xb5223e2d, 0xbc1d2b25, 0xbc78187a, 0xbc8155d5, 0xbc5a5918, 0xbc2262de, 0xbbdf52bb, 0xbb924865,
        0xbb39fc5f, 0xbae829c2, 0xba8f4972, 0xba2fa9fc, 0xb9d676ce, 0xb9829647, 0xb91ec8ff, 0xb8c0e486,
        0xb86a31c3, 0xb80e1eff, 0xb7ac74f1, 0xb7513dc7, 0xb6fdda3b, 0xb699faf5, 0xb63acbaf, 0xb5e299bc,
        0xb589713e, 0xb526ba45, 0xb4ca4084, 0xb4755850, 0xb414cf40, 0xb3b483ef, 0xb35af9f4, 0xb304d0e2,
        // a4, segments 0..31
        0xbba99bbf, 0xbb82fba7, 0xbac1c692, 0x3a27302b, 0x3ad2b4da, 0x3add34c1, 0x3ab3c2c9, 0x3a80fadf,
        0x3a2cc84c, 0x39de6876, 0x398bcce0, 0x392d4802, 0x38d4f596, 0x388230ae, 0x381eaf9c, 0x37c10e0a,
        0x376a9977, 0x370e718e, 0x36ace790, 0x3651d37a, 0x35fe97ab, 0x359a70be, 0x353b5cb1, 0x34e34b33,
        0x3489dd75, 0x34273df6, 0x33cae093, 0x33761ab4, 0x3315453d, 0x32b51320, 0x325ba7b2, 0x32053a48,
        // a5, segments 0..31
        0x3701e179, 0x3a638a34, 0x3a85bd7c, 0x3a222a25, 0x3934ab93, 0xb8a3b40d, 0xb922cb99, 0xb91989c6,
        0xb8e9bdd8, 0xb8a10cbd, 0xb8526a94, 0xb8055d52, 0xb7a6189a, 0xb74cb3fc, 0xb6fab44e, 0xb698f136,
        0xb63a2def, 0xb5e253b7, 0xb5897376, 0xb526dddc, 0xb4ca83e7, 0xb475bbe1, 0xb4151233, 0xb3b4d9f9,
        0xb35b65df, 0xb30513a5, 0xb2a16f1e, 0xb243d50b, 0xb1ed8efb, 0xb1901658, 0xb12ec98a, 0xb0d40731,
    };

    /** The end of sigmoidTable's range in |x|. */
    static final float SIGMOID_TABLE_END = 15.74f;
    /** sigmoidTable's coefficients as float bits, laid out as SOFTPLUS_TABLE's. */
    static final int[] SIGMOID_TABLE = {
        // a0, segments 0..31
        0x3f000000, 0x3ec14d03, 0x3e89b2b1, 0x3e3acdc2, 0x3df420a9, 0x3d9b5b88, 0x3d4241a2, 0x3cf02034,
        0x3c9357d1, 0x3c340294, 0x3bdb4fb4, 0x3b855eca, 0x3b220bbc, 0x3ac4c352, 0x3a6ed39c, 0x3a10e859,
        0x39afd1ef, 0x39554f04, 0x3901637b, 0x389cf6c3, 0x383e6997, 0x37e6fc72, 0x378c1a08, 0x3729f3fb,
        0x36ce2a0f, 0x367a172d, 0x3617b013, 0x35b801bb, 0x355f362c, 0x3507627e, 0x34a43ae2, 0x3447389a,
        // a1, segments 0..31
        0xbe800000, 0xbe70a4cf, 0xbe4954a3, 0xbe18b9d9, 0xbdd706e1, 0xbd8f928a, 0xbd390b2a, 0xbce91651,
        0xbc90b161, 0xbc320845, 0xbbd9d7f1, 0xbb84d3d3, 0xbb21a528, 0xbac477b3, 0xba6e9be8, 0xba10d3d7,
        0xb9afc2d6, 0xb95543e7, 0xb9015f64, 0xb89cf3c1, 0xb83e6760, 0xb7e6fad1, 0xb78c196e, 0xb729f38a,
        0xb6ce29bb, 0xb67a16ef, 0xb617affc, 0xb5b801aa, 0xb55f361f, 0xb5076279, 0xb4a43ade, 0xb4473897,
        // a2, segments 0..31
        0x312c499f, 0x3cebbe37, 0x3d3a12ba, 0x3d4201e5, 0x3d23c3b7, 0x3cf39516, 0x3ca77e2e, 0x3c5b6c52,
        0x3c0b7ce7, 0x3bae1eae, 0x3b56ed3e, 0x3b03bede, 0x3aa0d84f, 0x3a43e06b, 0x39ee2c43, 0x3990aaa2,
        0x392fa465, 0x38d52d5e, 0x38815705, 0x381ced80, 0x37be62a8, 0x3766f734, 0x370c1804, 0x36a9f265,
        0x364e28c4, 0x35fa1613, 0x3597af94, 0x35380141, 0x34df35af, 0x3487623a, 0x34243a97, 0x33c73843,
        // a3, segments 0..31
        0x3caaa91e, 0x3c838cdd, 0x3bc0eb32, 0xbb2b3abd, 0xbbd42b8e, 0xbbddd07f, 0xbbb3d881, 0xbb80dcfe,
        0xbb2c7abd, 0xbadde6f2, 0xba8b700b, 0xba2ccc4d, 0xb9d45714, 0xb981cd60, 0xb91e34ca, 0xb8c0774d,
        0xb869e152, 0xb80e0163, 0xb7ac5f26, 0xb7512dbd, 0xb6fdce6d, 0xb699f69d, 0xb63ac87d, 0xb5e29762,
        0xb5897061, 0xb526b9a2, 0xb4ca400c, 0xb47557f8, 0xb414cf1f, 0xb3b483d7, 0xb35af9e3, 0xb304d0dc,
        // a4, segments 0..31
        0xb361902c, 0xbb8d60b9, 0xbba76c85, 0xbb4c3ce5, 0xba669c96, 0x39c86e65, 0x3a4b260e, 0x3a404a1e,
        0x3a1297a9, 0x39ca2b25, 0x39842101, 0x392788a1, 0x38d0af05, 0x38809b50, 0x381d8425, 0x37c03129,
        0x3769f6b6, 0x370e35a0, 0x36acbb72, 0x3651b302, 0x35fe7fc6, 0x359a67f4, 0x353b5639, 0x34e34670,
        0x3489dbb4, 0x34273cac, 0x33cadfa1, 0x33761a02, 0x331544fb, 0x32b512ef, 0x325ba78f, 0x32053a3b,
        // a5, segments 0..31
        0xbb0701c3, 0xba91d2d6, 0x39dc6d72, 0x3a81dea4, 0x3a3c4d06, 0x399ca322, 0x382f7f4b, 0xb8703978,
        0xb89bedef, 0xb88236a2, 0xb83aafc9, 0xb7f8ca02, 0xb79f630b, 0xb747b79d, 0xb6f70382, 0xb697945d,
        0xb6392cb3, 0xb5e19631, 0xb5892daf, 0xb526aa7f, 0xb4ca5e1a, 0xb475a00f, 0xb41507f6, 0xb3b4d271,
        0xb35b6055, 0xb305119c, 0xb2a16d9e, 0xb243d3f0, 0xb1ed8e2b, 0xb190160c, 0xb12ec952, 0xb0d40707,
    };

    static final int SQRT_HALF_BITS = Float.floatToRawIntBits(0.70710677f);
    static final int MANTISSA = 0x007f_ffff;

    private PanamaMath() {
    }
}
