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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Penalties, Panama against the scalar reference, on {@code n} elements, sizes with SIMD tails (1, 127,
 * 1000, 4097) and bulk sizes (65536, 1M): vectors of n for l1, l2, kl and their gradients, a near-square
 * {@code rows x cols} activation matrix of about n elements for klRhoHat and klGradient (as
 * BlasBenchmark's matrix methods; they count exactly {@code rows * cols}). The {@link Elements} counter
 * is the throughput in elements per second (read it, not the calls per second, which depend on n).
 *
 * <pre>java -jar jmh/target/benchmarks.jar PenaltyBenchmark -p n=127,65536 -f 1 -wi 3 -w 1 -i 3 -r 1 -t 1</pre>
 */
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector"})
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
public class PenaltyBenchmark {

    private static final float LAMBDA = 1e-4f;
    private static final float RHO = 0.05f;
    private static final float BETA = 3f;

    @Param({"1", "127", "1000", "4097", "65536", "1048576"})
    int n;

    @Param({"l1", "l1Gradient", "klRhoHat", "kl", "klGradient", "l2", "l2Gradient"})
    String op;

    @Param({"panama", "scalar"})
    String impl;

    private PenaltyKernel kernel;
    private float[] a;
    private float[] grad;
    private float[] rhoHat;
    private int rows;
    private int cols;
    /** Elements per call: rows * cols for the matrix methods, else n. */
    private long elements;

    @Setup
    public void setUp() {
        a = new float[n];
        grad = new float[n];
        rhoHat = new float[n];
        cols = Math.max(1, (int) Math.round(Math.sqrt(n)));
        rows = n / cols;
        elements = op.equals("klRhoHat") || op.equals("klGradient") ? (long) rows * cols : n;
        SplittableRandom rnd = new SplittableRandom(0x9E7A1L);
        for (int i = 0; i < n; i++) {
            a[i] = (float) rnd.nextDouble();
            rhoHat[i] = (float) rnd.nextDouble(0, 0.2);
        }
        kernel = Backends.load(PenaltyKernel.class, Backends.Kind.valueOf(impl.toUpperCase()));
        PenaltyKernel scalar = Backends.load(PenaltyKernel.class, Backends.Kind.SCALAR);
        switch (op) {
            // l1 and l2 sum non-negative terms: sum|terms| is the value itself.
            case "l1" -> checkSum(scalar.l1(LAMBDA, a, 0, n), kernel.l1(LAMBDA, a, 0, n), scalar.l1(LAMBDA, a, 0, n));
            case "l2" -> checkSum(scalar.l2(LAMBDA, a, 0, n), kernel.l2(LAMBDA, a, 0, n), scalar.l2(LAMBDA, a, 0, n));
            case "kl" -> checkSum(scalar.kl(RHO, BETA, rhoHat, 0, n), kernel.kl(RHO, BETA, rhoHat, 0, n), klPieces());
            default -> {
                float[] expected = new float[n];
                float[] got = new float[n];
                apply(scalar, expected);
                apply(kernel, got);
                if (!java.util.Arrays.equals(expected, got)) {
                    throw new IllegalStateException(impl + " " + op + " is not bit-exact with scalar, n=" + n);
                }
            }
        }
    }

    /** The bound of PenaltyKernelTest: (2n + 12) u sum|terms|, u = 2^-24. */
    private void checkSum(float expected, float got, double sumAbsTerms) {
        if (!(Math.abs((double) got - expected) <= (2.0 * n + 12) * 0x1p-24 * sumAbsTerms)) {
            throw new IllegalStateException(impl + " " + op + " = " + got + ", scalar " + expected + ", n=" + n);
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
            case "l1Gradient" -> k.l1Gradient(LAMBDA, a, 0, out, 0, n);
            case "l2Gradient" -> k.l2Gradient(LAMBDA, a, 0, out, 0, n);
            case "klRhoHat" -> k.klRhoHat(rows, cols, a, 0, cols, out, 0);
            case "klGradient" -> k.klGradient(RHO, BETA, rows, cols, rhoHat, 0, out, 0, cols);
            default -> throw new IllegalArgumentException(op);
        }
    }

    /** The values go to the Blackhole as floats: returned as an Object they would be boxed, 16 B per call. */
    @Benchmark
    public void run(Elements e, Blackhole bh) {
        switch (op) {
            case "l1" -> bh.consume(kernel.l1(LAMBDA, a, 0, n));
            case "l2" -> bh.consume(kernel.l2(LAMBDA, a, 0, n));
            case "kl" -> bh.consume(kernel.kl(RHO, BETA, rhoHat, 0, n));
            default -> {
                apply(kernel, grad);
                bh.consume(grad);
            }
        }
        e.elements += elements;
    }
}
