package dev.lanes.gradcheck.example;

import dev.lanes.autoencoder.nn.Layer;
import dev.lanes.autoencoder.nn.ParamSpec;
import dev.lanes.autoencoder.nn.Params;
import dev.lanes.autoencoder.nn.Tensor;
import dev.lanes.core.Fill;
import dev.lanes.gradcheck.LayerGradientContract;
import java.util.List;

/** The README's example: a user-defined layer gets gradient, row-independence and determinism tests. */
class MyScaleLayerTest implements LayerGradientContract {

    /** y = a * x + b per feature. */
    static final class MyScaleLayer implements Layer {
        private final int n;
        private final Tensor a;
        private final Tensor b;

        MyScaleLayer(Params params, int features) {
            n = features;
            a = params.add(new ParamSpec("scale.a", features));
            b = params.add(new ParamSpec("scale.b", features));
        }

        @Override public int inputs() { return n; }
        @Override public int outputs() { return n; }
        @Override public List<Tensor> parameters() { return List.of(a, b); }

        @Override
        public void init(long seed) {
            Fill.uniform(seed, 0.5f, 1.5f, a.data(), a.offset(), n);
            Fill.uniform(seed + 1, -0.5f, 0.5f, b.data(), b.offset(), n);
        }

        @Override
        public void forward(int batch, float[] in, float[] out, boolean training) {
            float[] p = a.data();
            for (int r = 0; r < batch; r++) {
                for (int j = 0; j < n; j++) {
                    out[r * n + j] = p[a.offset() + j] * in[r * n + j] + p[b.offset() + j];
                }
            }
        }

        @Override
        public void backward(int batch, float[] in, float[] out, float[] dOut, float[] dIn) {
            float[] p = a.data();
            float[] g = a.grad();
            for (int r = 0; r < batch; r++) {
                for (int j = 0; j < n; j++) {
                    float d = dOut[r * n + j];
                    g[a.offset() + j] += d * in[r * n + j];  // dL/da: accumulate
                    g[b.offset() + j] += d;                  // dL/db: accumulate
                    if (dIn != null) {
                        dIn[r * n + j] = d * p[a.offset() + j]; // dL/dx: overwrite
                    }
                }
            }
        }
    }

    @Override
    public Layer layer(long seed) {
        Params params = new Params();
        MyScaleLayer layer = new MyScaleLayer(params, 5);
        params.allocate();
        layer.init(seed);
        return layer;
    }

    @Override
    public int inputFeatures() {
        return 5;
    }
}
