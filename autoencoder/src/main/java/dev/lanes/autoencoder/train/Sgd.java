package dev.lanes.autoencoder.train;

import dev.lanes.autoencoder.nn.Params;
import dev.lanes.core.Optimizers;

/** SGD with optional (Nesterov) momentum and L2 weight decay, as {@code torch.optim.SGD} (dampening 0). */
public final class Sgd implements Optimizer {

    private final float momentum;
    private final boolean nesterov;
    private final float weightDecay;
    private long t;

    public Sgd(float momentum, boolean nesterov, float weightDecay) {
        this.momentum = momentum;
        this.nesterov = nesterov;
        this.weightDecay = weightDecay;
    }

    @Override
    public void step(Params p, float lr, float gradScale) {
        t++;
        Optimizers.sgdStep(p.size(), lr, momentum, nesterov, weightDecay, gradScale, true,
                p.data(), 0, p.grad(), 0, p.m(), 0);
    }

    @Override
    public long steps() {
        return t;
    }

    @Override
    public void setSteps(long steps) {
        t = steps;
    }
}
