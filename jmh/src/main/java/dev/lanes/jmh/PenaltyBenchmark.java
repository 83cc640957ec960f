package dev.lanes.jmh;

import dev.lanes.core.internal.Backends;
import dev.lanes.core.internal.PenaltyKernel;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Penalties, Panama against the scalar reference, on 64K elements: vectors of 65536 for l1, l2, kl
 * and their gradients, a 64 x 1024 activation matrix for klRhoHat and klGradient. The score is
 * elements per second.
 *
 * <pre>java -jar jmh/target/benchmarks.jar PenaltyBenchmark -f 1 -wi 3 -w 1 -i 3 -r 1 -t 1</pre>
 */
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector"})
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
public class PenaltyBenchmark {

    private static final int N = 65536;
    private static final int ROWS = 64;
    private static final int COLS = N / ROWS;
    private static final float LAMBDA = 1e-4f;
    private static final float RHO = 0.05f;
    private static final float BETA = 3f;

    @Param({"l1", "l1Gradient", "klRhoHat", "kl", "klGradient", "l2", "l2Gradient"})
    String op;

    @Param({"panama", "scalar"})
    String impl;

    private PenaltyKernel kernel;
    private final float[] a = new float[N];
    private final float[] grad = new float[N];
    private final float[] rhoHat = new float[N];

    @Setup
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(0x9E7A1L);
        for (int i = 0; i < N; i++) {
            a[i] = (float) rnd.nextDouble();
            rhoHat[i] = (float) rnd.nextDouble(0, 0.2);
        }
        kernel = Backends.load(PenaltyKernel.class, Backends.Kind.valueOf(impl.toUpperCase()));
        PenaltyKernel scalar = Backends.load(PenaltyKernel.class, Backends.Kind.SCALAR);
        switch (op) {
            // l1 and l2 sum non-negative terms: sum|terms| is the value itself.
            case "l1" -> checkSum(scalar.l1(LAMBDA, a, 0, N), kernel.l1(LAMBDA, a, 0, N), scalar.l1(LAMBDA, a, 0, N));
            case "l2" -> checkSum(scalar.l2(LAMBDA, a, 0, N), kernel.l2(LAMBDA, a, 0, N), scalar.l2(LAMBDA, a, 0, N));
            case "kl" -> checkSum(scalar.kl(RHO, BETA, rhoHat, 0, N), kernel.kl(RHO, BETA, rhoHat, 0, N), klPieces());
            default -> {
                float[] expected = new float[N];
                float[] got = new float[N];
                apply(scalar, expected);
                apply(kernel, got);
                if (!java.util.Arrays.equals(expected, got)) {
                    throw new IllegalStateException(impl + " " + op + " is not bit-exact with scalar");
                }
            }
        }
    }

    /** The bound of PenaltyKernelTest: (2n + 12) u sum|terms|, u = 2^-24. */
    private void checkSum(float expected, float got, double sumAbsTerms) {
        if (!(Math.abs((double) got - expected) <= (2.0 * N + 12) * 0x1p-24 * sumAbsTerms)) {
            throw new IllegalStateException(impl + " " + op + " = " + got + ", scalar " + expected);
        }
    }

    /** beta * sum_j |rho log(rho/r_j)| + |(1-rho) log((1-rho)/(1-r_j))| in double (r_j below 0.2 here). */
    private double klPieces() {
        double s = 0;
        for (float v : rhoHat) {
            double r = Math.max(v, 1e-6);
            s += Math.abs(RHO * Math.log(RHO / r)) + Math.abs((1 - RHO) * Math.log((1 - RHO) / (1 - r)));
        }
        return BETA * s;
    }

    private void apply(PenaltyKernel k, float[] out) {
        switch (op) {
            case "l1Gradient" -> k.l1Gradient(LAMBDA, a, 0, out, 0, N);
            case "l2Gradient" -> k.l2Gradient(LAMBDA, a, 0, out, 0, N);
            case "klRhoHat" -> k.klRhoHat(ROWS, COLS, a, 0, COLS, out, 0);
            case "klGradient" -> k.klGradient(RHO, BETA, ROWS, COLS, rhoHat, 0, out, 0, COLS);
            default -> throw new IllegalArgumentException(op);
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public Object run() {
        return switch (op) {
            case "l1" -> kernel.l1(LAMBDA, a, 0, N);
            case "l2" -> kernel.l2(LAMBDA, a, 0, N);
            case "kl" -> kernel.kl(RHO, BETA, rhoHat, 0, N);
            default -> {
                apply(kernel, grad);
                yield grad;
            }
        };
    }
}
