package dev.lanes.core.internal;

import static dev.lanes.core.internal.SeededArrays.gaussian;
import static dev.lanes.core.internal.SeededArrays.unit;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every kernel of every family, on both implementations, allocates nothing once the JIT has
 * compiled it. A Vector API loop allocates a box per vector operation when it runs in the
 * interpreter or C1, or when C2 fails to inline part of it; this is the test that notices the
 * latter (the symptom: an order of magnitude slower and a steady allocation rate).
 *
 * <p>Method: rounds of {@link #CALLS} calls of every kernel still pending, the bytes allocated during
 * each round counted exactly ({@code com.sun.management.ThreadMXBean}) on the calling thread and on
 * every {@link Parallel} worker (sgemm hands its packing to them). A kernel passes at its first round
 * at or under {@link #SLACK} bytes; the test fails if some kernel has not passed when
 * {@link #PATIENCE_NANOS} has run out. SLACK is below one byte per call, so no per-call allocation
 * can hide in it; it tolerates one object per round (the counters' own bookkeeping, a
 * deoptimisation). The kernels take turns rather than each waiting for its own compilation: the JIT
 * compiles in the background, on one C2 thread on a 2-core machine, and a kernel's compilation can
 * wait behind another's, so the patience is for all of them together. Both implementations run: the
 * scalar references must not allocate either. Sizes are odd so that every tail path runs too.
 *
 * <p>The build runs this class in a JVM of its own (vector-core/pom.xml), so that no other test's
 * calls change the profiles, and the time, it takes to compile.
 */
class AllocationTest {

    private static final int CALLS = 1000;
    private static final long SLACK = 256;
    private static final long PATIENCE_NANOS = 120_000_000_000L;

    private static final int N = 1003;
    private static final int ROWS = 7;
    private static final int COLS = 143;

    private static com.sun.management.ThreadMXBean threads;

    @BeforeAll
    static void setUp() {
        assumeTrue(Backends.panamaAvailable(), "Panama unavailable");
        threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "per-thread allocation counting unavailable");
    }

    private record Case(String name, Runnable op) {
    }

    @ParameterizedTest
    @EnumSource(Backends.Kind.class)
    void kernelsAllocateNothingAfterWarmUp(Backends.Kind kind) {
        List<Case> pending = new ArrayList<>(cases(kind));
        Map<String, Long> last = new LinkedHashMap<>();
        long[] ids = countedThreads();
        long overhead = countingOverhead(ids);
        long deadline = System.nanoTime() + PATIENCE_NANOS;
        do {
            for (Iterator<Case> it = pending.iterator(); it.hasNext(); ) {
                Case c = it.next();
                long before = allocated(ids);
                for (int i = 0; i < CALLS; i++) {
                    c.op.run();
                }
                long bytes = allocated(ids) - before - overhead;
                last.put(c.name, bytes);
                if (bytes <= SLACK) {
                    it.remove();
                }
            }
        } while (!pending.isEmpty() && System.nanoTime() < deadline);
        if (!pending.isEmpty()) {
            List<String> failures = new ArrayList<>();
            for (Case c : pending) {
                failures.add(c.name + ": " + last.get(c.name) + " B per " + CALLS + " calls");
            }
            fail(kind + " kernels still allocate after " + PATIENCE_NANOS / 1_000_000_000 + " s: " + failures);
        }
    }

    /** The calling thread and the pool's workers (started by now: the pool exists once Parallel is loaded). */
    private static long[] countedThreads() {
        Parallel.threads();
        List<Long> ids = new ArrayList<>();
        ids.add(Thread.currentThread().threadId());
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("lanes-worker-")) {
                ids.add(t.threadId());
            }
        }
        long[] a = new long[ids.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = ids.get(i);
        }
        return a;
    }

    /**
     * What one {@link #allocated} call itself allocates: asking for another thread's counter
     * allocates two small arrays per call in the JDK. The same every time; the least of a few tries.
     */
    private static long countingOverhead(long[] ids) {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long a = allocated(ids);
            least = Math.min(least, allocated(ids) - a);
        }
        return least;
    }

    private static long allocated(long[] ids) {
        long sum = 0;
        for (long id : ids) {
            sum += threads.getThreadAllocatedBytes(id);
        }
        return sum;
    }

    private static List<Case> cases(Backends.Kind kind) {
        SplittableRandom rnd = new SplittableRandom(0xA11C);
        float[] x = gaussian(rnd, N, 4);
        float[] y = gaussian(rnd, N, 1);
        float[] z = new float[N];
        float[] w = gaussian(rnd, N, 1);
        float[] u = unit(rnd, N);
        float[] mat = gaussian(rnd, ROWS * COLS, 1);
        float[] out = new float[ROWS * COLS];
        float[] row = gaussian(rnd, COLS, 1);
        float[] rowOut = new float[COLS];
        int[] labels = new int[ROWS];
        for (int i = 0; i < ROWS; i++) {
            labels[i] = rnd.nextInt(COLS);
        }
        int[] argmax = new int[ROWS];
        int[] z10 = new int[N / 10];
        int k = 9;
        float[] topValues = new float[ROWS * k];
        int[] topIndices = new int[ROWS * k];
        float[] p = gaussian(rnd, N, 1);
        float[] m = new float[N];
        float[] second = new float[N];
        float[] c = new float[31 * 37];
        float[] a = gaussian(rnd, 31 * 29, 1);
        float[] b = gaussian(rnd, 29 * 37, 1);

        ActivationKernel act = Backends.load(ActivationKernel.class, kind);
        BlasKernel blas = Backends.load(BlasKernel.class, kind);
        FillKernel fill = Backends.load(FillKernel.class, kind);
        LossKernel loss = Backends.load(LossKernel.class, kind);
        OptimizerKernel opt = Backends.load(OptimizerKernel.class, kind);
        PenaltyKernel pen = Backends.load(PenaltyKernel.class, kind);
        TopKKernel topk = Backends.load(TopKKernel.class, kind);
        GemmKernel gemm = Backends.load(GemmKernel.class, kind);
        float[] sink = new float[1];

        List<Case> cases = new ArrayList<>();
        cases.add(new Case("relu", () -> act.relu(x, 0, z, 0, N)));
        cases.add(new Case("reluBackward", () -> act.reluBackward(y, 0, w, 0, z, 0, N)));
        cases.add(new Case("softplus", () -> act.softplus(x, 0, z, 0, N)));
        cases.add(new Case("softplusBackward", () -> act.softplusBackward(u, 0, w, 0, z, 0, N)));
        cases.add(new Case("sigmoid", () -> act.sigmoid(x, 0, z, 0, N)));
        cases.add(new Case("sigmoidBackward", () -> act.sigmoidBackward(u, 0, w, 0, z, 0, N)));
        cases.add(new Case("tanh", () -> act.tanh(x, 0, z, 0, N)));
        cases.add(new Case("tanhBackward", () -> act.tanhBackward(u, 0, w, 0, z, 0, N)));
        cases.add(new Case("trelu", () -> act.trelu(x, 0, z, 0, N)));
        cases.add(new Case("treluBackward", () -> act.treluBackward(u, 0, w, 0, z, 0, N)));

        cases.add(new Case("axpy", () -> blas.axpy(N, 0.5f, x, 0, z, 0)));
        cases.add(new Case("scale", () -> blas.scale(N, 0.999f, z, 0)));
        cases.add(new Case("dot", () -> sink[0] += blas.dot(N, x, 0, y, 0)));
        cases.add(new Case("sum", () -> sink[0] += blas.sum(N, x, 0)));
        cases.add(new Case("sumOfSquares", () -> sink[0] += blas.sumOfSquares(N, x, 0)));
        cases.add(new Case("mul", () -> blas.mul(N, x, 0, y, 0, z, 0)));
        cases.add(new Case("add", () -> blas.add(N, x, 0, y, 0, z, 0)));
        cases.add(new Case("sub", () -> blas.sub(N, x, 0, y, 0, z, 0)));
        cases.add(new Case("clamp", () -> blas.clamp(N, -1f, 1f, x, 0, z, 0)));
        cases.add(new Case("addRowVector", () -> blas.addRowVector(ROWS, COLS, row, 0, out, 0, COLS)));
        cases.add(new Case("columnSums", () -> blas.columnSums(ROWS, COLS, mat, 0, COLS, rowOut, 0, false)));
        cases.add(new Case("argmax", () -> sink[0] += blas.argmax(N, x, 0)));
        cases.add(new Case("rowArgmax", () -> blas.rowArgmax(ROWS, COLS, mat, 0, COLS, argmax, 0)));
        // Rows of 10 take the gather path (one lane per row).
        cases.add(new Case("rowArgmax narrow", () -> blas.rowArgmax(N / 10, 10, x, 0, 10, z10, 0)));

        cases.add(new Case("uniform", () -> fill.uniform(7, 0, -1f, 1f, z, 0, N)));
        cases.add(new Case("gaussian", () -> fill.gaussian(7, 0, 0f, 1f, z, 0, N)));
        cases.add(new Case("bernoulli", () -> fill.bernoulli(7, 0, 0.3f, z, 0, N)));

        cases.add(new Case("softmax", () -> loss.softmax(ROWS, COLS, mat, 0, COLS, out, 0, COLS)));
        cases.add(new Case("softmaxCrossEntropy", () -> sink[0] += loss.softmaxCrossEntropy(
                ROWS, COLS, mat, 0, COLS, labels, 0, out, 0, COLS)));
        cases.add(new Case("sigmoidCrossEntropy", () -> sink[0] += loss.sigmoidCrossEntropy(N, x, 0, u, 0, z, 0)));
        cases.add(new Case("mse", () -> sink[0] += loss.mse(N, x, 0, y, 0, z, 0)));
        cases.add(new Case("mse without gradient", () -> sink[0] += loss.mse(N, x, 0, y, 0, null, 0)));
        cases.add(new Case("firstOutsideUnitInterval", () -> sink[0] += loss.firstOutsideUnitInterval(N, u, 0)));

        cases.add(new Case("adam", () -> opt.adam(N, 0.9f, 0.1f, 0.999f, 0.001f, 1e-8f, 0f, 1f, 1e-3f, 0.03f, 1f,
                false, p, 0, w, 0, m, 0, second, 0)));
        cases.add(new Case("sgd", () -> opt.sgd(N, 1e-3f, 0.9f, true, 0f, 1f, false, p, 0, w, 0, m, 0)));

        cases.add(new Case("l1", () -> sink[0] += pen.l1(0.1f, x, 0, N)));
        cases.add(new Case("l1Gradient", () -> pen.l1Gradient(0.1f, x, 0, z, 0, N)));
        cases.add(new Case("klRhoHat", () -> pen.klRhoHat(ROWS, COLS, mat, 0, COLS, rowOut, 0)));
        cases.add(new Case("kl", () -> sink[0] += pen.kl(0.05f, 3f, u, 0, N)));
        cases.add(new Case("klGradient", () -> pen.klGradient(0.05f, 3f, ROWS, COLS, u, 0, out, 0, COLS)));
        cases.add(new Case("l2", () -> sink[0] += pen.l2(0.1f, x, 0, N)));
        cases.add(new Case("l2Gradient", () -> pen.l2Gradient(0.1f, x, 0, z, 0, N)));

        cases.add(new Case("topk", () -> topk.select(mat, 0, ROWS, COLS, COLS, k, topValues, topIndices, 0)));
        cases.add(new Case("topkSparse", () -> topk.selectSparse(mat, 0, ROWS, COLS, COLS, k, out, 0, COLS)));

        cases.add(new Case("sgemm", () -> gemm.sgemm(false, false, 31, 37, 29, 1f, a, 0, 29, b, 0, 37, 0f, c, 0, 37)));
        cases.add(new Case("sgemm tt", () -> gemm.sgemm(true, true, 31, 37, 29, 1f, a, 0, 31, b, 0, 29, 0.5f, c, 0, 37)));
        return cases;
    }
}
