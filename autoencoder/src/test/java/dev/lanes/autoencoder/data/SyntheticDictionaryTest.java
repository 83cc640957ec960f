package dev.lanes.autoencoder.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyntheticDictionaryTest {
    private static final SyntheticDictionary.Config SMALL =
            new SyntheticDictionary.Config(32, 48, 4000, 3.0, 0.5, SyntheticDictionary.Magnitude.UNIFORM, 0x5EEDL);

    @Test
    void featuresAreUnitNormAndProbabilitiesSumToTheExpectedCount() {
        SyntheticDictionary.Result r = SyntheticDictionary.generate(SMALL);
        int d = SMALL.d();
        for (int i = 0; i < SMALL.m(); i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                s += (double) r.features()[i * d + j] * r.features()[i * d + j];
            }
            assertEquals(1.0, s, 1e-6, "seed=" + SMALL.seed() + " feature " + i);
        }
        double sum = 0;
        for (int i = 0; i < SMALL.m(); i++) {
            sum += r.probabilities()[i];
            if (i > 0) {
                assertTrue(r.probabilities()[i] <= r.probabilities()[i - 1]);
            }
        }
        assertEquals(3.0, sum, 1e-9);
        assertEquals(SMALL.n(), r.data().n());
        assertNull(r.data().labels());
    }

    @Test
    void sameSeedSameBitsOtherSeedOtherData() {
        SyntheticDictionary.Result a = SyntheticDictionary.generate(SMALL);
        SyntheticDictionary.Result b = SyntheticDictionary.generate(SMALL);
        assertArrayEquals(a.data().features(), b.data().features());
        assertArrayEquals(a.features(), b.features());
        SyntheticDictionary.Result fewer = SyntheticDictionary.generate(SMALL.withN(10));
        assertArrayEquals(a.features(), fewer.features(), "features must not depend on n");
        SyntheticDictionary.Result other = SyntheticDictionary.generate(SMALL.withSeed(7));
        assertFalse(java.util.Arrays.equals(a.features(), other.features()));
    }

    @Test
    void secondMomentMatchesTheModel() {
        // E||x||^2 = sum_i p_i E[a^2] + cross terms with mean E[a]^2 p_i p_j <f_i, f_j>; with U(0,1]
        // magnitudes E[a^2] = 1/3. The cross terms are small for nearly orthogonal features; compute them.
        SyntheticDictionary.Result r = SyntheticDictionary.generate(SMALL.withN(40_000));
        int d = SMALL.d();
        int m = SMALL.m();
        double expected = 0;
        for (int i = 0; i < m; i++) {
            expected += r.probabilities()[i] / 3;
            for (int j = 0; j < m; j++) {
                if (i != j) {
                    double dot = 0;
                    for (int k = 0; k < d; k++) {
                        dot += (double) r.features()[i * d + k] * r.features()[j * d + k];
                    }
                    expected += 0.25 * r.probabilities()[i] * r.probabilities()[j] * dot;
                }
            }
        }
        double sum = 0;
        float[] x = r.data().features();
        for (float v : x) {
            sum += (double) v * v;
        }
        double mean = sum / r.data().n();
        assertEquals(expected, mean, 0.03 * expected, "seed=" + SMALL.seed());
    }

    @Test
    void probabilitiesAreCappedAtOne() {
        double[] p = SyntheticDictionary.probabilities(4, 3.5, 3.0);
        double s = 0;
        for (double v : p) {
            assertTrue(v > 0 && v <= 1, java.util.Arrays.toString(p));
            s += v;
        }
        assertEquals(3.5, s, 1e-12);
        assertEquals(1.0, p[0]);
        assertArrayEquals(new double[] {1, 1, 1, 1}, SyntheticDictionary.probabilities(4, 4, 2.0));
    }

    @Test
    void defaultsAndBadConfigs() {
        SyntheticDictionary.Config c = SyntheticDictionary.Config.DEFAULT;
        assertEquals(128, c.d());
        assertEquals(256, c.m());
        SyntheticDictionary.Result r = SyntheticDictionary.generate(c.withN(100));
        assertEquals(0.0102, r.probabilities()[255], 1e-4);
        assertThrows(IllegalArgumentException.class, () -> new SyntheticDictionary.Config(0, 1, 1, 1, 0,
                SyntheticDictionary.Magnitude.UNIFORM, 1));
        assertThrows(IllegalArgumentException.class, () -> new SyntheticDictionary.Config(4, 4, 1, 5, 0,
                SyntheticDictionary.Magnitude.UNIFORM, 1));
        assertThrows(IllegalArgumentException.class, () -> new SyntheticDictionary.Config(4, 4, 1, 1, Double.NaN,
                SyntheticDictionary.Magnitude.EXPONENTIAL, 1));
        assertThrows(IllegalArgumentException.class, () -> new SyntheticDictionary.Config(1 << 16, 4, 1 << 16, 1, 0,
                SyntheticDictionary.Magnitude.EXPONENTIAL, 1));
        SyntheticDictionary.Result e = SyntheticDictionary.generate(new SyntheticDictionary.Config(8, 8, 2000, 2, 0,
                SyntheticDictionary.Magnitude.EXPONENTIAL, 3));
        for (float v : e.data().features()) {
            assertTrue(Float.isFinite(v));
        }
    }
}
