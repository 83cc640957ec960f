package dev.lanes.properties;

import dev.lanes.core.internal.ActivationKernel;
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
 * Properties of the activation kernels (identity, ReLU, softplus, sigmoid, tanh, TReLU), forward
 * and backward, on both implementations: Panama against the scalar reference, ranges,
 * monotonicity, in-place use, and the backward pass against finite differences.
 *
 * <p><b>Tolerance of the transcendental kernels.</b> The scalar reference rounds a double result
 * once (within 0.5 ulp); Panama's sigmoid, tanh and softplus are within 2.5 ulps of the exact value
 * and its softplus derivative within 1 ulp (the bounds {@code ActivationKernelTest} measures over
 * the whole float range). So the two differ by at most 3 ulps forward, and by at most 1.5 ulps of
 * the derivative plus one rounding of the product with dy backward. One ulp of a normal float is at
 * most {@code 2^-23} of its magnitude, so {@link #RTOL} = {@code 4 * 2^-23} covers both with a
 * margin; {@link #ATOL} = 4 {@code Float.MIN_VALUE} covers subnormal results, whose ulp is absolute.
 * Everything else (identity, ReLU, TReLU forward, every derivative but softplus's) is documented
 * bit-identical and compared bit for bit.
 */
class ActivationPropertiesTest {

    static final double RTOL = 4 * 0x1p-23;
    static final double ATOL = 4 * (double) Float.MIN_VALUE;
    /** The Panama forward error bound in ulps, as measured by ActivationKernelTest. */
    static final double PANAMA_ULPS = 2.5;
    /** The longest generated vector: many 4 x 16-lane blocks plus every tail, in about a millisecond per try. */
    static final int MAX_N = 1000;
    /** The longest vector the gradient checker differentiates: every element is checked, 4 forwards each. */
    static final int GRAD_N = 40;

    interface Forward {
        void run(ActivationKernel k, float[] x, int xOff, float[] y, int yOff, int n);
    }

    interface Backward {
        void run(ActivationKernel k, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n);
    }

    /** An activation: its kernel methods, which directions are bit-exact across implementations, and its kinks. */
    record Act(String name, Forward forward, Backward backward, boolean exactForward, boolean exactBackward,
               double[] kinks) {
        @Override
        public String toString() {
            return name;
        }

        /** The region of x between the kinks: the discrete state the gradient checker compares. */
        long region(float x) {
            long r = 0;
            for (double k : kinks) {
                if (x > k) {
                    r++;
                }
            }
            return r;
        }
    }

    static final List<Act> ACTS = List.of(
            new Act("identity", ActivationKernel::identity, ActivationKernel::identityBackward, true, true, new double[0]),
            new Act("relu", ActivationKernel::relu, ActivationKernel::reluBackward, true, true, new double[] {0}),
            new Act("softplus", ActivationKernel::softplus, ActivationKernel::softplusBackward, false, false, new double[0]),
            new Act("sigmoid", ActivationKernel::sigmoid, ActivationKernel::sigmoidBackward, false, true, new double[0]),
            new Act("tanh", ActivationKernel::tanh, ActivationKernel::tanhBackward, false, true, new double[0]),
            new Act("trelu", ActivationKernel::trelu, ActivationKernel::treluBackward, true, true, new double[] {0, 1}));

    record Named(String name, ActivationKernel kernel) {
    }

    static ActivationKernel scalar;
    static ActivationKernel panama;
    static List<Named> kernels;

    @BeforeAll
    static void load() {
        scalar = Cases.scalar(ActivationKernel.class);
        panama = Cases.panama(ActivationKernel.class);
        kernels = List.of(new Named("scalar", scalar), new Named("panama", panama));
    }

    static float[] forward(Act act, ActivationKernel k, float[] x) {
        float[] y = new float[x.length];
        act.forward.run(k, x, 0, y, 0, x.length);
        return y;
    }

    /**
     * Forward: Panama equals the scalar reference (bit-exact or within the class tolerance) on
     * vectors of up to {@value #MAX_N} floats with offsets and corner values; NaN in gives NaN out; x is not
     * written and y is written only in its range.
     */
    @Test
    void forwardPanamaMatchesScalar() {
        Gen<MatrixCase> xs = Cases.vectors(MAX_N, Gens.floats());
        Gen<Cases.Parts> gen = xs.flatMap(x -> Gen.zip(Gen.constant(x), Cases.outputVector(x.cols()), Cases.outputVector(x.cols()),
                (a, b, c) -> new Cases.Parts(a, b, c)));
        Property.named("activation-forward-panama-vs-scalar").forAll(gen, v -> {
            MatrixCase x = (MatrixCase) v.get(0);
            int n = x.cols();
            for (Act act : ACTS) {
                float[] before = x.data().clone();
                MatrixCase ys = ((MatrixCase) v.get(1)).copy();
                MatrixCase yp = ((MatrixCase) v.get(2)).copy();
                act.forward.run(scalar, x.data(), x.offset(), ys.data(), ys.offset(), n);
                act.forward.run(panama, x.data(), x.offset(), yp.data(), yp.offset(), n);
                Approx.unchanged(act + " x", before, x.data());
                Approx.paddingIntact(act + " scalar y", ys);
                Approx.paddingIntact(act + " panama y", yp);
                for (int i = 0; i < n; i++) {
                    float xi = x.get(0, i);
                    String what = act + " x=" + xi + " i=" + i;
                    float s = ys.get(0, i);
                    float p = yp.get(0, i);
                    if (Float.isNaN(xi) && !(Float.isNaN(s) && Float.isNaN(p))) {
                        throw new AssertionError(what + ": NaN in must give NaN out, got scalar " + s + ", panama " + p);
                    }
                    if (act.exactForward) {
                        Approx.sameBits(what, s, p);
                    } else {
                        Approx.close(what, s, p, ATOL, RTOL);
                    }
                }
            }
        });
    }

    /**
     * Backward: Panama equals the scalar reference on y = f(x) (the outputs backward is defined on)
     * and dy with corner values; bit-exact except softplus (class tolerance). y and dy are not written.
     */
    @Test
    void backwardPanamaMatchesScalar() {
        Gen<Cases.Parts> gen = Gens.simdSizes(MAX_N).flatMap(n -> Gen.zip(Cases.vector(n, Gens.floats()),
                Cases.vector(n, Gens.floats()), Cases.outputVector(n), (x, dy, dx) -> new Cases.Parts(x, dy, dx)));
        Property.named("activation-backward-panama-vs-scalar").forAll(gen, v -> {
            MatrixCase x = (MatrixCase) v.get(0);
            MatrixCase dy = (MatrixCase) v.get(1);
            int n = x.cols();
            for (Act act : ACTS) {
                MatrixCase y = x.copy();
                act.forward.run(scalar, x.data(), x.offset(), y.data(), y.offset(), n);
                float[] yBefore = y.data().clone();
                float[] dyBefore = dy.data().clone();
                MatrixCase ds = ((MatrixCase) v.get(2)).copy();
                MatrixCase dp = ((MatrixCase) v.get(2)).copy();
                act.backward.run(scalar, y.data(), y.offset(), dy.data(), dy.offset(), ds.data(), ds.offset(), n);
                act.backward.run(panama, y.data(), y.offset(), dy.data(), dy.offset(), dp.data(), dp.offset(), n);
                Approx.unchanged(act + " y", yBefore, y.data());
                Approx.unchanged(act + " dy", dyBefore, dy.data());
                Approx.paddingIntact(act + " scalar dx", ds);
                Approx.paddingIntact(act + " panama dx", dp);
                for (int i = 0; i < n; i++) {
                    String what = act + " y=" + y.get(0, i) + " dy=" + dy.get(0, i) + " i=" + i;
                    if (act.exactBackward) {
                        Approx.sameBits(what, ds.get(0, i), dp.get(0, i));
                    } else {
                        Approx.close(what, ds.get(0, i), dp.get(0, i), ATOL, RTOL);
                    }
                }
            }
        });
    }

    /**
     * In place equals out of place, bit for bit, on both kernels: forward with y = x, backward with
     * dx = dy and with dx = y (same offsets), as the kernels allow.
     */
    @Test
    void inPlaceEqualsOutOfPlace() {
        Gen<Cases.Parts> gen = Gens.simdSizes(MAX_N).flatMap(n -> Gen.zip(Cases.vector(n, Gens.floats()),
                Cases.vector(n, Gens.floats()), (x, dy) -> new Cases.Parts(x, dy)));
        Property.named("activation-in-place").forAll(gen, v -> {
            MatrixCase x = (MatrixCase) v.get(0);
            MatrixCase dy = (MatrixCase) v.get(1);
            int n = x.cols();
            for (Named kn : kernels) {
                for (Act act : ACTS) {
                    String what = kn.name + " " + act;
                    MatrixCase y = x.copy();
                    act.forward.run(kn.kernel, x.data(), x.offset(), y.data(), y.offset(), n);
                    MatrixCase inPlace = x.copy();
                    act.forward.run(kn.kernel, inPlace.data(), inPlace.offset(), inPlace.data(), inPlace.offset(), n);
                    Approx.sameBits(what + " forward in place", y, inPlace);
                    Approx.paddingIntact(what + " forward in place", inPlace);

                    MatrixCase dx = dy.copy();
                    act.backward.run(kn.kernel, y.data(), y.offset(), dy.data(), dy.offset(), dx.data(), dx.offset(), n);
                    MatrixCase intoDy = dy.copy();
                    act.backward.run(kn.kernel, y.data(), y.offset(), intoDy.data(), intoDy.offset(),
                            intoDy.data(), intoDy.offset(), n);
                    Approx.sameBits(what + " backward dx = dy", dx, intoDy);
                    MatrixCase intoY = y.copy();
                    act.backward.run(kn.kernel, intoY.data(), intoY.offset(), dy.data(), dy.offset(),
                            intoY.data(), intoY.offset(), n);
                    Approx.sameBits(what + " backward dx = y", dx, intoY);
                }
            }
        });
    }

    /**
     * Output ranges on every non-NaN float, both kernels: sigmoid in [0, 1], tanh in [-1, 1],
     * softplus >= 0 and >= x, TReLU in [0, 1], ReLU >= 0 and >= x, identity = x.
     */
    @Test
    void outputsStayInTheirRanges() {
        Gen<float[]> gen = Gens.floatArrays(Gens.simdSizes(500), Gens.floats().filter(f -> !Float.isNaN(f)));
        Property.named("activation-ranges").forAll(gen, x -> {
            for (Named kn : kernels) {
                for (Act act : ACTS) {
                    float[] y = forward(act, kn.kernel, x);
                    for (int i = 0; i < x.length; i++) {
                        float xi = x[i];
                        float yi = y[i];
                        boolean ok = switch (act.name) {
                            case "identity" -> Approx.bits(yi) == Approx.bits(xi);
                            case "relu" -> yi >= 0f && yi >= xi;
                            case "softplus" -> yi >= 0f && yi >= xi;
                            case "sigmoid", "trelu" -> yi >= 0f && yi <= 1f;
                            case "tanh" -> yi >= -1f && yi <= 1f;
                            default -> throw new IllegalStateException(act.name);
                        };
                        if (!ok) {
                            throw new AssertionError(kn.name + " " + act + "(" + xi + ") = " + yi + " is out of range (i=" + i + ")");
                        }
                    }
                }
            }
        });
    }

    /**
     * Monotonicity: {@code x1 <= x2} implies {@code f(x1) <= f(x2)}. The generated floats come with
     * their neighbours one ulp up and down, so adjacent pairs after sorting are often one ulp apart,
     * where an approximation that is not monotone shows.
     *
     * <p>Strict for the scalar kernels (each rounds the exact, monotone value once, and rounding is
     * monotone) and for Panama's bit-exact ones. Panama's sigmoid, tanh and softplus are documented
     * only to within a few ulps, and they are NOT strictly monotone (softplus at
     * {@code 0.44098255f} exceeds softplus at the next float up: 0.93775225 > 0.9377522), so for them
     * the law is checked up to that accuracy: {@code f(x1) <= f(x2) + (ATOL + RTOL |f(x2)|)}.
     */
    @Test
    void everyActivationIsMonotone() {
        Gen<float[]> gen = Gens.floatArrays(Gens.simdSizes(300), Gens.floats().filter(f -> !Float.isNaN(f)));
        Property.named("activation-monotone").forAll(gen, base -> {
            float[] x = new float[3 * base.length];
            for (int i = 0; i < base.length; i++) {
                x[3 * i] = base[i];
                x[3 * i + 1] = Math.nextUp(base[i]);
                x[3 * i + 2] = Math.nextDown(base[i]);
            }
            Arrays.sort(x);
            for (Named kn : kernels) {
                for (Act act : ACTS) {
                    boolean strict = kn.kernel == scalar || act.exactForward;
                    float[] y = forward(act, kn.kernel, x);
                    for (int i = 1; i < x.length; i++) {
                        double slack = strict ? 0 : ATOL + RTOL * Math.abs(y[i]);
                        if (!(y[i - 1] <= y[i] + slack)) {
                            throw new AssertionError(kn.name + " " + act + " is not monotone: f(" + x[i - 1] + ") = "
                                    + y[i - 1] + " > f(" + x[i] + ") = " + y[i] + (strict ? "" : " + " + slack));
                        }
                    }
                }
            }
        });
    }

    /**
     * {@code x} with its first element moved to 0.5 if it lies within 0.02 of a kink (steps are at
     * most {@code 2^-8 * 4}), so the checker always has an element to check; the others may sit on
     * kinks, where the checker skips them.
     */
    static float[] offTheKinks(Act act, float[] x) {
        float[] c = x.clone();
        for (double k : act.kinks) {
            if (Math.abs(c[0] - k) < 0.02) {
                c[0] = 0.5f;
            }
        }
        return c;
    }

    /** The kernel pair as a function for the gradient checker; ReLU and TReLU expose their regions. */
    static Differentiable differentiable(Act act, Named kn, int n) {
        return new Differentiable() {
            @Override
            public int inputSize() {
                return n;
            }

            @Override
            public int outputSize() {
                return n;
            }

            @Override
            public void forward(float[] x, float[] y) {
                act.forward.run(kn.kernel, x, 0, y, 0, n);
            }

            @Override
            public void backward(float[] x, float[] y, float[] dy, float[] dx) {
                act.backward.run(kn.kernel, y, 0, dy, 0, dx, 0, n);
            }

            @Override
            public long[] discreteState(float[] x, float[] y) {
                if (act.kinks.length == 0) {
                    return new long[0]; // smooth: no kinks (the default zero pattern would call y = 0 one)
                }
                long[] s = new long[n];
                for (int i = 0; i < n; i++) {
                    s[i] = act.region(x[i]);
                }
                return s;
            }

            @Override
            public String toString() {
                return kn.name + " " + act;
            }
        };
    }

    /**
     * Backward equals the derivative of forward, by central differences (the gradient checker),
     * for every activation on both kernels, at up to {@value #GRAD_N} inputs in [-4, 4] (every element checked;
     * elements whose steps cross a ReLU or TReLU kink are skipped by the checker).
     *
     * <p>The checker's noise floor assumes outputs within a few roundings of exact. Panama's
     * transcendental forwards err by up to {@link #PANAMA_ULPS} ulps ({@code E <= 5 u |y|}); its
     * Richardson difference {@code (4 D(h/2) - D(h)) / 3} then errs by up to {@code 3 E / h}, with
     * {@code h >= 2^-8} and {@code |r| <= 1}: that is the absolute floor given for them.
     */
    @Test
    void backwardIsTheDerivativeOfForward() {
        backwardIsTheDerivativeOfForward(Property.named("activation-gradients"), kernels);
    }

    /** The property of {@link #backwardIsTheDerivativeOfForward()} over the given kernels (the mutant tests pass others). */
    static void backwardIsTheDerivativeOfForward(Property property, List<Named> kernels) {
        Gen<float[]> inputs = Gens.floatArrays(Gens.simdSizes(GRAD_N).map(n -> Math.max(1, n)), Gens.floats(-4f, 4f));
        property.forAll(Gen.pairs(inputs, Cases.seeds()), t -> {
            float[] x = t.first();
            for (Named kn : kernels) {
                for (Act act : ACTS) {
                    GradientCheck check = GradientCheck.of(differentiable(act, kn, x.length)).seed(t.second().value())
                            .input(offTheKinks(act, x));
                    if (kn.kernel == panama && !act.exactForward) {
                        double maxY = 0;
                        for (float v : forward(act, panama, x)) {
                            maxY = Math.max(maxY, Math.abs(v));
                        }
                        check.absTolerance(Math.max(GradientCheck.ABS_TOLERANCE,
                                3 * PANAMA_ULPS * 0x1p-23 * maxY / GradientCheck.STEP));
                    }
                    check.run().assertGradients();
                }
            }
        });
    }
}
