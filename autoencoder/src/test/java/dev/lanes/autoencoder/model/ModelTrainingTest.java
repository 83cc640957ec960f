package dev.lanes.autoencoder.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.autoencoder.nn.Loss;
import dev.lanes.autoencoder.train.Adam;
import dev.lanes.autoencoder.train.LearningRate;
import dev.lanes.autoencoder.train.Trainer;
import org.junit.jupiter.api.Test;

/** Training smoke tests, batch-size independence, TopK dictionary recovery and the linear AE's PCA subspace. */
class ModelTrainingTest {

    private static final long SEED = 0x7EA1_5EEDL;

    /** The loss above its floor: cross-entropy on soft targets cannot go below their mean entropy. */
    private static double excessLoss(Autoencoder m, float[] data, int rows) {
        double loss = m.forward(rows, data, false);
        if (m.config().loss() == Loss.SIGMOID_CROSS_ENTROPY) {
            double entropy = 0;
            for (int i = 0; i < rows * m.inputs(); i++) {
                double t = data[i];
                entropy -= (t > 0 ? t * Math.log(t) : 0) + (t < 1 ? (1 - t) * Math.log(1 - t) : 0);
            }
            loss -= entropy / (rows * m.inputs());
        }
        return loss;
    }

    @Test
    void everyModelLearns() {
        Synthetic s = new Synthetic(SEED, 16, 24, 512, 0.1);
        float[] unit = s.unitInterval();
        for (String name : Models.NAMES) {
            for (boolean ce : new boolean[] {false, true}) {
                if (ce && !name.equals("ae")) {
                    continue;
                }
                long seed = SEED ^ name.hashCode();
                Models.Builder b = Models.builder(name).inputs(16).hidden(32).seed(seed);
                if (name.equals("topk")) {
                    b.k(4);
                }
                if (ce) {
                    b.loss(Loss.SIGMOID_CROSS_ENTROPY);
                }
                Autoencoder m = b.build();
                float[] data = name.equals("sparse-kl") || ce ? unit : s.data;
                m.prepare(data, s.rows);
                double before = excessLoss(m, data, s.rows);
                new Trainer(m, Adam.defaults(), LearningRate.constant(3e-3f), 32, seed, 0f).fit(data, s.rows, 300);
                double after = excessLoss(m, data, s.rows);
                assertTrue(after < 0.8f * before, name + (ce ? " (cross-entropy)" : "") + " seed=0x" + Long.toHexString(seed)
                        + ": loss " + before + " -> " + after);
            }
        }
    }

    @Test
    void batchSizeDoesNotChangeRows() {
        Synthetic s = new Synthetic(SEED ^ 1, 16, 24, 64, 0.1);
        for (String name : Models.NAMES) {
            long seed = SEED ^ name.hashCode() ^ 2;
            Models.Builder b = Models.builder(name).inputs(16).hidden(24).seed(seed);
            if (name.equals("topk")) {
                b.k(4);
            }
            Autoencoder m = b.build();
            Trainer t = new Trainer(m, Adam.defaults(), LearningRate.constant(1e-3f), 8, seed, 1f);
            t.fit(s.data, s.rows, 20);
            float[] ref = new float[8 * 16];
            m.reconstruct(8, s.data, ref);
            float[] refCodes = new float[8 * 24];
            m.encode(8, s.data, refCodes);
            for (int batch : new int[] {1, 3}) {
                float[] in = new float[batch * 16];
                float[] out = new float[batch * 16];
                float[] codes = new float[batch * 24];
                for (int r0 = 0; r0 + batch <= 8; r0 += batch) {
                    System.arraycopy(s.data, r0 * 16, in, 0, batch * 16);
                    m.reconstruct(batch, in, out);
                    m.encode(batch, in, codes);
                    for (int i = 0; i < batch * 16; i++) {
                        float want = ref[r0 * 16 + i];
                        // a row's dot products may be blocked differently at another batch size: float rounding only
                        assertEquals(want, out[i], 1e-6f + 1e-5f * Math.abs(want),
                                name + " seed=0x" + Long.toHexString(seed) + " batch=" + batch + " row=" + (r0 + i / 16));
                    }
                    for (int i = 0; i < batch * 24; i++) {
                        float want = refCodes[r0 * 24 + i];
                        assertEquals(want, codes[i], 1e-6f + 1e-5f * Math.abs(want),
                                name + " codes seed=0x" + Long.toHexString(seed) + " batch=" + batch);
                    }
                }
            }
            t.fit(s.data, 5, 3); // a partial batch after inference still trains
        }
    }

    @Test
    void topKRecoversKnownDictionary() {
        long seed = SEED ^ 0x70C;
        Synthetic s = new Synthetic(seed, 32, 48, 4096, 3.0 / 48);
        Autoencoder m = Models.builder("topk").inputs(32).hidden(96).k(4).deadSteps(200).seed(seed).build();
        new Trainer(m, Adam.defaults(), LearningRate.warmupCosine(1e-2f, 50, 2500, 1e-3f), 64, seed, 0f)
                .fit(s.data, s.rows, 2500);
        double mmcs = s.mmcs(m.params().data(), m.decoder().weight().offset(), 96);
        assertTrue(mmcs >= 0.85, "topk MMCS=" + mmcs + " < 0.85, seed=0x" + Long.toHexString(seed));
    }

    @Test
    void linearMatchesPca() {
        long seed = SEED ^ 0x9CA;
        int dim = 8;
        int r = 3;
        int rows = 1024;
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        float[] data = new float[rows * dim];
        double[] scales = {3, 2, 1.5, 0.3, 0.2, 0.2, 0.1, 0.1};
        double[][] basis = orthonormal(rng, dim);
        for (int i = 0; i < rows; i++) {
            for (int c = 0; c < dim; c++) {
                double coef = rng.nextGaussian() * scales[c];
                for (int j = 0; j < dim; j++) {
                    data[i * dim + j] += (float) (coef * basis[c][j] + (c == 0 ? 0.5 : 0));
                }
            }
        }
        double[][] pcs = pca(data, rows, dim, r);
        Autoencoder m = Models.builder("linear").inputs(dim).hidden(r).seed(seed).build();
        new Trainer(m, Adam.defaults(), LearningRate.warmupCosine(1e-2f, 20, 3000, 1e-4f), 64, seed, 0f)
                .fit(data, rows, 3000);
        float[] w = m.params().data();
        int off = m.decoder().weight().offset();
        double[][] cols = new double[r][dim];
        for (int c = 0; c < r; c++) {
            for (int j = 0; j < dim; j++) {
                cols[c][j] = w[off + j * r + c];
            }
        }
        gramSchmidt(cols);
        // ||Q1^T Q2||_F^2 / r is the mean squared cosine of the principal angles, a lower bound of their mean cosine
        double f2 = 0;
        for (int a = 0; a < r; a++) {
            for (int b = 0; b < r; b++) {
                double d = 0;
                for (int j = 0; j < dim; j++) {
                    d += cols[a][j] * pcs[b][j];
                }
                f2 += d * d;
            }
        }
        assertTrue(f2 / r >= 0.99, "linear AE: mean cos^2 of principal angles to PCA = " + f2 / r + ", seed=0x"
                + Long.toHexString(seed));
    }

    private static double[][] orthonormal(java.util.SplittableRandom rng, int dim) {
        double[][] v = new double[dim][dim];
        for (double[] row : v) {
            for (int j = 0; j < dim; j++) {
                row[j] = rng.nextGaussian();
            }
        }
        gramSchmidt(v);
        return v;
    }

    private static void gramSchmidt(double[][] v) {
        for (int a = 0; a < v.length; a++) {
            for (int b = 0; b < a; b++) {
                double d = 0;
                for (int j = 0; j < v[a].length; j++) {
                    d += v[a][j] * v[b][j];
                }
                for (int j = 0; j < v[a].length; j++) {
                    v[a][j] -= d * v[b][j];
                }
            }
            double nn = 0;
            for (double x : v[a]) {
                nn += x * x;
            }
            for (int j = 0; j < v[a].length; j++) {
                v[a][j] /= Math.sqrt(nn);
            }
        }
    }

    /** The top r eigenvectors of the centred covariance, by power iteration with deflation. */
    private static double[][] pca(float[] data, int rows, int dim, int r) {
        double[] mean = new double[dim];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < dim; j++) {
                mean[j] += data[i * dim + j] / rows;
            }
        }
        double[][] cov = new double[dim][dim];
        for (int i = 0; i < rows; i++) {
            for (int a = 0; a < dim; a++) {
                for (int b = 0; b < dim; b++) {
                    cov[a][b] += (data[i * dim + a] - mean[a]) * (data[i * dim + b] - mean[b]) / rows;
                }
            }
        }
        double[][] out = new double[r][];
        for (int c = 0; c < r; c++) {
            double[] v = new double[dim];
            java.util.Arrays.fill(v, 1);
            double lambda = 0;
            for (int it = 0; it < 2000; it++) {
                double[] w = new double[dim];
                for (int a = 0; a < dim; a++) {
                    for (int b = 0; b < dim; b++) {
                        w[a] += cov[a][b] * v[b];
                    }
                }
                double nn = 0;
                for (double x : w) {
                    nn += x * x;
                }
                lambda = Math.sqrt(nn);
                for (int a = 0; a < dim; a++) {
                    v[a] = w[a] / lambda;
                }
            }
            for (int a = 0; a < dim; a++) {
                for (int b = 0; b < dim; b++) {
                    cov[a][b] -= lambda * v[a] * v[b];
                }
            }
            out[c] = v;
        }
        return out;
    }
}
