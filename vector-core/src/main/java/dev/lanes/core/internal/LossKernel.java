package dev.lanes.core.internal;

/**
 * Loss functions and their gradients, behind {@code dev.lanes.core.Losses}.
 *
 * <p>Arguments are validated by the facade; implementations only {@code assert} them. Shapes are
 * row-major: a matrix operand is {@code (array, offset, ld)}. {@code grad} may be {@code null}
 * (value only) and may be the very region of the first operand (in place). Every method is
 * single-threaded, hence trivially independent of the thread count.
 */
public interface LossKernel {

    /**
     * Mean squared error {@code (1/n) * sum (yhat_i - y_i)^2}; {@code n > 0}. If {@code grad} is not
     * null, writes {@code grad_i = 2 * (yhat_i - y_i) / n}.
     */
    float mse(int n, float[] yhat, int yhatOff, float[] y, int yOff, float[] grad, int gOff);

    /** Row-wise softmax, stabilised by the row maximum; {@code y} may be {@code x} (same offset and ld). */
    void softmax(int rows, int cols, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy);

    /**
     * Mean over {@code rows > 0} of {@code logsumexp(row) - row[label]}; labels already checked to lie
     * in {@code [0, cols)}. If {@code grad} is not null, writes {@code (softmax(row) - onehot) / rows}.
     */
    float softmaxCrossEntropy(int rows, int cols, float[] logits, int lOff, int ldl, int[] labels, int labOff,
                              float[] grad, int gOff, int ldg);

    /**
     * Mean over {@code n > 0} of the binary cross-entropy from logits,
     * {@code max(z,0) - z*t + log1p(exp(-|z|))}; targets already checked to lie in {@code [0, 1]}. If
     * {@code grad} is not null, writes {@code (sigmoid(z) - t) / n}.
     */
    float sigmoidCrossEntropy(int n, float[] logits, int lOff, float[] targets, int tOff, float[] grad, int gOff);

    /** The first {@code i < n} whose {@code a[off + i]} is not in {@code [0, 1]} (NaN included), or -1. */
    int firstOutsideUnitInterval(int n, float[] a, int off);
}
