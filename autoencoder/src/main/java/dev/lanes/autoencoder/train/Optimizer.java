package dev.lanes.autoencoder.train;

import dev.lanes.autoencoder.nn.Params;

/** Updates a {@link Params} buffer from its accumulated gradient, then zeroes the gradient (one pass). */
public interface Optimizer {

    /**
     * One step at learning rate {@code lr}, with every gradient element multiplied by {@code gradScale}
     * first (gradient-norm clipping), and the gradient cleared.
     */
    void step(Params params, float lr, float gradScale);

    /** Steps taken so far. */
    long steps();

    /** Restores the step count (resume); the moments live in {@link Params}. */
    void setSteps(long steps);
}
