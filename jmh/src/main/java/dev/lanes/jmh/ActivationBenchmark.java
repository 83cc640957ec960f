package dev.lanes.jmh;

import dev.lanes.core.internal.ActivationKernel;
import dev.lanes.core.internal.Backends;
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

/**
 * Activations forward and backward, Panama against the scalar reference, on {@code n} floats: sizes with
 * SIMD tails (1, 127, 1000, 4097) and bulk sizes (65536: 256 KiB per array, in L2; 1M: 4 MiB, beyond
 * it). The {@link Elements} counter is the throughput in elements per second (read it, not the calls
 * per second, which depend on n). Inputs are N(0, 4^2), so that the transcendental paths see every
 * regime (tails and the middle).
 *
 * <p>{@code offsets}: {@code constant} (the default) passes every operand at a literal offset 0, as
 * code that hands over whole arrays does; {@code variable} passes the same zeros from fields, as a
 * caller's row offsets would be; {@code distinct} passes offsets 0, 1, 2 (x or y, dy, the output) from
 * fields, as views into larger arrays. They differ where C2 vectorizes the plain loop itself, and only
 * for the scalar reference: with literal offsets it sees one index for all operands and vectorizes the
 * loop (its stores aligned to the cache line); with offsets it cannot see it must assume the operands
 * overlap and runs the loop scalar. The sigmoid and tanh derivatives in Panama compare their offsets
 * at run time and run C2's own single-index loop when they agree, the Vector API loop otherwise.
 *
 * <pre>java -jar jmh/target/benchmarks.jar ActivationBenchmark -p n=127,65536 -f 1 -wi 3 -w 1 -i 3 -r 1 -t 1
 * java -jar jmh/target/benchmarks.jar ActivationBenchmark -p activation=SIGMOID -p direction=backward -p n=65536 \
 *     -p offsets=constant,variable,distinct</pre>
 */
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector"})
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
public class ActivationBenchmark {

    @Param({"1", "127", "1000", "4097", "65536", "1048576"})
    int n;

    @Param({"IDENTITY", "RELU", "SOFTPLUS", "SIGMOID", "TANH", "TRELU"})
    String activation;

    @Param({"forward", "backward"})
    String direction;

    @Param({"panama", "scalar"})
    String impl;

    @Param({"constant"})
    String offsets;

    private float[] x;
    private float[] y;
    private float[] dy;
    private float[] out;
    private Runnable op;
    /** Offsets of dy and of the output for variable and distinct (x and y are at 0). */
    private int o1;
    private int o2;

    @Setup
    public void setUp() {
        switch (offsets) {
            case "constant", "variable" -> {
                o1 = 0;
                o2 = 0;
            }
            case "distinct" -> {
                o1 = 1;
                o2 = 2;
            }
            default -> throw new IllegalArgumentException("offsets must be constant, variable or distinct: " + offsets);
        }
        x = new float[n];
        y = new float[n];
        dy = new float[n + o1];
        out = new float[n + o2];
        SplittableRandom rnd = new SplittableRandom(0xBE7C4L);
        for (int i = 0; i < n; i++) {
            x[i] = (float) (4 * rnd.nextGaussian());
            dy[o1 + i] = (float) rnd.nextGaussian();
        }
        ActivationKernel scalar = Backends.load(ActivationKernel.class, Backends.Kind.SCALAR);
        ActivationKernel kernel = Backends.load(ActivationKernel.class, Backends.Kind.valueOf(impl.toUpperCase()));
        boolean fwd = direction.equals("forward");
        atLiteralZero(scalar, true, x, y, dy, y).run(); // y = f(x), the input of backward
        float[] expected = new float[n + o2];
        boolean literal = offsets.equals("constant");
        (literal ? atLiteralZero(scalar, fwd, x, y, dy, expected) : at(scalar, fwd, x, y, dy, expected, 0, o1, o2)).run();
        op = literal ? atLiteralZero(kernel, fwd, x, y, dy, out) : at(kernel, fwd, x, y, dy, out, 0, o1, o2);
        op.run();
        for (int i = o2; i < n + o2; i++) {
            // 4 ulps, as ActivationKernelTest (the Panama kernels measure at most 2.5).
            double tol = 4 * Float.MIN_VALUE + 4 * 0x1p-23 * Math.abs(expected[i]);
            if (!(Math.abs((double) out[i] - expected[i]) <= tol)) {
                throw new IllegalStateException(impl + " " + activation + " " + direction
                        + " differs from scalar at n=" + n + " i=" + i + ": " + out[i] + " vs " + expected[i]);
            }
        }
    }

    /** forward: out = f(x); backward: out = f'(x) dy, from y; every offset a literal 0. */
    private Runnable atLiteralZero(ActivationKernel k, boolean fwd, float[] x, float[] y, float[] dy, float[] out) {
        return switch (activation) {
            case "IDENTITY" -> fwd ? () -> k.identity(x, 0, out, 0, n) : () -> k.identityBackward(y, 0, dy, 0, out, 0, n);
            case "RELU" -> fwd ? () -> k.relu(x, 0, out, 0, n) : () -> k.reluBackward(y, 0, dy, 0, out, 0, n);
            case "SOFTPLUS" -> fwd ? () -> k.softplus(x, 0, out, 0, n) : () -> k.softplusBackward(y, 0, dy, 0, out, 0, n);
            case "SIGMOID" -> fwd ? () -> k.sigmoid(x, 0, out, 0, n) : () -> k.sigmoidBackward(y, 0, dy, 0, out, 0, n);
            case "TANH" -> fwd ? () -> k.tanh(x, 0, out, 0, n) : () -> k.tanhBackward(y, 0, dy, 0, out, 0, n);
            case "TRELU" -> fwd ? () -> k.trelu(x, 0, out, 0, n) : () -> k.treluBackward(y, 0, dy, 0, out, 0, n);
            default -> throw new IllegalArgumentException(activation);
        };
    }

    /**
     * As {@link #atLiteralZero}, with x or y at o0, dy at oDy and the output at oOut, offsets the lambda
     * captures: C2 reads them from the lambda object (not a constant) at every call.
     */
    private Runnable at(ActivationKernel k, boolean fwd, float[] x, float[] y, float[] dy, float[] out, int o0, int oDy,
                        int oOut) {
        return switch (activation) {
            case "IDENTITY" -> fwd ? () -> k.identity(x, o0, out, oOut, n) : () -> k.identityBackward(y, o0, dy, oDy, out, oOut, n);
            case "RELU" -> fwd ? () -> k.relu(x, o0, out, oOut, n) : () -> k.reluBackward(y, o0, dy, oDy, out, oOut, n);
            case "SOFTPLUS" -> fwd ? () -> k.softplus(x, o0, out, oOut, n) : () -> k.softplusBackward(y, o0, dy, oDy, out, oOut, n);
            case "SIGMOID" -> fwd ? () -> k.sigmoid(x, o0, out, oOut, n) : () -> k.sigmoidBackward(y, o0, dy, oDy, out, oOut, n);
            case "TANH" -> fwd ? () -> k.tanh(x, o0, out, oOut, n) : () -> k.tanhBackward(y, o0, dy, oDy, out, oOut, n);
            case "TRELU" -> fwd ? () -> k.trelu(x, o0, out, oOut, n) : () -> k.treluBackward(y, o0, dy, oDy, out, oOut, n);
            default -> throw new IllegalArgumentException(activation);
        };
    }

    @Benchmark
    public float[] run(Elements e) {
        op.run();
        e.elements += n;
        return out;
    }
}
