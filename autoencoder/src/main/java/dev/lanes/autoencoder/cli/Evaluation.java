package dev.lanes.autoencoder.cli;

import dev.lanes.autoencoder.data.Dataset;
import dev.lanes.autoencoder.metrics.FeatureRecovery;
import dev.lanes.autoencoder.metrics.Reconstruction;
import dev.lanes.autoencoder.metrics.Sparsity;
import dev.lanes.autoencoder.model.Autoencoder;
import java.util.LinkedHashMap;
import java.util.Map;

/** The metrics the CLI reports for a model on a data set, computed in batches of {@value #BATCH} rows. */
final class Evaluation {
    static final int BATCH = 1024;

    private Evaluation() {
    }

    /**
     * @param model the model (inference mode: no noise)
     * @param data samples with {@code d == model.inputs()}
     * @param rows evaluate on the first {@code rows} samples (at most n)
     * @param truth true features (m x d) for MMCS and matched cosine, or null
     * @param m number of true features
     * @return mse, fvu, l0, zero_fraction, dead_latents, dead_fraction (and mmcs, matched with truth), in order
     */
    static Map<String, Object> of(Autoencoder model, Dataset data, int rows, float[] truth, int m) {
        int d = data.d();
        int h = model.codes();
        rows = Math.min(rows, data.n());
        Reconstruction.Accumulator rec = new Reconstruction.Accumulator(d);
        Sparsity.Accumulator sp = new Sparsity.Accumulator(h);
        int cap = Math.min(BATCH, Math.max(rows, 1));
        float[] x = new float[cap * d];
        float[] codes = new float[cap * h];
        float[] xhat = new float[cap * d];
        for (int r = 0; r < rows; r += cap) {
            int b = Math.min(cap, rows - r);
            System.arraycopy(data.features(), r * d, x, 0, b * d);
            model.encode(b, x, codes);
            model.reconstruct(b, x, xhat);
            rec.add(x, xhat, b);
            sp.add(codes, b);
        }
        Sparsity.Stats s = sp.stats();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("samples", rows);
        out.put("mse", rec.mse());
        out.put("fvu", rec.fvu());
        out.put("l0", s.l0());
        out.put("zero_fraction", s.zeroFraction());
        out.put("dead_latents", s.dead());
        out.put("dead_fraction", s.deadFraction());
        if (truth != null) {
            FeatureRecovery.Result fr = FeatureRecovery.evaluate(truth, m, d, ModelFiles.decoderWeight(model), h);
            out.put("mmcs", fr.mmcs());
            out.put("matched", fr.matched());
        }
        return out;
    }

    /** @return the dataset rows [0, count) reconstructed by the model */
    static float[] reconstruct(Autoencoder model, Dataset data, int count) {
        float[] x = new float[count * data.d()];
        System.arraycopy(data.features(), 0, x, 0, x.length);
        float[] xhat = new float[x.length];
        model.reconstruct(count, x, xhat);
        return xhat;
    }
}
