package dev.lanes.autoencoder.cli;

import dev.lanes.autoencoder.data.Dataset;
import dev.lanes.autoencoder.metrics.FeatureRecovery;
import dev.lanes.autoencoder.metrics.LinearProbe;
import dev.lanes.autoencoder.metrics.Reconstruction;
import dev.lanes.autoencoder.metrics.Sparsity;
import dev.lanes.autoencoder.model.Autoencoder;
import dev.lanes.autoencoder.model.Model;
import dev.lanes.autoencoder.model.Stacked;
import dev.lanes.autoencoder.nn.Params;
import dev.lanes.autoencoder.sparse.SparseTopK;
import java.util.LinkedHashMap;
import java.util.Map;

/** The metrics the CLI reports for a model on a data set, computed in batches of {@value #BATCH} rows. */
public final class Evaluation {
    static final int BATCH = 1024;
    /** Rows of each split the linear probe uses at most (it is plain Java and trains 10 epochs). */
    static final int PROBE_ROWS = 10_000;

    private Evaluation() {
    }

    /**
     * @param model the model (inference mode: no noise)
     * @param data samples with {@code d == model.inputs()}
     * @param rows evaluate on the first {@code rows} samples (at most n)
     * @param truth true features (m x d) for MMCS and matched cosine, or null (ignored for a {@link Stacked}
     *     model, whose top code is not a dictionary of the input)
     * @param m number of true features
     * @return mse, fvu, l0, zero_fraction, dead_latents, dead_fraction (and mmcs, matched with truth), in order
     */
    public static Map<String, Object> of(Model model, Dataset data, int rows, float[] truth, int m) {
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
        if (truth != null && !(model instanceof Stacked)) {
            FeatureRecovery.Result fr = FeatureRecovery.evaluate(truth, m, d, decoderWeight(model), h);
            out.put("mmcs", fr.mmcs());
            out.put("matched", fr.matched());
        }
        return out;
    }

    /** @return the dataset rows [0, count) reconstructed by the model */
    static float[] reconstruct(Model model, Dataset data, int count) {
        float[] x = new float[count * data.d()];
        System.arraycopy(data.features(), 0, x, 0, x.length);
        float[] xhat = new float[x.length];
        model.reconstruct(count, x, xhat);
        return xhat;
    }

    /**
     * The decoder as an [inputs, codes] matrix: an {@link Autoencoder}'s (transposed encoder when tied), a
     * model's own {@code decoder.weight}, the transpose of a {@link SparseTopK}'s {@code decoder.weight_t},
     * or else the transpose of its {@code encoder.weight} (tied models such as the rank-ordered one).
     */
    static float[] decoderWeight(Model model) {
        if (model instanceof Autoencoder ae) {
            return ModelFiles.decoderWeight(ae);
        }
        int n = model.inputs();
        int h = model.codes();
        Params p = model.params();
        boolean own = p.tensors().stream().anyMatch(t -> t.name().equals("decoder.weight"));
        // the sparse TopK model holds its decoder latent-major, as decoder.weight_t [codes, inputs]
        dev.lanes.autoencoder.nn.Tensor w = p.get(own ? "decoder.weight"
                : model instanceof SparseTopK ? "decoder.weight_t" : "encoder.weight");
        float[] out = new float[n * h];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < h; j++) {
                out[i * h + j] = own ? w.data()[w.offset() + i * h + j] : w.data()[w.offset() + j * n + i];
            }
        }
        return out;
    }

    /**
     * Linear-probe accuracy of the codes: a softmax regression ({@link LinearProbe}, default settings) fitted
     * on the codes of the first {@value #PROBE_ROWS} rows of {@code train} at most and scored on those of
     * {@code test}.
     *
     * @return train_samples, test_samples, train_accuracy, test_accuracy; null when either set has no labels
     *     or there are fewer than two classes
     */
    static Map<String, Object> probe(Model model, Dataset train, Dataset test) {
        if (!train.hasLabels() || !test.hasLabels() || train.n() < 1) {
            return null;
        }
        int classes = Math.max(train.classes(), test.classes());
        if (classes < 2) {
            return null;
        }
        int n = Math.min(PROBE_ROWS, train.n());
        int nTest = Math.min(PROBE_ROWS, test.n());
        LinearProbe.Result r = LinearProbe.fit(codes(model, train, n), train.labels(), n, codes(model, test, nTest),
                test.labels(), nTest, model.codes(), classes, LinearProbe.Config.DEFAULT);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("train_samples", n);
        out.put("test_samples", nTest);
        out.put("train_accuracy", r.trainAccuracy());
        out.put("test_accuracy", r.testAccuracy());
        return out;
    }

    private static float[] codes(Model model, Dataset data, int rows) {
        int d = data.d();
        int h = model.codes();
        float[] codes = new float[rows * h];
        float[] x = new float[Math.min(BATCH, rows) * d];
        float[] c = new float[Math.min(BATCH, rows) * h];
        for (int r = 0; r < rows; r += BATCH) {
            int b = Math.min(BATCH, rows - r);
            System.arraycopy(data.features(), r * d, x, 0, b * d);
            model.encode(b, x, c);
            System.arraycopy(c, 0, codes, r * h, b * h);
        }
        return codes;
    }
}
