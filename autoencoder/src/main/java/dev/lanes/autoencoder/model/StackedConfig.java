package dev.lanes.autoencoder.model;

import dev.lanes.autoencoder.nn.Init;
import dev.lanes.autoencoder.nn.Loss;
import dev.lanes.core.Activation;
import java.util.Arrays;
import java.util.Objects;

/**
 * The full configuration of a {@link Stacked} model (Glorot, Bordes and Bengio 2011: deep sparse
 * rectifier networks, each layer pretrained as a denoising autoencoder).
 *
 * @param inputs input width
 * @param hidden the widths of the hidden layers, bottom first (e.g. 1000, 1000, 1000)
 * @param activation the hidden units' activation (RELU: rectifier units)
 * @param inputReconstruction how the first layer reconstructs the input (pretraining, and the last
 *     decoder of the whole stack)
 * @param codeReconstruction how a higher layer reconstructs the code below it (pretraining, and the
 *     inner decoders of the whole stack)
 * @param masking masking-noise probability of the pretraining inputs, in [0, 1)
 * @param classes classes of the softmax head, or 0 for none
 * @param init weight initialisation of every dense layer (the head is Xavier)
 * @param seed initialisation and noise seed
 */
public record StackedConfig(int inputs, int[] hidden, Activation activation, Reconstruction inputReconstruction,
                            Reconstruction codeReconstruction, float masking, int classes, Init init, long seed) {

    /**
     * The reconstruction variants of the paper's denoising pretraining: the decoder's output
     * function and loss against the (clean) input of the layer.
     */
    public enum Reconstruction {
        /** Linear output, squared error. */
        LINEAR(Activation.IDENTITY, Loss.MSE),
        /** Softplus output, squared error. */
        SOFTPLUS(Activation.SOFTPLUS, Loss.MSE),
        /** Sigmoid output with cross-entropy, computed from the logits; targets must lie in [0, 1]. */
        SIGMOID_CROSS_ENTROPY(Activation.IDENTITY, Loss.SIGMOID_CROSS_ENTROPY),
        /** Rectifier output, squared error. */
        RECTIFIER(Activation.RELU, Loss.MSE);

        private final Activation output;
        private final Loss loss;

        Reconstruction(Activation output, Loss loss) {
            this.output = output;
            this.loss = loss;
        }

        /** The function applied to the decoder's affine output inside the loss (IDENTITY for logits). */
        public Activation output() {
            return output;
        }

        public Loss loss() {
            return loss;
        }
    }

    public StackedConfig {
        if (inputs < 1) {
            throw new IllegalArgumentException("stacked: inputs=" + inputs + " must be >= 1");
        }
        Objects.requireNonNull(hidden, "stacked: hidden is null");
        if (hidden.length == 0) {
            throw new IllegalArgumentException("stacked: the hidden layer list is empty (give at least one width, e.g. 1000,1000,1000)");
        }
        for (int i = 0; i < hidden.length; i++) {
            if (hidden[i] < 1) {
                throw new IllegalArgumentException("stacked: hidden layer " + i + " has width " + hidden[i]
                        + " in " + Arrays.toString(hidden) + "; every width must be >= 1");
            }
        }
        hidden = hidden.clone();
        Objects.requireNonNull(activation, "stacked: activation is null");
        Objects.requireNonNull(inputReconstruction, "stacked: inputReconstruction is null");
        Objects.requireNonNull(codeReconstruction, "stacked: codeReconstruction is null");
        Objects.requireNonNull(init, "stacked: init is null");
        if (!(masking >= 0f && masking < 1f)) {
            throw new IllegalArgumentException("stacked: masking=" + masking + " not in [0, 1)");
        }
        if (classes < 0 || classes == 1) {
            throw new IllegalArgumentException("stacked: classes=" + classes + " must be 0 (no head) or >= 2");
        }
        if (hidden.length > 1 && codeReconstruction == Reconstruction.SIGMOID_CROSS_ENTROPY
                && activation != Activation.SIGMOID) {
            throw new IllegalArgumentException("stacked: cross-entropy reconstruction of the codes needs codes in [0, 1]"
                    + " (sigmoid units), not " + activation + "; use LINEAR, SOFTPLUS or RECTIFIER");
        }
    }

    @Override
    public int[] hidden() {
        return hidden.clone();
    }

    /** Number of hidden layers. */
    public int depth() {
        return hidden.length;
    }

    /** Width of layer {@code i}'s input: {@code inputs} for 0, else hidden layer {@code i-1}. */
    public int width(int i) {
        return i == 0 ? inputs : hidden[i - 1];
    }

    /** The reconstruction variant of layer {@code i}. */
    public Reconstruction reconstruction(int i) {
        return i == 0 ? inputReconstruction : codeReconstruction;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StackedConfig c && inputs == c.inputs && Arrays.equals(hidden, c.hidden)
                && activation == c.activation && inputReconstruction == c.inputReconstruction
                && codeReconstruction == c.codeReconstruction && Float.compare(masking, c.masking) == 0
                && classes == c.classes && init == c.init && seed == c.seed;
    }

    @Override
    public int hashCode() {
        return Objects.hash(inputs, Arrays.hashCode(hidden), activation, inputReconstruction, codeReconstruction,
                masking, classes, init, seed);
    }

    @Override
    public String toString() {
        return "StackedConfig[inputs=" + inputs + ", hidden=" + Arrays.toString(hidden) + ", activation=" + activation
                + ", inputReconstruction=" + inputReconstruction + ", codeReconstruction=" + codeReconstruction
                + ", masking=" + masking + ", classes=" + classes + ", init=" + init + ", seed=" + seed + "]";
    }

    /** A builder with the paper's setting: rectifier units, linear reconstructions, 25 % masking, He init. */
    public static Builder builder(int inputs, int... hidden) {
        return new Builder(inputs, hidden);
    }

    /** A fluent builder; every setter overrides a default. */
    public static final class Builder {
        private final int inputs;
        private final int[] hidden;
        private Activation activation = Activation.RELU;
        private Reconstruction inputReconstruction = Reconstruction.LINEAR;
        private Reconstruction codeReconstruction = Reconstruction.LINEAR;
        private float masking = 0.25f;
        private int classes;
        private Init init = Init.HE;
        private long seed = 1;

        private Builder(int inputs, int[] hidden) {
            this.inputs = inputs;
            this.hidden = hidden == null ? null : hidden.clone();
        }

        public Builder activation(Activation v) { activation = v; return this; }
        public Builder inputReconstruction(Reconstruction v) { inputReconstruction = v; return this; }
        public Builder codeReconstruction(Reconstruction v) { codeReconstruction = v; return this; }
        /** Both reconstruction variants. */
        public Builder reconstruction(Reconstruction v) { inputReconstruction = v; codeReconstruction = v; return this; }
        public Builder masking(float v) { masking = v; return this; }
        public Builder classes(int v) { classes = v; return this; }
        public Builder init(Init v) { init = v; return this; }
        public Builder seed(long v) { seed = v; return this; }

        public StackedConfig config() {
            return new StackedConfig(inputs, hidden, activation, inputReconstruction, codeReconstruction, masking,
                    classes, init, seed);
        }

        public Stacked build() {
            return new Stacked(config());
        }
    }
}
