package dev.lanes.autoencoder.metrics;

import dev.lanes.autoencoder.data.SyntheticDictionary;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeatureRecoveryTest {
    @Test
    void handCases() {
        float[] truth = {1, 0, 0, 1};
        // Atoms (columns of a 2 x 2 decoder): e1 and -e2.
        float[] decoder = {1, 0, 0, -1};
        FeatureRecovery.Result r = FeatureRecovery.evaluate(truth, 2, 2, decoder, 2);
        assertEquals(0.5, r.mmcs(), 1e-15, "e2's best atom is e1 with cosine 0");
        assertEquals(0.0, r.matched(), 1e-15, "one-to-one: 1 + (-1), or 0 + 0");

        // Both atoms along e1 (one scaled): MMCS counts e1 twice as good, the matching cannot.
        float[] twice = {1, 3, 0, 0};
        FeatureRecovery.Result t = FeatureRecovery.evaluate(truth, 2, 2, twice, 2);
        assertEquals(0.5, t.mmcs(), 1e-15);
        assertEquals(0.5, t.matched(), 1e-15);

        // A zero atom scores 0; the other atom is (e1 + e2) / sqrt 2.
        float[] zero = {0, 1, 0, 1};
        double[] cos = FeatureRecovery.cosines(truth, 2, 2, zero, 2);
        assertArrayEquals(new double[] {0, Math.sqrt(0.5), 0, Math.sqrt(0.5)}, cos, 1e-15);

        FeatureRecovery.Result fewer = FeatureRecovery.evaluate(truth, 2, 2, new float[] {1, 0}, 1);
        assertEquals(0.5, fewer.mmcs(), 1e-15);
        assertTrue(Double.isNaN(fewer.matched()));
        assertNull(fewer.matchedAtom());
    }

    @Test
    void permutedScaledDictionaryIsPerfect() {
        long seed = 0xFEA7L;
        SyntheticDictionary.Result s = SyntheticDictionary.generate(
                new SyntheticDictionary.Config(16, 24, 0, 3, 0, SyntheticDictionary.Magnitude.UNIFORM, seed));
        int m = 24;
        int d = 16;
        int h = 40;
        SplittableRandom rng = new SplittableRandom(seed);
        int[] perm = new int[h];
        for (int j = 0; j < h; j++) {
            perm[j] = j;
        }
        for (int j = h - 1; j > 0; j--) {
            int k = rng.nextInt(j + 1);
            int tmp = perm[j];
            perm[j] = perm[k];
            perm[k] = tmp;
        }
        // Atom perm[i] = 2.5 * feature i; the other 16 atoms are noise.
        float[] dec = new float[d * h];
        for (int j = 0; j < h; j++) {
            for (int k = 0; k < d; k++) {
                dec[k * h + j] = (float) rng.nextGaussian();
            }
        }
        for (int i = 0; i < m; i++) {
            for (int k = 0; k < d; k++) {
                dec[k * h + perm[i]] = 2.5f * s.features()[i * d + k];
            }
        }
        FeatureRecovery.Result r = FeatureRecovery.evaluate(s.features(), m, d, dec, h);
        assertEquals(1.0, r.mmcs(), 1e-6, "seed=" + seed);
        assertEquals(1.0, r.matched(), 1e-6, "seed=" + seed);
        for (int i = 0; i < m; i++) {
            assertEquals(perm[i], r.matchedAtom()[i], "seed=" + seed + " feature " + i);
            assertEquals(perm[i], r.bestAtom()[i], "seed=" + seed + " feature " + i);
        }
        // Random atoms score far lower, and matching is never above MMCS.
        float[] noise = new float[d * h];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) rng.nextGaussian();
        }
        FeatureRecovery.Result n = FeatureRecovery.evaluate(s.features(), m, d, noise, h);
        assertTrue(n.mmcs() < 0.8 && n.matched() <= n.mmcs() + 1e-12, "seed=" + seed + " " + n);
    }
}
