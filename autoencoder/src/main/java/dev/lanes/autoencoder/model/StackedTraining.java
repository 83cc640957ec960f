package dev.lanes.autoencoder.model;

import dev.lanes.autoencoder.data.Dataset;
import dev.lanes.autoencoder.nn.Params;
import dev.lanes.autoencoder.train.Adam;
import dev.lanes.autoencoder.train.LearningRate;
import dev.lanes.autoencoder.train.Optimizer;
import dev.lanes.autoencoder.train.Trainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * The training procedure of a {@link Stacked} model: greedy layer-wise pretraining (each layer, bottom
 * first, trained as a denoising autoencoder on the codes of the frozen layers below, for
 * {@code pretrainEpochs} epochs), then end-to-end fine-tuning for {@code fineTuneEpochs} epochs, either
 * unsupervised (reconstruction through the whole stack) or supervised (softmax head, negative
 * log-likelihood). With {@code pretrainEpochs = 0} the fine-tuning starts from the random initialisation,
 * the baseline the paper compares with.
 *
 * <pre>{@code
 * Stacked model = StackedConfig.builder(784, 1000, 1000, 1000).classes(10).seed(seed).build();
 * StackedTraining.Report r = new StackedTraining(StackedTraining.Settings.defaults()).run(model, train);
 * double accuracy = StackedTraining.accuracy(model, test);
 * }</pre>
 * Every phase gets a fresh optimizer (by default Adam with PyTorch's defaults) and cleared optimizer
 * state, so a layer trained in an earlier phase is not moved by the momentum it left behind. Each epoch
 * visits the rows in an order shuffled from the seed; the last batch may be partial. The same settings and
 * seed give bitwise the same model.
 */
public final class StackedTraining {

    /** What follows the pretraining. */
    public enum FineTuning {
        /** Nothing: the pretrained stack is the result. */
        NONE,
        /** Reconstruction through the whole stack and its mirrored decoders. */
        RECONSTRUCTION,
        /** The softmax head's negative log-likelihood of the labels, through every encoder. */
        CLASSIFICATION
    }

    /**
     * @param pretrainEpochs epochs per layer of denoising pretraining, 0 for none
     * @param fineTuneEpochs epochs of end-to-end fine-tuning, 0 for none
     * @param fineTuning the fine-tuning objective
     * @param batch rows per step
     * @param pretrainLr learning rate of the pretraining
     * @param fineTuneLr learning rate of the fine-tuning
     * @param evalRows rows (the first ones) on which each layer's clean reconstruction loss is reported
     *     before and after its pretraining
     * @param seed shuffling seed (the model's own seed sets its initialisation and noise)
     */
    public record Settings(int pretrainEpochs, int fineTuneEpochs, FineTuning fineTuning, int batch, float pretrainLr,
                           float fineTuneLr, int evalRows, long seed) {

        public Settings {
            Objects.requireNonNull(fineTuning, "stacked training: fineTuning is null");
            if (pretrainEpochs < 0 || fineTuneEpochs < 0) {
                throw new IllegalArgumentException("stacked training: pretrainEpochs=" + pretrainEpochs
                        + " and fineTuneEpochs=" + fineTuneEpochs + " must be >= 0");
            }
            if (batch < 1) {
                throw new IllegalArgumentException("stacked training: batch=" + batch + " < 1");
            }
            if (!(pretrainLr > 0f && Float.isFinite(pretrainLr)) || !(fineTuneLr > 0f && Float.isFinite(fineTuneLr))) {
                throw new IllegalArgumentException("stacked training: pretrainLr=" + pretrainLr + " and fineTuneLr="
                        + fineTuneLr + " must be finite and > 0");
            }
            if (evalRows < 0) {
                throw new IllegalArgumentException("stacked training: evalRows=" + evalRows + " < 0");
            }
        }

        /** 1 pretraining epoch per layer, 3 epochs of supervised fine-tuning, batch 128, Adam at 1e-3, 2000 eval rows. */
        public static Settings defaults() {
            return new Settings(1, 3, FineTuning.CLASSIFICATION, 128, 1e-3f, 1e-3f, 2000, 1);
        }

        public Settings withPretrainEpochs(int v) {
            return new Settings(v, fineTuneEpochs, fineTuning, batch, pretrainLr, fineTuneLr, evalRows, seed);
        }

        public Settings withFineTuneEpochs(int v) {
            return new Settings(pretrainEpochs, v, fineTuning, batch, pretrainLr, fineTuneLr, evalRows, seed);
        }

        public Settings withFineTuning(FineTuning v) {
            return new Settings(pretrainEpochs, fineTuneEpochs, v, batch, pretrainLr, fineTuneLr, evalRows, seed);
        }

        public Settings withBatch(int v) {
            return new Settings(pretrainEpochs, fineTuneEpochs, fineTuning, v, pretrainLr, fineTuneLr, evalRows, seed);
        }

        /** Both learning rates. */
        public Settings withLr(float v) {
            return new Settings(pretrainEpochs, fineTuneEpochs, fineTuning, batch, v, v, evalRows, seed);
        }

        public Settings withPretrainLr(float v) {
            return new Settings(pretrainEpochs, fineTuneEpochs, fineTuning, batch, v, fineTuneLr, evalRows, seed);
        }

        public Settings withSeed(long v) {
            return new Settings(pretrainEpochs, fineTuneEpochs, fineTuning, batch, pretrainLr, fineTuneLr, evalRows, v);
        }
    }

    /** Called after every epoch of every phase ({@code "pretrain layer 0"}, ..., {@code "fine-tune"}). */
    @FunctionalInterface
    public interface Listener {
        void epoch(String phase, int epoch, int epochs, double meanLoss, double seconds);
    }

    /**
     * @param layerLossBefore each layer's clean reconstruction loss on the eval rows before its pretraining
     *     (NaN when not pretrained)
     * @param layerLossAfter the same after its pretraining (NaN when not pretrained)
     * @param fineTuneLoss mean training loss of the last fine-tuning epoch (NaN without fine-tuning)
     * @param pretrainSeconds wall time of the pretraining
     * @param fineTuneSeconds wall time of the fine-tuning
     * @param rowsPerSecond rows processed per second over both phases
     */
    public record Report(double[] layerLossBefore, double[] layerLossAfter, double fineTuneLoss,
                         double pretrainSeconds, double fineTuneSeconds, double rowsPerSecond) {
    }

    private final Settings settings;
    private Supplier<Optimizer> optimizer = Adam::defaults;
    private Listener listener = (phase, epoch, epochs, loss, seconds) -> { };

    public StackedTraining(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "stacked training: settings is null");
    }

    /** A fresh optimizer per phase (default: Adam with PyTorch's defaults). */
    public StackedTraining optimizer(Supplier<Optimizer> factory) {
        this.optimizer = Objects.requireNonNull(factory, "stacked training: optimizer factory is null");
        return this;
    }

    public StackedTraining listener(Listener l) {
        this.listener = Objects.requireNonNull(l, "stacked training: listener is null");
        return this;
    }

    /** Trains on a data set (its labels are needed for supervised fine-tuning). */
    public Report run(Stacked model, Dataset data) {
        return run(model, data.features(), data.labels(), data.n());
    }

    /**
     * Trains {@code model} on {@code rows} rows of {@code x} ({@code rows x model.inputs()}) with their
     * {@code labels} (may be null unless the fine-tuning is supervised); see the class comment. Leaves the
     * model in its fine-tuning objective (reconstruction when there was none).
     *
     * @throws IllegalArgumentException if the data do not match the model, or labels are missing or out of range
     * @throws dev.lanes.autoencoder.train.DivergedException if a loss or gradient is not finite
     */
    public Report run(Stacked model, float[] x, int[] labels, int rows) {
        return run(model, x, labels, rows, rows);
    }

    /**
     * Semi-supervised: pretrains (and fine-tunes without labels) on all {@code rows} rows of {@code x}, but
     * fine-tunes with the labels on the first {@code labelledRows} rows only (the setting in which the paper
     * found pretraining to matter most).
     *
     * @throws IllegalArgumentException as {@link #run(Stacked, float[], int[], int)}, or if
     *     {@code labelledRows} is not in [1, rows]
     */
    public Report run(Stacked model, float[] x, int[] labels, int rows, int labelledRows) {
        Objects.requireNonNull(model, "stacked training: model is null");
        Objects.requireNonNull(x, "stacked training: x is null");
        int n = model.inputs();
        if (rows < 1 || (long) rows * n > x.length) {
            throw new IllegalArgumentException("stacked training: rows=" + rows + " x inputs=" + n
                    + " does not fit x.length=" + x.length);
        }
        if (labelledRows < 1 || labelledRows > rows) {
            throw new IllegalArgumentException("stacked training: labelledRows=" + labelledRows + " not in [1, rows="
                    + rows + "]");
        }
        boolean supervised = settings.fineTuneEpochs() > 0 && settings.fineTuning() == FineTuning.CLASSIFICATION;
        if (supervised) {
            checkLabels(model, labels, labelledRows);
        }
        int fineTuneRows = supervised ? labelledRows : rows;
        int depth = model.depth();
        double[] before = new double[depth];
        double[] after = new double[depth];
        Arrays.fill(before, Double.NaN);
        Arrays.fill(after, Double.NaN);
        int evalRows = Math.min(rows, settings.evalRows());
        long t0 = System.nanoTime();
        long seen = 0;
        if (settings.pretrainEpochs() > 0) {
            for (int l = 0; l < depth; l++) {
                if (evalRows > 0) {
                    before[l] = layerLoss(model, l, x, evalRows);
                }
                model.pretraining(l);
                epochs(model, "pretrain layer " + l, settings.pretrainEpochs(), settings.pretrainLr(), x, null, rows,
                        0x9E7A_0000L + l);
                seen += (long) settings.pretrainEpochs() * rows;
                if (evalRows > 0) {
                    after[l] = layerLoss(model, l, x, evalRows);
                }
            }
        }
        long t1 = System.nanoTime();
        double fineTuneLoss = Double.NaN;
        if (settings.fineTuneEpochs() > 0 && settings.fineTuning() != FineTuning.NONE) {
            if (supervised) {
                model.classification();
            } else {
                model.reconstruction();
            }
            fineTuneLoss = epochs(model, "fine-tune", settings.fineTuneEpochs(), settings.fineTuneLr(), x,
                    supervised ? labels : null, fineTuneRows, 0xF1_0000L);
            seen += (long) settings.fineTuneEpochs() * fineTuneRows;
        } else {
            model.reconstruction();
        }
        long t2 = System.nanoTime();
        double seconds = (t2 - t0) / 1e9;
        return new Report(before, after, fineTuneLoss, (t1 - t0) / 1e9, (t2 - t1) / 1e9,
                seconds > 0 ? seen / seconds : Double.NaN);
    }

    private static void checkLabels(Stacked model, int[] labels, int rows) {
        if (model.head() == null) {
            throw new IllegalArgumentException("stacked training: supervised fine-tuning needs a model with classes >= 2");
        }
        if (labels == null || labels.length < rows) {
            throw new IllegalArgumentException("stacked training: supervised fine-tuning needs " + rows + " labels, have "
                    + (labels == null ? "none" : labels.length));
        }
        int classes = model.head().classes();
        for (int i = 0; i < rows; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("stacked training: label " + labels[i] + " of row " + i
                        + " not in [0, classes=" + classes + ")");
            }
        }
    }

    /** Runs {@code epochs} epochs of the model's current objective; returns the last epoch's mean loss. */
    private double epochs(Stacked model, String phase, int epochs, float lr, float[] x, int[] labels, int rows,
                          long salt) {
        Params p = model.params();
        p.zeroGrad();
        p.resetState();
        int n = model.inputs();
        int batch = settings.batch();
        Trainer trainer = new Trainer(model, optimizer.get(), LearningRate.constant(lr), batch, settings.seed(), 0f);
        float[] xb = new float[batch * n];
        int[] lb = new int[batch];
        model.labels(lb);
        List<Integer> order = new ArrayList<>(IntStream.range(0, rows).boxed().toList());
        double mean = Double.NaN;
        for (int e = 0; e < epochs; e++) {
            long start = System.nanoTime();
            Collections.shuffle(order, new SplittableRandom(settings.seed() ^ salt ^ (e * 0x9E3779B97F4A7C15L)));
            double sum = 0;
            int steps = 0;
            for (int pos = 0; pos < rows; pos += batch) {
                int b = Math.min(batch, rows - pos);
                for (int r = 0; r < b; r++) {
                    int row = order.get(pos + r);
                    System.arraycopy(x, row * n, xb, r * n, n);
                    if (labels != null) {
                        lb[r] = labels[row];
                    }
                }
                sum += trainer.trainStep(b, xb);
                steps++;
            }
            mean = sum / steps;
            listener.epoch(phase, e + 1, epochs, mean, (System.nanoTime() - start) / 1e9);
        }
        model.labels(null);
        return mean;
    }

    private double layerLoss(Stacked model, int l, float[] x, int rows) {
        int batch = settings.batch();
        double sum = 0;
        for (int pos = 0; pos < rows; pos += batch) {
            int b = Math.min(batch, rows - pos);
            float[] xb = Arrays.copyOfRange(x, pos * model.inputs(), (pos + b) * model.inputs());
            sum += (double) model.layerLoss(l, b, xb) * b;
        }
        return sum / rows;
    }

    /** Fraction of the {@code data}'s rows whose label the head predicts. */
    public static double accuracy(Stacked model, Dataset data) {
        return accuracy(model, data.features(), data.labels(), data.n(), 500);
    }

    /** Fraction of {@code rows} rows of {@code x} whose label the head predicts, in batches of {@code batch}. */
    public static double accuracy(Stacked model, float[] x, int[] labels, int rows, int batch) {
        Objects.requireNonNull(labels, "accuracy: labels are null");
        if (rows < 1 || labels.length < rows || (long) rows * model.inputs() > x.length || batch < 1) {
            throw new IllegalArgumentException("accuracy: rows=" + rows + " batch=" + batch + " with x.length="
                    + x.length + " and labels.length=" + labels.length);
        }
        int n = model.inputs();
        int[] predicted = new int[batch];
        float[] xb = new float[batch * n];
        int correct = 0;
        for (int pos = 0; pos < rows; pos += batch) {
            int b = Math.min(batch, rows - pos);
            System.arraycopy(x, pos * n, xb, 0, b * n);
            model.predict(b, xb, predicted);
            for (int r = 0; r < b; r++) {
                correct += predicted[r] == labels[pos + r] ? 1 : 0;
            }
        }
        return (double) correct / rows;
    }
}
