package dev.lanes.gradcheck.layers;

import dev.lanes.autoencoder.nn.Params;
import dev.lanes.autoencoder.nn.SoftmaxHead;
import dev.lanes.gradcheck.Differentiable;
import dev.lanes.gradcheck.GradientCheck;
import dev.lanes.gradcheck.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The softmax head's mean cross-entropy against fixed labels, as a function of its input and its
 * parameters (one output: the loss). Not a Layer (it needs labels and reduces over the batch), so it is
 * checked as a plain {@link Differentiable}; its dense layer also runs the contract in
 * {@link BuiltInLayersContractTest}.
 */
class SoftmaxHeadGradientTest {

    private static final int IN = 5;
    private static final int CLASSES = 3;

    /** The loss of {@code head} on {@code batch} rows with the given labels; dy[0] scales the gradients. */
    private record HeadLoss(SoftmaxHead head, Params params, int batch, int[] labels) implements Differentiable {

        @Override
        public int inputSize() {
            return batch * IN;
        }

        @Override
        public int outputSize() {
            return 1;
        }

        @Override
        public List<Tensor> parameters() {
            List<Tensor> views = new ArrayList<>();
            for (dev.lanes.autoencoder.nn.Tensor t : head.dense().parameters()) {
                views.add(new Tensor(t.name(), t.data(), t.offset(), t.size(), t.grad(), t.offset()));
            }
            return views;
        }

        @Override
        public void forward(float[] x, float[] y) {
            float[] logits = new float[batch * CLASSES];
            head.forward(batch, x, logits);
            y[0] = head.lossAndBackward(batch, x, logits, labels, null, null);
        }

        @Override
        public void backward(float[] x, float[] y, float[] dy, float[] dx) {
            float[] logits = new float[batch * CLASSES];
            float[] dLogits = new float[batch * CLASSES];
            float[] g = params.grad();
            float[] before = g.clone();
            head.forward(batch, x, logits);
            // lossAndBackward writes dloss/dlogits and accumulates the unscaled parameter gradients: undo
            // those, then back-propagate dLogits scaled by the probe's dy[0]
            head.lossAndBackward(batch, x, logits, labels, dLogits, null);
            System.arraycopy(before, 0, g, 0, g.length);
            for (int i = 0; i < dLogits.length; i++) {
                dLogits[i] *= dy[0];
            }
            head.dense().backward(batch, x, logits, dLogits, dx);
        }

        @Override
        public String toString() {
            return "SoftmaxHead(" + IN + "->" + CLASSES + ") loss batch=" + batch;
        }
    }

    @Test
    void lossGradientOnInputAndParameters() {
        for (long seed : new long[] {0x50F7_0001L, 0x50F7_0002L, 0x50F7_0003L}) {
            for (int batch : new int[] {1, 3, 8}) {
                Params p = new Params();
                SoftmaxHead head = new SoftmaxHead(p, "head", IN, CLASSES);
                p.allocate();
                head.dense().init(seed);
                SplittableRandom random = new SplittableRandom(seed);
                int[] labels = new int[batch];
                for (int i = 0; i < batch; i++) {
                    labels[i] = random.nextInt(CLASSES);
                }
                GradientCheck.of(new HeadLoss(head, p, batch, labels)).seed(seed ^ batch).run().assertGradients();
            }
        }
    }
}
