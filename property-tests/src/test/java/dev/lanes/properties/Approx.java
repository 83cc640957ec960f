package dev.lanes.properties;

import dev.lanes.property.MatrixCase;

/**
 * Comparisons for the kernel properties. Bit-exact comparisons treat every NaN as the same value
 * (the kernels promise bits "up to NaN payloads") but tell {@code +0} from {@code -0}.
 * Tolerant comparisons are {@code |got - ref| <= atol + rtol * |ref|}, NaN matching NaN and an
 * infinity matching the same infinity; each caller states why its tolerance holds.
 */
final class Approx {

    /** The unit roundoff of float32, {@code 2^-24}. */
    static final double U = 0x1p-24;

    private Approx() {
    }

    /** The bits of {@code v}, every NaN mapped to the canonical one. */
    static int bits(float v) {
        return Float.floatToIntBits(v);
    }

    static void sameBits(String what, float expected, float actual) {
        if (bits(expected) != bits(actual)) {
            throw new AssertionError(what + ": expected " + expected + " (0x" + Integer.toHexString(bits(expected))
                    + ") but got " + actual + " (0x" + Integer.toHexString(bits(actual)) + ")");
        }
    }

    /** Element-wise bits of two equally long ranges. */
    static void sameBits(String what, float[] expected, int eOff, float[] actual, int aOff, int n) {
        for (int i = 0; i < n; i++) {
            sameBits(what + " i=" + i, expected[eOff + i], actual[aOff + i]);
        }
    }

    /** The windows of two matrices of the same shape, element by element. */
    static void sameBits(String what, MatrixCase expected, MatrixCase actual) {
        for (int r = 0; r < expected.rows(); r++) {
            for (int c = 0; c < expected.cols(); c++) {
                sameBits(what + " (" + r + ", " + c + ")", expected.get(r, c), actual.get(r, c));
            }
        }
    }

    /** Every element of the backing arrays, padding included. */
    static void unchanged(String what, float[] before, float[] after) {
        for (int i = 0; i < before.length; i++) {
            if (Float.floatToRawIntBits(before[i]) != Float.floatToRawIntBits(after[i])) {
                throw new AssertionError(what + " was written at index " + i + ": " + before[i] + " -> " + after[i]);
            }
        }
    }

    /** The padding of {@code m} (everything outside its window) still holds NaN. */
    static void paddingIntact(String what, MatrixCase m) {
        if (!m.paddingIntact(m.data())) {
            throw new AssertionError(what + ": written outside its " + m.rows() + " x " + m.cols()
                    + " window (offset " + m.offset() + ", ld " + m.ld() + ")");
        }
    }

    /** {@code |got - ref| <= atol + rtol * |ref|}; NaN matches NaN, an infinity the same infinity. */
    static void close(String what, double ref, double got, double atol, double rtol) {
        if (Double.isNaN(ref) || Double.isNaN(got) || Double.isInfinite(ref) || Double.isInfinite(got)) {
            if (Double.compare(ref, got) != 0 && !(Double.isNaN(ref) && Double.isNaN(got))) {
                throw new AssertionError(what + ": expected " + ref + " but got " + got);
            }
            return;
        }
        double tol = atol + rtol * Math.abs(ref);
        if (!(Math.abs(got - ref) <= tol)) {
            throw new AssertionError(what + ": expected " + ref + " but got " + got + " (|d| = " + Math.abs(got - ref)
                    + " > " + tol + " = " + atol + " + " + rtol + " * |ref|)");
        }
    }

    /** {@code |got - ref| <= tol}, an absolute bound the caller derived; NaN and infinities as in {@link #close}. */
    static void within(String what, double ref, double got, double tol) {
        close(what, ref, got, tol, 0);
    }
}
