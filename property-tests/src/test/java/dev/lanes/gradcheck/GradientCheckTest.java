package dev.lanes.gradcheck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The checker on plain functions: passes, kinks, surrogates, sampling, contract rules, messages. */
class GradientCheckTest {

    private static final double H = GradientCheck.STEP;

    @Test
    void correctFunctionsPassOnEveryTensor() {
        Functions.Affine affine = new Functions.Affine(3, 70, 5, 1, Mutation.NONE);
        GradientReport r = GradientCheck.of(affine).seed(7).run();
        r.assertGradients();
        assertEquals(List.of("input", "W", "b"), r.tensors().stream().map(GradientReport.TensorResult::name).toList());
        GradientReport.TensorResult w = r.tensor("W");
        assertEquals(350, w.length());
        assertTrue(w.checked() + w.skippedAtKinks() >= GradientCheck.SAMPLES, w.toString());
        assertEquals(5, r.tensor("b").checked(), "small tensors are checked in full");
        assertEquals(GradientCheck.DIRECTIONS, w.directionsPassed());
        System.out.println(r);
        for (Functions.Activation a : Functions.Activation.values()) {
            GradientCheck.of(new Functions.Elementwise(a, 40, Mutation.NONE, false)).seed(3).run().assertGradients();
        }
        GradientCheck.of(new Functions.SoftmaxCrossEntropy(4, 10, 2, Mutation.NONE)).seed(4).run().assertGradients();
        GradientCheck.of(new Functions.Residual(3, 7, 5, Mutation.NONE)).seed(5).run().assertGradients();
    }

    @Test
    void largeTensorsAreSampledWithFirstLastAndStrata() {
        GradientCheck c = GradientCheck.of(new Functions.Elementwise(Functions.Activation.TANH, 1000, Mutation.NONE, false));
        float[] analytic = new float[1000];
        analytic[500] = 5f;
        int[] s = c.sample(analytic, 1000, new SplittableRandom(1));
        assertEquals(0, s[0]);
        assertEquals(999, s[s.length - 1]);
        assertTrue(Arrays.binarySearch(s, 500) >= 0, "the largest analytic gradient is sampled");
        assertTrue(s.length >= GradientCheck.SAMPLES && s.length <= GradientCheck.SAMPLES + GradientCheck.LARGEST, Arrays.toString(s));
        for (int k = 1; k < s.length; k++) {
            assertTrue(s[k] > s[k - 1], "sorted and distinct");
        }
        assertEquals(64, c.sample(new float[64], 64, new SplittableRandom(1)).length, "small tensors in full");
    }

    @Test
    void reluKinksAreSkippedAndCounted() {
        int n = 40;
        float[] x = new float[n];
        SplittableRandom random = new SplittableRandom(9);
        int near = 0;
        for (int i = 0; i < n; i++) {
            if (i % 5 == 0) {
                x[i] = (float) ((random.nextDouble() - 0.5) * H); // within h/2 of the kink: the +-h steps cross it
                near++;
            } else {
                x[i] = (float) ((random.nextBoolean() ? 1 : -1) * (4 * H + random.nextDouble()));
            }
        }
        for (boolean exposed : new boolean[] {true, false}) {
            Functions.Elementwise relu = new Functions.Elementwise(Functions.Activation.RELU, n, Mutation.NONE, exposed);
            GradientReport r = GradientCheck.of(relu).seed(1).input(x).run();
            r.assertGradients();
            GradientReport.TensorResult in = r.tensor("input");
            assertEquals(near, in.skippedAtKinks(), (exposed ? "signs" : "zero pattern") + ": " + r);
            assertEquals(n - near, in.checked());
            assertEquals(n - near, in.passed());
            assertEquals(GradientCheck.DIRECTIONS, in.directionsSkipped(), "every direction moves a near-kink element");
        }
        Functions.Elementwise wrong = new Functions.Elementwise(Functions.Activation.RELU, n, Mutation.DROPPED_TERM, true);
        assertFalse(GradientCheck.of(wrong).seed(1).input(x).run().passed(), "skipping kinks must not hide a wrong mask");
    }

    @Test
    void topKSetChangesAreKinks() {
        // row 0: the 2nd and 3rd largest are 1e-4 apart, so with k = 2 moving either changes the set
        float[] x = {0.9f, 0.5f, 0.5001f, -0.3f, 0.1f, -0.8f, 0.7f, 0.2f, 0.3f, -0.1f};
        Functions.TopK topk = new Functions.TopK(2, 5, 2, Mutation.NONE);
        GradientReport r = GradientCheck.of(topk).seed(2).input(x).run();
        r.assertGradients();
        assertEquals(2, r.tensor("input").skippedAtKinks(), r.toString());
        assertEquals(8, r.tensor("input").passed());
    }

    @Test
    void surrogateGradientsAreCheckedInTrueGradientMode() {
        Functions.TReLU trelu = new Functions.TReLU(8, 6, 3, Mutation.NONE, true);
        GradientReport r = GradientCheck.of(trelu).seed(3).run();
        r.assertGradients();
        assertTrue(r.trueGradientMode());
        assertTrue(r.toString().contains("checked in true-gradient mode: it declares a surrogate gradient"), r.toString());
        assertFalse(trelu.trueGradient, "the checker switches the surrogate back on afterwards");

        Functions.TReLU ignoring = new Functions.TReLU(8, 6, 3, Mutation.NONE, false);
        GradientReport bad = GradientCheck.of(ignoring).seed(3).run();
        assertFalse(bad.passed(), "a surrogate left on in true-gradient mode is caught: " + bad);
        assertTrue(bad.mismatches().stream().anyMatch(m -> m.tensor().equals("theta")), bad.mismatches().toString());
    }

    @Test
    void assertionMessageNamesTensorIndexValuesErrorsAndSeed() {
        Functions.Affine affine = new Functions.Affine(2, 4, 3, 1, Mutation.SCALE_ONE_TENSOR);
        AssertionError e = assertThrows(AssertionError.class, () -> GradientCheck.of(affine).seed(0x2aL).run().assertGradients());
        String m = e.getMessage();
        assertTrue(m.startsWith("gradient check failed for Affine(2x4 -> 3, SCALE_ONE_TENSOR) (seed=0x000000000000002a)"), m);
        assertTrue(m.matches("(?s).*\\n  tensor W\\[\\d+]: analytic=\\S+ numeric=\\S+ rel=\\S+ abs=\\S+ \\(abs floor \\S+\\).*"), m);
        assertFalse(m.contains("tensor b["), "only W is scaled: " + m);
        assertFalse(m.contains("tensor input["), m);
    }

    @Test
    void contractRulesAreEnforced() {
        GradientReport overwrite = GradientCheck.of(new Functions.Affine(2, 3, 2, 1, Mutation.OVERWRITE)).seed(1).run();
        assertTrue(overwrite.contractViolations().stream().anyMatch(v -> v.contains("gradients must accumulate")),
                overwrite.contractViolations().toString());

        Functions.Elementwise tanh = new Functions.Elementwise(Functions.Activation.TANH, 5, Mutation.NONE, false);
        Differentiable partial = new Differentiable() {
            @Override public int inputSize() { return 5; }
            @Override public int outputSize() { return 5; }
            @Override public void forward(float[] x, float[] y) { tanh.forward(x, y); }

            @Override
            public void backward(float[] x, float[] y, float[] dy, float[] dx) {
                float[] full = new float[5];
                tanh.backward(x, y, dy, full);
                System.arraycopy(full, 0, dx, 0, 3); // elements 3 and 4 are never written
            }
        };
        GradientReport r = GradientCheck.of(partial).seed(1).run();
        assertFalse(r.passed());
        assertTrue(r.mismatches().stream().anyMatch(m -> m.index() == 3 && Double.isNaN(m.analytic())), r.mismatches().toString());
        assertTrue(r.mismatches().stream().anyMatch(m -> m.index() == 4 && Double.isNaN(m.analytic())), r.mismatches().toString());
    }

    @Test
    void lambdaFunctionsAndInputWritesAreChecked() {
        int n = 6;
        Differentiable cube = Differentiable.of("cube", n, n,
                (x, y) -> {
                    for (int i = 0; i < n; i++) {
                        y[i] = x[i] * x[i] * x[i];
                    }
                },
                (x, y, dy, dx) -> {
                    for (int i = 0; i < n; i++) {
                        dx[i] = 3 * x[i] * x[i] * dy[i];
                    }
                });
        GradientReport r = GradientCheck.of(cube).seed(8).run();
        r.assertGradients();
        assertEquals("cube", r.function());

        Differentiable clobbers = Differentiable.of("clobbers", n, n, (x, y) -> System.arraycopy(x, 0, y, 0, n),
                (x, y, dy, dx) -> {
                    System.arraycopy(dy, 0, dx, 0, n);
                    dy[0] = 0f;
                    x[1] = 0f;
                });
        GradientReport bad = GradientCheck.of(clobbers).seed(8).run();
        assertEquals(List.of("forward or backward wrote into its input x", "backward wrote into dy"), bad.contractViolations());
    }

    @Test
    void parametersAndGradientsAreRestored() {
        Functions.Affine affine = new Functions.Affine(3, 5, 4, 1, Mutation.NONE);
        Arrays.fill(affine.grads, 0.25f);
        float[] params = affine.params.clone();
        float[] grads = affine.grads.clone();
        float[] x = Functions.uniform(new SplittableRandom(5), 15, -1, 1);
        float[] xCopy = x.clone();
        GradientCheck.of(affine).seed(1).input(x).run().assertGradients();
        assertArrayEquals(params, affine.params);
        assertArrayEquals(grads, affine.grads);
        assertArrayEquals(xCopy, x);
    }

    @Test
    void reportsAreDeterministicPerSeed() {
        Functions.Affine affine = new Functions.Affine(2, 80, 3, 1, Mutation.NONE);
        assertEquals(GradientCheck.of(affine).seed(11).run().toString(), GradientCheck.of(affine).seed(11).run().toString());
        assertThrows(IllegalArgumentException.class, () -> GradientCheck.of(affine).input(new float[3]));
    }
}
