package dev.lanes.autoencoder.train;

import dev.lanes.autoencoder.model.Model;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The training loop in one place: {@link Batches} over the training rows, one {@link TrainStep#trainStep} (the dense {@link Trainer}'s or the sparse TopK trainer's) per
 * step up to a total, metrics lines every {@code logEvery} steps and at the end of every epoch (with an
 * evaluation, e.g. on a validation split), and an atomic {@link Checkpoint} every {@code checkpointEvery}
 * steps, at the end, and when {@link #requestStop()} was called. A run started from a checkpoint
 * ({@link Builder#resume}) continues exactly: it produces the same weights as a run that was never interrupted.
 *
 * <p>What the run reports goes to a {@link Listener}; the run itself prints nothing. A non-finite loss or
 * gradient stops the run with {@link DivergedException} before the parameters change, and no checkpoint is
 * written after it, so the last checkpoint on disk is the last good state.
 */
public final class TrainingRun {

    /** Where the run reports; every method has an empty default. */
    public interface Listener {
        /** After every step (e.g. a progress bar). */
        default void stepDone(StepInfo info) {
        }

        /** A metrics line: {@code "type": "step"} every {@code logEvery} steps, {@code "epoch"} after each epoch. */
        default void metrics(Map<String, Object> line) {
        }

        /** A checkpoint of the state before step {@code step} was written to {@code file}. */
        default void checkpointed(long step, Path file) {
        }
    }

    /**
     * @param step steps done, from 1
     * @param totalSteps the run's total
     * @param epoch the current epoch, from 1
     * @param epochs epochs in the run (the last possibly partial)
     * @param loss this step's loss
     * @param samplesPerSecond rows per second of training in this process so far
     * @param etaSeconds estimated seconds to the end
     */
    public record StepInfo(long step, long totalSteps, long epoch, long epochs, float loss, double samplesPerSecond,
                           double etaSeconds) {
    }

    /**
     * @param steps steps done in all (a resumed run counts the steps before the checkpoint)
     * @param stopped whether {@link #requestStop()} ended the run before its total
     * @param lastEpochLoss mean training loss per row over the last (possibly partial) epoch
     * @param trainSeconds seconds spent in training steps in this process (evaluation and checkpoints excluded)
     * @param samples rows trained in this process
     * @param losses the loss of every step {@code [0, steps)}
     */
    public record Result(long steps, boolean stopped, double lastEpochLoss, double trainSeconds, long samples,
                         float[] losses) {
        /** Rows trained per second in this process. */
        public double samplesPerSecond() {
            return trainSeconds > 0 ? samples / trainSeconds : 0;
        }
    }

    /** The loss history is one float array, so a run can take at most this many steps. */
    public static final long MAX_STEPS = Integer.MAX_VALUE - 16;

    private final TrainStep trainer;
    private final float[] data;
    private final int d;
    private final int rows;
    private final long totalSteps;
    private final long logEvery;
    private final long checkpointEvery;
    private final Path checkpointFile;
    private final Map<String, String> checkpointMetadata;
    private final Function<Model, Map<String, Object>> evaluator;
    private final Listener listener;
    private final Checkpoint resumeFrom;
    private final Batches batches;
    private volatile boolean stopRequested;
    private long lastCheckpoint = -1;

    private TrainingRun(Builder b) {
        this.trainer = Objects.requireNonNull(b.trainer, "TrainingRun: trainer");
        this.data = Objects.requireNonNull(b.data, "TrainingRun: data");
        this.rows = b.rows;
        this.d = trainer.model().inputs();
        if (rows < 1 || (long) rows * d > data.length) {
            throw new IllegalArgumentException("TrainingRun: rows=" + rows + " x " + d + " exceeds data length "
                    + data.length);
        }
        if (b.totalSteps < 1 || b.totalSteps > MAX_STEPS || b.logEvery < 0 || b.checkpointEvery < 0) {
            throw new IllegalArgumentException("TrainingRun: need 1 <= totalSteps <= " + MAX_STEPS
                    + ", logEvery >= 0, checkpointEvery >= 0;"
                    + " got " + b.totalSteps + ", " + b.logEvery + ", " + b.checkpointEvery);
        }
        if (b.checkpointEvery > 0 && b.checkpointFile == null) {
            throw new IllegalArgumentException("TrainingRun: checkpointEvery=" + b.checkpointEvery + " needs a checkpoint file");
        }
        this.totalSteps = b.totalSteps;
        this.logEvery = b.logEvery;
        this.checkpointEvery = b.checkpointEvery;
        this.checkpointFile = b.checkpointFile;
        this.checkpointMetadata = Map.copyOf(b.checkpointMetadata);
        this.evaluator = b.evaluator;
        this.listener = b.listener;
        this.resumeFrom = b.resume;
        this.batches = new Batches(rows, trainer.batch(), trainer.seed());
        if (resumeFrom != null && resumeFrom.step() > totalSteps) {
            throw new IllegalArgumentException("TrainingRun: the checkpoint is at step " + resumeFrom.step()
                    + ", beyond the total of " + totalSteps + " steps");
        }
    }

    public static Builder builder(TrainStep trainer, float[] data, int rows) {
        return new Builder(trainer, data, rows);
    }

    /** Settings of a run; only the trainer, the data and the total are required. */
    public static final class Builder {
        private final TrainStep trainer;
        private final float[] data;
        private final int rows;
        private long totalSteps;
        private long logEvery;
        private long checkpointEvery;
        private Path checkpointFile;
        private Map<String, String> checkpointMetadata = Map.of();
        private Function<Model, Map<String, Object>> evaluator;
        private Listener listener = new Listener() { };
        private Checkpoint resume;

        private Builder(TrainStep trainer, float[] data, int rows) {
            this.trainer = trainer;
            this.data = data;
            this.rows = rows;
        }

        /** The step count at which the run ends (including steps before a resumed checkpoint). */
        public Builder totalSteps(long v) { totalSteps = v; return this; }
        /** A {@code "step"} metrics line every {@code v} steps, 0 for none. */
        public Builder logEvery(long v) { logEvery = v; return this; }
        /** A checkpoint every {@code v} steps, 0 for only at the end (when a file is set). */
        public Builder checkpointEvery(long v) { checkpointEvery = v; return this; }
        /** Where checkpoints go; null for none. */
        public Builder checkpointFile(Path v) { checkpointFile = v; return this; }
        /** Entries stored in every checkpoint's metadata (e.g. the settings needed to rebuild the run). */
        public Builder checkpointMetadata(Map<String, String> v) { checkpointMetadata = v; return this; }
        /** Metrics of the model at each epoch's end (e.g. on a validation split), added as {@code "eval"}. */
        public Builder evaluator(Function<Model, Map<String, Object>> v) { evaluator = v; return this; }
        public Builder listener(Listener v) { listener = Objects.requireNonNull(v); return this; }
        /** Continue from this checkpoint instead of step 0. */
        public Builder resume(Checkpoint v) { resume = v; return this; }

        public TrainingRun build() {
            return new TrainingRun(this);
        }
    }

    /** Steps per epoch over the training rows. */
    public long stepsPerEpoch() {
        return batches.stepsPerEpoch();
    }

    /** Epochs the run spans, the last possibly partial. */
    public long epochs() {
        return (totalSteps + stepsPerEpoch() - 1) / stepsPerEpoch();
    }

    /** The step of the last checkpoint written by this run, or -1. */
    public long lastCheckpoint() {
        return lastCheckpoint;
    }

    /** Asks the run to stop after the current step and write a checkpoint; safe from any thread. */
    public void requestStop() {
        stopRequested = true;
    }

    /**
     * Runs to the total (or until {@link #requestStop()}).
     *
     * @throws DivergedException at the first non-finite loss or gradient; the parameters are those before that
     *     step and no checkpoint is written after it
     * @throws IOException if a checkpoint cannot be written
     */
    public Result run() throws IOException {
        Model model = trainer.model();
        // grown as steps are taken: the total may be far beyond what one run gets through
        float[] losses = new float[(int) Math.min(totalSteps, 1 << 16)];
        double epochLossSum = 0;
        long epochSamples = 0;
        if (resumeFrom != null) {
            resumeFrom.restoreInto(trainer);
            losses = Arrays.copyOf(resumeFrom.losses(), (int) Math.min(totalSteps, Math.max(losses.length,
                    resumeFrom.losses().length)));
            epochLossSum = resumeFrom.epochLossSum();
            epochSamples = resumeFrom.epochSamples();
        } else if (trainer.step() == 0) {
            model.prepare(data, rows);
        }
        float[] buffer = new float[trainer.batch() * d];
        long epochs = epochs();
        long spe = stepsPerEpoch();
        long startStep = trainer.step();
        double seconds = 0;
        long samples = 0;
        double epochSeconds = 0;
        long epochSamplesHere = 0;
        double lastEpochLoss = epochSamples > 0 ? epochLossSum / epochSamples : Double.NaN;
        boolean stopped = false;
        while (trainer.step() < totalSteps) {
            long s = trainer.step();
            long t0 = System.nanoTime();
            int b = batches.fill(s, data, d, buffer);
            float loss = trainer.trainStep(b, buffer);
            double dt = (System.nanoTime() - t0) / 1e9;
            seconds += dt;
            epochSeconds += dt;
            samples += b;
            epochSamplesHere += b;
            if (s == losses.length) {
                losses = Arrays.copyOf(losses, (int) Math.min(totalSteps, 2 * s));
            }
            losses[(int) s] = loss;
            epochLossSum += (double) loss * b;
            epochSamples += b;
            long done = s + 1;
            long epoch = s / spe + 1;
            double rate = samples / seconds;
            listener.stepDone(new StepInfo(done, totalSteps, epoch, epochs, loss, rate,
                    seconds / (done - startStep) * (totalSteps - done)));
            if (logEvery > 0 && done % logEvery == 0) {
                double sum = 0;
                for (long i = done - logEvery; i < done; i++) {
                    sum += losses[(int) i];
                }
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("type", "step");
                line.put("step", done);
                line.put("epoch", epoch);
                line.put("loss", sum / logEvery);
                line.put("lr", trainer.learningRate(s));
                line.put("samples_per_s", rate);
                listener.metrics(line);
            }
            if (done % spe == 0 || done == totalSteps) {
                lastEpochLoss = epochLossSum / epochSamples;
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("type", "epoch");
                line.put("epoch", epoch);
                line.put("step", done);
                line.put("loss", lastEpochLoss);
                line.put("lr", trainer.learningRate(s));
                line.put("samples_per_s", epochSeconds > 0 ? epochSamplesHere / epochSeconds : 0.0);
                if (evaluator != null) {
                    line.put("eval", evaluator.apply(model));
                }
                listener.metrics(line);
                epochLossSum = 0;
                epochSamples = 0;
                epochSeconds = 0;
                epochSamplesHere = 0;
            }
            stopped = stopRequested && done < totalSteps;
            if (checkpointFile != null
                    && ((checkpointEvery > 0 && done % checkpointEvery == 0) || done == totalSteps || stopped)) {
                Checkpoint.of(trainer, losses, epochLossSum, epochSamples, checkpointMetadata).write(checkpointFile);
                lastCheckpoint = done;
                listener.checkpointed(done, checkpointFile);
            }
            if (stopped) {
                break;
            }
        }
        return new Result(trainer.step(), stopped, lastEpochLoss, seconds, samples,
                Arrays.copyOf(losses, (int) trainer.step()));
    }
}
