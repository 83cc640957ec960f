package dev.lanes.autoencoder.train;

import dev.lanes.autoencoder.model.Model;
import dev.lanes.autoencoder.nn.Params;
import dev.lanes.core.Blas;

/**
 * Mini-batch training: seeded shuffling per epoch, gradient-norm clipping, a learning-rate schedule, and a
 * guard that stops at the first non-finite loss or gradient, before the optimizer touches the parameters.
 * After the first step at a given batch size, a step allocates nothing.
 */
public final class Trainer implements TrainStep {

    private final Model model;
    private final Optimizer optimizer;
    private final LearningRate lr;
    private final int batch;
    private final long seed;
    private final float clipNorm;
    private final float[] buffer;
    private long step;
    private float lastLoss = Float.NaN;

    /**
     * @param clipNorm the maximum gradient L2 norm, or 0 for no clipping
     */
    public Trainer(Model model, Optimizer optimizer, LearningRate lr, int batch, long seed, float clipNorm) {
        if (batch < 1) {
            throw new IllegalArgumentException("Trainer: batch=" + batch + " < 1");
        }
        if (!(clipNorm >= 0f)) {
            throw new IllegalArgumentException("Trainer: clipNorm=" + clipNorm + " must be >= 0");
        }
        this.model = model;
        this.optimizer = optimizer;
        this.lr = lr;
        this.batch = batch;
        this.seed = seed;
        this.clipNorm = clipNorm;
        this.buffer = new float[batch * model.inputs()];
    }

    @Override
    public long step() {
        return step;
    }

    /** Rows per step. */
    @Override
    public int batch() {
        return batch;
    }

    /** The shuffling seed. */
    @Override
    public long seed() {
        return seed;
    }

    @Override
    public Model model() {
        return model;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** The learning rate of step {@code step}. */
    @Override
    public float learningRate(long step) {
        return lr.at(step);
    }

    @Override
    public long optimizerSteps() {
        return optimizer.steps();
    }

    /**
     * Continues from a checkpoint: the next step is {@code step}, the optimizer's own step count
     * {@code optimizerSteps} (the parameters and moments are restored into {@link Model#params()} by the caller).
     */
    @Override
    public void restore(long step, long optimizerSteps) {
        if (step < 0 || optimizerSteps < 0) {
            throw new IllegalArgumentException("Trainer.restore: step=" + step + " and optimizerSteps="
                    + optimizerSteps + " must be >= 0");
        }
        this.step = step;
        optimizer.setSteps(optimizerSteps);
    }

    public float lastLoss() {
        return lastLoss;
    }

    /**
     * One training step on {@code rows} rows of {@code x} (from index 0): forward, backward, gradient
     * surgery, clipping, the optimizer, constraints. Returns the loss before the step.
     *
     * @throws DivergedException if the loss or the gradient is not finite; the parameters are unchanged
     */
    @Override
    public float trainStep(int rows, float[] x) {
        model.setStep(step);
        float loss = model.forward(rows, x, true);
        if (!Float.isFinite(loss)) {
            model.params().zeroGrad();
            throw new DivergedException(step, "loss=" + loss);
        }
        model.backward();
        model.beforeStep();
        Params p = model.params();
        float scale = 1f;
        float sumSq = Blas.sumOfSquares(p.size(), p.grad(), 0);
        if (!Float.isFinite(sumSq)) {
            p.zeroGrad();
            throw new DivergedException(step, "gradient norm^2=" + sumSq);
        }
        if (clipNorm > 0f) {
            float norm = (float) Math.sqrt(sumSq);
            if (norm > clipNorm) {
                scale = clipNorm / norm;
            }
        }
        optimizer.step(p, lr.at(step), scale);
        model.afterStep();
        step++;
        lastLoss = loss;
        return loss;
    }

    /**
     * Trains for {@code steps} more steps over {@code rows} rows of {@code data} ({@code rows x inputs}) in
     * the batches of {@link Batches} (a pure function of the step, so two calls of {@code s} steps train
     * exactly as one of {@code 2s}). Before the first step it lets the model initialise from the data
     * ({@link Model#prepare}). Returns the mean loss of the last {@code min(steps, 50)} steps.
     */
    public float fit(float[] data, int rows, long steps) {
        int n = model.inputs();
        if (rows < 1 || (long) rows * n > data.length) {
            throw new IllegalArgumentException("Trainer.fit: rows=" + rows + " x " + n + " exceeds data length "
                    + data.length);
        }
        if (step == 0) {
            model.prepare(data, rows); // data-dependent init only before the first step, never on a resumed run
        }
        Batches batches = new Batches(rows, batch, seed);
        double tail = 0;
        long tailCount = 0;
        for (long s = 0; s < steps; s++) {
            int b = batches.fill(step, data, n, buffer);
            float loss = trainStep(b, buffer);
            if (steps - s <= 50) {
                tail += loss;
                tailCount++;
            }
        }
        return tailCount == 0 ? Float.NaN : (float) (tail / tailCount);
    }
}
