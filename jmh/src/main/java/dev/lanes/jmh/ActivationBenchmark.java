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
 * <pre>java -jar jmh/target/benchmarks.jar ActivationBenchmark -p n=127,65536 -f 1 -wi 3 -w 1 -i 3 -r 1 -t 1</pre>
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

    private float[] x;
    private float[] y;
    private float[] dy;
    private float[] out;
    private Runnable op;

    @Setup
    public void setUp() {
        x = new float[n];
        y = new float[n];
        dy = new float[n];
        out = new float[n];
        SplittableRandom rnd = new SplittableRandom(0xBE7C4L);
        for (int i = 0; i < n; i++) {
            x[i] = (float) (4 * rnd.nextGaussian());
            dy[i] = (float) rnd.nextGaussian();
        }
        ActivationKernel scalar = Backends.load(ActivationKernel.class, Backends.Kind.SCALAR);
        ActivationKernel kernel = Backends.load(ActivationKernel.class, Backends.Kind.valueOf(impl.toUpperCase()));
        operation(scalar, x, y, dy, y).run(); // y = f(x), the input of backward
        float[] expected = new float[n];
        operation(scalar, x, y, dy, expected).run();
        op = operation(kernel, x, y, dy, out);
        op.run();
        for (int i = 0; i < n; i++) {
            // 4 ulps, as ActivationKernelTest (the Panama kernels measure at most 2.5).
            double tol = 4 * Float.MIN_VALUE + 4 * 0x1p-23 * Math.abs(expected[i]);
            if (!(Math.abs((double) out[i] - expected[i]) <= tol)) {
                throw new IllegalStateException(impl + " " + activation + " " + direction
                        + " differs from scalar at n=" + n + " i=" + i + ": " + out[i] + " vs " + expected[i]);
            }
        }
    }

    /** forward: out = f(x); backward: out = f'(x) dy, from y. */
    private Runnable operation(ActivationKernel k, float[] x, float[] y, float[] dy, float[] out) {
        boolean fwd = direction.equals("forward");
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

    @Benchmark
    public float[] run(Elements e) {
        op.run();
        e.elements += n;
        return out;
    }
}
