package dev.lanes.jmh;

import dev.lanes.core.internal.Backends;
import dev.lanes.core.internal.LossKernel;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * Losses with their gradients on 65536 elements (softmax and softmax cross-entropy as 64 rows x 1024
 * columns), SIMD against the scalar reference; the score is elements per second.
 */
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector"})
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
public class LossBenchmark {

    static final int N = 65536;
    static final int ROWS = 64;
    static final int COLS = N / ROWS;

    @Param({"panama", "scalar"})
    String impl;

    LossKernel kernel;
    float[] a;
    float[] b;
    float[] targets;
    int[] labels;
    float[] out;

    @Setup(Level.Trial)
    public void setUp() {
        kernel = Backends.load(LossKernel.class, Backends.Kind.valueOf(impl.toUpperCase()));
        SplittableRandom r = new SplittableRandom(0xB0B);
        a = new float[N];
        b = new float[N];
        targets = new float[N];
        for (int i = 0; i < N; i++) {
            a[i] = (float) (r.nextGaussian() * 4);
            b[i] = (float) r.nextGaussian();
            targets[i] = r.nextFloat();
        }
        labels = r.ints(ROWS, 0, COLS).toArray();
        out = new float[N];
        check();
    }

    /** The candidate against the scalar reference, with the tolerances of LossKernelTest. */
    private void check() {
        LossKernel ref = Backends.load(LossKernel.class, Backends.Kind.SCALAR);
        float[] g1 = new float[N];
        float[] g2 = new float[N];
        compare("mse", ref.mse(N, a, 0, b, 0, g1, 0), kernel.mse(N, a, 0, b, 0, g2, 0), 4e-6);
        compareAll("mse grad", g1, g2, 0x1p-21, 0x1p-21 / N);
        compare("bce", ref.sigmoidCrossEntropy(N, a, 0, targets, 0, g1, 0),
                kernel.sigmoidCrossEntropy(N, a, 0, targets, 0, g2, 0), 4e-6);
        compareAll("bce grad", g1, g2, 0x1p-21, 0x1p-21 / N);
        ref.softmax(ROWS, COLS, a, 0, COLS, g1, 0, COLS);
        kernel.softmax(ROWS, COLS, a, 0, COLS, g2, 0, COLS);
        compareAll("softmax", g1, g2, 4e-6, 0x1p-146);
        float l1 = ref.softmaxCrossEntropy(ROWS, COLS, a, 0, COLS, labels, 0, g1, 0, COLS);
        float l2 = kernel.softmaxCrossEntropy(ROWS, COLS, a, 0, COLS, labels, 0, g2, 0, COLS);
        if (!(Math.abs(l1 - l2) <= 4e-6 + 0x1p-23 * Math.abs(l1))) {
            throw new IllegalStateException(impl + " softmaxCrossEntropy: " + l2 + " vs scalar " + l1);
        }
        compareAll("softmaxCrossEntropy grad", g1, g2, 4e-6, 0x1p-22 / ROWS);
    }

    private void compare(String what, float ref, float got, double rtol) {
        if (!(Math.abs(ref - got) <= rtol * Math.abs(ref))) {
            throw new IllegalStateException(impl + " " + what + ": " + got + " vs scalar " + ref);
        }
    }

    private void compareAll(String what, float[] ref, float[] got, double rtol, double atol) {
        for (int i = 0; i < ref.length; i++) {
            if (!(Math.abs(ref[i] - got[i]) <= atol + rtol * Math.abs(ref[i]))) {
                throw new IllegalStateException(impl + " " + what + " i=" + i + ": " + got[i] + " vs scalar " + ref[i]);
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public float mseWithGrad() {
        return kernel.mse(N, a, 0, b, 0, out, 0);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public float mse() {
        return kernel.mse(N, a, 0, b, 0, null, 0);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public float[] softmax() {
        kernel.softmax(ROWS, COLS, a, 0, COLS, out, 0, COLS);
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public float softmaxCrossEntropyWithGrad() {
        return kernel.softmaxCrossEntropy(ROWS, COLS, a, 0, COLS, labels, 0, out, 0, COLS);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public float sigmoidCrossEntropyWithGrad() {
        return kernel.sigmoidCrossEntropy(N, a, 0, targets, 0, out, 0);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public float sigmoidCrossEntropy() {
        return kernel.sigmoidCrossEntropy(N, a, 0, targets, 0, null, 0);
    }

    /** The facade's target check, to set against the loss it guards. */
    @Benchmark
    @OperationsPerInvocation(N)
    public int targetCheck() {
        return kernel.firstOutsideUnitInterval(N, targets, 0);
    }
}
