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
     * @param variances the top r eigenvalues of the sample covariance (divisor n - 1), descending
     * @param totalVariance the trace of the sample covariance (the sum of all d eigenvalues)
     */
    public record Result(int d, int r, double[] mean, double[] basis, double[] variances, double totalVariance) {
    }

    /** Relative residual ||C q - lambda q|| / lambda_1 at which a Ritz pair counts as converged. */
    private static final double TOLERANCE = 1e-10;
    private static final int MAX_ITERATIONS = 1000;

    private Pca() {
    }

    /**
     * The top-r principal subspace of the rows of x: the sample covariance (O(n d^2)), then its top r
     * eigenvectors. When r is small next to d they come from orthogonal (subspace) iteration with
     * Rayleigh-Ritz, on max(2r, r + 16) vectors so that convergence goes as (lambda_{2r+1} / lambda_r)^t;
     * otherwise from a full Jacobi decomposition. Deterministic (fixed internal seed).
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
        double[] cov = covariance(x, n, d, mean);
        double trace = 0;
        for (int j = 0; j < d; j++) {
            trace += cov[j * d + j];
        }
        int k = Math.max(2 * r, r + 16);
        double[] basis = new double[d * r];
        double[] values;
        if (k >= d / 2) {
            SymmetricEigen.Result e = SymmetricEigen.decompose(cov, d);
            for (int i = 0; i < d; i++) {
                System.arraycopy(e.vectors(), i * d, basis, i * r, r);
            }
            values = java.util.Arrays.copyOf(e.values(), r);
        } else {
            values = subspaceIteration(cov, d, r, k, basis);
        }
        return new Result(d, r, mean, basis, values, trace);
    }

    /** The full symmetric covariance (divisor n - 1), accumulated over blocks of centred rows. */
    private static double[] covariance(float[] x, int n, int d, double[] mean) {
        double[] cov = new double[d * d];
        // Blocks of rows: each covariance row is then updated by BLOCK samples while it sits in L1,
        // instead of streaming the whole d x d matrix through memory once per sample.
        final int block = 64;
        double[] c = new double[block * d];
        for (int start = 0; start < n; start += block) {
            int rows = Math.min(block, n - start);
            for (int s = 0; s < rows; s++) {
                for (int j = 0; j < d; j++) {
                    c[s * d + j] = x[(start + s) * d + j] - mean[j];
                }
            }
            // Upper triangle only (half the work); mirrored below.
            for (int a = 0; a < d; a++) {
                int row = a * d;
                for (int s = 0; s < rows; s++) {
                    double ca = c[s * d + a];
                    if (ca == 0) {
                        continue;
                    }
                    int cs = s * d;
                    for (int b = a; b < d; b++) {
                        cov[row + b] += ca * c[cs + b];
                    }
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                double v = cov[a * d + b] / (n - 1);
                cov[a * d + b] = v;
                cov[b * d + a] = v;
            }
        }
        return cov;
    }

    /**
     * Top-r eigenpairs of the symmetric d x d matrix c by orthogonal iteration on k vectors with a
     * Rayleigh-Ritz step each round; writes the eigenvectors to basis (d x r) and returns the eigenvalues.
     */
    static double[] subspaceIteration(double[] c, int d, int r, int k, double[] basis) {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(0x9CA);
        double[] q = new double[d * k];
        for (int i = 0; i < q.length; i++) {
            q[i] = rng.nextDouble() - 0.5;
        }
        orthonormalise(q, d, k);
        double[] z = new double[d * k];
        double[] t = new double[k * k];
        double[] qw = new double[d * k];
        double[] zw = new double[d * k];
        double[] values = new double[r];
        for (int it = 0; it < MAX_ITERATIONS; it++) {
            multiply(c, d, q, k, z);
            // T = Q^T C Q, the Rayleigh quotient on the current subspace.
            java.util.Arrays.fill(t, 0);
            for (int i = 0; i < d; i++) {
                for (int a = 0; a < k; a++) {
                    double qa = q[i * k + a];
                    for (int b = a; b < k; b++) {
                        t[a * k + b] += qa * z[i * k + b];
                    }
                }
            }
            SymmetricEigen.Result e = SymmetricEigen.decompose(t, k);
            // Ritz vectors Q W and their images C Q W.
            rightMultiply(q, d, k, e.vectors(), qw);
            rightMultiply(z, d, k, e.vectors(), zw);
            double worst = 0;
            for (int j = 0; j < r; j++) {
                double res = 0;
                for (int i = 0; i < d; i++) {
                    double v = zw[i * k + j] - e.values()[j] * qw[i * k + j];
                    res += v * v;
                }
                worst = Math.max(worst, Math.sqrt(res));
            }
            System.arraycopy(e.values(), 0, values, 0, r);
            if (worst <= TOLERANCE * Math.max(Math.abs(e.values()[0]), Double.MIN_NORMAL) || it == MAX_ITERATIONS - 1) {
                for (int i = 0; i < d; i++) {
                    System.arraycopy(qw, i * k, basis, i * r, r);
                }
                return values;
            }
            System.arraycopy(zw, 0, q, 0, q.length);
            orthonormalise(q, d, k);
        }
        throw new AssertionError("unreachable");
    }

    /** out = a (d x d) times q (d x k), row-major; the inner loop runs along contiguous rows. */
    private static void multiply(double[] a, int d, double[] q, int k, double[] out) {
        java.util.Arrays.fill(out, 0);
        for (int i = 0; i < d; i++) {
            int orow = i * k;
            for (int j = 0; j < d; j++) {
                double aij = a[i * d + j];
                int qrow = j * k;
                for (int b = 0; b < k; b++) {
                    out[orow + b] += aij * q[qrow + b];
                }
            }
        }
    }

    /** out = m (d x k) times w (k x k). */
    private static void rightMultiply(double[] m, int d, int k, double[] w, double[] out) {
        java.util.Arrays.fill(out, 0);
        for (int i = 0; i < d; i++) {
            for (int a = 0; a < k; a++) {
                double v = m[i * k + a];
                for (int b = 0; b < k; b++) {
                    out[i * k + b] += v * w[a * k + b];
                }
            }
        }
    }

    /** Modified Gram-Schmidt, twice; a column that vanishes is replaced by a fresh random direction. */
    private static void orthonormalise(double[] q, int d, int k) {
        java.util.SplittableRandom fresh = new java.util.SplittableRandom(k);
        for (int j = 0; j < k; j++) {
            for (int pass = 0; pass < 2; pass++) {
                for (int p = 0; p < j; p++) {
                    double dot = 0;
                    for (int i = 0; i < d; i++) {
                        dot += q[i * k + p] * q[i * k + j];
                    }
                    for (int i = 0; i < d; i++) {
                        q[i * k + j] -= dot * q[i * k + p];
                    }
                }
            }
            double norm = columnNorm(q, d, k, j);
            if (norm < 1e-300) {
                // Rank-deficient covariance: any unit vector orthogonal to the rest will do (k < d here).
                for (int i = 0; i < d; i++) {
                    q[i * k + j] = fresh.nextDouble() - 0.5;
                }
                j--;
                continue;
            }
            for (int i = 0; i < d; i++) {
                q[i * k + j] /= norm;
            }
        }
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

    /**
     * The columns of {@code a} (d x r row-major) made orthonormal by two passes of modified Gram-Schmidt,
     * in a new array; they span the same subspace.
     *
     * @throws IllegalArgumentException if a column is (numerically) in the span of the previous ones
     */
    public static double[] orthonormalColumns(double[] a, int d, int r) {
        return orthonormalColumns("orthonormal columns", "a", a, d, r);
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
