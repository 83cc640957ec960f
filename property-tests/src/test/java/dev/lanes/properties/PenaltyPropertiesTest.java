package dev.lanes.properties;

import static dev.lanes.properties.Approx.U;

import dev.lanes.core.Penalties;
import dev.lanes.core.internal.PenaltyKernel;
import dev.lanes.gradcheck.Differentiable;
import dev.lanes.gradcheck.GradientCheck;
import dev.lanes.property.Gen;
import dev.lanes.property.Gens;
import dev.lanes.property.MatrixCase;
import dev.lanes.property.Property;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Properties of the penalty kernels (L1, KL sparsity, L2) on both implementations.
 *
 * <p><b>Sums.</b> The values are float sums whose order differs between the kernels. A float sum
 * of n terms in any order is within {@code (n - 1) u sum|t|} of the exact sum ({@code u = 2^-24});
 * the squares of L2 and the final scaling by lambda (and 1/2) add about {@code 3u}; so two
 * implementations differ by at most {@code (2n + 6) u sum|terms|}. Subnormal squares round by an
 * absolute {@code MIN_VALUE/2} each: {@code n MIN_VALUE} more. The KL pieces go through
 * logarithms (0.5 ulp scalar, 2 ulps Panama: up to {@code 5u} each) and a quotient: {@code 12u}
 * more per piece, {@code (2n + 12) u sum|pieces|}.
 */
class PenaltyPropertiesTest {

    static final float EPS = Penalties.KL_EPSILON;
    static final float ONE_MINUS_EPS = 1f - EPS;

    record Named(String name, PenaltyKernel kernel) {
    }

    static PenaltyKernel scalar;
    static PenaltyKernel panama;
    static List<Named> kernels;

    @BeforeAll
    static void load() {
        scalar = Cases.scalar(PenaltyKernel.class);
        panama = Cases.panama(PenaltyKernel.class);
        kernels = List.of(new Named("scalar", scalar), new Named("panama", panama));
    }

    /**
     * Values that neither overflow a sum of a few thousand squares nor hide it: mostly [-1, 1] or
     * [-1000, 1000], with signed zeros, subnormals, NaN and infinities (which propagate alike in
     * any order: NaN, or the one infinity).
     */
    static Gen<Float> values() {
        return Gen.oneOf(Gens.floats(-1f, 1f), Gens.floats(-1000f, 1000f), Gen.elements(0f, -0f, Float.MIN_VALUE,
                -Float.MIN_VALUE, Float.MIN_NORMAL * 0.3f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY));
    }

    /** Batch means near and beyond the clamp bounds, in (0, 1), and NaN. */
    static Gen<Float> rhoHats() {
        return Gen.oneOf(Gens.floats(0f, 1f), Gen.elements(0f, -0f, -0.5f, 1f, 1.5f, EPS, Math.nextDown(EPS), Math.nextUp(EPS),
                ONE_MINUS_EPS, Math.nextUp(ONE_MINUS_EPS), Math.nextDown(ONE_MINUS_EPS), Float.NaN, Float.MIN_VALUE));
    }

    static final Gen<Float> WEIGHTS = Gen.oneOf(Gen.elements(0f, 1f, 1e-3f), Gens.floats(0f, 4f));
    static final Gen<Float> RHOS = Gen.oneOf(Gen.elements(0.05f, 0.5f, EPS, 0.01f), Gens.floats(1e-3f, 0.999f));

    static double kernelSumTolerance(int n, double sumAbsTerms) {
        return (2.0 * n + 6) * U * sumAbsTerms + n * (double) Float.MIN_VALUE;
    }

    /** The two logarithmic pieces of column j's KL term, in double, at the clamped rho-hat. */
    static double[] klPieces(float rho, float rhoHat) {
        double r = Math.min(Math.max(rhoHat, EPS), ONE_MINUS_EPS);
        return new double[] {rho * Math.log(rho / r), (1.0 - rho) * Math.log((1.0 - rho) / (1 - r))};
    }

    /** l1, l2 and kl values: Panama within the class bound of the scalar reference. */
    @Test
    void valuesPanamaMatchesScalar() {
        Gen<Cases.Parts> gen = Gen.zip(Cases.vectors(4000, values()), Cases.vectors(1000, rhoHats()), WEIGHTS, RHOS,
                (a, r, w, rho) -> new Cases.Parts(a, r, w, rho));
        Property.named("penalty-values-panama-vs-scalar").forAll(gen, g -> {
            MatrixCase a = (MatrixCase) g.get(0);
            MatrixCase rh = (MatrixCase) g.get(1);
            float w = (float) g.get(2);
            float rho = (float) g.get(3);
            int n = a.cols();
            double abs = 0;
            double sq = 0;
            for (int i = 0; i < n; i++) {
                abs += Math.abs(a.get(0, i));
                sq += (double) a.get(0, i) * a.get(0, i);
            }
            Approx.within("l1 lambda=" + w + " n=" + n, scalar.l1(w, a.data(), a.offset(), n),
                    panama.l1(w, a.data(), a.offset(), n), kernelSumTolerance(n, w * abs));
            Approx.within("l2 lambda=" + w + " n=" + n, scalar.l2(w, a.data(), a.offset(), n),
                    panama.l2(w, a.data(), a.offset(), n), kernelSumTolerance(n, 0.5 * w * sq));
            int cols = rh.cols();
            double pieces = 0;
            for (int j = 0; j < cols; j++) {
                double[] p = klPieces(rho, rh.get(0, j));
                pieces += Math.abs(p[0]) + Math.abs(p[1]);
            }
            Approx.within("kl rho=" + rho + " beta=" + w + " cols=" + cols, scalar.kl(rho, w, rh.data(), rh.offset(), cols),
                    panama.kl(rho, w, rh.data(), rh.offset(), cols), (2.0 * cols + 12) * U * w * pieces);
        });
    }

    /**
     * The gradients (which add into a buffer holding signed zeros, NaN and ordinary values) and the
     * batch means are bit-identical on both kernels, as documented, and write only their range.
     */
    @Test
    void gradientsAndBatchMeansAreBitExact() {
        Gen<Cases.Parts> gen = Gens.simdSizes(2000).flatMap(n -> Gen.zip(Cases.vector(n, values()), Cases.vector(n, values()),
                WEIGHTS, (a, g, w) -> new Cases.Parts(a, g, w)));
        Property.named("penalty-gradients-bit-exact").forAll(gen, g -> {
            MatrixCase a = (MatrixCase) g.get(0);
            MatrixCase grad = (MatrixCase) g.get(1);
            float w = (float) g.get(2);
            int n = a.cols();
            MatrixCase gs = grad.copy();
            MatrixCase gp = grad.copy();
            scalar.l1Gradient(w, a.data(), a.offset(), gs.data(), gs.offset(), n);
            panama.l1Gradient(w, a.data(), a.offset(), gp.data(), gp.offset(), n);
            Approx.paddingIntact("l1Gradient", gp);
            Approx.sameBits("l1Gradient lambda=" + w, gs, gp);
            gs = grad.copy();
            gp = grad.copy();
            scalar.l2Gradient(w, a.data(), a.offset(), gs.data(), gs.offset(), n);
            panama.l2Gradient(w, a.data(), a.offset(), gp.data(), gp.offset(), n);
            Approx.paddingIntact("l2Gradient", gp);
            Approx.sameBits("l2Gradient lambda=" + w, gs, gp);
        });
        Gen<Cases.Parts> kl = Gen.zip(Gens.simdSizes(40).map(r -> Math.max(1, r)), Gens.simdSizes(300), (r, c) -> new int[] {r, c})
                .flatMap(s -> Gen.zip(Cases.matrix(s[0], s[1], Gen.oneOf(Gens.floats(0f, 1f), values())),
                        Cases.output(1, s[1]), Cases.matrix(s[0], s[1], values()),
                        Gen.zip(RHOS, WEIGHTS, (rho, beta) -> new float[] {rho, beta}),
                        (a, r, gr, p) -> new Cases.Parts(a, r, gr, p)));
        Property.named("kl-rhohat-gradient-bit-exact").forAll(kl, g -> {
            MatrixCase a = (MatrixCase) g.get(0);
            MatrixCase r = (MatrixCase) g.get(1);
            MatrixCase grad = (MatrixCase) g.get(2);
            float[] p = (float[]) g.get(3);
            MatrixCase rs = r.copy();
            MatrixCase rp = r.copy();
            scalar.klRhoHat(a.rows(), a.cols(), a.data(), a.offset(), a.ld(), rs.data(), rs.offset());
            panama.klRhoHat(a.rows(), a.cols(), a.data(), a.offset(), a.ld(), rp.data(), rp.offset());
            Approx.paddingIntact("klRhoHat", rp);
            Approx.sameBits("klRhoHat", rs, rp);
            MatrixCase gs = grad.copy();
            MatrixCase gp = grad.copy();
            scalar.klGradient(p[0], p[1], a.rows(), a.cols(), rs.data(), rs.offset(), gs.data(), gs.offset(), gs.ld());
            panama.klGradient(p[0], p[1], a.rows(), a.cols(), rs.data(), rs.offset(), gp.data(), gp.offset(), gp.ld());
            Approx.paddingIntact("klGradient", gp);
            Approx.sameBits("klGradient rho=" + p[0] + " beta=" + p[1], gs, gp);
        });
    }

    /**
     * Penalties of finite inputs are non-negative: l1 and l2 exactly (sums of non-negative terms), KL up to its
     * rounding (each piece's quotient rounds by u, moving the log by u, so a column errs by
     * {@code u (rho + 1 - rho)} plus {@code 6u} of its pieces; the sum adds {@code cols u} of them),
     * on both kernels. The exact KL is >= 0, but near rho-hat = rho the float one can dip just below.
     */
    @Test
    void penaltiesAreNonNegative() {
        Gen<Float> finite = values().filter(Float::isFinite);
        Gen<Cases.Parts> gen = Gen.zip(Gens.floatArrays(Gens.simdSizes(1000), finite),
                Gens.floatArrays(Gens.simdSizes(300), rhoHats().filter(f -> !Float.isNaN(f))), WEIGHTS, RHOS,
                (a, r, w, rho) -> new Cases.Parts(a, r, w, rho));
        Property.named("penalties-non-negative").forAll(gen, g -> {
            float[] a = (float[]) g.get(0);
            float[] r = (float[]) g.get(1);
            float w = (float) g.get(2);
            float rho = (float) g.get(3);
            double tol = 0;
            for (float v : r) {
                double[] p = klPieces(rho, v);
                tol += U + (r.length + 6) * U * (Math.abs(p[0]) + Math.abs(p[1]));
            }
            tol *= w;
            for (Named kn : kernels) {
                float l1 = kn.kernel.l1(w, a, 0, a.length);
                float l2 = kn.kernel.l2(w, a, 0, a.length);
                float kl = kn.kernel.kl(rho, w, r, 0, r.length);
                if (!(l1 >= 0f && l2 >= 0f && kl >= -tol)) {
                    throw new AssertionError(kn.name + ": l1=" + l1 + " l2=" + l2 + " kl=" + kl + " (kl may dip to -" + tol + ")");
                }
            }
        });
    }

    /** KL(rho || rho) = 0 exactly: every rho-hat equal to rho (inside the clamp range) gives +-0 on both kernels. */
    @Test
    void klVanishesWhereRhoHatEqualsRho() {
        Gen<Cases.Parts> gen = Gen.zip(Gens.simdSizes(300), Gens.floats(EPS, ONE_MINUS_EPS), WEIGHTS,
                (n, rho, beta) -> new Cases.Parts(n, rho, beta));
        Property.named("kl-zero-at-rho").forAll(gen, g -> {
            int n = (int) g.get(0);
            float rho = (float) g.get(1);
            float beta = (float) g.get(2);
            float[] r = new float[n];
            Arrays.fill(r, rho);
            for (Named kn : kernels) {
                float kl = kn.kernel.kl(rho, beta, r, 0, n);
                if (kl != 0f) {
                    throw new AssertionError(kn.name + ": kl(rho=" + rho + ") over " + n + " columns at rho-hat = rho is " + kl);
                }
            }
        });
    }

    /** Floats in [0.05, 1] of either sign: a step of 2^-8 never crosses L1's kink at 0. */
    static Gen<Float> awayFromZero() {
        return Gen.zip(Gens.floats(0.05f, 1f), Gen.elements(1f, -1f), (m, s) -> m * s);
    }

    /** The absolute floor for a penalty whose value errs by {@code e} per evaluation: {@code 3e/h}, see ActivationPropertiesTest. */
    static double floor(double e) {
        return Math.max(GradientCheck.ABS_TOLERANCE, 3 * e / GradientCheck.STEP);
    }

    /**
     * The L1 subgradient (away from 0), the L2 gradient and the KL gradient (batch-coupled: every
     * activation of a column moves its rho-hat; column means kept inside the clamp range by
     * activations in [0.05, 0.95]) equal the finite-difference derivatives of the values, on both
     * kernels. Each value is a float sum; its error per evaluation {@code e} (the class comment's
     * bound against the exact value: {@code (n + 2) u} of the terms, for KL also the logs, the
     * quotients and the rounding of rho-hat, {@code (rows + 1) u r_j |dKL/dr_j|}) gives the
     * absolute floor {@code 3e/h}.
     */
    @Test
    void gradientsMatchFiniteDifferences() {
        Gen<Cases.Parts> gen = Gen.zip(Gens.floatArrays(Gens.simdSizes(16).map(n -> Math.max(1, n)), awayFromZero()),
                Gens.floats(0.1f, 3f), Cases.seeds(), (a, w, seed) -> new Cases.Parts(a, w, seed));
        Property.named("penalty-gradients").forAll(gen, g -> {
            float[] a = (float[]) g.get(0);
            float w = (float) g.get(1);
            int seed = ((Cases.Seed) g.get(2)).value();
            int n = a.length;
            double abs = 0;
            double sq = 0;
            for (float v : a) {
                abs += Math.abs(v);
                sq += (double) v * v;
            }
            for (Named kn : kernels) {
                PenaltyKernel k = kn.kernel;
                Differentiable l1 = Cases.scalarFunction(kn.name + " l1", n, (x, y) -> y[0] = k.l1(w, x, 0, n),
                        (x, y, dy, dx) -> k.l1Gradient(w, x, 0, dx, 0, n), x -> {
                            long[] s = new long[n];
                            for (int i = 0; i < n; i++) {
                                s[i] = (long) Math.signum(x[i]);
                            }
                            return s;
                        });
                GradientCheck.of(l1).seed(seed).input(a).absTolerance(floor((n + 2) * U * w * abs)).run().assertGradients();
                Differentiable l2 = Cases.scalarFunction(kn.name + " l2", n, (x, y) -> y[0] = k.l2(w, x, 0, n),
                        (x, y, dy, dx) -> k.l2Gradient(w, x, 0, dx, 0, n), x -> new long[0]);
                GradientCheck.of(l2).seed(seed).input(a).absTolerance(floor((n + 3) * U * w * sq)).run().assertGradients();
            }
        });
        Gen<Cases.Parts> klGen = Gen.zip(Gens.ints(1, 8), Gens.ints(1, 8), (r, c) -> new int[] {r, c})
                .flatMap(s -> Gen.zip(Gen.constant(s), Gens.floatArrays(s[0] * s[1], Gens.floats(0.05f, 0.95f)),
                        Gen.zip(Gens.floats(0.02f, 0.98f), Gens.floats(0.1f, 3f), (rho, w) -> new float[] {rho, w}),
                        Cases.seeds(), (sh, a, p, seed) -> new Cases.Parts(sh, a, p, seed)));
        Property.named("kl-gradient").forAll(klGen, g -> {
            int rows = ((int[]) g.get(0))[0];
            int cols = ((int[]) g.get(0))[1];
            float[] a = (float[]) g.get(1);
            float rho = ((float[]) g.get(2))[0];
            float beta = ((float[]) g.get(2))[1];
            int seed = ((Cases.Seed) g.get(3)).value();
            for (Named kn : kernels) {
                PenaltyKernel k = kn.kernel;
                float[] rh = new float[cols];
                k.klRhoHat(rows, cols, a, 0, cols, rh, 0);
                double e = 0;
                for (float r : rh) {
                    double[] p = klPieces(rho, r);
                    double dKl = -rho / (double) r + (1.0 - rho) / (1.0 - r);
                    e += U + (cols + 12) * U * (Math.abs(p[0]) + Math.abs(p[1])) + (rows + 1) * U * r * Math.abs(dKl);
                }
                Differentiable kl = Cases.scalarFunction(kn.name + " kl " + rows + "x" + cols, rows * cols, (x, y) -> {
                    float[] r = new float[cols];
                    k.klRhoHat(rows, cols, x, 0, cols, r, 0);
                    y[0] = k.kl(rho, beta, r, 0, cols);
                }, (x, y, dy, dx) -> {
                    float[] r = new float[cols];
                    k.klRhoHat(rows, cols, x, 0, cols, r, 0);
                    k.klGradient(rho, beta, rows, cols, r, 0, dx, 0, cols);
                }, x -> {
                    float[] r = new float[cols];
                    k.klRhoHat(rows, cols, x, 0, cols, r, 0);
                    long[] s = new long[cols];
                    for (int j = 0; j < cols; j++) {
                        s[j] = r[j] < EPS ? 0 : r[j] > ONE_MINUS_EPS ? 2 : 1;
                    }
                    return s;
                });
                GradientCheck.of(kl).seed(seed).input(a).absTolerance(floor(beta * e)).run().assertGradients();
            }
        });
    }
}
