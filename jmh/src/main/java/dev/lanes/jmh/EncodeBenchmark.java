package dev.lanes.jmh;

import dev.lanes.autoencoder.model.Model;
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
 * Inference: {@link Model#encode} of a batch with each preset model ({@link Presets}), the codes written
 * to a caller's buffer. The {@code samples} counter is the throughput in samples per second; {@code B/op}
 * is the allocation per call. The models are freshly initialised (encode cost does not depend on
 * training). Before timing the codes are checked against a plain double-precision forward pass
 * ({@link Reference#checkEncode}). {@code impl} labels the JVM's implementation, as in
 * {@link TrainingBenchmark}.
 *
 * <pre>java -jar jmh/target/benchmarks.jar EncodeBenchmark -p model=topk -f 1 -wi 3 -i 3</pre>
 */
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector"})
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
public class EncodeBenchmark {

    @Param({"ae", "linear", "dae", "sparse-l1", "sparse-kl", "topk", "rank-ordered"})
    String model;

    @Param({"1", "32", "256"})
    int batch;

    @Param({"panama"})
    String impl;

    @Param({"1"})
    int threads;

    private Model m;
    private float[][] batches;
    private float[] codes;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        Presets.configure(impl, threads);
        m = Presets.build(model);
        batches = Presets.prepare(m, batch, 0xE4C0DEL);
        codes = new float[batch * m.codes()];
        Reference.checkEncode(m, batch, batches[0], codes);
        next = 1;
    }

    @Benchmark
    public float[] encode(Samples counter) {
        m.encode(batch, batches[next], codes);
        next = next + 1 == batches.length ? 0 : next + 1;
        counter.samples += batch;
        return codes;
    }
}
