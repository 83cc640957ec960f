package dev.lanes.autoencoder.metrics;

import java.util.SplittableRandom;

/**
 * Linear-probe accuracy: a softmax regression trained on codes to predict labels, scored on held-out
 * codes. Features are standardised with the training set's mean and standard deviation (constant
 * features, e.g. dead latents, become 0); training is mini-batch SGD on the mean cross-entropy plus an
 * L2 penalty, with a seeded shuffle each epoch and a learning rate decayed linearly to 0, so a run is
 * reproducible bit for bit. Plain Java: a probe is a one-off evaluation, not a hot path.
 */
public final class LinearProbe {

    /**
     * @param epochs passes over the training codes, {@code >= 1}
     * @param batch mini-batch size, {@code >= 1}
     * @param learningRate initial step size, {@code > 0}
     * @param l2 weight decay coefficient on the weights (not the biases), {@code >= 0}
     * @param seed shuffle seed
     */
    public record Config(int epochs, int batch, double learningRate, double l2, long seed) {
        /** 10 epochs, batch 128, learning rate 0.05, l2 1e-4, seed 1. */
        public static final Config DEFAULT = new Config(10, 128, 0.05, 1e-4, 1L);

        /** Checks the ranges. */
        public Config {
            if (epochs < 1 || batch < 1 || !(learningRate > 0) || !(l2 >= 0)) {
                throw new IllegalArgumentException("linear probe: need epochs >= 1, batch >= 1, learningRate > 0, "
                        + "l2 >= 0; got " + epochs + ", " + batch + ", " + learningRate + ", " + l2);
            }
        }
    }

    /**
     * @param trainAccuracy accuracy on the training codes after the last epoch
     * @param testAccuracy accuracy on the test codes
     * @param weights classes x h weights, on standardised features
     * @param bias classes biases
     */
    public record Result(double trainAccuracy, double testAccuracy, float[] weights, float[] bias) {
    }

    private LinearProbe() {
    }

    /**
     * @param train training codes, n x h, read
     * @param trainLabels n labels in [0, classes), read
     * @param n training samples, {@code >= 1}
     * @param test test codes, nTest x h, read
     * @param testLabels nTest labels in [0, classes), read
     * @param nTest test samples, {@code >= 0}
     * @param h code size, {@code >= 1}
     * @param classes number of classes, {@code >= 2}
     * @param config training settings
     * @return train and test accuracy
     */
    public static Result fit(float[] train, int[] trainLabels, int n, float[] test, int[] testLabels, int nTest,
                             int h, int classes, Config config) {
        String op = "linear probe";
        Checks.positive(op, "n", n);
        Checks.positive(op, "h", h);
        if (classes < 2) {
            throw new IllegalArgumentException(op + ": classes=" + classes + " < 2");
        }
        Checks.matrix(op, "train", train, n, h);
        Checks.matrix(op, "test", test, nTest, h);
        Checks.labels(op, "trainLabels", trainLabels, n, classes);
        Checks.labels(op, "testLabels", testLabels, nTest, classes);

        double[] mean = new double[h];
        double[] sq = new double[h];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < h; j++) {
                double v = train[i * h + j];
                mean[j] += v;
                sq[j] += v * v;
            }
        }
        float[] shift = new float[h];
        float[] scale = new float[h];
        for (int j = 0; j < h; j++) {
            double mu = mean[j] / n;
            double var = Math.max(0, sq[j] / n - mu * mu);
            shift[j] = (float) mu;
            scale[j] = var > 1e-12 ? (float) (1 / Math.sqrt(var)) : 0f;
        }

        float[] w = new float[classes * h];
        float[] b = new float[classes];
        float[] gw = new float[classes * h];
        float[] gb = new float[classes];
        float[] z = new float[h];
        float[] p = new float[classes];
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(config.seed());
        long totalSteps = (long) config.epochs() * ((n + config.batch() - 1) / config.batch());
        long step = 0;
        for (int epoch = 0; epoch < config.epochs(); epoch++) {
            for (int i = n - 1; i > 0; i--) {
                int k = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[k];
                order[k] = t;
            }
            for (int start = 0; start < n; start += config.batch()) {
                int end = Math.min(n, start + config.batch());
                java.util.Arrays.fill(gw, 0);
                java.util.Arrays.fill(gb, 0);
                for (int s = start; s < end; s++) {
                    int i = order[s];
                    standardise(train, i, h, shift, scale, z);
                    softmax(w, b, z, h, classes, p);
                    p[trainLabels[i]] -= 1;
                    for (int c = 0; c < classes; c++) {
                        float g = p[c];
                        if (g == 0) {
                            continue;
                        }
                        gb[c] += g;
                        int row = c * h;
                        for (int j = 0; j < h; j++) {
                            gw[row + j] += g * z[j];
                        }
                    }
                }
                float lr = (float) (config.learningRate() * (1 - (double) step / totalSteps));
                float inv = 1f / (end - start);
                float decay = (float) config.l2();
                for (int k = 0; k < w.length; k++) {
                    w[k] -= lr * (gw[k] * inv + decay * w[k]);
                }
                for (int c = 0; c < classes; c++) {
                    b[c] -= lr * gb[c] * inv;
                }
                step++;
            }
        }
        double trainAcc = accuracy(train, trainLabels, n, h, classes, shift, scale, w, b);
        double testAcc = nTest == 0 ? Double.NaN : accuracy(test, testLabels, nTest, h, classes, shift, scale, w, b);
        return new Result(trainAcc, testAcc, w, b);
    }

    private static double accuracy(float[] x, int[] y, int n, int h, int classes, float[] shift, float[] scale,
                                   float[] w, float[] b) {
        float[] z = new float[h];
        float[] p = new float[classes];
        int correct = 0;
        for (int i = 0; i < n; i++) {
            standardise(x, i, h, shift, scale, z);
            softmax(w, b, z, h, classes, p);
            int arg = 0;
            for (int c = 1; c < classes; c++) {
                if (p[c] > p[arg]) {
                    arg = c;
                }
            }
            if (arg == y[i]) {
                correct++;
            }
        }
        return (double) correct / n;
    }

    private static void standardise(float[] x, int i, int h, float[] shift, float[] scale, float[] z) {
        int row = i * h;
        for (int j = 0; j < h; j++) {
            z[j] = (x[row + j] - shift[j]) * scale[j];
        }
    }

    /** p = softmax(w z + b), max-subtracted so large logits cannot overflow. */
    private static void softmax(float[] w, float[] b, float[] z, int h, int classes, float[] p) {
        float max = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            float s = b[c];
            int row = c * h;
            for (int j = 0; j < h; j++) {
                s += w[row + j] * z[j];
            }
            p[c] = s;
            max = Math.max(max, s);
        }
        float sum = 0;
        for (int c = 0; c < classes; c++) {
            p[c] = (float) Math.exp(p[c] - max);
            sum += p[c];
        }
        for (int c = 0; c < classes; c++) {
            p[c] /= sum;
        }
    }
}
