package dev.lanes.jmh.training;

import dev.lanes.autoencoder.model.Model;
import dev.lanes.autoencoder.model.Models;
import dev.lanes.autoencoder.train.Adam;
import dev.lanes.autoencoder.train.LearningRate;
import dev.lanes.autoencoder.train.Trainer;
import dev.lanes.core.Lanes;
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

    /** Single-row steps of {@link #warmUp}. */
    public static final int WARM_UP_STEPS = 300;

    /**
     * Runs {@value #WARM_UP_STEPS} training steps on the first row of {@code rows}. A kernel that a step
     * calls once (the KL penalty's value, say) reaches C2 only after a few hundred calls; until then it
     * runs in C1 code, where every Vector API operation allocates its vector. At batch 256 the timed
     * warm-up runs about 30 steps, and sparse-kl's step then allocated 2.1 MB and ran that slower
     * (2026-11-23). Single-row steps cost a few milliseconds at most, and the timed warm-up at the
     * benchmark's batch size follows, so what is measured is the steady state of a long run.
     */
    public static void warmUp(Trainer trainer, float[] rows) {
        for (int i = 0; i < WARM_UP_STEPS; i++) {
            trainer.trainStep(1, rows);
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
