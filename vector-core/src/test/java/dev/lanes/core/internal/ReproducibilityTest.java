package dev.lanes.core.internal;

import static dev.lanes.core.internal.SeededArrays.gaussian;
import static dev.lanes.core.internal.SeededArrays.unit;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every SIMD reduction gives the same bits on every call, whichever tier runs it. A lane sum whose
 * order is left to the implementation ({@code reduceLanes(ADD)}) is summed in one order by the
 * interpreter and C1 and in another by C2, so a loss, a penalty or a dot product changed in its last
 * bits once the JIT had compiled it (it made a CI run fail once).
 *
 * <p>Method: each kernel is called {@link #CALLS} times on the same input, the first result (from
 * the interpreter, since the kernel has not run before in this JVM) kept, and every later result
 * compared with it bit for bit. The build runs this class in a JVM of its own with {@code -Xbatch}
 * (see vector-core/pom.xml), so that compilation is synchronous and C2 code has certainly run by the
 * last call; in a JVM that has already compiled the kernels it passes without proving anything.
 */
class ReproducibilityTest {

    private static final int CALLS = 20_000;
    private static final long SEED = 0x5EED_2026L;
    /** Not a multiple of any vector length: every block, vector tail and scalar tail runs. */
    private static final int N = 203;
    private static final int ROWS = 3;

    @BeforeAll
    static void needsPanama() {
        assumeTrue(Backends.panamaAvailable(), "Panama unavailable");
    }

    /** A kernel call reduced to a fingerprint of the bits it produced. */
    @FunctionalInterface
    private interface Op {
        long run();
    }

    private record Case(String name, Op op) {
    }

    @Test
    void reductionsGiveTheSameBitsInEveryTier() {
        List<String> failures = new ArrayList<>();
        for (Case c : cases()) {
            long first = c.op.run();
            for (int call = 1; call < CALLS; call++) {
                long now = c.op.run();
                if (now != first) {
                    failures.add(c.name + " call " + call + ": 0x" + Long.toHexString(now) + " != first 0x"
                            + Long.toHexString(first));
                    break;
                }
            }
        }
        if (!failures.isEmpty()) {
            fail("seed=0x" + Long.toHexString(SEED) + " n=" + N + ": results changed between calls " + failures);
        }
    }

    private static long bits(float f) {
        return Float.floatToRawIntBits(f) & 0xFFFF_FFFFL;
    }

    private static long bits(float[] a) {
        long h = 1;
        for (float f : a) {
            h = 31 * h + Float.floatToRawIntBits(f);
        }
        return h;
    }

    private static List<Case> cases() {
        SplittableRandom rnd = new SplittableRandom(SEED);
        float[] x = gaussian(rnd, N, 3);
        float[] y = gaussian(rnd, N, 1);
        float[] u = unit(rnd, N);
        float[] grad = new float[N];
        float[] logits = gaussian(rnd, ROWS * N, 2);
        float[] probs = new float[ROWS * N];
        int[] labels = {5, 0, N - 1};
        float[] c = new float[3 * N];
        float[] a = gaussian(rnd, 3 * N, 1);
        float[] b = gaussian(rnd, N * N, 1);

        BlasKernel blas = Backends.load(BlasKernel.class, Backends.Kind.PANAMA);
        LossKernel loss = Backends.load(LossKernel.class, Backends.Kind.PANAMA);
        PenaltyKernel pen = Backends.load(PenaltyKernel.class, Backends.Kind.PANAMA);
        GemmKernel gemm = Backends.load(GemmKernel.class, Backends.Kind.PANAMA);

        List<Case> cases = new ArrayList<>();
        cases.add(new Case("dot", () -> bits(blas.dot(N, x, 0, y, 0))));
        cases.add(new Case("sum", () -> bits(blas.sum(N, x, 0))));
        cases.add(new Case("sumOfSquares", () -> bits(blas.sumOfSquares(N, x, 0))));
        cases.add(new Case("mse", () -> bits(loss.mse(N, x, 0, y, 0, grad, 0))));
        cases.add(new Case("mse without gradient", () -> bits(loss.mse(N, x, 0, y, 0, null, 0))));
        cases.add(new Case("softmax", () -> {
            loss.softmax(ROWS, N, logits, 0, N, probs, 0, N);
            return bits(probs);
        }));
        cases.add(new Case("softmaxCrossEntropy", () -> bits(loss.softmaxCrossEntropy(
                ROWS, N, logits, 0, N, labels, 0, probs, 0, N))));
        cases.add(new Case("sigmoidCrossEntropy", () -> bits(loss.sigmoidCrossEntropy(N, x, 0, u, 0, grad, 0))));
        cases.add(new Case("l1", () -> bits(pen.l1(0.1f, x, 0, N))));
        cases.add(new Case("l2", () -> bits(pen.l2(0.1f, x, 0, N))));
        cases.add(new Case("kl", () -> bits(pen.kl(0.05f, 3f, u, 0, N))));
        // Three rows of C, B transposed: the dot-product path of the small-m sgemm.
        cases.add(new Case("sgemm small NT", () -> {
            gemm.sgemm(false, true, 3, N, N, 1f, a, 0, N, b, 0, N, 0f, c, 0, N);
            return bits(c);
        }));
        return cases;
    }
}
