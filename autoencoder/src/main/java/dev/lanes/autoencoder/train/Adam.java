package dev.lanes.autoencoder.train;

import dev.lanes.autoencoder.nn.Params;
import dev.lanes.core.Optimizers;

/**
 * Adam with bias correction, as {@code torch.optim.Adam}; with {@code decoupled} the weight decay is
 * AdamW's. The moments are {@link Params#m()} and {@link Params#v()}; the step is one fused pass
 * ({@link Optimizers#adamStep}) that also clears the gradient.
 */
public final class Adam implements Optimizer {

    private final float beta1;
    private final float beta2;
    private final float eps;
    private final float weightDecay;
    private final boolean decoupled;
    private long t;

    public Adam(float beta1, float beta2, float eps, float weightDecay, boolean decoupled) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
    }

    /** PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, no weight decay. */
    public static Adam defaults() {
        return new Adam(0.9f, 0.999f, 1e-8f, 0f, false);
    }

    /** AdamW with PyTorch's default weight decay 0.01. */
    public static Adam adamW(float weightDecay) {
        return new Adam(0.9f, 0.999f, 1e-8f, weightDecay, true);
    }

    @Override
    public void step(Params p, float lr, float gradScale) {
        t++;
        float bc1 = (float) (1 - Math.pow(beta1, t));
        float bc2 = (float) (1 - Math.pow(beta2, t));
        Optimizers.adamStep(p.size(), lr, beta1, beta2, eps, weightDecay, decoupled, bc1, bc2, gradScale, true,
                p.data(), 0, p.grad(), 0, p.m(), 0, p.v(), 0);
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
