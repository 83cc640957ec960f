package dev.lanes.jmh.latency;

import dev.lanes.core.Activation;
import dev.lanes.core.Blas;
import dev.lanes.core.Gemm;
import dev.lanes.core.TopK;
import java.util.SplittableRandom;

/**
 * The operations the latency harness times, built from vector-core's public kernels on a
 * 784-4096-784 autoencoder's shapes. Weights are Gaussian with a fixed seed; the values do not
 * matter for the timing, only the shapes and the kernels called.
 *
 * <p>Both are stand-ins: when the autoencoder module has its encoder and training step, they replace
 * {@link #encode} and {@link #trainingStep} here, so that the harness times the real thing.
 */
final class Operations {

    static final int IN = 784;
    static final int HIDDEN = 4096;
    static final int BATCH = 256;
    static final int TOPK = 32;

    private Operations() {
    }

    /** Allocates the data of an operation once; {@link #run()} must not allocate. */
    interface Op {
        String name();

        /** What one call does, for the summary. */
        String description();

        void run();
    }

    static Op byName(String name, String activation) {
        return switch (name) {
            case "encode" -> encode(activation);
            case "train" -> trainingStep();
            default -> throw new IllegalArgumentException("latency: unknown operation '" + name
                    + "' (expected encode or train)");
        };
    }

    /**
     * Single-sample encode: {@code h[1x4096] = x[1x784] . W^T + b}, then top-k ({@code k=32},
     * in place) or ReLU. W is {@code 4096 x 784} row-major, as an encoder's weight.
     */
    static Op encode(String activation) {
        boolean topk = switch (activation) {
            case "topk" -> true;
            case "relu" -> false;
            default -> throw new IllegalArgumentException("latency: unknown activation '" + activation
                    + "' (expected topk or relu)");
        };
        SplittableRandom rnd = new SplittableRandom(0x5EED);
        float[] x = gaussian(rnd, IN, 1f);
        float[] w = gaussian(rnd, HIDDEN * IN, (float) (1 / Math.sqrt(IN)));
        float[] b = gaussian(rnd, HIDDEN, 0.01f);
        float[] h = new float[HIDDEN];
        return new Op() {
            @Override
            public String name() {
                return "encode-" + activation;
            }

            @Override
            public String description() {
                return "1 x 784 -> sgemm(N,T, 1,4096,784) + bias -> " + (topk ? "TopK.selectSparse k=32" : "ReLU");
            }

            @Override
            public void run() {
                Gemm.sgemm(false, true, 1, HIDDEN, IN, 1f, x, 0, IN, w, 0, IN, 0f, h, 0, HIDDEN);
                Blas.addRowVector(1, HIDDEN, b, 0, h, 0, HIDDEN);
                if (topk) {
                    TopK.selectSparse(h, 0, 1, HIDDEN, HIDDEN, TOPK, h, 0, HIDDEN);
                } else {
                    Activation.RELU.forward(h, 0, h, 0, HIDDEN);
                }
            }
        };
    }

    /**
     * The five GEMMs of one batch-256 training step of a 784-4096-784 autoencoder (no activation,
     * loss or optimizer yet):
     * <pre>
     * forward enc   H[256x4096]   = X[256x784]  . We^T    We: 4096 x 784
     * forward dec   Y[256x784]    = H           . Wd^T    Wd: 784 x 4096
     * backward      dWd[784x4096] = dY^T . H              dY: 256 x 784
     * backward      dH[256x4096]  = dY . Wd
     * backward      dWe[4096x784] = dH^T . X
     * </pre>
     * 5 x 2 x 256 x 4096 x 784 = 8.2 GFLOP per call.
     */
    static Op trainingStep() {
        SplittableRandom rnd = new SplittableRandom(0x7EA1);
        float[] x = gaussian(rnd, BATCH * IN, 1f);
        float[] we = gaussian(rnd, HIDDEN * IN, (float) (1 / Math.sqrt(IN)));
        float[] wd = gaussian(rnd, IN * HIDDEN, (float) (1 / Math.sqrt(HIDDEN)));
        float[] h = new float[BATCH * HIDDEN];
        float[] y = new float[BATCH * IN];
        float[] dy = gaussian(rnd, BATCH * IN, 0.01f);
        float[] dh = new float[BATCH * HIDDEN];
        float[] dwd = new float[IN * HIDDEN];
        float[] dwe = new float[HIDDEN * IN];
        return new Op() {
            @Override
            public String name() {
                return "train";
            }

            @Override
            public String description() {
                return "5 GEMMs of a batch-256 784-4096-784 training step (stand-in for the real step), 8.2 GFLOP";
            }

            @Override
            public void run() {
                Gemm.sgemm(false, true, BATCH, HIDDEN, IN, 1f, x, 0, IN, we, 0, IN, 0f, h, 0, HIDDEN);
                Gemm.sgemm(false, true, BATCH, IN, HIDDEN, 1f, h, 0, HIDDEN, wd, 0, HIDDEN, 0f, y, 0, IN);
                Gemm.sgemm(true, false, IN, HIDDEN, BATCH, 1f, dy, 0, IN, h, 0, HIDDEN, 0f, dwd, 0, HIDDEN);
                Gemm.sgemm(false, false, BATCH, HIDDEN, IN, 1f, dy, 0, IN, wd, 0, HIDDEN, 0f, dh, 0, HIDDEN);
                Gemm.sgemm(true, false, HIDDEN, IN, BATCH, 1f, dh, 0, HIDDEN, x, 0, IN, 0f, dwe, 0, IN);
            }
        };
    }

    private static float[] gaussian(SplittableRandom rnd, int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            // Box-Muller, one value per pair: enough for benchmark data.
            double u = 1 - rnd.nextDouble();
            a[i] = (float) (scale * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd.nextDouble()));
        }
        return a;
    }
}
