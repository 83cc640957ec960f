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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Losses with their gradients on {@code n} elements, SIMD against the scalar reference, on sizes with
 * SIMD tails (1, 127, 1000, 4097) and bulk sizes (65536, 1M). Softmax and softmax cross-entropy work
 * on a near-square {@code rows x cols} matrix of about n elements, as BlasBenchmark's matrix methods,
 * and count exactly {@code rows * cols}. The {@link Elements} counter is the throughput in elements per
 * second (read it, not the calls per second, which depend on n).
 *
 * <pre>java -jar jmh/target/benchmarks.jar LossBenchmark -p n=127,65536 -f 1 -wi 3 -w 1 -i 3 -r 1 -t 1</pre>
 */
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector"})
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
public class LossBenchmark {

    @Param({"1", "127", "1000", "4097", "65536", "1048576"})
    int n;

    @Param({"panama", "scalar"})
    String impl;

    int rows;
    int cols;

    LossKernel kernel;
    float[] a;
    float[] b;
    float[] targets;
    int[] labels;
    float[] out;

    @Setup(Level.Trial)
    public void setUp() {
        kernel = Backends.load(LossKernel.class, Backends.Kind.valueOf(impl.toUpperCase()));
        cols = Math.max(1, (int) Math.round(Math.sqrt(n)));
        rows = n / cols;
        SplittableRandom r = new SplittableRandom(0xB0B);
        a = new float[n];
        b = new float[n];
        targets = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextGaussian() * 4);
            b[i] = (float) r.nextGaussian();
            targets[i] = r.nextFloat();
        }
        labels = r.ints(rows, 0, cols).toArray();
        out = new float[n];
        check();
    }

    /** The candidate against the scalar reference, with the tolerances of LossKernelTest. */
    private void check() {
        LossKernel ref = Backends.load(LossKernel.class, Backends.Kind.SCALAR);
        float[] g1 = new float[n];
        float[] g2 = new float[n];
        compare("mse", ref.mse(n, a, 0, b, 0, g1, 0), kernel.mse(n, a, 0, b, 0, g2, 0), 4e-6);
        compareAll("mse grad", g1, g2, 0x1p-21, 0x1p-21 / n);
        compare("bce", ref.sigmoidCrossEntropy(n, a, 0, targets, 0, g1, 0),
                kernel.sigmoidCrossEntropy(n, a, 0, targets, 0, g2, 0), 4e-6);
        compareAll("bce grad", g1, g2, 0x1p-21, 0x1p-21 / n);
        ref.softmax(rows, cols, a, 0, cols, g1, 0, cols);
        kernel.softmax(rows, cols, a, 0, cols, g2, 0, cols);
        compareAll("softmax", g1, g2, 4e-6, 0x1p-146);
        float l1 = ref.softmaxCrossEntropy(rows, cols, a, 0, cols, labels, 0, g1, 0, cols);
        float l2 = kernel.softmaxCrossEntropy(rows, cols, a, 0, cols, labels, 0, g2, 0, cols);
        if (!(Math.abs(l1 - l2) <= 4e-6 + 0x1p-23 * Math.abs(l1))) {
            throw new IllegalStateException(impl + " softmaxCrossEntropy n=" + n + ": " + l2 + " vs scalar " + l1);
        }
        compareAll("softmaxCrossEntropy grad", g1, g2, 4e-6, 0x1p-22 / rows);
    }

    private void compare(String what, float ref, float got, double rtol) {
        if (!(Math.abs(ref - got) <= rtol * Math.abs(ref))) {
            throw new IllegalStateException(impl + " " + what + " n=" + n + ": " + got + " vs scalar " + ref);
        }
    }

    private void compareAll(String what, float[] ref, float[] got, double rtol, double atol) {
        for (int i = 0; i < ref.length; i++) {
            if (!(Math.abs(ref[i] - got[i]) <= atol + rtol * Math.abs(ref[i]))) {
                throw new IllegalStateException(impl + " " + what + " n=" + n + " i=" + i + ": " + got[i]
                        + " vs scalar " + ref[i]);
            }
        }
    }

    @Benchmark
    public float mseWithGrad(Elements e) {
        e.elements += n;
        return kernel.mse(n, a, 0, b, 0, out, 0);
    }

    @Benchmark
    public float mse(Elements e) {
        e.elements += n;
        return kernel.mse(n, a, 0, b, 0, null, 0);
    }

    @Benchmark
    public float[] softmax(Elements e) {
        kernel.softmax(rows, cols, a, 0, cols, out, 0, cols);
        e.elements += (long) rows * cols;
        return out;
    }

    @Benchmark
    public float softmaxCrossEntropyWithGrad(Elements e) {
        e.elements += (long) rows * cols;
        return kernel.softmaxCrossEntropy(rows, cols, a, 0, cols, labels, 0, out, 0, cols);
    }

    @Benchmark
    public float sigmoidCrossEntropyWithGrad(Elements e) {
        e.elements += n;
        return kernel.sigmoidCrossEntropy(n, a, 0, targets, 0, out, 0);
    }

    @Benchmark
    public float sigmoidCrossEntropy(Elements e) {
        e.elements += n;
        return kernel.sigmoidCrossEntropy(n, a, 0, targets, 0, null, 0);
    }

    /** The facade's target check, to set against the loss it guards. */
    @Benchmark
    public int targetCheck(Elements e) {
        e.elements += n;
        return kernel.firstOutsideUnitInterval(n, targets, 0);
    }
}
