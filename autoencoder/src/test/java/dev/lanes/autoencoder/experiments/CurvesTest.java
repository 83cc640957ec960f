package dev.lanes.autoencoder.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.autoencoder.data.Dataset;
import dev.lanes.autoencoder.metrics.Pca;
import dev.lanes.autoencoder.model.Autoencoder;
import dev.lanes.autoencoder.model.Models;
import dev.lanes.core.Fill;
import org.junit.jupiter.api.Test;

/** The error-against-units curves on known cases. */
class CurvesTest {

    private static final long SEED = 0xC0DE;

    private static Dataset random(int n, int d, long seed) {
        float[] x = new float[n * d];
        Fill.uniform(seed, 0f, 1f, x, 0, x.length);
        return Dataset.of("random", n, d, x);
    }

    @Test
    void allRankedUnitsOfAPlainAeGiveItsOwnReconstruction() {
        Dataset test = random(64, 9, SEED);
        Autoencoder ae = Models.builder("ae").inputs(9).hidden(7).seed(SEED).build();
        double[] curve = RankOrderedCurve.rankedByActivation(ae, test);
        double mse = (Double) FashionTable.evaluate(ae, test).get("test_mse");
        // both sum the same 64*9 squared errors, in float (model) vs double (curve) reconstructions
        assertEquals(mse, curve[6], 1e-5 * mse, "seed=0x" + Long.toHexString(SEED));
    }

    @Test
    void pcaCurveFallsToZeroWithAllComponentsAndNeverRises() {
        Dataset train = random(200, 6, SEED + 1);
        Dataset test = random(50, 6, SEED + 2);
        double[] curve = RankOrderedCurve.pcaCurve(Pca.fit(train.features(), train.n(), 6, 6), test);
        for (int t = 1; t < 6; t++) {
            assertTrue(curve[t] <= curve[t - 1] + 1e-12, "t=" + t + " seed=0x" + Long.toHexString(SEED));
        }
        assertEquals(0, curve[5], 1e-12);
    }

    @Test
    void orthonormalColumnsSpanTheInput() {
        double[] a = {1, 1, 0, 2, 1, 0, 3, 0, 1, 0, 0, 5}; // 4 x 3
        double[] q = Pca.orthonormalColumns(a, 4, 3);
        double[] cos = Pca.principalCosines(a, 3, q, 3, 4);
        for (int i = 0; i < 3; i++) {
            assertEquals(1, cos[i], 1e-12);
            for (int j = 0; j < 3; j++) {
                double dot = 0;
                for (int k = 0; k < 4; k++) {
                    dot += q[k * 3 + i] * q[k * 3 + j];
                }
                assertEquals(i == j ? 1 : 0, dot, 1e-12, "i=" + i + " j=" + j);
            }
        }
    }

    @Test
    void jsonFileSitsBesideTheMarkdown() {
        assertEquals(java.nio.file.Path.of("docs/models.json"), FashionTable.json(java.nio.file.Path.of("docs/models.md")));
    }
}
