package dev.lanes.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The public loss functions on the selected implementation (run once more forced scalar by the build).
 * Known values use a tolerance of 1e-5 relative: both implementations are within a few 1e-6 of the
 * exact value (LossKernelTest).
 */
class LossesTest {

    private static final float NONE = -1234.5f;

    private static void near(double expected, double actual, String what) {
        assertTrue(Math.abs(expected - actual) <= 1e-5 * Math.abs(expected) + 1e-7,
                what + ": expected " + expected + " but got " + actual);
    }

    private static float[] filled(int n) {
        float[] a = new float[n];
        Arrays.fill(a, NONE);
        return a;
    }

    // ---- known values ----

    @Test
    void mseKnownValues() {
        float[] yhat = {9f, 1f, 2f, 3f};
        float[] y = {1f, 1f, 1f};
        float[] grad = filled(4);
        near(5.0 / 3, Losses.mse(3, yhat, 1, y, 0, grad, 1), "mse");
        assertEquals(NONE, grad[0]);
        near(0, grad[1], "grad0");
        near(2.0 / 3, grad[2], "grad1");
        near(4.0 / 3, grad[3], "grad2");
        near(5.0 / 3, Losses.mse(3, yhat, 1, y, 0, null, 0), "mse without grad");
        float[] empty = filled(2);
        assertEquals(0f, Losses.mse(0, yhat, 4, y, 3, empty, 2));
        assertArrayEquals(filled(2), empty);
    }

    @Test
    void mseInPlace() {
        float[] a = {3f, -1f};
        float[] b = {1f, 1f};
        float loss = Losses.mse(2, a, 0, b, 0, a, 0);
        near(4, loss, "mse");
        assertArrayEquals(new float[] {2f, -2f}, a);
    }

    @Test
    void softmaxKnownValues() {
        float[] x = {0f, (float) Math.log(2), (float) Math.log(3), 99f, 5f, 5f, 5f, 99f};
        float[] y = filled(8);
        Losses.softmax(2, 3, x, 0, 4, y, 0, 4);
        near(1.0 / 6, y[0], "y00");
        near(2.0 / 6, y[1], "y01");
        near(3.0 / 6, y[2], "y02");
        assertEquals(NONE, y[3], "the gap between rows is not written");
        near(1.0 / 3, y[4], "y10");
        float[] huge = {1e30f, 1e30f, -Float.MAX_VALUE, Float.MAX_VALUE};
        Losses.softmax(2, 2, huge, 0, 2, huge, 0, 2);
        assertArrayEquals(new float[] {0.5f, 0.5f, 0f, 1f}, huge);
    }

    @Test
    void softmaxCrossEntropyKnownValues() {
        float[] logits = {0f, 0f, 0f, 0f, 1f, 2f, 3f, 4f};
        float[] grad = filled(8);
        float loss = Losses.softmaxCrossEntropy(2, 4, logits, 0, 4, new int[] {2, 3}, 0, grad, 0, 4);
        double lse = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3) + Math.exp(4));
        near((Math.log(4) + lse - 4) / 2, loss, "loss");
        near(0.25 / 2, grad[0], "g00");
        near((0.25 - 1) / 2, grad[2], "g02");
        near((Math.exp(4 - lse) - 1) / 2, grad[7], "g13");
        near(Math.exp(1 - lse) / 2, grad[4], "g10");
        assertEquals(0f, Losses.softmaxCrossEntropy(0, 4, logits, 0, 4, new int[0], 0, grad, 0, 4));
    }

    @Test
    void sigmoidCrossEntropyKnownValues() {
        float[] z = {0f, 2f, -3f};
        float[] t = {0.3f, 1f, 0f};
        float[] grad = filled(3);
        double expected = (Math.log(2) + Math.log1p(Math.exp(-2)) + Math.log1p(Math.exp(-3))) / 3;
        near(expected, Losses.sigmoidCrossEntropy(3, z, 0, t, 0, grad, 0), "loss");
        near((0.5 - 0.3) / 3, grad[0], "g0");
        near((1 / (1 + Math.exp(-2)) - 1) / 3, grad[1], "g1");
        near((1 / (1 + Math.exp(3))) / 3, grad[2], "g2");
    }

    @Test
    void hugeLogitsGiveFiniteLossesAndGradients() {
        float big = Float.MAX_VALUE;
        float[] z = {big, -big, 1e30f, -1e30f};
        float[] t = {0f, 1f, 0.5f, 0.5f};
        float[] g = new float[4];
        float loss = Losses.sigmoidCrossEntropy(4, z, 0, t, 0, g, 0);
        near((2.0 * big + 1e30) / 4, loss, "bce");
        assertArrayEquals(new float[] {0.25f, -0.25f, 0.125f, -0.125f}, g);
        float[] logits = {big, -big, -big, big, 1e30f, -1e30f};
        float[] gs = new float[6];
        // Row losses 2*MAX, 0, 2e30: the mean is finite although a row's loss is not a float.
        float ce = Losses.softmaxCrossEntropy(3, 2, logits, 0, 2, new int[] {1, 1, 1}, 0, gs, 0, 2);
        near((2.0 * big + 2e30) / 3, ce, "ce");
        assertArrayEquals(new float[] {1f / 3, -1f / 3, 0f, 0f, 1f / 3, -1f / 3}, gs);
    }

    // ---- gradients against central differences of an independent double-precision loss ----

    /** Relative error |g - fd| / max(|g|, |fd|, floor) below 1e-4 (float gradients are good to ~1e-6). */
    private static void checkGradient(String what, float[] point, float[] grad, ToDoubleFunction<double[]> loss,
                                      double floor, long seed) {
        double[] p = new double[point.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = point[i];
        }
        for (int i = 0; i < p.length; i++) {
            double h = 1e-4 * Math.max(1, Math.abs(p[i]));
            double keep = p[i];
            p[i] = keep + h;
            double up = loss.applyAsDouble(p);
            p[i] = keep - h;
            double down = loss.applyAsDouble(p);
            p[i] = keep;
            double fd = (up - down) / (2 * h);
            double err = Math.abs(grad[i] - fd) / Math.max(floor, Math.max(Math.abs(fd), Math.abs(grad[i])));
            assertTrue(err < 1e-4, what + " seed=0x" + Long.toHexString(seed) + " i=" + i + ": analytic " + grad[i]
                    + ", central difference " + fd);
        }
    }

    private static float[] randomArray(SplittableRandom r, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextGaussian() * scale);
        }
        return a;
    }

    @Test
    void mseGradientMatchesCentralDifferences() {
        long seed = 0x6E5EL;
        SplittableRandom r = new SplittableRandom(seed);
        int n = 37;
        float[] yhat = randomArray(r, n, 2);
        float[] y = randomArray(r, n, 2);
        float[] grad = new float[n];
        Losses.mse(n, yhat, 0, y, 0, grad, 0);
        checkGradient("mse", yhat, grad, p -> {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += (p[i] - y[i]) * (p[i] - y[i]);
            }
            return s / n;
        }, 1e-6, seed);
    }

    @Test
    void softmaxCrossEntropyGradientMatchesCentralDifferences() {
        long seed = 0xCE6L;
        SplittableRandom r = new SplittableRandom(seed);
        int rows = 5;
        int cols = 19;
        float[] logits = randomArray(r, rows * cols, 3);
        int[] labels = r.ints(rows, 0, cols).toArray();
        float[] grad = new float[rows * cols];
        Losses.softmaxCrossEntropy(rows, cols, logits, 0, cols, labels, 0, grad, 0, cols);
        checkGradient("softmaxCrossEntropy", logits, grad, p -> {
            double total = 0;
            for (int row = 0; row < rows; row++) {
                double s = 0;
                for (int j = 0; j < cols; j++) {
                    s += Math.exp(p[row * cols + j]);
                }
                total += Math.log(s) - p[row * cols + labels[row]];
            }
            return total / rows;
        }, 1e-6, seed);
    }

    @Test
    void sigmoidCrossEntropyGradientMatchesCentralDifferences() {
        long seed = 0xB1CEL;
        SplittableRandom r = new SplittableRandom(seed);
        int n = 41;
        float[] z = randomArray(r, n, 4);
        float[] t = new float[n];
        for (int i = 0; i < n; i++) {
            t[i] = i % 3 == 0 ? r.nextFloat() : i % 3 - 1;
        }
        float[] grad = new float[n];
        Losses.sigmoidCrossEntropy(n, z, 0, t, 0, grad, 0);
        checkGradient("sigmoidCrossEntropy", z, grad, p -> {
            double s = 0;
            for (int i = 0; i < n; i++) {
                double sig = 1 / (1 + Math.exp(-p[i]));
                s += -(t[i] * Math.log(sig) + (1 - t[i]) * Math.log1p(-sig));
            }
            return s / n;
        }, 1e-6, seed);
    }

    // ---- bad input: exception type, message naming op, operand and values, nothing written ----

    private static <T extends Throwable> void bad(Class<T> type, Executable call, float[] watched, String... parts) {
        float[] before = watched.clone();
        T e = assertThrows(type, call);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' lacks '" + part + "'");
        }
        assertArrayEquals(before, watched, "written before the check: " + e.getMessage());
    }

    @Test
    void mseRejectsBadInput() {
        float[] a = new float[8];
        float[] b = new float[8];
        float[] g = filled(8);
        Class<IllegalArgumentException> iae = IllegalArgumentException.class;
        Class<IndexOutOfBoundsException> ioobe = IndexOutOfBoundsException.class;
        bad(iae, () -> Losses.mse(-1, a, 0, b, 0, g, 0), g, "mse", "n=-1");
        bad(NullPointerException.class, () -> Losses.mse(4, null, 0, b, 0, g, 0), g, "mse", "yhat");
        bad(NullPointerException.class, () -> Losses.mse(4, a, 0, null, 0, g, 0), g, "mse", "y ");
        bad(ioobe, () -> Losses.mse(9, a, 0, b, 0, g, 0), g, "mse", "yhat", "9", "8");
        bad(ioobe, () -> Losses.mse(4, a, 5, b, 0, g, 0), g, "mse", "yhat", "offset 5");
        bad(ioobe, () -> Losses.mse(4, a, -1, b, 0, g, 0), g, "mse", "yhat", "-1");
        bad(ioobe, () -> Losses.mse(4, a, 0, b, 6, g, 0), g, "mse", "y ", "offset 6");
        bad(ioobe, () -> Losses.mse(4, a, 0, b, 0, g, 6), g, "mse", "grad", "offset 6");
        bad(iae, () -> Losses.mse(4, g, 0, b, 0, g, 2), g, "mse", "grad", "overlaps", "yhat");
        bad(iae, () -> Losses.mse(4, a, 0, g, 1, g, 0), g, "mse", "grad", "overlaps", "y ");
    }

    @Test
    void softmaxRejectsBadInput() {
        float[] x = new float[12];
        float[] y = filled(12);
        Class<IllegalArgumentException> iae = IllegalArgumentException.class;
        Class<IndexOutOfBoundsException> ioobe = IndexOutOfBoundsException.class;
        bad(iae, () -> Losses.softmax(-1, 4, x, 0, 4, y, 0, 4), y, "softmax", "x", "rows=-1");
        bad(iae, () -> Losses.softmax(3, -4, x, 0, 4, y, 0, 4), y, "softmax", "x", "cols=-4");
        bad(iae, () -> Losses.softmax(3, 4, x, 0, 3, y, 0, 4), y, "softmax", "ldx=3 < cols=4");
        bad(iae, () -> Losses.softmax(3, 4, x, 0, 4, y, 0, 2), y, "softmax", "ldy=2 < cols=4");
        bad(NullPointerException.class, () -> Losses.softmax(3, 4, null, 0, 4, y, 0, 4), y, "softmax", "x");
        bad(NullPointerException.class, () -> Losses.softmax(3, 4, x, 0, 4, null, 0, 4), y, "softmax", "y");
        bad(ioobe, () -> Losses.softmax(3, 4, x, 1, 4, y, 0, 4), y, "softmax", "x", "offset 1", "12");
        bad(ioobe, () -> Losses.softmax(3, 4, x, 0, 5, y, 0, 4), y, "softmax", "x", "ldx=5");
        bad(ioobe, () -> Losses.softmax(3, 4, x, 0, 4, y, 0, 5), y, "softmax", "y", "ldy=5");
        bad(ioobe, () -> Losses.softmax(1, 4, x, -2, 4, y, 0, 4), y, "softmax", "x", "offset=-2");
        bad(ioobe, () -> Losses.softmax(1, 4, x, 0, 4, y, 13, 4), y, "softmax", "y", "offset=13");
        bad(iae, () -> Losses.softmax(2, 4, y, 0, 4, y, 1, 4), y, "softmax", "y", "overlaps", "x");
        bad(iae, () -> Losses.softmax(2, 4, y, 0, 4, y, 0, 5), y, "softmax", "overlaps", "ld 5");
    }

    @Test
    void softmaxCrossEntropyRejectsBadInput() {
        float[] x = new float[12];
        float[] g = filled(12);
        int[] labels = {0, 1, 3};
        Class<IllegalArgumentException> iae = IllegalArgumentException.class;
        Class<IndexOutOfBoundsException> ioobe = IndexOutOfBoundsException.class;
        String op = "softmaxCrossEntropy";
        bad(iae, () -> Losses.softmaxCrossEntropy(-1, 4, x, 0, 4, labels, 0, g, 0, 4), g, op, "rows=-1");
        bad(iae, () -> Losses.softmaxCrossEntropy(3, -1, x, 0, 4, labels, 0, g, 0, 4), g, op, "cols=-1");
        bad(iae, () -> Losses.softmaxCrossEntropy(3, 4, x, 0, 3, labels, 0, g, 0, 4), g, op, "ldl=3 < cols=4");
        bad(iae, () -> Losses.softmaxCrossEntropy(3, 4, x, 0, 4, labels, 0, g, 0, 1), g, op, "ldg=1 < cols=4");
        bad(NullPointerException.class, () -> Losses.softmaxCrossEntropy(3, 4, null, 0, 4, labels, 0, g, 0, 4), g,
                op, "logits");
        bad(NullPointerException.class, () -> Losses.softmaxCrossEntropy(3, 4, x, 0, 4, null, 0, g, 0, 4), g, op,
                "labels");
        bad(ioobe, () -> Losses.softmaxCrossEntropy(3, 4, x, 2, 4, labels, 0, g, 0, 4), g, op, "logits", "offset 2");
        bad(ioobe, () -> Losses.softmaxCrossEntropy(3, 4, x, 0, 4, labels, 1, g, 0, 4), g, op, "labels", "offset 1");
        bad(ioobe, () -> Losses.softmaxCrossEntropy(3, 4, x, 0, 4, labels, 0, g, 1, 4), g, op, "grad", "offset 1");
        bad(iae, () -> Losses.softmaxCrossEntropy(3, 4, x, 0, 4, new int[] {0, 4, 1}, 0, g, 0, 4), g, op,
                "label=4", "row 1", "cols=4");
        bad(iae, () -> Losses.softmaxCrossEntropy(3, 4, x, 0, 4, new int[] {0, 1, -1}, 0, g, 0, 4), g, op,
                "label=-1", "row 2");
        bad(iae, () -> Losses.softmaxCrossEntropy(2, 0, x, 0, 1, new int[] {0, 0}, 0, g, 0, 1), g, op, "label=0",
                "row 0", "cols=0");
        bad(iae, () -> Losses.softmaxCrossEntropy(2, 4, g, 0, 4, labels, 0, g, 2, 4), g, op, "grad", "overlaps",
                "logits");
    }

    @Test
    void sigmoidCrossEntropyRejectsBadInput() {
        float[] z = new float[8];
        float[] t = {0f, 1f, 0.5f, 1.5f, 0f, 0f, 0f, 0f};
        float[] g = filled(8);
        Class<IllegalArgumentException> iae = IllegalArgumentException.class;
        Class<IndexOutOfBoundsException> ioobe = IndexOutOfBoundsException.class;
        String op = "sigmoidCrossEntropy";
        bad(iae, () -> Losses.sigmoidCrossEntropy(-2, z, 0, t, 4, g, 0), g, op, "n=-2");
        bad(NullPointerException.class, () -> Losses.sigmoidCrossEntropy(2, null, 0, t, 4, g, 0), g, op, "logits");
        bad(NullPointerException.class, () -> Losses.sigmoidCrossEntropy(2, z, 0, null, 4, g, 0), g, op, "targets");
        bad(ioobe, () -> Losses.sigmoidCrossEntropy(9, z, 0, t, 0, g, 0), g, op, "logits", "9");
        bad(ioobe, () -> Losses.sigmoidCrossEntropy(4, z, 0, t, 5, g, 0), g, op, "targets", "offset 5");
        bad(ioobe, () -> Losses.sigmoidCrossEntropy(4, z, 0, t, 4, g, 5), g, op, "grad", "offset 5");
        bad(iae, () -> Losses.sigmoidCrossEntropy(5, z, 0, t, 0, g, 0), g, op, "targets[3]=1.5", "[0, 1]");
        t[5] = Float.NaN;
        bad(iae, () -> Losses.sigmoidCrossEntropy(3, z, 0, t, 4, g, 0), g, op, "targets[5]=NaN", "element 1");
        t[5] = -0.25f;
        bad(iae, () -> Losses.sigmoidCrossEntropy(3, z, 0, t, 4, g, 0), g, op, "targets[5]=-0.25");
        bad(iae, () -> Losses.sigmoidCrossEntropy(3, g, 0, z, 0, g, 1), g, op, "grad", "overlaps", "logits");
        bad(iae, () -> Losses.sigmoidCrossEntropy(3, z, 0, g, 2, g, 1), g, op, "grad", "overlaps", "targets");
    }
}
