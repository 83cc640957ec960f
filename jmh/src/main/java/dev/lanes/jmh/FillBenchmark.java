package dev.lanes.jmh;

import dev.lanes.core.internal.Backends;
import dev.lanes.core.internal.FillKernel;
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
 * Seeded fills of {@code n} floats, SIMD against the scalar reference, on sizes with SIMD tails (1, 127,
 * 1000, 4097) and bulk sizes (65536, 1M). The {@link Elements} counter is the throughput in elements
 * per second (read it, not the calls per second, which depend on n).
 *
 * <pre>java -jar jmh/target/benchmarks.jar FillBenchmark -p n=127,65536 -f 1 -wi 3 -w 1 -i 3 -r 1 -t 1</pre>
 */
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector"})
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
public class FillBenchmark {

    @Param({"1", "127", "1000", "4097", "65536", "1048576"})
    int n;

    @Param({"panama", "scalar"})
    String impl;

    FillKernel kernel;
    float[] x;
    long seed;

    @Setup(Level.Trial)
    public void setUp() {
        kernel = Backends.load(FillKernel.class, Backends.Kind.valueOf(impl.toUpperCase()));
        x = new float[n];
        check();
    }

    /** Bit-exact for uniform and bernoulli; gaussian within one ulp plus 1e-8 std (FillKernelTest). */
    private void check() {
        FillKernel ref = Backends.load(FillKernel.class, Backends.Kind.SCALAR);
        float[] a = new float[n];
        float[] b = new float[n];
        ref.uniform(11L, 5L, -0.5f, 0.5f, a, 0, n);
        kernel.uniform(11L, 5L, -0.5f, 0.5f, b, 0, n);
        same("uniform", a, b, 0);
        ref.bernoulli(11L, 5L, 0.3f, a, 0, n);
        kernel.bernoulli(11L, 5L, 0.3f, b, 0, n);
        same("bernoulli", a, b, 0);
        ref.gaussian(11L, 5L, 0f, 1f, a, 0, n);
        kernel.gaussian(11L, 5L, 0f, 1f, b, 0, n);
        same("gaussian", a, b, 1e-8);
    }

    private void same(String what, float[] ref, float[] got, double atol) {
        for (int i = 0; i < ref.length; i++) {
            if (!(Math.abs(ref[i] - got[i]) <= (atol == 0 ? 0 : Math.ulp(ref[i]) + atol))) {
                throw new IllegalStateException(impl + " " + what + " n=" + n + " i=" + i + ": " + got[i]
                        + " vs scalar " + ref[i]);
            }
        }
    }

    @Benchmark
    public float[] uniform(Elements e) {
        kernel.uniform(seed++, 0L, -0.5f, 0.5f, x, 0, n);
        e.elements += n;
        return x;
    }

    @Benchmark
    public float[] gaussian(Elements e) {
        kernel.gaussian(seed++, 0L, 0f, 0.01f, x, 0, n);
        e.elements += n;
        return x;
    }

    @Benchmark
    public float[] bernoulli(Elements e) {
        kernel.bernoulli(seed++, 0L, 0.75f, x, 0, n);
        e.elements += n;
        return x;
    }
}
