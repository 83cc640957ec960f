package dev.lanes.autoencoder.nn;

import java.util.List;

/**
 * A layer on row-major batches: {@code in} is {@code batch x inputs()}, {@code out} is
 * {@code batch x outputs()}, both from index 0 (arrays may be longer). The batch size may change from
 * call to call; a layer keeps no per-batch state beyond scratch it grows on demand, so a fixed batch
 * size allocates nothing after the first call.
 */
public interface Layer {

    int inputs();

    int outputs();

    /** Writes {@code out} from {@code in}; {@code training} switches noise layers on. */
    void forward(int batch, float[] in, float[] out, boolean training);

    /**
     * Given the {@code in} and {@code out} of the last forward and {@code dOut = dL/dout}, writes
     * {@code dIn = dL/din} (skipped when {@code dIn} is null) and ADDS the parameter gradients into
     * {@link Params#grad()}. {@code dIn} must not alias {@code in} or {@code dOut} unless a layer says so.
     */
    void backward(int batch, float[] in, float[] out, float[] dOut, float[] dIn);

    /** The layer's own parameter tensors (a tied layer lists only what it owns). */
    default List<Tensor> parameters() {
        return List.of();
    }

    /** Initialises the parameters from a seed. */
    default void init(long seed) {
    }

    /**
     * A hash of the discrete state the last forward chose (ReLU signs, top-k set, TReLU region), recomputed
     * from {@code in} and {@code out}: a finite-difference probe whose fingerprint differs crossed a kink.
     */
    default long stateFingerprint(int batch, float[] in, float[] out) {
        return 0L;
    }
}
