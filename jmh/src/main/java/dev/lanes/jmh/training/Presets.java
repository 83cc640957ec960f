package dev.lanes.jmh.training;

import dev.lanes.autoencoder.model.Model;
import dev.lanes.autoencoder.model.Models;
import dev.lanes.autoencoder.train.Adam;
import dev.lanes.autoencoder.train.LearningRate;
import dev.lanes.autoencoder.train.Trainer;
import dev.lanes.core.Lanes;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The preset models as the training benchmarks, the encode benchmarks and the latency harness build
 * them, on Fashion-MNIST-shaped input (784 features), with the shapes of
 * {@code ../shared/anchors/torch_sae.py} so that its rows compare:
 * <ul>
 * <li>{@code ae}, {@code linear}, {@code dae}: 784-784-784</li>
 * <li>{@code sparse-l1}, {@code sparse-kl}, {@code topk}: 784-4096-784 ({@code topk}: k 32)</li>
 * <li>{@code rank-ordered}: 784-784, tied, the first {@value #RANKS} ranks in the loss</li>
 * </ul>
 * Every other setting is the model's default in {@link Models}. Training is Adam with PyTorch's
 * defaults at a constant learning rate 1e-3, no clipping, as the PyTorch anchor.
 */
public final class Presets {

    public static final int INPUTS = 784;
    public static final int RANKS = 64;
    public static final List<String> NAMES =
            List.of("ae", "linear", "dae", "sparse-l1", "sparse-kl", "topk", "rank-ordered");
    private static final long SEED = 1;

    private Presets() {
    }

    /** The code width of a preset. */
    public static int hidden(String model) {
        return switch (model) {
            case "ae", "linear", "dae", "rank-ordered" -> 784;
            case "sparse-l1", "sparse-kl", "topk" -> 4096;
            default -> throw new IllegalArgumentException("unknown preset '" + model + "'; expected one of " + NAMES);
        };
    }

    /** A fresh preset model, seeded. */
    public static Model build(String model) {
        int h = hidden(model);
        return model.equals("rank-ordered")
                ? Models.rankOrdered(INPUTS, h, RANKS, SEED)
                : Models.builder(model).inputs(INPUTS).hidden(h).seed(SEED).build();
    }

    /** The trainer of the benchmarks: Adam (0.9, 0.999, 1e-8), learning rate 1e-3, no clipping. */
    public static Trainer trainer(Model model, int batch) {
        return new Trainer(model, Adam.defaults(), LearningRate.constant(1e-3f), batch, SEED, 0f);
    }

    /** Small steps of {@link #warmUp}, each on {@link #WARM_UP_ROWS} rows. */
    public static final int WARM_UP_STEPS = 300;
    public static final int WARM_UP_ROWS = 16;
    /** A whole-batch step of {@link #warmUp} that allocates less than this counts as compiled. */
    public static final long QUIET_BYTES = 4096;
    private static final long WARM_UP_LIMIT_NANOS = 60_000_000_000L;

    /**
     * Warms a trainer up until its step is C2 code throughout. A kernel that a step calls once (the
     * KL penalty's value, say), or a path taken once per call (TopK's first row), reaches C2 only
     * after a few hundred steps; until then it runs in C1 code, where every Vector API operation
     * allocates its vector. JMH's timed warm-up at batch 256 runs only 30 (sparse-kl) to 140
     * (rank-ordered) steps, and those steps then allocated 2.1 MB and 169 KB and ran slower
     * (2026-11-23). So first {@value #WARM_UP_STEPS} steps on {@value #WARM_UP_ROWS} rows (a few
     * milliseconds each at most), then steps on whole batches of {@code batch} rows until three in a
     * row allocate under {@value #QUIET_BYTES} bytes on this thread, or 60 s have passed: what JMH
     * measures after that is the steady state of a long run.
     */
    public static void warmUp(Trainer trainer, float[][] batches, int batch) {
        int small = Math.min(WARM_UP_ROWS, batch);
        for (int i = 0; i < WARM_UP_STEPS; i++) {
            trainer.trainStep(small, batches[0]);
        }
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean mx)
                || !mx.isThreadAllocatedMemoryEnabled()) {
            return;
        }
        long deadline = System.nanoTime() + WARM_UP_LIMIT_NANOS;
        int quiet = 0;
        for (int i = 0; quiet < 3 && System.nanoTime() < deadline; i++) {
            long before = mx.getCurrentThreadAllocatedBytes();
            trainer.trainStep(batch, batches[i % batches.length]);
            quiet = mx.getCurrentThreadAllocatedBytes() - before < QUIET_BYTES ? quiet + 1 : 0;
        }
    }

    /**
     * {@code count} batches of {@code batch} rows of 784 synthetic "pixels", seeded: like Fashion-MNIST
     * scaled to [0, 1], about half the pixels are background (0), the rest uniform in (0, 1].
     */
    public static float[][] batches(int batch, int count, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[][] out = new float[count][batch * INPUTS];
        for (float[] b : out) {
            for (int i = 0; i < b.length; i++) {
                b[i] = rnd.nextBoolean() ? 0f : (float) (1 - rnd.nextDouble());
            }
        }
        return out;
    }

    /**
     * The data of a benchmark: {@code max(2, 1024/batch)} batches (1024 rows to cycle through, so that a
     * step does not see the same batch twice in a row), after letting the model initialise from them
     * ({@link Model#prepare}, e.g. the topk decoder bias at the data mean).
     */
    public static float[][] prepare(Model model, int batch, long seed) {
        float[][] b = batches(batch, Math.max(2, 1024 / batch), seed);
        float[] all = new float[b.length * b[0].length];
        for (int i = 0; i < b.length; i++) {
            System.arraycopy(b[i], 0, all, i * b[i].length, b[i].length);
        }
        model.prepare(all, b.length * batch);
        return b;
    }

    /**
     * Sets the kernels' thread count. The models call the Lanes facades, whose implementation is bound
     * once per JVM: a benchmark's {@code impl} parameter only labels that choice, and must match it.
     */
    public static void configure(String impl, int threads) {
        if (!Lanes.implementation().equals(impl)) {
            throw new IllegalStateException("impl=" + impl + " but this JVM runs Lanes.implementation()="
                    + Lanes.implementation() + " (-Dlanes.simd=false selects scalar)");
        }
        Lanes.setThreads(threads);
    }
}
