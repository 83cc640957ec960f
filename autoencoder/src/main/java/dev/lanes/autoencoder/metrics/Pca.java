package dev.lanes.autoencoder.metrics;

/**
 * Principal subspaces and principal angles, for the check that a linear autoencoder spans the PCA
 * subspace. A subspace basis is given as r columns of a d x r row-major matrix (the layout of
 * {@code decoder.weight} [in, hidden]); bases need not be orthonormal, they are orthonormalised here.
 */
public final class Pca {

    /**
     * @param d dimension
     * @param r number of components
     * @param mean the per-feature mean of the data, length d
     * @param basis the top r principal directions as orthonormal columns, d x r row-major
     * @param variances all d eigenvalues of the sample covariance (divisor n - 1), descending
     */
    public record Result(int d, int r, double[] mean, double[] basis, double[] variances) {
    }

    private Pca() {
    }

    /**
     * The top-r principal subspace of the rows of x: covariance (O(n d^2)), then a Jacobi
     * eigen-decomposition (O(d^3); seconds for d = 784).
     *
     * @param x data, n x d, read
     * @param n samples, {@code >= 2}
     * @param d features, {@code >= 1}
     * @param r components, in [1, d]
     * @return mean, basis and variances
     */
    public static Result fit(float[] x, int n, int d, int r) {
        Checks.positive("pca", "d", d);
        Checks.matrix("pca", "x", x, n, d);
        if (n < 2) {
            throw new IllegalArgumentException("pca: n=" + n + " < 2 samples");
        }
        if (r < 1 || r > d) {
            throw new IllegalArgumentException("pca: r=" + r + " not in [1, d=" + d + "]");
        }
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += x[i * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        double[] cov = new double[d * d];
        double[] c = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                c[j] = x[i * d + j] - mean[j];
            }
            // Upper triangle only; the eigen-solver reads no more.
            for (int a = 0; a < d; a++) {
                double ca = c[a];
                if (ca == 0) {
                    continue;
                }
                int row = a * d;
                for (int b = a; b < d; b++) {
                    cov[row + b] += ca * c[b];
                }
            }
        }
        for (int i = 0; i < cov.length; i++) {
            cov[i] /= n - 1;
        }
        SymmetricEigen.Result e = SymmetricEigen.decompose(cov, d);
        double[] basis = new double[d * r];
        for (int i = 0; i < d; i++) {
            System.arraycopy(e.vectors(), i * d, basis, i * r, r);
        }
        return new Result(d, r, mean, basis, e.values());
    }

    /**
     * Cosines of the principal angles between span(A) and span(B): the singular values of Q_A^T Q_B, with
     * Q_A, Q_B orthonormal bases (modified Gram-Schmidt, twice), obtained as the square roots of the
     * eigenvalues of the small matrix M^T M, M = Q_A^T Q_B.
     *
     * @param a basis of the first subspace, d x ra row-major, read
     * @param ra its number of columns, {@code >= 1}
     * @param b basis of the second subspace, d x rb row-major, read
     * @param rb its number of columns, {@code >= 1}
     * @param d dimension, {@code >= 1}
     * @return min(ra, rb) cosines in [0, 1], descending
     * @throws IllegalArgumentException if a basis is (numerically) rank-deficient
     */
    public static double[] principalCosines(double[] a, int ra, double[] b, int rb, int d) {
        double[] qa = orthonormalColumns("principal angles", "a", a, d, ra);
        double[] qb = orthonormalColumns("principal angles", "b", b, d, rb);
        double[] mtm = new double[rb * rb];
        double[] m = new double[ra * rb];
        for (int k = 0; k < d; k++) {
            for (int i = 0; i < ra; i++) {
                double x = qa[k * ra + i];
                for (int j = 0; j < rb; j++) {
                    m[i * rb + j] += x * qb[k * rb + j];
                }
            }
        }
        for (int i = 0; i < ra; i++) {
            for (int p = 0; p < rb; p++) {
                double x = m[i * rb + p];
                for (int q = p; q < rb; q++) {
                    mtm[p * rb + q] += x * m[i * rb + q];
                }
            }
        }
        double[] ev = SymmetricEigen.decompose(mtm, rb).values();
        int r = Math.min(ra, rb);
        double[] cos = new double[r];
        for (int i = 0; i < r; i++) {
            cos[i] = Math.min(1, Math.sqrt(Math.max(0, ev[i])));
        }
        return cos;
    }

    /**
     * {@link #principalCosines(double[], int, double[], int, int)} for float bases, e.g. decoder weights.
     *
     * @param a basis, d x ra row-major, read
     * @param ra its columns
     * @param b basis, d x rb row-major, read
     * @param rb its columns
     * @param d dimension
     * @return the cosines, descending
     */
    public static double[] principalCosines(float[] a, int ra, float[] b, int rb, int d) {
        return principalCosines(toDouble(a, d * ra), ra, toDouble(b, d * rb), rb, d);
    }

    /**
     * @param cosines principal-angle cosines
     * @return their mean (the acceptance figure for the linear autoencoder)
     */
    public static double mean(double[] cosines) {
        double s = 0;
        for (double c : cosines) {
            s += c;
        }
        return s / cosines.length;
    }

    private static double[] toDouble(float[] x, int len) {
        java.util.Objects.requireNonNull(x, "principal angles: basis is null");
        if (len > x.length) {
            throw new IllegalArgumentException("principal angles: basis.length=" + x.length + " < " + len);
        }
        double[] r = new double[len];
        for (int i = 0; i < len; i++) {
            r[i] = x[i];
        }
        return r;
    }

    private static double[] orthonormalColumns(String op, String name, double[] a, int d, int r) {
        java.util.Objects.requireNonNull(a, op + ": " + name + " is null");
        if (d < 1 || r < 1 || r > d || (long) d * r > a.length) {
            throw new IllegalArgumentException(op + ": " + name + " must be d x r with 1 <= r <= d, got d=" + d
                    + " r=" + r + " length=" + a.length);
        }
        double[] q = java.util.Arrays.copyOf(a, d * r);
        for (int j = 0; j < r; j++) {
            double before = columnNorm(q, d, r, j);
            // Two passes of modified Gram-Schmidt: one pass loses orthogonality for ill-conditioned bases.
            for (int pass = 0; pass < 2; pass++) {
                for (int k = 0; k < j; k++) {
                    double dot = 0;
                    for (int i = 0; i < d; i++) {
                        dot += q[i * r + k] * q[i * r + j];
                    }
                    for (int i = 0; i < d; i++) {
                        q[i * r + j] -= dot * q[i * r + k];
                    }
                }
            }
            double norm = columnNorm(q, d, r, j);
            if (!(norm > 1e-10 * before) || norm == 0) {
                throw new IllegalArgumentException(op + ": column " + j + " of " + name
                        + " is (numerically) in the span of the previous columns");
            }
            for (int i = 0; i < d; i++) {
                q[i * r + j] /= norm;
            }
        }
        return q;
    }

    private static double columnNorm(double[] q, int d, int r, int j) {
        double s = 0;
        for (int i = 0; i < d; i++) {
            s += q[i * r + j] * q[i * r + j];
        }
        return Math.sqrt(s);
    }
}
