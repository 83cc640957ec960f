package dev.lanes.jmh;

import dev.lanes.core.internal.Backends;
import dev.lanes.core.internal.TopKKernel;
import java.util.Arrays;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * Top-k per row of a {@code 256 x cols} Gaussian matrix, one thread. Candidates ({@code impl}): the
 * two kernels, {@code panama} and {@code scalar}, and two textbook plain-Java versions for scale,
 * {@code priorityQueue} (a bounded {@code java.util.PriorityQueue} of boxed indices) and
 * {@code fullSort} (sorts each whole row). Each is checked against the scalar reference first. And a
 * floor, {@code rowMax}: one Vector API pass that only reads the matrix and keeps each row's maximum
 * (the top 1, checked against the reference's first value). When the matrix does not fit the cache
 * (256 x 16384 floats is 16 MiB), no top-k can be faster than that one read from memory.
 *
 * <p>Scores: {@code select} is calls per second (one call = the whole matrix; time per call is the
 * inverse), {@code select:elements} is matrix elements per second.
 *
 * <p>Run: {@code java -jar jmh/target/benchmarks.jar TopKBenchmark -f 1 -wi 3 -w 1 -i 3 -r 1 -t 1}
 */
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector"})
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
public class TopKBenchmark {

    @Param({"panama", "scalar", "priorityQueue", "fullSort", "rowMax"})
    String impl;

    @Param({"256"})
    int rows;

    @Param({"1024", "4096", "16384"})
    int cols;

    @Param({"16", "32", "64", "128"})
    int k;

    /** One candidate: fills {@link #values} and {@link #indices} for the whole matrix. */
    private interface Candidate {
        void run();
    }

    private Candidate candidate;
    private float[] x;
    private float[] values;
    private int[] indices;
    private long[] codes;

    /** Counts matrix elements, so that JMH reports elements per second next to calls per second. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Elements {
        public long elements;

        @Setup(Level.Iteration)
        public void reset() {
            elements = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(42);
        x = new float[rows * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        values = new float[rows * k];
        indices = new int[rows * k];
        codes = new long[cols];
        candidate = switch (impl) {
            case "priorityQueue" -> this::priorityQueue;
            case "fullSort" -> this::fullSort;
            case "rowMax" -> this::rowMax;
            default -> {
                TopKKernel kernel = Backends.load(TopKKernel.class, Backends.Kind.valueOf(impl.toUpperCase()));
                yield () -> kernel.select(x, 0, rows, cols, cols, k, values, indices, 0);
            }
        };

        TopKKernel reference = Backends.load(TopKKernel.class, Backends.Kind.SCALAR);
        float[] wantValues = new float[rows * k];
        int[] wantIndices = new int[rows * k];
        reference.select(x, 0, rows, cols, cols, k, wantValues, wantIndices, 0);
        candidate.run();
        if (impl.equals("rowMax")) {
            for (int i = 0; i < rows; i++) {
                if (values[i * k] != wantValues[i * k]) {
                    throw new IllegalStateException("rowMax differs from the reference's top 1 in row " + i);
                }
            }
        } else if (!Arrays.equals(wantValues, values) || !Arrays.equals(wantIndices, indices)) {
            throw new IllegalStateException(impl + " differs from the scalar reference (cols=" + cols + ", k=" + k + ")");
        }
    }

    @Benchmark
    public int[] select(Elements counter) {
        candidate.run();
        counter.elements += (long) rows * cols;
        return indices;
    }

    private void priorityQueue() {
        for (int i = 0; i < rows; i++) {
            int base = i * cols;
            // Worst at the head: lower value, or equal value and higher index.
            PriorityQueue<Integer> heap = new PriorityQueue<>(k + 1, (a, b) -> {
                int c = Float.compare(x[base + a], x[base + b]);
                return c != 0 ? c : Integer.compare(b, a);
            });
            for (int j = 0; j < cols; j++) {
                if (heap.size() < k) {
                    heap.add(j);
                } else if (Float.compare(x[base + j], x[base + heap.peek()]) > 0) {
                    heap.poll();
                    heap.add(j);
                }
            }
            for (int r = k - 1; r >= 0; r--) {
                int c = heap.poll();
                indices[i * k + r] = c;
                values[i * k + r] = x[base + c];
            }
        }
    }

    /** The maximum of each row into its first value slot: four accumulators, so the loads set the pace. */
    private void rowMax() {
        VectorSpecies<Float> s = FloatVector.SPECIES_PREFERRED;
        int l = s.length();
        for (int i = 0; i < rows; i++) {
            int base = i * cols;
            FloatVector m0 = FloatVector.broadcast(s, Float.NEGATIVE_INFINITY);
            FloatVector m1 = m0;
            FloatVector m2 = m0;
            FloatVector m3 = m0;
            int j = 0;
            for (; j + 4 * l <= cols; j += 4 * l) {
                m0 = m0.max(FloatVector.fromArray(s, x, base + j));
                m1 = m1.max(FloatVector.fromArray(s, x, base + j + l));
                m2 = m2.max(FloatVector.fromArray(s, x, base + j + 2 * l));
                m3 = m3.max(FloatVector.fromArray(s, x, base + j + 3 * l));
            }
            float max = m0.max(m1).max(m2.max(m3)).reduceLanes(VectorOperators.MAX);
            for (; j < cols; j++) {
                max = Math.max(max, x[base + j]);
            }
            values[i * k] = max;
        }
    }

    /** Codes {@code (~key << 32) | column} sort ascending into best-first order. */
    private void fullSort() {
        for (int i = 0; i < rows; i++) {
            int base = i * cols;
            for (int j = 0; j < cols; j++) {
                int b = Float.floatToIntBits(x[base + j]);
                codes[j] = ((long) ~(b ^ ((b >> 31) >>> 1)) << 32) | j;
            }
            Arrays.sort(codes, 0, cols);
            for (int r = 0; r < k; r++) {
                int c = (int) codes[r];
                indices[i * k + r] = c;
                values[i * k + r] = x[base + c];
            }
        }
    }
}
