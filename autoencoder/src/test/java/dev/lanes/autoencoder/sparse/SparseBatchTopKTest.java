package dev.lanes.autoencoder.sparse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.autoencoder.model.Config;
import dev.lanes.autoencoder.nn.Params;
import dev.lanes.autoencoder.train.Adam;
import dev.lanes.autoencoder.train.LearningRate;
import dev.lanes.autoencoder.train.Trainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** BatchTopK selection of {@link SparseTopK#batchTopK} against a straightforward dense reference. */
class SparseBatchTopKTest {

    private static final long SEED = 0xBA7C4L;
    private static final int N = 96;

    /** Image-like rows (half exact zeros), row i scaled by scale[i % scale.length]. */
    private static float[] data(int rows, long seed, float... scale) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[rows * N];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextBoolean() ? 0f : scale[(i / N) % scale.length] * (float) r.nextDouble(0.01, 1);
        }
        return x;
    }

    /** z = x W^T + b as the fused kernel defines it: one fma chain per element in input order, then the bias. */
    private static float[] denseZ(SparseTopK s, int b, float[] x) {
        Params p = s.params();
        int h = s.codes();
        int w = p.get("encoder.weight").offset();
        int bo = p.get("encoder.bias").offset();
        float[] d = p.data();
        float[] z = new float[b * h];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < h; j++) {
                float acc = 0f;
                for (int c = 0; c < N; c++) {
                    acc = Math.fma(x[i * N + c], d[w + j * N + c], acc);
                }
                z[i * h + j] = acc + d[bo + j];
            }
        }
        return z;
    }

    /** The k*b largest entries of z over the whole batch, as flat indices i*h + j. */
    private static List<Integer> referenceTop(float[] z, int kb) {
        Integer[] order = new Integer[z.length];
        for (int i = 0; i < z.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, c) -> Float.compare(z[c], z[a]));
        return new ArrayList<>(Arrays.asList(order).subList(0, kb));
    }

    private static void checkSelection(SparseTopK s, int b, float[] x, String what) {
        int h = s.codes();
        int k = s.k();
        float[] z = denseZ(s, b, x);
        List<Integer> want = referenceTop(z, k * b);
        boolean[] wanted = new boolean[b * h];
        for (int f : want) {
            wanted[f] = true;
        }
        int[] lat = s.selectedLatents();
        int[] off = s.selectedOffsets();
        assertEquals(k * b, lat.length, what + ": pairs kept, seed=0x" + Long.toHexString(SEED));
        for (int i = 0; i < b; i++) {
            for (int u = off[i]; u < off[i + 1]; u++) {
                assertTrue(wanted[i * h + lat[u]], what + ": seed=0x" + Long.toHexString(SEED) + " row " + i
                        + " latent " + lat[u] + " (z=" + z[i * h + lat[u]] + ") is not in the batch's top " + k * b);
            }
        }
    }

    /**
     * Rows scaled 30x and 4x hold far more than k of the batch's top k B: the per-row candidates are not
     * enough and the fallback must recompute them; the kept set equals the dense reference exactly
     * (the pre-activations are the same fma chains, so no tolerance is needed).
     */
    @Test
    void selectionIsExactOnUnbalancedBatch() {
        Config cfg = SparseTopK.config(N, 300, 5, 3);
        int b = 16;
        SparseTopK s = SparseTopK.batchTopK(cfg, 1e-3f);
        float[] x = data(b, SEED, 1f, 1f, 1f, 30f, 1f, 1f, 4f, 1f);
        s.forward(b, x, true);
        assertTrue(s.recomputedRows() > 0, "the fallback was not exercised");
        checkSelection(s, b, x, "unbalanced");
        int[] off = s.selectedOffsets();
        assertTrue(off[4] - off[3] > 5 * 5, "the 30x row should keep far more than k: " + (off[4] - off[3]));
    }

    @Test
    void selectionIsExactOnOrdinaryBatches() {
        Config cfg = SparseTopK.config(N, 257, 7, 9);
        SparseTopK s = SparseTopK.batchTopK(cfg, 1e-3f);
        for (int b : new int[] {1, 2, 13, 40}) {
            float[] x = data(b, SEED + b, 1f);
            s.forward(b, x, true);
            checkSelection(s, b, x, "b=" + b);
        }
    }

    /** k*B larger than h: a single row keeps every latent (the fallback is capped at h). */
    @Test
    void selectionWhenRowsHoldWholeLayer() {
        Config cfg = SparseTopK.config(N, 20, 8, 4);
        SparseTopK s = SparseTopK.batchTopK(cfg, 1e-3f);
        int b = 6;
        float[] x = data(b, SEED + 7, 1f, 100f, 1f);
        s.forward(b, x, true);
        checkSelection(s, b, x, "h=20");
    }

    /**
     * The threshold starts at the first batch's smallest positive kept activation and moves as an
     * exponential average; at inference a latent is kept where z exceeds it (dense z from one GEMM,
     * which may differ from the fused chain by rounding: entries within 1e-5 of the threshold are skipped).
     */
    @Test
    void thresholdTrackedAndUsedAtInference() {
        Config cfg = SparseTopK.config(N, 200, 6, 2);
        int b = 24;
        SparseTopK s = SparseTopK.batchTopK(cfg, 1e-3f);
        assertTrue(Float.isNaN(s.threshold()));
        float[] x = data(b, SEED + 3, 1f);
        s.forward(b, x, true);
        float[] z = denseZ(s, b, x);
        List<Integer> top = referenceTop(z, 6 * b);
        float min = Float.POSITIVE_INFINITY;
        for (int f : top) {
            if (z[f] > 0f) {
                min = Math.min(min, z[f]);
            }
        }
        assertEquals(min, s.threshold(), "first threshold, seed=0x" + Long.toHexString(SEED));
        float[] x2 = data(b, SEED + 4, 1f);
        s.forward(b, x2, true);
        float theta = s.threshold();
        assertTrue(theta > 0f);
        int h = s.codes();
        float[] codes = new float[b * h];
        s.encode(b, x2, codes);
        float[] z2 = denseZ(s, b, x2);
        for (int i = 0; i < b * h; i++) {
            if (Math.abs(z2[i] - theta) <= 1e-5f) {
                continue;
            }
            float want = z2[i] > theta ? z2[i] : 0f;
            assertEquals(want, codes[i], 1e-5f, "seed=0x" + Long.toHexString(SEED) + " i=" + i + " theta=" + theta);
        }
    }

    /** The fused lazy step equals backward + dense Adam for BatchTopK too, bit for bit. */
    @Test
    void lazyAdamEqualsDenseAdamBitwise() {
        Config cfg = SparseTopK.config(N, 300, 4, 5);
        int b = 8;
        float lr = 1e-2f;
        SparseTopK lazy = SparseTopK.batchTopK(cfg, lr);
        SparseTopK eager = SparseTopK.batchTopK(cfg, lr);
        Trainer trainer = new Trainer(eager, Adam.defaults(), LearningRate.constant(lr), b, 1, 0f);
        float[] x = data(b * 60, SEED + 1, 1f, 3f, 1f, 1f);
        float[] batch = new float[b * N];
        for (int s = 0; s < 60; s++) {
            System.arraycopy(x, s * b * N, batch, 0, b * N);
            float l1 = lazy.trainStep(b, batch);
            float l2 = trainer.trainStep(b, batch);
            assertEquals(Float.floatToIntBits(l2), Float.floatToIntBits(l1), "loss at step " + s);
        }
        assertArrayEquals(eager.params().data(), lazy.params().data(), "parameters");
        assertArrayEquals(eager.params().m(), lazy.params().m(), "first moments");
        assertArrayEquals(eager.params().v(), lazy.params().v(), "second moments");
        assertEquals(eager.threshold(), lazy.threshold(), "threshold");
    }
}
