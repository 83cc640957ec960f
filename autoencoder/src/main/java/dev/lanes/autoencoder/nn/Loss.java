package dev.lanes.autoencoder.nn;

import dev.lanes.core.Losses;

/**
 * Reconstruction losses on {@code batch x features} outputs, means over all elements as PyTorch's
 * {@code reduction='mean'}. {@link #value} returns the loss and writes {@code dOut = dL/dout}.
 */
public enum Loss {

    /** Mean squared error of the outputs. */
    MSE {
        @Override
        public float value(int n, float[] out, float[] target, float[] dOut) {
            return Losses.mse(n, out, 0, target, 0, dOut, 0);
        }
    },

    /** Sigmoid output with binary cross-entropy, from the logits {@code out}; targets in [0, 1]. */
    SIGMOID_CROSS_ENTROPY {
        @Override
        public float value(int n, float[] out, float[] target, float[] dOut) {
            return Losses.sigmoidCrossEntropy(n, out, 0, target, 0, dOut, 0);
        }
    };

    /** The loss over {@code n} elements from index 0; {@code dOut} may be null for the value alone. */
    public abstract float value(int n, float[] out, float[] target, float[] dOut);
}
