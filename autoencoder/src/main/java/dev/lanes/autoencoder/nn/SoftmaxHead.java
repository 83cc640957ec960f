package dev.lanes.autoencoder.nn;

import dev.lanes.core.Blas;
import dev.lanes.core.Losses;

/**
 * A softmax classifier head: a dense layer to {@code classes} logits and the mean softmax cross-entropy
 * ({@code Losses.softmaxCrossEntropy}, as PyTorch's {@code CrossEntropyLoss}).
 */
public final class SoftmaxHead {

    private final Dense dense;
    private final int classes;

    public SoftmaxHead(Params params, String name, int in, int classes) {
        this.dense = new Dense(params, name, in, classes, Init.XAVIER);
        this.classes = classes;
    }

    public Dense dense() {
        return dense;
    }

    public int classes() {
        return classes;
    }

    /** Writes the logits {@code (batch, classes)}. */
    public void forward(int batch, float[] in, float[] logits) {
        dense.forward(batch, in, logits, false);
    }

    /**
     * The mean cross-entropy of the logits against {@code labels}; when {@code dLogits} is not null writes
     * its gradient, then accumulates the head's parameter gradients and writes {@code dIn} (if not null).
     */
    public float lossAndBackward(int batch, float[] in, float[] logits, int[] labels, float[] dLogits, float[] dIn) {
        float loss = Losses.softmaxCrossEntropy(batch, classes, logits, 0, classes, labels, 0, dLogits, 0, classes);
        if (dLogits != null) {
            dense.backward(batch, in, logits, dLogits, dIn);
        }
        return loss;
    }

    /** The predicted class of each row. */
    public void predict(int batch, float[] logits, int[] out) {
        Blas.rowArgmax(batch, classes, logits, 0, classes, out, 0);
    }
}
