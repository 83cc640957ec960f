package dev.lanes.autoencoder.model;

import dev.lanes.autoencoder.nn.Corruption;
import dev.lanes.autoencoder.nn.Init;
import dev.lanes.autoencoder.nn.Loss;
import dev.lanes.core.Activation;
import java.util.List;

/**
 * Model construction by CLI name, with the defaults of each model:
 * <ul>
 * <li>{@code ae}: ReLU code, linear output, MSE ({@code loss(SIGMOID_CROSS_ENTROPY)} for cross-entropy)</li>
 * <li>{@code linear}: no activation; spans the PCA subspace</li>
 * <li>{@code dae}: {@code ae} with masking noise 0.25</li>
 * <li>{@code sparse-l1}: ReLU code, L1 1e-3</li>
 * <li>{@code sparse-kl}: sigmoid code, KL rho 0.05, beta 3</li>
 * <li>{@code topk}: TopK SAE, k 32, pre-bias, unit-norm decoder, AuxK k_aux = min(hidden/2, 256)
 *     scaled 1/32, dead after 1000 steps</li>
 * <li>{@code rank-ordered}: {@link RankOrdered} (its own class: tied weights, TReLU, ranked prefixes)</li>
 * <li>{@code stacked}: {@link Stacked}, built from a {@link StackedConfig} and trained by {@link StackedTraining}</li>
 * </ul>
 */
public final class Models {

    /** The one-hidden-layer {@link Autoencoder} models {@link #builder} makes. */
    public static final List<String> NAMES = List.of("ae", "linear", "dae", "sparse-l1", "sparse-kl", "topk");

    /** Every model name, in the order the documentation lists them: {@link #NAMES}, rank-ordered, stacked. */
    public static final List<String> ALL = List.of("ae", "linear", "dae", "sparse-l1", "sparse-kl", "topk",
            "rank-ordered", "stacked");

    /** The CLI name of {@link Stacked}. */
    public static final String STACKED_NAME = "stacked";

    private Models() {
    }

    /** The rank-ordered autoencoder of Bertens (2016); see {@link RankOrdered}. */
    public static RankOrdered rankOrdered(int inputs, int hidden, int ranks, long seed) {
        return new RankOrdered(inputs, hidden, ranks, seed);
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A fluent builder; every setter overrides the named model's default. */
    public static final class Builder {
        private final String model;
        private int inputs = 784;
        private int hidden = 256;
        private Activation hiddenActivation = Activation.RELU;
        private int k;
        private Activation output = Activation.IDENTITY;
        private Loss loss = Loss.MSE;
        private float l1;
        private float rho = 0.05f;
        private float beta;
        private float weightDecay;
        private Corruption.Kind noise;
        private float noiseAmount;
        private boolean tied;
        private Init init = Init.PYTORCH;
        private boolean preBias;
        private boolean unitNormDecoder;
        private int kAux = -1;
        private float auxScale = 1f / 32;
        private int deadSteps = 1000;
        private long seed = 1;

        private Builder(String model) {
            this.model = model;
            switch (model) {
                case "ae" -> { }
                case "linear" -> hiddenActivation = Activation.IDENTITY;
                case "dae" -> {
                    noise = Corruption.Kind.MASKING;
                    noiseAmount = 0.25f;
                }
                case "sparse-l1" -> l1 = 1e-3f;
                case "sparse-kl" -> {
                    hiddenActivation = Activation.SIGMOID;
                    beta = 3f;
                }
                case "topk" -> {
                    k = 32;
                    preBias = true;
                    unitNormDecoder = true;
                }
                default -> throw new IllegalArgumentException("unknown model '" + model + "'; expected one of " + NAMES);
            }
        }

        public Builder inputs(int v) { inputs = v; return this; }
        public Builder hidden(int v) { hidden = v; return this; }
        public Builder hiddenActivation(Activation v) { hiddenActivation = v; return this; }
        public Builder k(int v) { k = v; return this; }
        public Builder output(Activation v) { output = v; return this; }
        public Builder loss(Loss v) { loss = v; return this; }
        public Builder l1(float v) { l1 = v; return this; }
        public Builder kl(float rhoValue, float betaValue) { rho = rhoValue; beta = betaValue; return this; }
        public Builder weightDecay(float v) { weightDecay = v; return this; }
        public Builder noise(Corruption.Kind kind, float amount) { noise = kind; noiseAmount = amount; return this; }
        public Builder tied(boolean v) { tied = v; return this; }
        public Builder init(Init v) { init = v; return this; }
        public Builder preBias(boolean v) { preBias = v; return this; }
        public Builder unitNormDecoder(boolean v) { unitNormDecoder = v; return this; }
        public Builder auxK(int kAuxValue, float scale) { kAux = kAuxValue; auxScale = scale; return this; }
        public Builder deadSteps(int v) { deadSteps = v; return this; }
        public Builder seed(long v) { seed = v; return this; }

        public Config config() {
            int aux = kAux >= 0 ? kAux : (k > 0 ? Math.min(hidden / 2, 256) : 0);
            return new Config(model, inputs, hidden, hiddenActivation, k, output, loss, l1, rho, beta, weightDecay,
                    noise, noiseAmount, tied, init, preBias, unitNormDecoder, aux, auxScale, deadSteps, seed);
        }

        public Autoencoder build() {
            return new Autoencoder(config());
        }
    }
}
