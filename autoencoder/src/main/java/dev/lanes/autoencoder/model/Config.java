package dev.lanes.autoencoder.model;

import dev.lanes.autoencoder.nn.Corruption;
import dev.lanes.autoencoder.nn.Init;
import dev.lanes.autoencoder.nn.Loss;
import dev.lanes.core.Activation;

/**
 * The full configuration of a one-hidden-layer autoencoder; {@link Models#builder} fills it from a CLI
 * model name and its defaults.
 *
 * @param model the CLI name
 * @param inputs input (and output) width
 * @param hidden code width (may exceed {@code inputs}: overcomplete)
 * @param hiddenActivation activation of the code (ignored when {@code k > 0})
 * @param k TopK: latents kept per row, 0 for none
 * @param output activation of the reconstruction (IDENTITY or SOFTPLUS with MSE; IDENTITY logits with cross-entropy)
 * @param loss reconstruction loss
 * @param l1 weight of the L1 penalty on the code, {@code (l1/batch) * sum|h|} as PyTorch's
 *     {@code l1 * h.abs().sum(1).mean()}
 * @param rho KL target mean activation, in (0, 1)
 * @param beta weight of the KL penalty, 0 for none
 * @param weightDecay L2 penalty {@code (wd/2) * |W|^2} on the weight matrices (not biases), in the loss
 * @param noise input corruption kind, or null
 * @param noiseAmount masking probability or Gaussian sigma
 * @param tied decoder weight = encoder weight transposed
 * @param init weight initialisation
 * @param preBias subtract the decoder bias from the input before the encoder (TopK SAE)
 * @param unitNormDecoder keep decoder columns at unit norm, parallel gradient removed
 * @param kAux AuxK latents among dead ones, 0 for none
 * @param auxScale weight of the AuxK loss (1/32 in Gao et al.)
 * @param deadSteps a latent not active for this many steps is dead
 * @param seed initialisation and noise seed
 */
public record Config(String model, int inputs, int hidden, Activation hiddenActivation, int k, Activation output,
                     Loss loss, float l1, float rho, float beta, float weightDecay, Corruption.Kind noise,
                     float noiseAmount, boolean tied, Init init, boolean preBias, boolean unitNormDecoder,
                     int kAux, float auxScale, int deadSteps, long seed) {

    public Config {
        if (inputs < 1 || hidden < 1) {
            throw new IllegalArgumentException(model + ": inputs=" + inputs + " and hidden=" + hidden + " must be >= 1");
        }
        if (k < 0 || k > hidden) {
            throw new IllegalArgumentException(model + ": k=" + k + " not in [0, hidden=" + hidden + "]");
        }
        if (kAux < 0 || kAux > hidden) {
            throw new IllegalArgumentException(model + ": kAux=" + kAux + " not in [0, hidden=" + hidden + "]");
        }
        nonNegative(model, "l1", l1);
        nonNegative(model, "beta", beta);
        nonNegative(model, "weightDecay", weightDecay);
        nonNegative(model, "auxScale", auxScale);
        if (beta > 0f && !(rho > 0f && rho < 1f)) {
            throw new IllegalArgumentException(model + ": rho=" + rho + " not in (0, 1)");
        }
        if (beta > 0f && hiddenActivation != Activation.SIGMOID) {
            throw new IllegalArgumentException(model + ": the KL penalty needs sigmoid hidden units (activations in (0, 1))");
        }
        if (loss == Loss.SIGMOID_CROSS_ENTROPY && output != Activation.IDENTITY) {
            throw new IllegalArgumentException(model + ": cross-entropy takes logits; the output activation must be identity");
        }
        if (output != Activation.IDENTITY && output != Activation.SOFTPLUS && output != Activation.SIGMOID) {
            throw new IllegalArgumentException(model + ": output activation " + output + " not supported");
        }
        if (kAux > 0 && (k == 0 || loss != Loss.MSE || output != Activation.IDENTITY)) {
            throw new IllegalArgumentException(model + ": AuxK needs TopK latents and a linear MSE output");
        }
        if (deadSteps < 1) {
            throw new IllegalArgumentException(model + ": deadSteps=" + deadSteps + " < 1");
        }
        if (unitNormDecoder && tied) {
            throw new IllegalArgumentException(model + ": unit-norm decoder columns need an untied decoder");
        }
    }

    private static void nonNegative(String model, String name, float v) {
        if (!(v >= 0f && Float.isFinite(v))) {
            throw new IllegalArgumentException(model + ": " + name + "=" + v + " must be finite and >= 0");
        }
    }
}
