package dev.lanes.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The Optimizers facade: semantics against hand-computed PyTorch steps, and bad input. */
class OptimizersTest {

    /** Adam's first step with bias correction moves every weight by about lr * sign(g). */
    @Test
    void adamFirstStepIsSignStep() {
        float[] p = {1f, -2f, 0.5f};
        float[] g = {0.3f, -4f, 1e-3f};
        float[] m = new float[3];
        float[] v = new float[3];
        Optimizers.adamStep(3, 0.1f, 0.9f, 0.999f, 1e-8f, 0f, false, 0.1f, 0.001f, 1f, true, p, 0, g, 0, m, 0, v, 0);
        assertEquals(0.9f, p[0], 1e-6f);
        assertEquals(-1.9f, p[1], 1e-6f);
        assertEquals(0.4f, p[2], 1e-4f);
        assertArrayEquals(new float[3], g);
        assertEquals(0.03f, m[0], 1e-7f);
        assertEquals(0.001f * 0.09f, v[0], 1e-8f); // 1 - 0.999f rounds to 9.9999e-4 in float
    }

    /** AdamW decays the weight by (1 - lr*wd) outside the moments; Adam adds wd*p to the gradient. */
    @Test
    void adamWeightDecayModes() {
        float[] p = {2f};
        float[] g = {0f};
        float[] m = {0f};
        float[] v = {0f};
        Optimizers.adamStep(1, 0.1f, 0.9f, 0.999f, 1e-8f, 0.5f, true, 1f, 1f, 1f, false, p, 0, g, 0, m, 0, v, 0);
        assertEquals(2f * (1f - 0.05f), p[0], 1e-6f);
        assertEquals(0f, m[0]);
        float[] q = {2f};
        Optimizers.adamStep(1, 0.1f, 0.9f, 0.999f, 1e-8f, 0.5f, false, 1f, 1f, 1f, false, q, 0, g, 0, m, 0, v, 0);
        assertEquals(0.1f * 1f, m[0], 1e-7f);
    }

    /** Nesterov SGD over two steps, by hand: buf1 = g, d1 = g + mu*g; buf2 = mu*g + g, d2 = g + mu*buf2. */
    @Test
    void sgdNesterovTwoSteps() {
        float[] p = {1f};
        float[] buf = {0f};
        for (int s = 0; s < 2; s++) {
            float[] g = {1f};
            Optimizers.sgdStep(1, 0.1f, 0.5f, true, 0f, 1f, true, p, 0, g, 0, buf, 0);
        }
        // d1 = 1 + 0.5 = 1.5; buf2 = 1.5; d2 = 1 + 0.75 = 1.75; p = 1 - 0.1*(1.5 + 1.75)
        assertEquals(1f - 0.325f, p[0], 1e-6f);
        assertEquals(1.5f, buf[0]);
        float[] plain = {1f};
        Optimizers.sgdStep(1, 0.1f, 0f, false, 0f, 2f, false, plain, 0, new float[] {1f}, 0, null, 0);
        assertEquals(0.8f, plain[0], 1e-7f);
    }

    private static void rejects(Class<? extends Throwable> type, String words, float[] p, Executable call) {
        float[] before = p.clone();
        Throwable t = assertThrows(type, call);
        for (String w : words.split(" ")) {
            assertTrue(t.getMessage().contains(w), t.getMessage() + " should name " + w);
        }
        assertArrayEquals(before, p, "nothing written");
    }

    @Test
    void badInput() {
        float[] p = {1f, 2f, 3f, 4f};
        float[] g = {1f, 1f, 1f, 1f};
        float[] m = new float[4];
        float[] v = new float[4];
        rejects(IllegalArgumentException.class, "adamStep n", p,
                () -> Optimizers.adamStep(-1, 0.1f, 0.9f, 0.999f, 1e-8f, 0f, false, 1f, 1f, 1f, true, p, 0, g, 0, m, 0, v, 0));
        rejects(IllegalArgumentException.class, "adamStep lr", p,
                () -> Optimizers.adamStep(4, Float.NaN, 0.9f, 0.999f, 1e-8f, 0f, false, 1f, 1f, 1f, true, p, 0, g, 0, m, 0, v, 0));
        rejects(IllegalArgumentException.class, "adamStep beta1", p,
                () -> Optimizers.adamStep(4, 0.1f, 1f, 0.999f, 1e-8f, 0f, false, 1f, 1f, 1f, true, p, 0, g, 0, m, 0, v, 0));
        rejects(IllegalArgumentException.class, "adamStep beta2", p,
                () -> Optimizers.adamStep(4, 0.1f, 0.9f, -0.1f, 1e-8f, 0f, false, 1f, 1f, 1f, true, p, 0, g, 0, m, 0, v, 0));
        rejects(IllegalArgumentException.class, "adamStep eps", p,
                () -> Optimizers.adamStep(4, 0.1f, 0.9f, 0.999f, 0f, 0f, false, 1f, 1f, 1f, true, p, 0, g, 0, m, 0, v, 0));
        rejects(IllegalArgumentException.class, "adamStep weightDecay", p,
                () -> Optimizers.adamStep(4, 0.1f, 0.9f, 0.999f, 1e-8f, -1f, false, 1f, 1f, 1f, true, p, 0, g, 0, m, 0, v, 0));
        rejects(IllegalArgumentException.class, "adamStep bc1", p,
                () -> Optimizers.adamStep(4, 0.1f, 0.9f, 0.999f, 1e-8f, 0f, false, 0f, 1f, 1f, true, p, 0, g, 0, m, 0, v, 0));
        rejects(IllegalArgumentException.class, "adamStep bc2", p,
                () -> Optimizers.adamStep(4, 0.1f, 0.9f, 0.999f, 1e-8f, 0f, false, 1f, 2f, 1f, true, p, 0, g, 0, m, 0, v, 0));
        rejects(IllegalArgumentException.class, "adamStep gradScale", p,
                () -> Optimizers.adamStep(4, 0.1f, 0.9f, 0.999f, 1e-8f, 0f, false, 1f, 1f, Float.POSITIVE_INFINITY, true, p, 0, g, 0, m, 0, v, 0));
        rejects(IndexOutOfBoundsException.class, "adamStep v", p,
                () -> Optimizers.adamStep(4, 0.1f, 0.9f, 0.999f, 1e-8f, 0f, false, 1f, 1f, 1f, true, p, 0, g, 0, m, 0, v, 1));
        rejects(NullPointerException.class, "adamStep m", p,
                () -> Optimizers.adamStep(4, 0.1f, 0.9f, 0.999f, 1e-8f, 0f, false, 1f, 1f, 1f, true, p, 0, g, 0, null, 0, v, 0));
        float[] flat = new float[8];
        rejects(IllegalArgumentException.class, "adamStep overlaps", flat,
                () -> Optimizers.adamStep(4, 0.1f, 0.9f, 0.999f, 1e-8f, 0f, false, 1f, 1f, 1f, true, flat, 0, g, 0, flat, 2, v, 0));
        rejects(IllegalArgumentException.class, "sgdStep momentum", p,
                () -> Optimizers.sgdStep(4, 0.1f, 1f, false, 0f, 1f, true, p, 0, g, 0, m, 0));
        rejects(IllegalArgumentException.class, "sgdStep nesterov", p,
                () -> Optimizers.sgdStep(4, 0.1f, 0f, true, 0f, 1f, true, p, 0, g, 0, m, 0));
        rejects(IllegalArgumentException.class, "sgdStep lr", p,
                () -> Optimizers.sgdStep(4, -0.1f, 0f, false, 0f, 1f, true, p, 0, g, 0, null, 0));
        rejects(NullPointerException.class, "sgdStep buf", p,
                () -> Optimizers.sgdStep(4, 0.1f, 0.9f, false, 0f, 1f, true, p, 0, g, 0, null, 0));
        rejects(IndexOutOfBoundsException.class, "sgdStep g", p,
                () -> Optimizers.sgdStep(4, 0.1f, 0f, false, 0f, 1f, true, p, 0, g, 2, null, 0));
        rejects(IllegalArgumentException.class, "sgdStep overlaps", flat,
                () -> Optimizers.sgdStep(4, 0.1f, 0f, false, 0f, 1f, true, flat, 0, flat, 3, null, 0));
    }
}
