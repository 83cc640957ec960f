package dev.lanes.autoencoder.nn;

import dev.lanes.core.Activation;

/** An elementwise activation from vector-core; {@code out} may be {@code in} (in place). */
public final class ActivationLayer implements Layer {

    private final Activation f;
    private final int features;

    public ActivationLayer(Activation f, int features) {
        this.f = f;
        this.features = features;
    }

    public Activation function() {
        return f;
    }

    @Override
    public int inputs() {
        return features;
    }

    @Override
    public int outputs() {
        return features;
    }

    // x: (batch, features)  y = f(x): (batch, features)
    @Override
    public void forward(int batch, float[] in, float[] out, boolean training) {
        f.forward(in, 0, out, 0, batch * features);
    }

    // dx = f'(x) * dy, with f' taken from y; dx may alias dy
    @Override
    public void backward(int batch, float[] in, float[] out, float[] dOut, float[] dIn) {
        if (dIn != null) {
            f.backward(in, 0, out, 0, dOut, 0, dIn, 0, batch * features);
        }
    }

    /** ReLU: the sign pattern; TReLU: the region (below, inside, above); smooth functions: none. */
    @Override
    public long stateFingerprint(int batch, float[] in, float[] out) {
        if (f != Activation.RELU && f != Activation.TRELU) {
            return 0L;
        }
        long h = 1469598103934665603L;
        for (int i = 0; i < batch * features; i++) {
            int region = out[i] > 0f ? (out[i] < 1f || f == Activation.RELU ? 1 : 2) : 0;
            h = (h ^ region) * 1099511628211L;
        }
        return h;
    }
}
