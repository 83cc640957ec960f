package dev.lanes.autoencoder.data;

import java.util.Objects;

/**
 * A data set of {@code n} samples with {@code d} float32 features each, row-major in one array
 * ({@code x[i*d + j]} is feature j of sample i), with optional integer labels and an optional image
 * shape (h, w) with {@code h*w == d}.
 *
 * <p>Immutable by contract: the arrays are shared, not copied, because data sets are large and the
 * trainer reads them directly. {@link #features()} and {@link #labels()} must be treated as read-only.
 * For the same reason {@code equals} compares the arrays by identity, as records do.
 *
 * @param name a short name for logs and summaries, e.g. "fashion-mnist/train"
 * @param n the number of samples, {@code >= 0}
 * @param d the number of features per sample, {@code >= 1}
 * @param features {@code n*d} values, row-major
 * @param labels {@code n} labels, or null when the data set has none
 * @param height image height, or 0 when the samples are not images
 * @param width image width, or 0 when the samples are not images
 */
public record Dataset(String name, int n, int d, float[] features, int[] labels, int height, int width) {

    /** Checks the shapes; see the record description. */
    public Dataset {
        Objects.requireNonNull(name, "dataset: name is null");
        Objects.requireNonNull(features, "dataset: features is null");
        if (n < 0) {
            throw new IllegalArgumentException("dataset " + name + ": n=" + n + " < 0");
        }
        if (d < 1) {
            throw new IllegalArgumentException("dataset " + name + ": d=" + d + " < 1");
        }
        if ((long) n * d != features.length) {
            throw new IllegalArgumentException("dataset " + name + ": features.length=" + features.length
                    + " != n*d=" + (long) n * d);
        }
        if (labels != null && labels.length != n) {
            throw new IllegalArgumentException("dataset " + name + ": labels.length=" + labels.length + " != n=" + n);
        }
        if (height < 0 || width < 0 || (height == 0) != (width == 0)
                || (height != 0 && (long) height * width != d)) {
            throw new IllegalArgumentException("dataset " + name + ": image shape " + height + "x" + width
                    + " does not match d=" + d + " (use 0x0 for non-images)");
        }
    }

    /**
     * A data set without labels or image shape.
     *
     * @param name a short name
     * @param n the number of samples
     * @param d the number of features
     * @param features {@code n*d} values, row-major, shared
     * @return the data set
     */
    public static Dataset of(String name, int n, int d, float[] features) {
        return new Dataset(name, n, d, features, null, 0, 0);
    }

    /** @return whether {@link #labels()} is non-null */
    public boolean hasLabels() {
        return labels != null;
    }

    /** @return whether the samples are {@link #height()} x {@link #width()} images */
    public boolean isImages() {
        return height > 0;
    }

    /** @return the number of classes, {@code 1 + max(label)}, or 0 without labels or samples */
    public int classes() {
        if (labels == null) {
            return 0;
        }
        int max = -1;
        for (int y : labels) {
            max = Math.max(max, y);
        }
        return max + 1;
    }

    /**
     * @param i a sample index in [0, n)
     * @return a copy of sample i's features
     */
    public float[] row(int i) {
        Objects.checkIndex(i, n);
        float[] r = new float[d];
        System.arraycopy(features, i * d, r, 0, d);
        return r;
    }

    /**
     * The samples [from, to), copied, keeping labels and image shape.
     *
     * @param from first sample, inclusive
     * @param to last sample, exclusive
     * @param newName the name of the slice
     * @return the slice
     */
    public Dataset slice(int from, int to, String newName) {
        Objects.checkFromToIndex(from, to, n);
        float[] x = new float[(to - from) * d];
        System.arraycopy(features, from * d, x, 0, x.length);
        int[] y = labels == null ? null : java.util.Arrays.copyOfRange(labels, from, to);
        return new Dataset(newName, to - from, d, x, y, height, width);
    }

    /**
     * The per-feature mean over all samples (accumulated in double), e.g. to initialise a decoder bias.
     *
     * @return d means; zeros when n = 0
     */
    public float[] featureMean() {
        double[] sum = new double[d];
        for (int i = 0; i < n; i++) {
            int row = i * d;
            for (int j = 0; j < d; j++) {
                sum[j] += features[row + j];
            }
        }
        float[] mean = new float[d];
        for (int j = 0; j < d; j++) {
            mean[j] = n == 0 ? 0f : (float) (sum[j] / n);
        }
        return mean;
    }

    /**
     * A seeded random split into two disjoint parts, copied, keeping labels and image shape; the
     * samples of each part keep their original relative order.
     *
     * @param secondCount samples in the second part (e.g. a validation set), in [0, n]
     * @param seed seed of the permutation; the same seed gives the same split
     * @return {first, second}, named "NAME/train" and "NAME/validation"
     */
    public Dataset[] split(int secondCount, long seed) {
        if (secondCount < 0 || secondCount > n) {
            throw new IllegalArgumentException("dataset " + name + ": split secondCount=" + secondCount
                    + " not in [0, n=" + n + "]");
        }
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int k = rng.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[k];
            perm[k] = t;
        }
        boolean[] second = new boolean[n];
        for (int i = 0; i < secondCount; i++) {
            second[perm[i]] = true;
        }
        return new Dataset[] {pick(second, false, n - secondCount, name + "/train"),
            pick(second, true, secondCount, name + "/validation")};
    }

    private Dataset pick(boolean[] second, boolean which, int count, String newName) {
        float[] x = new float[count * d];
        int[] y = labels == null ? null : new int[count];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (second[i] == which) {
                System.arraycopy(features, i * d, x, k * d, d);
                if (y != null) {
                    y[k] = labels[i];
                }
                k++;
            }
        }
        return new Dataset(newName, count, d, x, y, height, width);
    }

    @Override
    public String toString() {
        return "Dataset[" + name + ", n=" + n + ", d=" + d + (isImages() ? ", " + height + "x" + width : "")
                + (hasLabels() ? ", labelled" : "") + "]";
    }
}
