package dev.lanes.autoencoder.metrics;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PcaTest {
    @Test
    void eigenDecompositionReconstructs() {
        long seed = 0xE16L;
        SplittableRandom rng = new SplittableRandom(seed);
        for (int n : new int[] {1, 2, 5, 23}) {
            double[] a = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int j = i; j < n; j++) {
                    a[i * n + j] = a[j * n + i] = rng.nextGaussian();
                }
            }
            SymmetricEigen.Result e = SymmetricEigen.decompose(a, n);
            String ctx = "seed=" + seed + " n=" + n;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double r = 0;
                    double id = 0;
                    for (int k = 0; k < n; k++) {
                        r += e.vectors()[i * n + k] * e.values()[k] * e.vectors()[j * n + k];
                        id += e.vectors()[k * n + i] * e.vectors()[k * n + j];
                    }
                    // Jacobi is backward stable: errors of a few ulps of ||A|| (about 5 here).
                    assertEquals(a[i * n + j], r, 1e-12, ctx + " A[" + i + "," + j + "]");
                    assertEquals(i == j ? 1 : 0, id, 1e-12, ctx + " V^T V[" + i + "," + j + "]");
                }
                if (i > 0) {
                    assertTrue(e.values()[i] <= e.values()[i - 1], ctx);
                }
            }
        }
        SymmetricEigen.Result id = SymmetricEigen.decompose(new double[] {2, 0, 0, 2}, 2);
        assertArrayEquals(new double[] {2, 2}, id.values(), 0);
    }

    @Test
    void recoversAKnownSubspace() {
        long seed = 0x9CAL;
        SplittableRandom rng = new SplittableRandom(seed);
        int d = 12;
        int r = 3;
        int n = 4000;
        // A random orthonormal 3-frame (Gram-Schmidt happens inside principalCosines; here build it by hand).
        double[] basis = new double[d * r];
        for (int i = 0; i < basis.length; i++) {
            basis[i] = rng.nextGaussian();
        }
        float[] x = new float[n * d];
        double[] sd = {5, 3, 2};
        for (int s = 0; s < n; s++) {
            double[] coef = {rng.nextGaussian() * sd[0], rng.nextGaussian() * sd[1], rng.nextGaussian() * sd[2]};
            for (int k = 0; k < d; k++) {
                double v = 7 + 0.05 * rng.nextGaussian();
                for (int j = 0; j < r; j++) {
                    v += basis[k * r + j] * coef[j];
                }
                x[s * d + k] = (float) v;
            }
        }
        Pca.Result p = Pca.fit(x, n, d, r);
        assertEquals(7.0, p.mean()[4], 0.5, "seed=" + seed);
        double[] cos = Pca.principalCosines(p.basis(), r, basis, r, d);
        assertEquals(3, cos.length);
        for (double c : cos) {
            assertTrue(c > 0.9999, "seed=" + seed + " cosines " + java.util.Arrays.toString(cos));
        }
        assertTrue(p.variances()[2] > 1, "seed=" + seed);
        // Beyond the third component only the 0.05 noise is left: 9 directions of variance 0.0025.
        assertEquals(p.variances()[0] + p.variances()[1] + p.variances()[2] + 9 * 0.0025, p.totalVariance(),
                0.01, "seed=" + seed);
        // One direction fewer: the dominant two are inside the true span.
        Pca.Result two = Pca.fit(x, n, d, 2);
        assertEquals(1.0, Pca.mean(Pca.principalCosines(two.basis(), 2, basis, r, d)), 1e-6, "seed=" + seed);
    }

    @Test
    void subspaceIterationAgreesWithJacobi() {
        long seed = 0x5B5L;
        SplittableRandom rng = new SplittableRandom(seed);
        int d = 90;
        int n = 600;
        // Decaying spectrum, with a near-tie among the leading values and a rank deficit (last 10 columns 0).
        float[] x = new float[n * d];
        for (int s = 0; s < n; s++) {
            for (int k = 0; k < d - 10; k++) {
                x[s * d + k] = (float) (rng.nextGaussian() * 10 / (1 + k) + (k == 1 ? x[s * d] * 0.5 : 0));
            }
        }
        int r = 5;
        Pca.Result p = Pca.fit(x, n, d, r);
        double[] cov = new double[d * d];
        double[] mean = p.mean();
        for (int s = 0; s < n; s++) {
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    cov[a * d + b] += (x[s * d + a] - mean[a]) * (x[s * d + b] - mean[b]) / (n - 1);
                }
            }
        }
        SymmetricEigen.Result e = SymmetricEigen.decompose(cov, d);
        double[] top = new double[d * r];
        for (int i = 0; i < d; i++) {
            System.arraycopy(e.vectors(), i * d, top, i * r, r);
        }
        for (int j = 0; j < r; j++) {
            assertEquals(e.values()[j], p.variances()[j], 1e-9 * e.values()[0], "seed=" + seed + " j=" + j);
        }
        assertEquals(r, Pca.mean(Pca.principalCosines(p.basis(), r, top, r, d)) * r, 1e-9, "seed=" + seed);
    }

    @Test
    void principalAnglesHandCases() {
        // span(e1) vs span(e1 + e2): 45 degrees.
        double[] e1 = {1, 0, 0};
        double[] diag = {1, 1, 0};
        assertEquals(Math.sqrt(0.5), Pca.principalCosines(e1, 1, diag, 1, 3)[0], 1e-15);
        // span(e1, e2) vs span(e2, e3): one common direction, one orthogonal.
        double[] a = {1, 0, 0, 1, 0, 0};
        double[] b = {0, 0, 1, 0, 0, 1};
        assertArrayEquals(new double[] {1, 0}, Pca.principalCosines(a, 2, b, 2, 3), 1e-15);
        // The same plane in another, non-orthogonal basis.
        float[] c = {2, 1, 0, 3, 0, 0};
        assertArrayEquals(new double[] {1, 1}, Pca.principalCosines(new float[] {1, 0, 0, 1, 0, 0}, 2, c, 2, 3), 1e-12);
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> Pca.principalCosines(new double[] {1, 2, 1, 2, 1, 2}, 2, a, 2, 3));
        assertTrue(ex.getMessage().contains("column 1 of a"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Pca.fit(new float[3], 1, 3, 1));
        assertThrows(IllegalArgumentException.class, () -> Pca.fit(new float[6], 2, 3, 4));
    }
}
