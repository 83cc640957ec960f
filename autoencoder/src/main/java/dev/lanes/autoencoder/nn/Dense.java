package dev.lanes.autoencoder.nn;

import dev.lanes.core.Blas;
import dev.lanes.core.Fill;
import dev.lanes.core.Gemm;
import java.util.ArrayList;
import java.util.List;

/**
 * A fully connected layer {@code y = x W^T + b}, with {@code W} stored {@code [outputs, inputs]} and
 * {@code b} {@code [outputs]} as PyTorch's {@code nn.Linear} ({@code name.weight}, {@code name.bias}).
 * A tied layer ({@link #tied}) reuses another layer's weight as {@code W = other.W^T} and owns only its
 * bias; its weight gradient accumulates into the other layer's.
 */
public final class Dense implements Layer {

    private final int in;
    private final int out;
    private final Tensor weight;
    private final Tensor bias;
    /** True when {@code weight} is stored {@code [inputs, outputs]}: the transpose of a tied encoder. */
    private final boolean transposed;
    private final Init init;

    private Dense(int in, int out, Tensor weight, Tensor bias, boolean transposed, Init init) {
        this.in = in;
        this.out = out;
        this.weight = weight;
        this.bias = bias;
        this.transposed = transposed;
        this.init = init;
    }

    /** A new layer whose {@code name.weight [out, in]} and {@code name.bias [out]} are added to {@code params}. */
    public Dense(Params params, String name, int in, int out, Init init) {
        this(in, out, params.add(new ParamSpec(name + ".weight", out, in)),
                params.add(new ParamSpec(name + ".bias", out)), false, init);
    }

    /** A layer {@code y = x other.W + b}: the transpose of {@code other}, sharing its weight; adds {@code name.bias}. */
    public static Dense tied(Params params, String name, Dense other) {
        if (other.transposed) {
            throw new IllegalArgumentException("Dense.tied: " + name + " cannot tie to a tied layer");
        }
        return new Dense(other.out, other.in, other.weight, params.add(new ParamSpec(name + ".bias", other.in)),
                true, other.init);
    }

    @Override
    public int inputs() {
        return in;
    }

    @Override
    public int outputs() {
        return out;
    }

    public Tensor weight() {
        return weight;
    }

    public Tensor bias() {
        return bias;
    }

    public boolean isTied() {
        return transposed;
    }

    @Override
    public List<Tensor> parameters() {
        List<Tensor> own = new ArrayList<>(2);
        if (!transposed) {
            own.add(weight);
        }
        own.add(bias);
        return own;
    }

    @Override
    public void init(long seed) {
        float[] p = weight.data();
        int w = weight.offset();
        int b = bias.offset();
        if (!transposed) {
            switch (init) {
                case HE -> Fill.gaussian(seed, 0f, (float) Math.sqrt(2.0 / in), p, w, in * out);
                case XAVIER -> {
                    float a = (float) Math.sqrt(6.0 / (in + out));
                    Fill.uniform(seed, -a, a, p, w, in * out);
                }
                case PYTORCH -> {
                    float a = (float) (1 / Math.sqrt(in));
                    Fill.uniform(seed, -a, a, p, w, in * out);
                }
            }
        }
        if (init == Init.PYTORCH) {
            float a = (float) (1 / Math.sqrt(in));
            Fill.uniform(seed ^ 0xB1A5L, -a, a, p, b, out);
        } else {
            java.util.Arrays.fill(p, b, b + out, 0f);
        }
    }

    // x: (batch, in)  W: (out, in), or (in, out) when tied  y: (batch, out)
    @Override
    public void forward(int batch, float[] x, float[] y, boolean training) {
        float[] p = weight.data();
        if (transposed) {
            Gemm.sgemm(false, false, batch, out, in, 1f, x, 0, in, p, weight.offset(), out, 0f, y, 0, out);
        } else {
            Gemm.sgemm(false, true, batch, out, in, 1f, x, 0, in, p, weight.offset(), in, 0f, y, 0, out);
        }
        Blas.addRowVector(batch, out, p, bias.offset(), y, 0, out);
    }

    // dy: (batch, out) -> dW += dy^T x (out, in), or x^T dy (in, out) when tied; db += colsum(dy);
    // dx = dy W (batch, in), written (not accumulated), skipped when dx is null
    @Override
    public void backward(int batch, float[] x, float[] y, float[] dy, float[] dx) {
        float[] p = weight.data();
        float[] g = weight.grad();
        if (transposed) {
            Gemm.sgemm(true, false, in, out, batch, 1f, x, 0, in, dy, 0, out, 1f, g, weight.offset(), out);
        } else {
            Gemm.sgemm(true, false, out, in, batch, 1f, dy, 0, out, x, 0, in, 1f, g, weight.offset(), in);
        }
        Blas.columnSums(batch, out, dy, 0, out, g, bias.offset(), true);
        if (dx != null) {
            if (transposed) {
                Gemm.sgemm(false, true, batch, in, out, 1f, dy, 0, out, p, weight.offset(), out, 0f, dx, 0, in);
            } else {
                Gemm.sgemm(false, false, batch, in, out, 1f, dy, 0, out, p, weight.offset(), in, 0f, dx, 0, in);
            }
        }
    }
}
