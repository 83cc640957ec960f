package dev.lanes.autoencoder.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.autoencoder.model.Autoencoder;
import dev.lanes.autoencoder.model.Models;
import dev.lanes.autoencoder.nn.ParamSpec;
import dev.lanes.autoencoder.nn.Params;
import dev.lanes.autoencoder.nn.Tensor;
import dev.lanes.core.Fill;
import org.junit.jupiter.api.Test;

/** Optimizers on a quadratic, schedules, clipping, the NaN guard and replayable training. */
class TrainerTest {

    private static final long SEED = 0x7A11_5EEDL;

    /** Minimises 0.5 |p - c|^2 from p = 0; returns the final max |p - c|. */
    private static double quadratic(Optimizer opt, float lr, int steps) {
        Params p = new Params();
        Tensor t = p.add(new ParamSpec("p", 37));
        p.allocate();
        float[] c = new float[37];
        Fill.uniform(SEED, -2f, 2f, c, 0, 37);
        for (int s = 0; s < steps; s++) {
            for (int i = 0; i < 37; i++) {
                p.grad()[t.offset() + i] += p.data()[t.offset() + i] - c[i];
            }
            opt.step(p, lr, 1f);
        }
        double err = 0;
        for (int i = 0; i < 37; i++) {
            err = Math.max(err, Math.abs(p.data()[t.offset() + i] - c[i]));
            assertEquals(0f, p.grad()[t.offset() + i], "the step clears the gradient");
        }
        return err;
    }

    @Test
    void optimizersConverge() {
        assertTrue(quadratic(Adam.defaults(), 0.05f, 600) < 1e-2, "adam");
        assertTrue(quadratic(Adam.adamW(1e-4f), 0.05f, 600) < 1e-2, "adamw");
        assertTrue(quadratic(new Sgd(0f, false, 0f), 0.1f, 300) < 1e-4, "sgd");
        assertTrue(quadratic(new Sgd(0.9f, false, 0f), 0.05f, 400) < 1e-4, "momentum");
        assertTrue(quadratic(new Sgd(0.9f, true, 0f), 0.05f, 400) < 1e-4, "nesterov");
    }

    @Test
    void schedules() {
        LearningRate s = LearningRate.warmupCosine(1f, 10, 110, 0.1f);
        assertEquals(0.1f, s.at(0), 1e-6f);
        assertEquals(1f, s.at(9), 1e-6f);
        assertEquals(1f, s.at(10), 1e-6f);
        assertEquals(0.55f, s.at(60), 1e-6f);
        assertEquals(0.1f, s.at(110), 1e-6f);
        assertEquals(0.1f, s.at(1000), 1e-6f);
        assertEquals(0.3f, LearningRate.constant(0.3f).at(12345));
        assertThrows(IllegalArgumentException.class, () -> LearningRate.warmupCosine(1f, 10, 10, 0f));
    }

    @Test
    void nanGuardStopsAtTheStepAndKeepsParameters() {
        Autoencoder m = Models.builder("ae").inputs(8).hidden(6).seed(SEED).build();
        Trainer t = new Trainer(m, Adam.defaults(), LearningRate.constant(1e-3f), 4, SEED, 1f);
        float[] x = new float[4 * 8];
        Fill.uniform(SEED, 0f, 1f, x, 0, x.length);
        for (int s = 0; s < 3; s++) {
            t.trainStep(4, x);
        }
        float[] before = m.params().data().clone();
        x[5] = Float.NaN;
        DivergedException e = assertThrows(DivergedException.class, () -> t.trainStep(4, x));
        assertEquals(3, e.step());
        assertTrue(e.getMessage().contains("step 3"), e.getMessage());
        assertArrayEquals(before, m.params().data(), "parameters of the last good step");
    }

    @Test
    void clippingBoundsTheStep() {
        Params p = new Params();
        Tensor t = p.add(new ParamSpec("w", 4));
        p.allocate();
        p.grad()[t.offset()] = 300f;
        p.grad()[t.offset() + 1] = 400f;
        new Sgd(0f, false, 0f).step(p, 1f, 2f / 500f);
        assertEquals(-1.2f, p.data()[t.offset()], 1e-6f);
        assertEquals(-1.6f, p.data()[t.offset() + 1], 1e-6f);
    }

    @Test
    void trainingIsReplayable() {
        float[] x = new float[50 * 8];
        Fill.uniform(SEED + 1, 0f, 1f, x, 0, x.length);
        float[][] weights = new float[2][];
        for (int run = 0; run < 2; run++) {
            Autoencoder m = Models.builder("dae").inputs(8).hidden(6).seed(SEED).build();
            new Trainer(m, Adam.defaults(), LearningRate.constant(1e-2f), 16, SEED, 1f).fit(x, 50, 40);
            weights[run] = m.params().data();
        }
        assertArrayEquals(weights[0], weights[1], "same seed, same weights, seed=0x" + Long.toHexString(SEED));
    }

    @Test
    void unitNormDecoderColumns() {
        Autoencoder m = Models.builder("topk").inputs(8).hidden(12).k(3).seed(SEED).build();
        float[] x = new float[16 * 8];
        Fill.uniform(SEED, 0f, 1f, x, 0, x.length);
        m.prepare(x, 16);
        Trainer t = new Trainer(m, Adam.defaults(), LearningRate.constant(1e-2f), 16, SEED, 0f);
        for (int s = 0; s < 10; s++) {
            t.trainStep(16, x);
        }
        float[] p = m.params().data();
        int wd = m.decoder().weight().offset();
        for (int j = 0; j < 12; j++) {
            double nn = 0;
            for (int i = 0; i < 8; i++) {
                nn += p[wd + i * 12 + j] * p[wd + i * 12 + j];
            }
            assertEquals(1.0, nn, 1e-5, "column " + j);
        }
        m.forward(16, x, true);
        m.backward();
        m.beforeStep();
        float[] g = m.params().grad();
        for (int j = 0; j < 12; j++) {
            double dot = 0;
            for (int i = 0; i < 8; i++) {
                dot += p[wd + i * 12 + j] * g[wd + i * 12 + j];
            }
            assertEquals(0.0, dot, 1e-6, "gradient parallel to column " + j);
        }
    }
}
