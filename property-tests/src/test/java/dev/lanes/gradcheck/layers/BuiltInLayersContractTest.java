package dev.lanes.gradcheck.layers;

import dev.lanes.autoencoder.nn.ActivationLayer;
import dev.lanes.autoencoder.nn.Corruption;
import dev.lanes.autoencoder.nn.Dense;
import dev.lanes.autoencoder.nn.Init;
import dev.lanes.autoencoder.nn.Layer;
import dev.lanes.autoencoder.nn.Params;
import dev.lanes.autoencoder.nn.SoftmaxHead;
import dev.lanes.autoencoder.nn.TopKLayer;
import dev.lanes.core.Activation;
import dev.lanes.core.Fill;
import dev.lanes.gradcheck.LayerAdapter;
import dev.lanes.gradcheck.LayerGradientContract;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Nested;

/** Every built-in layer of the autoencoder module through {@link LayerGradientContract}. */
class BuiltInLayersContractTest {

    /** Moves a bias off zero (He and Xavier start it at 0) so its gradient is checked at a generic point. */
    static void randomBias(Dense d, long seed) {
        Fill.uniform(seed ^ 0xB1A5L, -0.5f, 0.5f, d.bias().data(), d.bias().offset(), d.bias().size());
    }

    abstract static class DenseContract implements LayerGradientContract {
        abstract Init init();

        @Override
        public Layer layer(long seed) {
            Params p = new Params();
            Dense d = new Dense(p, "fc", 7, 4, init());
            p.allocate();
            d.init(seed);
            randomBias(d, seed);
            return d;
        }

        @Override
        public int inputFeatures() {
            return 7;
        }
    }

    @Nested
    class DenseHe extends DenseContract {
        @Override
        Init init() {
            return Init.HE;
        }
    }

    @Nested
    class DenseXavier extends DenseContract {
        @Override
        Init init() {
            return Init.XAVIER;
        }
    }

    @Nested
    class DensePytorch extends DenseContract {
        @Override
        Init init() {
            return Init.PYTORCH;
        }
    }

    /** A tied decoder: the adapter checks the encoder weight it accumulates into as well as its own bias. */
    @Nested
    class DenseTied implements LayerGradientContract {
        @Override
        public Layer layer(long seed) {
            Params p = new Params();
            Dense enc = new Dense(p, "encoder", 6, 3, Init.XAVIER);
            Dense dec = Dense.tied(p, "decoder", enc);
            p.allocate();
            enc.init(seed);
            dec.init(seed + 1);
            randomBias(enc, seed);
            randomBias(dec, seed + 1);
            return dec;
        }

        @Override
        public int inputFeatures() {
            return 3;
        }
    }

    abstract static class ActivationContract implements LayerGradientContract {
        abstract Activation function();

        @Override
        public Layer layer(long seed) {
            return new ActivationLayer(function(), 9);
        }

        @Override
        public int inputFeatures() {
            return 9;
        }

        /** Wide enough for every regime (saturation, both TReLU kinks: [-0.5, 1.5] for TReLU). */
        @Override
        public float[] input(long seed, int batch) {
            boolean trelu = function() == Activation.TRELU;
            double lo = trelu ? -0.5 : -3;
            double hi = trelu ? 1.5 : 3;
            SplittableRandom random = new SplittableRandom(seed * 31 + batch);
            float[] x = new float[batch * 9];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) random.nextDouble(lo, hi);
            }
            return x;
        }
    }

    @Nested
    class Identity extends ActivationContract {
        @Override
        Activation function() {
            return Activation.IDENTITY;
        }
    }

    @Nested
    class Relu extends ActivationContract {
        @Override
        Activation function() {
            return Activation.RELU;
        }
    }

    @Nested
    class Softplus extends ActivationContract {
        @Override
        Activation function() {
            return Activation.SOFTPLUS;
        }
    }

    @Nested
    class Sigmoid extends ActivationContract {
        @Override
        Activation function() {
            return Activation.SIGMOID;
        }
    }

    @Nested
    class Tanh extends ActivationContract {
        @Override
        Activation function() {
            return Activation.TANH;
        }
    }

    @Nested
    class Trelu extends ActivationContract {
        @Override
        Activation function() {
            return Activation.TRELU;
        }
    }

    abstract static class TopKContract implements LayerGradientContract {
        abstract int k();

        @Override
        public Layer layer(long seed) {
            return new TopKLayer(10, k());
        }

        @Override
        public int inputFeatures() {
            return 10;
        }
    }

    @Nested
    class TopK1 extends TopKContract {
        @Override
        int k() {
            return 1;
        }
    }

    @Nested
    class TopK3 extends TopKContract {
        @Override
        int k() {
            return 3;
        }
    }

    /** k = features: every latent kept, a plain ReLU. */
    @Nested
    class TopKAll extends TopKContract {
        @Override
        int k() {
            return 10;
        }
    }

    /** Inference mode: the identity. */
    @Nested
    class CorruptionEval implements LayerGradientContract {
        @Override
        public Layer layer(long seed) {
            return Corruption.masking(0.3f, 8, seed);
        }

        @Override
        public int inputFeatures() {
            return 8;
        }
    }

    /** Training mode at a fixed step: the same noise on every call. */
    abstract static class CorruptionTraining implements LayerGradientContract {
        abstract Corruption corruption(long seed);

        @Override
        public Layer layer(long seed) {
            Corruption c = corruption(seed);
            c.setStep(3);
            return c;
        }

        @Override
        public int inputFeatures() {
            return 8;
        }

        @Override
        public LayerAdapter adapter(Layer layer, int batch) {
            return LayerAdapter.of(layer, batch).training(true);
        }
    }

    @Nested
    class Masking extends CorruptionTraining {
        @Override
        Corruption corruption(long seed) {
            return Corruption.masking(0.3f, 8, seed);
        }
    }

    @Nested
    class Dropout extends CorruptionTraining {
        @Override
        Corruption corruption(long seed) {
            return Corruption.dropout(0.5f, 8, seed);
        }
    }

    @Nested
    class GaussianNoise extends CorruptionTraining {
        @Override
        Corruption corruption(long seed) {
            return Corruption.gaussian(0.2f, 8, seed);
        }
    }

    /** The softmax head's dense layer (its loss, which needs labels, is checked in SoftmaxHeadGradientTest). */
    @Nested
    class SoftmaxHeadDense implements LayerGradientContract {
        @Override
        public Layer layer(long seed) {
            Params p = new Params();
            SoftmaxHead head = new SoftmaxHead(p, "head", 5, 3);
            p.allocate();
            head.dense().init(seed);
            randomBias(head.dense(), seed);
            return head.dense();
        }

        @Override
        public int inputFeatures() {
            return 5;
        }
    }
}
