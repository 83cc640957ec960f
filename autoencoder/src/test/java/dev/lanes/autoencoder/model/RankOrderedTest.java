package dev.lanes.autoencoder.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.autoencoder.nn.GradCheck;
import dev.lanes.autoencoder.nn.Params;
import dev.lanes.autoencoder.nn.Tensor;
import dev.lanes.autoencoder.train.Adam;
import dev.lanes.autoencoder.train.LearningRate;
import dev.lanes.autoencoder.train.Trainer;
import dev.lanes.core.Fill;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Rank-ordered AE: true gradient by central differences, the surrogate rule, training and prefix errors. */
class RankOrderedTest {

    private static final long SEED = 0x2A4C_5EEDL;

    @Test
    void trueGradient() {
        for (int ranks : new int[] {2, 5}) {
            long seed = SEED ^ ranks;
            RankOrdered m = new RankOrdered(6, 5, ranks, seed);
            Params p = m.params();
            Fill.uniform(seed, -0.4f, 0.6f, p.data(), 0, p.size());
            float[] x = new float[4 * 6];
            Fill.uniform(seed + 1, 0f, 1f, x, 0, x.length);
            m.forward(4, x, true);
            p.zeroGrad();
            m.backward();
            float[] grad = p.grad().clone();
            // h = 1e-3 keeps most probes inside one ranking; loss ~0.1 in float32: floor 1e-4, 3%
            GradCheck c = new GradCheck("rank-ordered ranks=" + ranks + " seed=0x" + Long.toHexString(seed), 1e-3f,
                    3e-2, 1e-4);
            SplittableRandom rng = new SplittableRandom(seed);
            for (Tensor t : p.tensors()) {
                c.check(t.name(), p.data(), t.offset(), t.size(), grad, t.offset(), 30, rng,
                        () -> m.forward(4, x, true), m::stateFingerprint);
            }
            c.done();
        }
    }

    @Test
    void surrogatePassesOnlyGradientsTowardTheLinearRange() {
        RankOrdered m = new RankOrdered(3, 2, 2, SEED);
        Params p = m.params();
        int w = p.get("encoder.weight").offset();
        int b = p.get("encoder.bias").offset();
        // unit 0 saturated (z = 2), unit 1 below 0 (z = -1), independent of x = 0
        p.data()[b] = 2f;
        p.data()[b + 1] = -1f;
        p.data()[w] = 0.5f;
        p.data()[w + 3] = 0.5f; // both units share one direction: da1 = da0 > 0
        float[] x = {0f, 0f, 0f};
        m.forward(1, x, true);
        p.zeroGrad();
        m.backward();
        assertEquals(0f, p.grad()[b], "true gradient: flat above 1");
        m.surrogateGradient(true, 0f);
        m.forward(1, x, true);
        p.zeroGrad();
        m.backward();
        // the reconstruction overshoots x = 0, so dL/da0 > 0: the surrogate lets it push z0 down into (0, 1)
        assertTrue(p.grad()[b] > 0f, "surrogate gradient on the saturated unit: " + p.grad()[b]);
        assertEquals(0f, p.grad()[b + 1], "below 0 with a gradient pushing further down: blocked");
    }

    @Test
    void trainsAndTopRanksCarryTheReconstruction() {
        long seed = SEED ^ 0x7A;
        Synthetic s = new Synthetic(seed, 16, 12, 512, 0.15);
        float[] x = s.unitInterval();
        RankOrdered m = new RankOrdered(16, 12, 12, seed).surrogateGradient(true, 0f);
        float before = m.forward(s.rows, x, false);
        new Trainer(m, Adam.defaults(), LearningRate.constant(3e-3f), 32, seed, 0f).fit(x, s.rows, 400);
        float after = m.forward(s.rows, x, false);
        assertTrue(after < 0.8f * before, "loss " + before + " -> " + after + ", seed=0x" + Long.toHexString(seed));
        double[] errors = new double[12];
        m.prefixErrors(s.rows, x, errors);
        assertTrue(errors[11] < errors[0], "more ranks, smaller error: " + java.util.Arrays.toString(errors));
    }
}
