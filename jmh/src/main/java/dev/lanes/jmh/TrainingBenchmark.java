package dev.lanes.jmh;

import dev.lanes.autoencoder.model.Model;
import dev.lanes.autoencoder.train.Trainer;
import dev.lanes.jmh.training.Presets;
import dev.lanes.jmh.training.Reference;
import dev.lanes.jmh.training.Samples;
import dev.lanes.jmh.training.Samples;
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
 * One training step ({@link Trainer#trainStep}: forward, backward, gradient surgery, Adam, constraints)
 * of each preset model ({@link Presets}: 784-784-784 for ae, linear and dae, 784-4096-784 for
 * sparse-l1, sparse-kl and topk, rank-ordered 784-784 with 64 ranks), on synthetic Fashion-MNIST-shaped
 * batches, cycling through 1024 rows ({@link Presets#prepare}). The {@code samples} counter is the throughput in samples per
 * second (read it, not the steps per second); {@code B/op} is the allocation per step (0 once warm).
 *
 * <p>The kernels are the JVM's selected implementation ({@code impl} must name it: run a scalar sitting
 * with {@code -jvmArgsAppend -Dlanes.simd=false -p impl=scalar}). Before timing, the first step's
 * loss is checked against a plain double-precision forward pass ({@link Reference}), and the step
 * must change the parameters and keep them finite.
 *
 * <p>The topk preset keeps its AuxK loss armed: a latent silent for 1000 steps is dead and AuxK
 * runs from then on. At batch 1 that happens during the warm-up, at 256 never in a sitting.
 *
 * <pre>java -jar jmh/target/benchmarks.jar TrainingBenchmark -p model=topk -p batch=256 -f 1 -wi 3 -i 3</pre>
 */
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector"})
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
public class TrainingBenchmark {

    @Param({"ae", "linear", "dae", "sparse-l1", "sparse-kl", "topk", "rank-ordered"})
    String model;

    @Param({"1", "32", "256"})
    int batch;

    @Param({"panama"})
    String impl;

    @Param({"1"})
    int threads;

    private Trainer trainer;
    private float[][] batches;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        Presets.configure(impl, threads);
        Model m = Presets.build(model);
        batches = Presets.prepare(m, batch, 0x5A3D1EL);
        trainer = Presets.trainer(m, batch);
        Reference.checkStep(m, trainer, batch, batches[0]);
        Presets.warmUp(trainer, batches, batch);
        next = 1;
    }

    @Benchmark
    public float step(Samples counter) {
        float loss = trainer.trainStep(batch, batches[next]);
        next = next + 1 == batches.length ? 0 : next + 1;
        counter.samples += batch;
        return loss;
    }
}
