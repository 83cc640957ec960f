package dev.lanes.properties;

import static dev.lanes.properties.Approx.U;

import dev.lanes.core.internal.LossKernel;
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
 * Properties of the loss kernels (mse, softmax, softmax and sigmoid cross-entropy) on both
 * implementations.
 *
 * <p><b>Tolerances</b>, from PanamaLoss's error budget as {@code LossKernelTest} derives it (the
 * scalar reference sums in double and rounds once, so the budget is Panama's): sums of
 * non-negative terms within {@link #SUM_RTOL} = 4e-6 relative (float blocks of 16 terms per lane,
 * two joins and a 16-lane reduction, about 33u, plus about 6u per term for exp, log1p and the
 * products); softmax elements likewise, plus {@link #FLUSHED} absolute: Panama's exp flushes results below
 * the normal range to zero (documented on {@code Losses.softmax}), so a probability under
 * {@code 2^-126} may come back as 0;
 * softmax cross-entropy 4e-6 absolute (log turns the sum's relative error into an absolute one) plus
 * {@code 2^-23} relative; gradients {@code 2^-21} relative plus {@code 2^-21/n} absolute for the
 * cancellation in {@code sigmoid - t} and {@code p - 1}.
 */
class LossPropertiesTest {

    static final double SUM_RTOL = 4e-6;
    static final double TINY = 0x1p-146;
    static final double FLUSHED = Float.MIN_NORMAL;

    record Named(String name, LossKernel kernel) {
    }

    static LossKernel scalar;
    static LossKernel panama;
    static List<Named> kernels;

    @BeforeAll
    static void load() {
        scalar = Cases.scalar(LossKernel.class);
        panama = Cases.panama(LossKernel.class);
        kernels = List.of(new Named("scalar", scalar), new Named("panama", panama));
    }

    /** Targets in [0, 1], with the ends and soft values. */
    static Gen<Float> targets() {
        return Gen.oneOf(Gen.elements(0f, 1f), Gens.floats(0f, 1f));
    }

    /** Losses and gradients: Panama within the class tolerances of the scalar reference, with corner values. */
    @Test
    void panamaMatchesScalar() {
        Gen<Cases.Parts> vec = Gens.simdSizes(1500).map(n -> Math.max(1, n)).flatMap(n -> Gen.zip(Cases.vector(n, Gens.floats()),
                Cases.vector(n, Gens.floats()), Cases.vector(n, targets()), (a, b, t) -> new Cases.Parts(a, b, t)));
        Property.named("losses-vectors-panama-vs-scalar").forAll(vec, g -> {
            MatrixCase yhat = (MatrixCase) g.get(0);
            MatrixCase y = (MatrixCase) g.get(1);
            MatrixCase t = (MatrixCase) g.get(2);
            int n = yhat.cols();
            float[] gs = new float[n];
            float[] gp = new float[n];
            Approx.close("mse n=" + n, scalar.mse(n, yhat.data(), yhat.offset(), y.data(), y.offset(), gs, 0),
                    panama.mse(n, yhat.data(), yhat.offset(), y.data(), y.offset(), gp, 0), 0, SUM_RTOL);
            for (int i = 0; i < n; i++) {
                Approx.close("mse grad i=" + i, gs[i], gp[i], Float.MIN_VALUE, 0x1p-21);
            }
            // Terms are scaled by 1/n before the float sum: one subnormal rounding each at worst (1e-38).
            Approx.close("bce n=" + n, scalar.sigmoidCrossEntropy(n, yhat.data(), yhat.offset(), t.data(), t.offset(), gs, 0),
                    panama.sigmoidCrossEntropy(n, yhat.data(), yhat.offset(), t.data(), t.offset(), gp, 0), 1e-38, SUM_RTOL);
            for (int i = 0; i < n; i++) {
                Approx.close("bce grad i=" + i + " z=" + yhat.get(0, i) + " t=" + t.get(0, i), gs[i], gp[i], 0x1p-21 / n, 0x1p-21);
            }
        });
        Gen<Cases.Parts> mat = Gen.zip(Gens.simdSizes(12).map(r -> Math.max(1, r)), Gens.simdSizes(300).map(c -> Math.max(1, c)),
                        (r, c) -> new int[] {r, c})
                .flatMap(s -> Gen.zip(Cases.matrix(s[0], s[1], Gens.floats()), Cases.output(s[0], s[1]),
                        Gens.floatArrays(s[0], Gens.floats(0f, 1f)), (x, o, lab) -> new Cases.Parts(x, o, labels(lab, s[1]))));
        Property.named("losses-rows-panama-vs-scalar").forAll(mat, g -> {
            MatrixCase x = (MatrixCase) g.get(0);
            MatrixCase out = (MatrixCase) g.get(1);
            int[] labels = (int[]) g.get(2);
            int rows = x.rows();
            int cols = x.cols();
            MatrixCase ys = out.copy();
            MatrixCase yp = out.copy();
            scalar.softmax(rows, cols, x.data(), x.offset(), x.ld(), ys.data(), ys.offset(), ys.ld());
            panama.softmax(rows, cols, x.data(), x.offset(), x.ld(), yp.data(), yp.offset(), yp.ld());
            Approx.paddingIntact("softmax y", yp);
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < cols; j++) {
                    Approx.close("softmax (" + r + ", " + j + ")", ys.get(r, j), yp.get(r, j), FLUSHED, SUM_RTOL);
                }
            }
            MatrixCase gs = out.copy();
            MatrixCase gp = out.copy();
            Approx.close("softmaxCE", scalar.softmaxCrossEntropy(rows, cols, x.data(), x.offset(), x.ld(), labels, 0,
                            gs.data(), gs.offset(), gs.ld()),
                    panama.softmaxCrossEntropy(rows, cols, x.data(), x.offset(), x.ld(), labels, 0, gp.data(), gp.offset(), gp.ld()),
                    SUM_RTOL, 0x1p-23);
            Approx.paddingIntact("softmaxCE grad", gp);
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < cols; j++) {
                    double p = gs.get(r, j) * (double) rows + (j == labels[r] ? 1 : 0);
                    Approx.close("softmaxCE grad (" + r + ", " + j + ")", gs.get(r, j), gp.get(r, j),
                            (0x1p-22 + SUM_RTOL * Math.abs(p)) / rows, 0);
                }
            }
        });
    }

    static int[] labels(float[] u, int cols) {
        int[] l = new int[u.length];
        for (int i = 0; i < u.length; i++) {
            l[i] = Math.min(cols - 1, (int) (u[i] * cols));
        }
        return l;
    }

    /**
     * Softmax rows are probability vectors, on both kernels, for finite logits of any size: every
     * element in [0, 1] and each row's sum within {@code SUM_RTOL + cols * TINY} of 1 (each element
     * within SUM_RTOL relative, TINY absolute, of the exact one, and the exact ones sum to 1).
     */
    @Test
    void softmaxRowsAreProbabilities() {
        Gen<MatrixCase> gen = Gen.zip(Gens.simdSizes(12), Gens.simdSizes(300).map(c -> Math.max(1, c)), (r, c) -> new int[] {r, c})
                .flatMap(s -> Cases.matrix(s[0], s[1], Gens.finiteFloats()));
        Property.named("softmax-probabilities").forAll(gen, x -> {
            for (Named kn : kernels) {
                MatrixCase y = x.copy();
                kn.kernel.softmax(x.rows(), x.cols(), x.data(), x.offset(), x.ld(), y.data(), y.offset(), y.ld());
                for (int r = 0; r < x.rows(); r++) {
                    double sum = 0;
                    for (int j = 0; j < x.cols(); j++) {
                        float v = y.get(r, j);
                        if (!(v >= 0f && v <= 1f)) {
                            throw new AssertionError(kn.name + " softmax (" + r + ", " + j + ") = " + v + " is not in [0, 1]");
                        }
                        sum += v;
                    }
                    Approx.within(kn.name + " softmax row " + r + " sum", 1.0, sum, SUM_RTOL + x.cols() * TINY);
                }
            }
        });
    }

    /** The losses are non-negative on finite inputs, both kernels: mse, sigmoid and softmax cross-entropy. */
    @Test
    void lossesAreNonNegative() {
        Gen<Cases.Parts> gen = Gens.simdSizes(500).map(n -> Math.max(1, n)).flatMap(n -> Gen.zip(
                Gens.floatArrays(n, Gens.finiteFloats()), Gens.floatArrays(n, Gens.finiteFloats()),
                Gens.floatArrays(n, targets()), Gens.floatArrays(n, Gens.floats(0f, 1f)), (a, b, t, l) -> new Cases.Parts(a, b, t, l)));
        Property.named("losses-non-negative").forAll(gen, g -> {
            float[] a = (float[]) g.get(0);
            float[] b = (float[]) g.get(1);
            float[] t = (float[]) g.get(2);
            int n = a.length;
            int[] labels = labels((float[]) g.get(3), n);
            for (Named kn : kernels) {
                float mse = kn.kernel.mse(n, a, 0, b, 0, null, 0);
                float bce = kn.kernel.sigmoidCrossEntropy(n, a, 0, t, 0, null, 0);
                // one row of n logits, and n rows of one logit each (loss 0)
                float ce = kn.kernel.softmaxCrossEntropy(1, n, a, 0, n, labels, 0, null, 0, 0);
                float ce1 = kn.kernel.softmaxCrossEntropy(n, 1, a, 0, 1, new int[n], 0, null, 0, 0);
                if (!(mse >= 0f && bce >= 0f && ce >= 0f && ce1 >= 0f)) {
                    throw new AssertionError(kn.name + ": mse=" + mse + " bce=" + bce + " softmaxCE=" + ce + " one-column CE=" + ce1);
                }
            }
        });
    }

    /**
     * The gradients of mse (in yhat), softmax cross-entropy (in the logits, labels fixed) and
     * sigmoid cross-entropy (in the logits, targets fixed) equal the finite-difference derivatives
     * of the losses, on both kernels, at up to 40 inputs in [-3, 3]. The absolute floor is
     * {@code 3e/h} (see ActivationPropertiesTest) for a loss that errs by {@code e} per evaluation:
     * the final rounding to float, {@code u |L|}, and for Panama the class bounds on top. The
     * rounding must be stated: the checker counts noise only for outputs that moved, and a mean
     * whose change is below half an ulp does not move (at logit 0 and target 0.4999 the sigmoid
     * cross-entropy's gradient, 4e-6 / n, moves L = 0.69 by less than its ulp: numeric 0).
     */
    @Test
    void gradientsMatchFiniteDifferences() {
        Gen<Cases.Parts> gen = Gen.zip(Gens.ints(1, 4), Gens.simdSizes(10).map(c -> Math.max(1, c)), (r, c) -> new int[] {r, c})
                .flatMap(s -> Gen.zip(Gen.constant(s), Gens.floatArrays(s[0] * s[1], Gens.floats(-3f, 3f)),
                        Gens.floatArrays(s[0] * s[1], targets()), Cases.seeds(),
                        (sh, x, t, seed) -> new Cases.Parts(sh, x, t, seed)));
        Property.named("loss-gradients").forAll(gen, g -> {
            int rows = ((int[]) g.get(0))[0];
            int cols = ((int[]) g.get(0))[1];
            float[] x = (float[]) g.get(1);
            float[] t = (float[]) g.get(2);
            int seed = ((Cases.Seed) g.get(3)).value();
            int n = x.length;
            int[] labels = new int[rows];
            for (int r = 0; r < rows; r++) {
                labels[r] = Math.min(cols - 1, (int) (t[r] * cols));
            }
            for (Named kn : kernels) {
                LossKernel k = kn.kernel;
                boolean p = k == panama;
                float mse = k.mse(n, x, 0, t, 0, null, 0);
                check(lossFunction(kn.name + " mse", n, (a, y) -> y[0] = k.mse(n, a, 0, t, 0, null, 0),
                        (a, y, dy, dx) -> k.mse(n, a, 0, t, 0, dx, 0)), x, seed, (p ? SUM_RTOL : 0) * mse + U * mse);
                float bce = k.sigmoidCrossEntropy(n, x, 0, t, 0, null, 0);
                check(lossFunction(kn.name + " sigmoidCE", n, (a, y) -> y[0] = k.sigmoidCrossEntropy(n, a, 0, t, 0, null, 0),
                        (a, y, dy, dx) -> k.sigmoidCrossEntropy(n, a, 0, t, 0, dx, 0)), x, seed, (p ? SUM_RTOL * bce + 1e-38 : 0) + U * bce);
                float ce = k.softmaxCrossEntropy(rows, cols, x, 0, cols, labels, 0, null, 0, 0);
                check(lossFunction(kn.name + " softmaxCE " + rows + "x" + cols, n,
                        (a, y) -> y[0] = k.softmaxCrossEntropy(rows, cols, a, 0, cols, labels, 0, null, 0, 0),
                        (a, y, dy, dx) -> k.softmaxCrossEntropy(rows, cols, a, 0, cols, labels, 0, dx, 0, cols)),
                        x, seed, (p ? SUM_RTOL + 0x1p-23 * ce : 0) + U * ce);
            }
        });
    }

    static void check(Differentiable f, float[] x, int seed, double e) {
        GradientCheck.of(f).seed(seed).input(Arrays.copyOf(x, f.inputSize()))
                .absTolerance(Math.max(GradientCheck.ABS_TOLERANCE, 3 * e / GradientCheck.STEP)).run().assertGradients();
    }

    /** A loss L(x) with fixed targets, as a one-output function for the gradient checker; losses have no kinks here. */
    static Differentiable lossFunction(String name, int n, Differentiable.Forward f, Differentiable.Backward grad) {
        return Cases.scalarFunction(name, n, f, grad, x -> new long[0]);
    }
}
