package dev.lanes.autoencoder.nn;

/** Weight initialisations for a dense layer with {@code fanIn} inputs and {@code fanOut} outputs. */
public enum Init {
    /** Gaussian, std sqrt(2 / fanIn): for ReLU units (He et al. 2015). */
    HE,
    /** Uniform in +-sqrt(6 / (fanIn + fanOut)) (Glorot and Bengio 2010). */
    XAVIER,
    /** Uniform in +-1/sqrt(fanIn), weights and biases: PyTorch's nn.Linear default. */
    PYTORCH
}
