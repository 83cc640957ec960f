package dev.lanes.jmh;

import dev.lanes.autoencoder.model.Autoencoder;
import dev.lanes.autoencoder.model.Config;
import dev.lanes.autoencoder.sparse.SparseTopK;
import dev.lanes.autoencoder.train.Adam;
import dev.lanes.autoencoder.train.LearningRate;
import dev.lanes.autoencoder.train.Trainer;
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
 * One training step of a TopK autoencoder 784-h-784 (k = 32, batch 256, MSE, Adam lr 1e-3), the model of
 * {@code torch_sae.py --model topk} ({@link SparseTopK#config}), on image-like inputs (each row non-zero on
 * a random rectangle covering about half the 28x28 grid, as Fashion-MNIST is half zeros). {@code path}:
 * {@code sparse} is {@link SparseTopK#trainStep} itself (fused encoder top-k, gathers over the k active
 * decoder rows, exact row-wise Adam); {@code dense} is the dense {@link Autoencoder} under {@link Trainer}
 * and {@link Adam} (five sgemm, TopK and dense Adam, as PyTorch does it), with the same configuration and
 * initial parameters. {@code @Setup} checks, before timing, that both give the same loss on the first step
 * (relative 1e-5: the same sums in another order) and on the second (relative 1e-3: the first Adam step
 * turns rounding differences of near-zero gradient elements into steps of up to lr).
 *
 * <p>Score: samples per second. A step takes 0.1-1 s, so a short warm-up leaves the vector kernels
 * uncompiled (visible as megabytes per op in {@code -prof gc}); keep the 5 x 4 s default. Run:
 * {@code java -jar jmh/target/benchmarks.jar SparseTopKStepBenchmark -f 1 -i 3 -r 2 -t 1 -prof gc}
 */
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector", "-Xmx3g"})
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 4)
@Measurement(iterations = 3, time = 2)
public class SparseTopKStepBenchmark {

    private static final int N = 784;
    private static final int B = 256;
    private static final int K = 32;
    private static final float LR = 1e-3f;
    private static final long SEED = 1;

    @Param({"sparse", "dense"})
    String path;

    @Param({"4096", "16384"})
    int h;

    private float[] x;
    private Step step;

    private interface Step {
        float run(float[] x);
    }

    @Setup
    public void setUp() {
        x = images(new SplittableRandom(42));
        Config cfg = SparseTopK.config(N, h, K, SEED);
        float[] sparse = twoSteps(sparse(cfg));
        float[] dense = twoSteps(dense(cfg));
        if (!(Math.abs(dense[0] - sparse[0]) <= 1e-5f * dense[0])
                || !(Math.abs(dense[1] - sparse[1]) <= 1e-3f * dense[1])) {
            throw new IllegalStateException("sparse step losses " + sparse[0] + ", " + sparse[1] + " != dense "
                    + dense[0] + ", " + dense[1]);
        }
        step = path.equals("sparse") ? sparse(cfg) : dense(cfg);
    }

    private float[] twoSteps(Step s) {
        return new float[] {s.run(x), s.run(x)};
    }

    private static Step sparse(Config cfg) {
        SparseTopK model = new SparseTopK(cfg, LR);
        return x -> model.trainStep(B, x);
    }

    private static Step dense(Config cfg) {
        Trainer trainer = new Trainer(new Autoencoder(cfg), Adam.defaults(), LearningRate.constant(LR), B, SEED, 0f);
        return x -> trainer.trainStep(B, x);
    }

    private static float[] images(SplittableRandom r) {
        float[] x = new float[B * N];
        for (int i = 0; i < B; i++) {
            int top = r.nextInt(8);
            int left = r.nextInt(8);
            int bottom = 28 - r.nextInt(8);
            int right = 28 - r.nextInt(8);
            for (int py = top; py < bottom; py++) {
                for (int px = left; px < right; px++) {
                    x[i * N + py * 28 + px] = (float) r.nextDouble(0.01, 1);
                }
            }
        }
        return x;
    }

    @Benchmark
    @OperationsPerInvocation(B)
    public float trainStep() {
        return step.run(x);
    }
}
