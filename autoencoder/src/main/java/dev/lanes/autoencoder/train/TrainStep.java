package dev.lanes.autoencoder.train;

import dev.lanes.autoencoder.model.Model;

/**
 * What {@link TrainingRun} and {@link Checkpoint} need of a trainer: one step on a batch, the step counts,
 * and their restoration from a checkpoint. The parameters and optimizer moments a checkpoint saves are those
 * of {@link Model#params()} (data, m, v), read after the model brought them up to date, plus
 * {@link Model#trainingState()}. Implemented by the dense {@link Trainer} and by the sparse TopK trainer
 * ({@code dev.lanes.autoencoder.sparse.SparseTrainer}).
 */
public interface TrainStep {

    /** The model trained. */
    Model model();

    /** Rows per step. */
    int batch();

    /** The shuffling seed of the batches. */
    long seed();

    /** Steps done, i.e. the index of the next step. */
    long step();

    /** The learning rate of step {@code step}. */
    float learningRate(long step);

    /**
     * One training step on {@code rows} rows of {@code x} (from index 0). Returns the loss before the step.
     *
     * @throws DivergedException if the loss or the gradient is not finite; the parameters are unchanged
     */
    float trainStep(int rows, float[] x);

    /** The optimizer's step count (Adam's bias correction). */
    long optimizerSteps();

    /**
     * Continues from a checkpoint: the next step is {@code step}, the optimizer's step count
     * {@code optimizerSteps}; the parameters, moments and training state were already put into the model.
     */
    void restore(long step, long optimizerSteps);
}
