package dev.lanes.autoencoder.metrics;

/**
 * Reconstruction error of x-hat against x (both n x d, row-major): mean squared error and the fraction of
 * variance unexplained, FVU = sum ||x - x-hat||^2 / sum ||x - x-bar||^2, a ratio of sums over the whole
 * set with x-bar the per-feature mean of x over the set (not a mean of per-sample ratios, not about zero).
 * Sums are accumulated in double; results do not depend on any thread count (everything is sequential).
 */
public final class Reconstruction {
    private Reconstruction() {
    }

    /**
     * @param x originals, n x d, read
     * @param xhat reconstructions, n x d, read
     * @param n samples
     * @param d features
     * @return sum (x - xhat)^2 / (n d); NaN when n*d = 0
     */
    public static double mse(float[] x, float[] xhat, int n, int d) {
        Checks.matrix("mse", "x", x, n, d);
        Checks.matrix("mse", "xhat", xhat, n, d);
        return squaredError(x, xhat, n * d) / ((double) n * d);
    }

    /**
     * @param x originals, n x d, read
     * @param xhat reconstructions, n x d, read
     * @param n samples
     * @param d features
     * @return the FVU; NaN when x has no variance (e.g. n &lt; 2) and the error is 0, +Inf when it has none but
     *     the error is positive
     */
    public static double fvu(float[] x, float[] xhat, int n, int d) {
        Checks.matrix("fvu", "x", x, n, d);
        Checks.matrix("fvu", "xhat", xhat, n, d);
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += x[i * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        double total = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double c = x[i * d + j] - mean[j];
                total += c * c;
            }
        }
        return squaredError(x, xhat, n * d) / total;
    }

    private static double squaredError(float[] x, float[] xhat, int len) {
        double s = 0;
        for (int i = 0; i < len; i++) {
            double e = (double) x[i] - xhat[i];
            s += e * e;
        }
        return s;
    }

    /**
     * MSE and FVU over a set seen batch by batch (evaluation need not hold all reconstructions). The
     * per-feature variance is merged across batches with Chan's parallel formula, so it matches the
     * two-pass result to rounding.
     */
    public static final class Accumulator {
        private final int d;
        private final double[] mean;
        private final double[] m2;
        private long count;
        private double squaredError;

        /** @param d features per sample, {@code >= 1} */
        public Accumulator(int d) {
            Checks.positive("reconstruction", "d", d);
            this.d = d;
            this.mean = new double[d];
            this.m2 = new double[d];
        }

        /**
         * Adds a batch.
         *
         * @param x originals, rows x d, read
         * @param xhat reconstructions, rows x d, read
         * @param rows samples in the batch
         */
        public void add(float[] x, float[] xhat, int rows) {
            Checks.matrix("reconstruction", "x", x, rows, d);
            Checks.matrix("reconstruction", "xhat", xhat, rows, d);
            if (rows == 0) {
                return;
            }
            squaredError += squaredError(x, xhat, rows * d);
            double[] bm = new double[d];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < d; j++) {
                    bm[j] += x[i * d + j];
                }
            }
            for (int j = 0; j < d; j++) {
                bm[j] /= rows;
            }
            long total = count + rows;
            for (int j = 0; j < d; j++) {
                double bm2 = 0;
                for (int i = 0; i < rows; i++) {
                    double c = x[i * d + j] - bm[j];
                    bm2 += c * c;
                }
                double delta = bm[j] - mean[j];
                m2[j] += bm2 + delta * delta * count * rows / total;
                mean[j] += delta * rows / total;
            }
            count = total;
        }

        /** @return samples added so far */
        public long count() {
            return count;
        }

        /** @return the MSE over all samples added */
        public double mse() {
            return squaredError / ((double) count * d);
        }

        /** @return the FVU over all samples added */
        public double fvu() {
            double total = 0;
            for (double v : m2) {
                total += v;
            }
            return squaredError / total;
        }
    }
}
