package dev.lanes.autoencoder.sparse;

import dev.lanes.autoencoder.model.Model;
import dev.lanes.autoencoder.train.DivergedException;
import dev.lanes.autoencoder.train.TrainStep;

/**
 * Trains a {@link SparseTopK} with its own fused step ({@link SparseTopK#trainStep}: sparse forward and
 * backward, exact row-wise Adam at a constant rate) inside a {@link dev.lanes.autoencoder.train.TrainingRun}:
 * the same batches, metrics, checkpoints and exact resume as the dense {@code Trainer}. No gradient
 * clipping, schedule or other optimizer: the step forms no dense gradient to clip or hand over.
 */
public final class SparseTrainer implements TrainStep {

    private final SparseTopK model;
    private final int batch;
    private final long seed;
    private long step;

    /**
     * @param batch rows per step
     * @param seed the shuffling seed of the batches
     */
    public SparseTrainer(SparseTopK model, int batch, long seed) {
        if (batch < 1) {
            throw new IllegalArgumentException("SparseTrainer: batch=" + batch + " < 1");
        }
        this.model = model;
        this.batch = batch;
        this.seed = seed;
    }

    @Override
    public Model model() {
        return model;
    }

    @Override
    public int batch() {
        return batch;
    }

    @Override
    public long seed() {
        return seed;
    }

    @Override
    public long step() {
        return step;
    }

    /** The model's constant rate. */
    @Override
    public float learningRate(long step) {
        return model.learningRate();
    }

    /**
     * @throws DivergedException if the loss or a bias gradient is not finite; the parameters are unchanged
     */
    @Override
    public float trainStep(int rows, float[] x) {
        float loss = model.trainStep(rows, x, step);
        step++;
        return loss;
    }

    @Override
    public long optimizerSteps() {
        return model.steps();
    }

    @Override
    public void restore(long step, long optimizerSteps) {
        if (step < 0 || optimizerSteps < 0 || optimizerSteps > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("SparseTrainer.restore: step=" + step + " and optimizerSteps="
                    + optimizerSteps + " must be >= 0 (optimizerSteps < 2^31)");
        }
        this.step = step;
        model.restoreSteps((int) optimizerSteps);
    }
}
