package dev.lanes.autoencoder.metrics;

import java.util.Objects;

/**
 * Eigen-decomposition of a real symmetric matrix by the cyclic Jacobi method: sweeps of plane rotations,
 * each zeroing one off-diagonal entry, until the off-diagonal mass is negligible. Slow for large n
 * (about 3 n^3 flops per sweep, typically 6 to 10 sweeps; n = 784 takes seconds) but simple, accurate
 * to a few ulps relative to the matrix norm, and it returns orthonormal eigenvectors even for repeated
 * eigenvalues.
 */
public final class SymmetricEigen {

    /**
     * @param n the order
     * @param values eigenvalues, descending
     * @param vectors eigenvectors as columns, n x n row-major, orthonormal; column j belongs to values[j]
     */
    public record Result(int n, double[] values, double[] vectors) {
    }

    private static final int MAX_SWEEPS = 100;

    private SymmetricEigen() {
    }

    /**
     * @param a a symmetric n x n matrix, row-major, read (only the upper triangle is used)
     * @param n the order, {@code >= 0}
     * @return eigenvalues (descending) and eigenvectors
     */
    public static Result decompose(double[] a, int n) {
        Objects.requireNonNull(a, "eigen: a is null");
        if (n < 0 || (long) n * n > a.length) {
            throw new IllegalArgumentException("eigen: a.length=" + a.length + " too short for n=" + n);
        }
        double[] w = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double v = a[i * n + j];
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("eigen: a[" + i + "," + j + "]=" + v + " is not finite");
                }
                w[i * n + j] = v;
                w[j * n + i] = v;
            }
        }
        double[] vec = new double[n * n];
        for (int i = 0; i < n; i++) {
            vec[i * n + i] = 1;
        }
        double norm = 0;
        for (double v : w) {
            norm += v * v;
        }
        double tol = 1e-30 * norm;
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            double off = 0;
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    off += w[p * n + q] * w[p * n + q];
                }
            }
            if (off <= tol) {
                break;
            }
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    rotate(w, vec, n, p, q);
                }
            }
        }
        // Descending order, so the leading columns span the dominant subspace.
        double[] values = new double[n];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(w[y * n + y], w[x * n + x]));
        double[] vectors = new double[n * n];
        for (int j = 0; j < n; j++) {
            int src = order[j];
            values[j] = w[src * n + src];
            for (int i = 0; i < n; i++) {
                vectors[i * n + j] = vec[i * n + src];
            }
        }
        return new Result(n, values, vectors);
    }

    /** One rotation in the (p, q) plane that zeroes w[p,q]; w and vec are updated in place. */
    private static void rotate(double[] w, double[] vec, int n, int p, int q) {
        double apq = w[p * n + q];
        if (apq == 0) {
            return;
        }
        double app = w[p * n + p];
        double aqq = w[q * n + q];
        double theta = (aqq - app) / (2 * apq);
        // The smaller root of t^2 + 2 theta t - 1 = 0 keeps the rotation angle below pi/4 (stable).
        double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        if (theta == 0) {
            t = 1;
        }
        double c = 1 / Math.sqrt(t * t + 1);
        double s = t * c;
        for (int k = 0; k < n; k++) {
            if (k == p || k == q) {
                continue;
            }
            double akp = w[k * n + p];
            double akq = w[k * n + q];
            double np = c * akp - s * akq;
            double nq = s * akp + c * akq;
            w[k * n + p] = np;
            w[p * n + k] = np;
            w[k * n + q] = nq;
            w[q * n + k] = nq;
        }
        w[p * n + p] = app - t * apq;
        w[q * n + q] = aqq + t * apq;
        w[p * n + q] = 0;
        w[q * n + p] = 0;
        for (int k = 0; k < n; k++) {
            double vp = vec[k * n + p];
            double vq = vec[k * n + q];
            vec[k * n + p] = c * vp - s * vq;
            vec[k * n + q] = s * vp + c * vq;
        }
    }
}
