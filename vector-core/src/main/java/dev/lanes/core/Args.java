package dev.lanes.core;

import java.util.Objects;

/**
 * Argument checks for the public facades. Each message names the operation, the operand and the
 * values, and each check runs before anything is written.
 */
final class Args {

    private Args() {
    }

    /** {@code value >= 0}. */
    static void nonNegative(String op, String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(op + ": " + name + "=" + value + " < 0");
        }
    }

    /** {@code value} is finite (not NaN, not infinite). */
    static void finite(String op, String name, float value) {
        if (!Float.isFinite(value)) {
            throw new IllegalArgumentException(op + ": " + name + "=" + value + " is not finite");
        }
    }

    /** {@code lo <= value <= hi} (false for NaN). */
    static void inRange(String op, String name, float value, float lo, float hi) {
        if (!(value >= lo && value <= hi)) {
            throw new IllegalArgumentException(op + ": " + name + "=" + value + " not in [" + lo + ", " + hi + "]");
        }
    }

    /** {@code lo < value < hi} (false for NaN). */
    static void inOpenRange(String op, String name, float value, float lo, float hi) {
        if (!(value > lo && value < hi)) {
            throw new IllegalArgumentException(op + ": " + name + "=" + value + " not in (" + lo + ", " + hi + ")");
        }
    }

    static <T> T notNull(String op, String name, T array) {
        if (array == null) {
            throw new NullPointerException(op + ": " + name + " is null");
        }
        return array;
    }

    /** A vector of {@code n} elements at {@code off}. */
    static void vector(String op, String name, float[] a, int off, int n) {
        notNull(op, name, a);
        nonNegative(op, "n", n);
        range(op, name, a.length, off, n);
    }

    /** An int vector of {@code n} elements at {@code off}. */
    static void vector(String op, String name, int[] a, int off, int n) {
        notNull(op, name, a);
        nonNegative(op, "n", n);
        range(op, name, a.length, off, n);
    }

    /**
     * A row-major matrix of {@code rows x cols} at {@code off} with leading dimension {@code ld}:
     * {@code ld >= cols}, and the last row ends inside the array. An empty matrix needs only a
     * valid offset.
     */
    static void matrix(String op, String name, float[] a, int off, int rows, int cols, int ld,
                       String ldName, String colsName) {
        notNull(op, name, a);
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException(op + ": " + name + " has rows=" + rows + ", cols=" + cols
                    + " (must be >= 0)");
        }
        if (ld < Math.max(1, cols)) {
            throw new IllegalArgumentException(op + ": " + ldName + "=" + ld + " < " + colsName + "="
                    + cols + (cols == 0 ? " (ld must be >= 1)" : ""));
        }
        if (off < 0 || off > a.length) {
            throw new IndexOutOfBoundsException(op + ": " + name + " offset=" + off
                    + " out of bounds for length " + a.length);
        }
        if (rows == 0 || cols == 0) {
            return;
        }
        long need = (long) (rows - 1) * ld + cols;
        if (off + need > a.length) {
            throw new IndexOutOfBoundsException(op + ": " + name + " (" + rows + "x" + cols + ", " + ldName + "="
                    + ld + ") needs " + need + " elements from offset " + off + ", but its length is " + a.length);
        }
    }

    private static void range(String op, String name, int length, int off, int n) {
        try {
            Objects.checkFromIndexSize(off, n, length);
        } catch (IndexOutOfBoundsException e) {
            throw new IndexOutOfBoundsException(op + ": " + name + " needs " + n + " elements from offset "
                    + off + ", but its length is " + length);
        }
    }
}
