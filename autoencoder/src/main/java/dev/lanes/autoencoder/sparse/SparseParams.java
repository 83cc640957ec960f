package dev.lanes.autoencoder.sparse;

import dev.lanes.autoencoder.model.Autoencoder;
import dev.lanes.autoencoder.model.Config;
import dev.lanes.autoencoder.nn.ParamSpec;
import dev.lanes.autoencoder.nn.Params;
import dev.lanes.core.Fill;
import java.util.Arrays;

/**
 * The four tensors of {@link SparseTopK} in its latent-major layout ({@code encoder.weight [h, n]},
 * {@code encoder.bias [h]}, {@code decoder.weight_t [h, n]}, {@code decoder.bias [n]}), their initialisation
 * (the dense {@link Autoencoder}'s, bit for bit), the unit-norm decoder operations, and the conversion to
 * and from the dense layout ({@code decoder.weight [n, h]}), moments included.
 */
final class SparseParams {

    final Config cfg;
    final int n;
    final int h;
    final Params params = new Params();
    /** Offsets of the tensors in the flat buffers. */
    final int encW;
    final int encB;
    final int decW;
    final int decB;

    SparseParams(Config cfg) {
        this.cfg = cfg;
        this.n = cfg.inputs();
        this.h = cfg.hidden();
        this.encW = params.add(new ParamSpec("encoder.weight", h, n)).offset();
        this.encB = params.add(new ParamSpec("encoder.bias", h)).offset();
        this.decW = params.add(new ParamSpec("decoder.weight_t", h, n)).offset();
        this.decB = params.add(new ParamSpec("decoder.bias", n)).offset();
        params.allocate();
        init();
    }

    /** Initialises exactly as the dense {@link Autoencoder} with the same config (PyTorch's uniform init). */
    private void init() {
        float[] p = params.data();
        long seed = cfg.seed();
        float ae = (float) (1 / Math.sqrt(n));
        Fill.uniform(seed, -ae, ae, p, encW, h * n);
        Fill.uniform(seed ^ 0xB1A5L, -ae, ae, p, encB, h);
        float ad = (float) (1 / Math.sqrt(h));
        float[] dense = new float[n * h];
        Fill.uniform(seed + 1, -ad, ad, dense, 0, n * h);
        transposeInto(dense, n, h, p, decW);
        Fill.uniform((seed + 1) ^ 0xB1A5L, -ad, ad, p, decB, n);
        if (cfg.unitNormDecoder()) {
            // as the dense model: the decoder starts as the encoder's transpose (here: the same rows), unit rows
            System.arraycopy(p, encW, p, decW, h * n);
            normaliseDecoderRows();
            Arrays.fill(p, encB, encB + h, 0f);
            Arrays.fill(p, decB, decB + n, 0f);
        }
    }

    /** Each decoder row (a dense decoder column) to unit norm, with the dense model's operations and order. */
    void normaliseDecoderRows() {
        float[] p = params.data();
        for (int j = 0; j < h; j++) {
            int row = decW + j * n;
            float ss = 0f;
            for (int c = 0; c < n; c++) {
                ss += p[row + c] * p[row + c];
            }
            float scale = ss > 0f ? (float) (1 / Math.sqrt(ss)) : 1f;
            for (int c = 0; c < n; c++) {
                p[row + c] *= scale;
            }
        }
    }

    /** g_j -= (p_j . g_j) p_j for decoder rows {@code rows[0..count)} of {@code g} (row r at gOff + r*n). */
    void removeParallel(int count, int[] rows, float[] g, int gOff, boolean gByLatent) {
        float[] p = params.data();
        for (int r = 0; r < count; r++) {
            int row = decW + rows[r] * n;
            int gr = gOff + (gByLatent ? rows[r] : r) * n;
            float dot = 0f;
            for (int c = 0; c < n; c++) {
                dot += p[row + c] * g[gr + c];
            }
            for (int c = 0; c < n; c++) {
                g[gr + c] -= dot * p[row + c];
            }
        }
    }

    /** dst[off + j*rows + i] = src[i*cols + j]: a rows x cols matrix to its cols x rows transpose. */
    static void transposeInto(float[] src, int rows, int cols, float[] dst, int off) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                dst[off + j * rows + i] = src[i * cols + j];
            }
        }
    }

    /** Copies parameters and moments into a dense model's buffers (transposing the decoder). */
    void copyTo(Params dense) {
        copy(params, dense, false);
    }

    /** Copies parameters and moments from a dense model's buffers (transposing the decoder). */
    void copyFrom(Params dense) {
        copy(dense, params, true);
    }

    private void copy(Params from, Params to, boolean fromDense) {
        float[][] src = {from.data(), from.m(), from.v()};
        float[][] dst = {to.data(), to.m(), to.v()};
        for (int a = 0; a < 3; a++) {
            for (String name : new String[] {"encoder.weight", "encoder.bias", "decoder.bias"}) {
                var s = from.get(name);
                System.arraycopy(src[a], s.offset(), dst[a], to.get(name).offset(), s.size());
            }
            if (fromDense) {
                float[] tmp = Arrays.copyOfRange(src[a], from.get("decoder.weight").offset(),
                        from.get("decoder.weight").offset() + n * h);
                transposeInto(tmp, n, h, dst[a], to.get("decoder.weight_t").offset());
            } else {
                float[] tmp = Arrays.copyOfRange(src[a], from.get("decoder.weight_t").offset(),
                        from.get("decoder.weight_t").offset() + n * h);
                transposeInto(tmp, h, n, dst[a], to.get("decoder.weight").offset());
            }
        }
    }
}
