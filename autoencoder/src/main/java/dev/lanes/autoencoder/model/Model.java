package dev.lanes.autoencoder.model;

import dev.lanes.autoencoder.nn.Params;

/**
 * A trainable model on row-major batches of {@link #inputs()} features. A training step is
 * {@code setStep(t); forward(b, x, true); backward(); beforeStep(); <optimizer>; afterStep()}; the
 * activations of the last {@link #forward} are kept for {@link #backward}. Batches may change size
 * between calls; buffers grow on demand and are reused, so a fixed batch size allocates nothing.
 */
public interface Model {

    /** The CLI name, e.g. {@code "topk"}. */
    String name();

    Params params();

    int inputs();

    /** Width of the code {@link #encode} writes. */
    int codes();

    /** Runs the model on {@code x (batch, inputs)} and returns the loss, penalties included. */
    float forward(int batch, float[] x, boolean training);

    /** Accumulates the gradient of the last {@link #forward}'s loss into {@code params().grad()}. */
    void backward();

    /** Data-dependent initialisation before training (e.g. the decoder bias at the data mean). */
    default void prepare(float[] data, int rows) {
    }

    /** Gradient surgery before the optimizer step (e.g. unit-norm decoder columns). */
    default void beforeStep() {
    }

    /** Constraints and bookkeeping after the optimizer step (renormalisation, dead latents). */
    default void afterStep() {
    }

    /**
     * Training state outside {@link #params()} that later steps depend on (e.g. how many steps ago each
     * latent last fired), for checkpoints; empty when there is none.
     */
    default int[] trainingState() {
        return new int[0];
    }

    /** Restores what {@link #trainingState()} returned (resume). */
    default void restoreTrainingState(int[] state) {
        if (state.length != 0) {
            throw new IllegalArgumentException(name() + ": has no training state, got " + state.length + " values");
        }
    }

    /** Selects the noise of training step {@code step} (replayable). */
    default void setStep(long step) {
    }

    /** Writes the codes {@code (batch, codes())} of {@code x}, inference mode. */
    void encode(int batch, float[] x, float[] codes);

    /** Writes the reconstruction {@code (batch, inputs())} of {@code x}, inference mode. */
    void reconstruct(int batch, float[] x, float[] out);

    /** A hash of the discrete choices of the last forward (ReLU signs, top-k sets): see Layer. */
    long stateFingerprint();
}
