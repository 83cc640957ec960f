package dev.lanes.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The public enum, on whichever implementation the build selected. */
class ActivationTest {

    private static float[] forward(Activation f, float... x) {
        float[] y = new float[x.length];
        f.forward(x, 0, y, 0, x.length);
        return y;
    }

    private static float[] backward(Activation f, float[] x, float[] dy) {
        float[] y = forward(f, x);
        float[] dx = new float[x.length];
        f.backward(x, 0, y, 0, dy, 0, dx, 0, x.length);
        return dx;
    }

    private static void assertBits(float expected, float actual, String what) {
        assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(actual), what + ": expected " + expected
                + " got " + actual);
    }

    @Test
    void knownValues() {
        assertArrayEquals(new float[] {0f, 0f, 2f, 0f}, forward(Activation.RELU, -1f, -0f, 2f, 0f));
        assertBits(0f, forward(Activation.RELU, -0f)[0], "relu(-0)");
        assertArrayEquals(new float[] {0f, 0f, 0.25f, 1f, 1f}, forward(Activation.TRELU, -3f, 0f, 0.25f, 1f, 7f));
        assertArrayEquals(new float[] {-3f, 0f, 5f}, forward(Activation.IDENTITY, -3f, 0f, 5f));
        float[] s = forward(Activation.SIGMOID, 0f, 2f, -2f);
        assertEquals(0.5f, s[0]);
        assertEquals(1 / (1 + Math.exp(-2)), s[1], 2e-7);
        assertEquals(1 / (1 + Math.exp(2)), s[2], 2e-8);
        float[] t = forward(Activation.TANH, 0.5f, -0.5f, 0f);
        assertEquals(Math.tanh(0.5), t[0], 1e-7);
        assertEquals(Math.tanh(-0.5), t[1], 1e-7);
        float[] sp = forward(Activation.SOFTPLUS, 0f, 3f, -3f);
        assertEquals(Math.log(2), sp[0], 1e-7);
        assertEquals(Math.log1p(Math.exp(3)), sp[1], 4e-7);
        assertEquals(Math.log1p(Math.exp(-3)), sp[2], 1e-8);
        assertBits(-0f, forward(Activation.TANH, -0f)[0], "tanh(-0)");
    }

    @Test
    void stableAtTheEndsOfTheFloatRange() {
        float max = Float.MAX_VALUE;
        float[] x = {max, -max, 1e30f, -1e30f, 200f, -200f};
        float[] sig = forward(Activation.SIGMOID, x);
        assertArrayEquals(new float[] {1f, 0f, 1f, 0f, 1f, 0f}, sig);
        assertArrayEquals(new float[] {1f, -1f, 1f, -1f, 1f, -1f}, forward(Activation.TANH, x));
        assertArrayEquals(new float[] {max, 0f, 1e30f, 0f, 200f, 0f}, forward(Activation.SOFTPLUS, x));
        assertArrayEquals(new float[] {1f, -1f}, forward(Activation.TANH, 9.5f, -9.5f), "tanh saturates exactly");
        // Deep in the tail, sigmoid and softplus are tiny but not flushed to 0 while exp(x) is representable.
        float tiny = forward(Activation.SIGMOID, -100f)[0];
        assertTrue(tiny > 0 && tiny < 1e-43f, "sigmoid(-100)=" + tiny);
        assertEquals(tiny, forward(Activation.SOFTPLUS, -100f)[0]);
        float[] inf = {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        assertArrayEquals(new float[] {1f, 0f}, forward(Activation.SIGMOID, inf));
        assertArrayEquals(new float[] {1f, -1f}, forward(Activation.TANH, inf));
        assertArrayEquals(new float[] {Float.POSITIVE_INFINITY, 0f}, forward(Activation.SOFTPLUS, inf));
        for (Activation f : Activation.values()) {
            float[] dx = backward(f, x, new float[] {1, 1, 1, 1, 1, 1});
            for (float v : dx) {
                assertFalse(Float.isNaN(v), f + " backward at huge |x|: " + Arrays.toString(dx));
            }
        }
    }

    @Test
    void nanInNanOutForwardAndBackward() {
        for (Activation f : Activation.values()) {
            float[] x = {1f, Float.NaN, -1f};
            float[] y = forward(f, x);
            assertTrue(Float.isNaN(y[1]), f + " forward");
            assertFalse(Float.isNaN(y[0]) || Float.isNaN(y[2]), f + " forward neighbours");
            float[] dx = backward(f, x, new float[] {1f, 1f, 1f});
            // IDENTITY's derivative is the constant 1: its dx is dy, whatever x holds.
            assertEquals(f != Activation.IDENTITY, Float.isNaN(dx[1]), f + " backward");
            assertFalse(Float.isNaN(dx[0]) || Float.isNaN(dx[2]), f + " backward neighbours");
        }
    }

    @Test
    void derivativeConventionsAtTheKinks() {
        float[] dy = {5f, 5f, 5f, 5f, 5f};
        assertArrayEquals(new float[] {0f, 0f, 5f, 0f, 0f},
                backward(Activation.RELU, new float[] {0f, -0f, 1e-30f, -2f, Float.NEGATIVE_INFINITY}, dy), "relu'(0) = 0");
        assertArrayEquals(new float[] {0f, 5f, 5f, 0f, 0f},
                backward(Activation.TRELU, new float[] {0f, 1e-30f, Math.nextDown(1f), 1f, 3f}, dy),
                "trelu' = 1 on (0, 1) only");
        // A select, not a product: an infinite dy where the derivative is 0 gives 0, not NaN.
        assertArrayEquals(new float[] {0f, 0f},
                backward(Activation.RELU, new float[] {-1f, 0f}, new float[] {Float.POSITIVE_INFINITY, Float.NaN}));
        assertArrayEquals(new float[] {7f, -7f}, backward(Activation.IDENTITY, new float[] {3f, Float.NaN},
                new float[] {7f, -7f}));
    }

    /** backward against the derivative evaluated in double at x (kinks excluded). */
    @Test
    void backwardMatchesTheDerivativeInDouble() {
        DoubleUnaryOperator sig = v -> 1 / (1 + Math.exp(-v));
        DoubleUnaryOperator[] deriv = {
            v -> 1, v -> v > 0 ? 1 : 0, sig, v -> sig.applyAsDouble(v) * (1 - sig.applyAsDouble(v)),
            v -> 1 / (Math.cosh(v) * Math.cosh(v)), v -> v > 0 && v < 1 ? 1 : 0,
        };
        float[] x = new float[401];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i - 200) * 0.0437f + 0.001f; // avoids 0 and 1 exactly
        }
        float[] dy = new float[x.length];
        Arrays.fill(dy, 1.5f);
        for (Activation f : Activation.values()) {
            float[] dx = backward(f, x, dy);
            for (int i = 0; i < x.length; i++) {
                double exact = 1.5 * deriv[f.ordinal()].applyAsDouble(x[i]);
                // y is rounded to float before the derivative is formed from it: a few ulps of y,
                // amplified by at most |x| for softplus and tanh at |x| < 9.
                assertEquals(exact, dx[i], 1e-6 + 1e-5 * Math.abs(exact), f + " x=" + x[i]);
            }
        }
    }

    @Test
    void inPlaceForwardThenBackwardFromTheOutput() {
        for (Activation f : Activation.values()) {
            float[] x = {-3f, -0.5f, 0.25f, 0.75f, 2f, 40f};
            float[] y = forward(f, x);
            float[] dy = {1f, 2f, 3f, 4f, 5f, 6f};
            float[] dx = new float[x.length];
            f.backward(x, 0, y, 0, dy, 0, dx, 0, x.length);

            float[] buf = x.clone();
            f.forward(buf, 0, buf, 0, buf.length);
            assertArrayEquals(y, buf, f + " in-place forward");
            float[] g = dy.clone();
            f.backward(buf, 0, buf, 0, g, 0, g, 0, g.length); // x holds y now; dx aliases dy
            assertArrayEquals(dx, g, f + " backward after in-place forward");
        }
    }

    @Test
    void offsetsAreHonoured() {
        float[] x = {9f, 9f, -1f, 2f, 9f};
        float[] y = {7f, 7f, 7f, 7f};
        Activation.RELU.forward(x, 2, y, 1, 2);
        assertArrayEquals(new float[] {7f, 0f, 2f, 7f}, y);
    }

    private static void assertRejected(Class<? extends RuntimeException> type, Executable call, String op,
                                       String operand, float[]... untouched) {
        float[][] before = new float[untouched.length][];
        for (int i = 0; i < untouched.length; i++) {
            before[i] = untouched[i].clone();
        }
        RuntimeException e = assertThrows(type, call);
        assertTrue(e.getMessage().contains(op), e.getMessage());
        assertTrue(e.getMessage().contains(operand), e.getMessage());
        for (int i = 0; i < untouched.length; i++) {
            assertArrayEquals(before[i], untouched[i], "written before the check: " + e.getMessage());
        }
    }

    @Test
    void forwardRejectsBadInput() {
        for (Activation f : Activation.values()) {
            String op = f.name() + ".forward";
            float[] x = {1f, -2f, 3f, -4f};
            float[] y = {5f, 6f, 7f, 8f};
            assertRejected(NullPointerException.class, () -> f.forward(null, 0, y, 0, 1), op, "x", y);
            assertRejected(NullPointerException.class, () -> f.forward(x, 0, null, 0, 1), op, "y", x);
            assertRejected(IllegalArgumentException.class, () -> f.forward(x, 0, y, 0, -1), op, "n=-1", y);
            assertRejected(IndexOutOfBoundsException.class, () -> f.forward(x, 1, y, 0, 4), op, "x", y);
            assertRejected(IndexOutOfBoundsException.class, () -> f.forward(x, -1, y, 0, 2), op, "x", y);
            assertRejected(IndexOutOfBoundsException.class, () -> f.forward(x, 0, y, 3, 2), op, "y", y);
            assertRejected(IndexOutOfBoundsException.class, () -> f.forward(x, 0, new float[1], 0, 2), op, "y", y);
            assertRejected(IllegalArgumentException.class, () -> f.forward(x, 0, x, 1, 3), op, "overlaps", x);
        }
    }

    @Test
    void backwardRejectsBadInput() {
        for (Activation f : Activation.values()) {
            String op = f.name() + ".backward";
            float[] x = {1f, 2f, 3f};
            float[] y = {1f, 2f, 3f};
            float[] dy = {1f, 2f, 3f};
            float[] dx = {4f, 4f, 4f};
            assertRejected(NullPointerException.class, () -> f.backward(null, 0, y, 0, dy, 0, dx, 0, 3), op, "x", dx);
            assertRejected(NullPointerException.class, () -> f.backward(x, 0, null, 0, dy, 0, dx, 0, 3), op, "y", dx);
            assertRejected(NullPointerException.class, () -> f.backward(x, 0, y, 0, null, 0, dx, 0, 3), op, "dy", dx);
            assertRejected(NullPointerException.class, () -> f.backward(x, 0, y, 0, dy, 0, null, 0, 3), op, "dx", dy);
            assertRejected(IllegalArgumentException.class, () -> f.backward(x, 0, y, 0, dy, 0, dx, 0, -2), op, "n=-2", dx);
            assertRejected(IndexOutOfBoundsException.class, () -> f.backward(new float[2], 0, y, 0, dy, 0, dx, 0, 3), op,
                    "x", dx);
            assertRejected(IndexOutOfBoundsException.class, () -> f.backward(x, 0, y, 1, dy, 0, dx, 0, 3), op, "y", dx);
            assertRejected(IndexOutOfBoundsException.class, () -> f.backward(x, 0, y, 0, dy, 4, dx, 0, 0), op, "dy", dx);
            assertRejected(IndexOutOfBoundsException.class, () -> f.backward(x, 0, y, 0, dy, 0, dx, 1, 3), op, "dx", dx);
            assertRejected(IllegalArgumentException.class, () -> f.backward(x, 0, y, 0, dy, 1, dy, 0, 2), op,
                    "dx [0, 2) partially overlaps dy", dy);
            assertRejected(IllegalArgumentException.class, () -> f.backward(x, 0, dx, 0, dy, 0, dx, 1, 2), op,
                    "dx [1, 3) partially overlaps y", dx);
        }
    }
}
