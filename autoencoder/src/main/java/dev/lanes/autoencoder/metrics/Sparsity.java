package dev.lanes.autoencoder.metrics;

/**
 * Sparsity of codes (n samples x h latents, row-major). A latent is active in a sample when its value is
 * not exactly 0 (NaN counts as active, so a broken model does not look sparse).
 */
public final class Sparsity {

    /**
     * Statistics over a set of codes.
     *
     * @param n samples
     * @param h latents
     * @param l0 mean number of active latents per sample
     * @param zeroFraction fraction of exact zeros among all n*h values
     * @param dead latents never active over the set
     * @param deadFraction {@code dead / h}
     * @param meanActivation rho-hat averaged over latents: the mean of all values (rho-hat_j is the mean
     *     activation of latent j over the set, see {@link Accumulator#rhoHat()})
     */
    public record Stats(long n, int h, double l0, double zeroFraction, int dead, double deadFraction,
                        double meanActivation) {
    }

    private Sparsity() {
    }

    /**
     * @param codes n x h, read
     * @param n samples
     * @param h latents, {@code >= 1}
     * @return the statistics; with n = 0 every latent is dead and the means are NaN
     */
    public static Stats of(float[] codes, int n, int h) {
        Accumulator a = new Accumulator(h);
        a.add(codes, n);
        return a.stats();
    }

    /** The same statistics over a set seen batch by batch. */
    public static final class Accumulator {
        private final int h;
        private final long[] active;
        private final double[] sum;
        private long n;

        /** @param h latents, {@code >= 1} */
        public Accumulator(int h) {
            Checks.positive("sparsity", "h", h);
            this.h = h;
            this.active = new long[h];
            this.sum = new double[h];
        }

        /**
         * @param codes rows x h, read
         * @param rows samples in the batch
         */
        public void add(float[] codes, int rows) {
            Checks.matrix("sparsity", "codes", codes, rows, h);
            for (int i = 0; i < rows; i++) {
                int row = i * h;
                for (int j = 0; j < h; j++) {
                    float v = codes[row + j];
                    if (v != 0f) {
                        active[j]++;
                        sum[j] += v;
                    }
                }
            }
            n += rows;
        }

        /** @return per latent, the number of samples in which it was active */
        public long[] activeCounts() {
            return active.clone();
        }

        /** @return per latent, its mean activation over the samples added (rho-hat_j) */
        public double[] rhoHat() {
            double[] r = new double[h];
            for (int j = 0; j < h; j++) {
                r[j] = sum[j] / n;
            }
            return r;
        }

        /** @return the statistics so far */
        public Stats stats() {
            long totalActive = 0;
            int dead = 0;
            double total = 0;
            for (int j = 0; j < h; j++) {
                totalActive += active[j];
                total += sum[j];
                if (active[j] == 0) {
                    dead++;
                }
            }
            double cells = (double) n * h;
            return new Stats(n, h, (double) totalActive / n, (cells - totalActive) / cells, dead, (double) dead / h,
                    total / cells);
        }
    }
}
