package dev.lanes.autoencoder.sparse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.autoencoder.model.Autoencoder;
import dev.lanes.autoencoder.model.Config;
import dev.lanes.autoencoder.nn.Params;
import dev.lanes.autoencoder.train.Adam;
import dev.lanes.autoencoder.train.LearningRate;
import dev.lanes.autoencoder.train.Trainer;
import dev.lanes.core.Lanes;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The sparse TopK model against the dense {@link Autoencoder} with the same configuration and seed, and
 * its lazy Adam against dense Adam on the same gradients.
 */
class SparseTopKTest {

    private static final long SEED = 0x5BA25EL;
    private static final int N = 96;

    /** Image-like data: about half exact zeros, the rest in (0, 1]. */
    static float[] data(int rows, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[rows * N];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextBoolean() ? 0f : (float) r.nextDouble(0.01, 1);
        }
        return x;
    }

    private static float[] dense(Params p, String name) {
        var t = p.get(name);
        return java.util.Arrays.copyOfRange(p.data(), t.offset(), t.offset() + t.size());
    }

    private static float[] denseGrad(Params p, String name) {
        var t = p.get(name);
        return java.util.Arrays.copyOfRange(p.grad(), t.offset(), t.offset() + t.size());
    }

    @Test
    void initialisationEqualsDense() {
        Config cfg = SparseTopK.config(N, 200, 8, 7);
        Autoencoder d = new Autoencoder(cfg);
        Autoencoder s = new SparseTopK(cfg, 1e-3f).toDense();
        for (String name : new String[] {"encoder.weight", "encoder.bias", "decoder.weight", "decoder.bias"}) {
            assertArrayEquals(dense(d.params(), name), dense(s.params(), name), name);
        }
    }

    /**
     * Forward and gradients against the dense model: the same latents are selected (fingerprint), the loss
     * agrees to 1e-5 relative, and every gradient element to 1e-5 of the tensor's largest gradient (the
     * sums are the same terms in another order; float rounding of sums of ~100 terms is ~1e-6 relative).
     */
    @Test
    void forwardAndGradientsEqualDense() {
        Config cfg = SparseTopK.config(N, 300, 12, 11);
        int b = 37;
        float[] x = data(b, SEED);
        Autoencoder d = new Autoencoder(cfg);
        SparseTopK s = new SparseTopK(cfg, 1e-3f);
        float ld = d.forward(b, x, true);
        float ls = s.forward(b, x, true);
        assertEquals(ld, ls, 1e-5f * ld, "loss seed=0x" + Long.toHexString(SEED));
        assertEquals(d.stateFingerprint(), s.stateFingerprint(), "selected latents differ");
        d.backward();
        s.backward();
        Autoencoder sd = s.toDense();
        // toDense copies data and moments; the gradients are compared in the sparse layout
        Params sp = s.params();
        float[] gEnc = denseGrad(sp, "encoder.weight");
        int h = cfg.hidden();
        float[] gDec = decoderGradient(sp, h);
        close(denseGrad(d.params(), "encoder.weight"), gEnc, "encoder.weight");
        close(denseGrad(d.params(), "encoder.bias"), denseGrad(sp, "encoder.bias"), "encoder.bias");
        close(denseGrad(d.params(), "decoder.weight"), gDec, "decoder.weight");
        close(denseGrad(d.params(), "decoder.bias"), denseGrad(sp, "decoder.bias"), "decoder.bias");
        float[] codesD = new float[b * h];
        float[] codesS = new float[b * h];
        d.encode(b, x, codesD);
        sd.encode(b, x, codesS);
        close(codesD, codesS, "codes");
    }

    /** The decoder weight gradient of a sparse model's parameters in the dense layout {@code [n, h]}. */
    static float[] decoderGradient(Params sp, int h) {
        float[] gDecT = denseGrad(sp, "decoder.weight_t");
        float[] gDec = new float[gDecT.length];
        for (int j = 0; j < h; j++) {
            for (int i = 0; i < N; i++) {
                gDec[i * h + j] = gDecT[j * N + i];
            }
        }
        return gDec;
    }

    private static void close(float[] want, float[] got, String what) {
        close(want, got, what, SEED);
    }

    /** Every element within 1e-5 of the largest |want| (see the callers for why); the seed goes in the message. */
    static void close(float[] want, float[] got, String what, long seed) {
        float max = 0f;
        for (float f : want) {
            max = Math.max(max, Math.abs(f));
        }
        assertTrue(max > 0f, what + " is all zero: the test would prove nothing");
        for (int i = 0; i < want.length; i++) {
            assertTrue(Math.abs(want[i] - got[i]) <= 1e-5f * max, what + " seed=0x" + Long.toHexString(seed) + " i=" + i
                    + " want=" + want[i] + " got=" + got[i]);
        }
    }

    /**
     * The fused lazy step equals the same model's gradients under dense Adam every step, bit for bit, after
     * a flush: the gradient rows are the same fma chains, and the replays of rows untouched for many steps
     * are the dense zero-gradient steps (h = 400 latents, k = 3, batch 6: most latents idle for long runs).
     */
    @Test
    void lazyAdamEqualsDenseAdamBitwise() {
        Config cfg = SparseTopK.config(N, 400, 3, 5);
        int b = 6;
        float lr = 1e-2f;
        SparseTopK lazy = new SparseTopK(cfg, lr);
        SparseTopK eager = new SparseTopK(cfg, lr);
        Trainer trainer = new Trainer(eager, Adam.defaults(), LearningRate.constant(lr), b, 1, 0f);
        float[] x = data(b * 150, SEED + 1);
        float[] batch = new float[b * N];
        for (int s = 0; s < 150; s++) {
            System.arraycopy(x, s * b * N, batch, 0, b * N);
            float l1 = lazy.trainStep(b, batch);
            float l2 = trainer.trainStep(b, batch);
            assertEquals(Float.floatToIntBits(l2), Float.floatToIntBits(l1), "loss at step " + s);
        }
        float[] pl = lazy.params().data();
        float[] pe = eager.params().data();
        assertArrayEquals(pe, pl, "parameters");
        assertArrayEquals(eager.params().m(), lazy.params().m(), "first moments");
        assertArrayEquals(eager.params().v(), lazy.params().v(), "second moments");
    }

    /** One and two threads give bit-identical training. */
    @Test
    void threadCountDoesNotChangeResults() {
        Config cfg = SparseTopK.config(N, 2500, 16, 3);
        int b = 20;
        float[] x = data(b * 5, SEED + 2);
        float[][] result = new float[2][];
        int threads = Lanes.threads();
        try {
            for (int run = 0; run < 2; run++) {
                Lanes.setThreads(run + 1);
                SparseTopK m = new SparseTopK(cfg, 1e-3f);
                float[] batch = new float[b * N];
                for (int s = 0; s < 5; s++) {
                    System.arraycopy(x, s * b * N, batch, 0, b * N);
                    m.trainStep(b, batch);
                }
                result[run] = m.params().data().clone();
            }
        } finally {
            Lanes.setThreads(threads);
        }
        assertArrayEquals(result[0], result[1]);
    }

    /**
     * A few hundred steps of the sparse trainer and of the dense Autoencoder + Trainer stay close: the
     * mean loss over the last 50 of 200 steps agrees within 2 % (rounding differences in the sums can
     * flip a near-tie in the top-k, after which the two runs are different but equally good).
     */
    @Test
    void trainingTracksDense() {
        Config cfg = SparseTopK.config(N, 128, 8, 9);
        int b = 16;
        float lr = 1e-3f;
        SparseTopK s = new SparseTopK(cfg, lr);
        Trainer dense = new Trainer(new Autoencoder(cfg), Adam.defaults(), LearningRate.constant(lr), b, 1, 0f);
        float[] x = data(b * 200, SEED + 3);
        float[] batch = new float[b * N];
        double ls = 0;
        double ld = 0;
        for (int step = 0; step < 200; step++) {
            System.arraycopy(x, step * b * N, batch, 0, b * N);
            float a = s.trainStep(b, batch);
            float c = dense.trainStep(b, batch);
            if (step >= 150) {
                ls += a;
                ld += c;
            }
        }
        assertEquals(ld, ls, 0.02 * ld, "mean loss of the last 50 steps");
    }
}
