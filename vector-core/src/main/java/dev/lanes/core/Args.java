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

    /** A weight or rate: finite and {@code >= 0}. */
    static void nonNegativeFinite(String op, String name, float value) {
        if (!(value >= 0f && value <= Float.MAX_VALUE)) {
            throw new IllegalArgumentException(op + ": " + name + "=" + value + " must be finite and >= 0");
        }
    }

    /** Elements spanned by a {@code rows x cols} matrix with leading dimension {@code ld}; 0 if empty. */
    static long span(int rows, int cols, int ld) {
        return rows == 0 || cols == 0 ? 0 : (long) (rows - 1) * ld + cols;
    }

    /**
     * An output region shares no element with an input region of the same array. Regions are given
     * as {@code [off, off + span)}; an empty region overlaps nothing.
     */
    static void disjoint(String op, String outName, float[] out, int outOff, long outSpan,
                         String inName, float[] in, int inOff, long inSpan) {
        if (out == in && outSpan > 0 && inSpan > 0 && outOff < inOff + inSpan && inOff < outOff + outSpan) {
            throw new IllegalArgumentException(op + ": " + outName + " [" + outOff + ", " + (outOff + outSpan)
                    + ") overlaps " + inName + " [" + inOff + ", " + (inOff + inSpan) + ") in the same array");
        }
    }

    /**
     * An elementwise output of {@code n} elements is exactly its input (same offset: in place) or
     * shares no element with it; a partial overlap would have the kernels read what they wrote.
     */
    static void sameOrDisjoint(String op, String outName, float[] out, int outOff,
                               String inName, float[] in, int inOff, int n) {
        if (out == in && outOff != inOff && n > 0 && outOff < inOff + n && inOff < outOff + n) {
            throw new IllegalArgumentException(op + ": " + outName + " [" + outOff + ", " + (outOff + n)
                    + ") partially overlaps " + inName + " [" + inOff + ", " + (inOff + n)
                    + ") in the same array; pass the same offset to work in place");
        }
    }

    /** The matrix form: in place needs the same offset and the same ld; otherwise the spans are disjoint. */
    static void sameOrDisjoint(String op, String outName, float[] out, int outOff, int ldOut,
                               String inName, float[] in, int inOff, int ldIn, int rows, int cols) {
        if (out != in || rows == 0 || cols == 0 || (outOff == inOff && ldOut == ldIn)) {
            return;
        }
        long outEnd = outOff + span(rows, cols, ldOut);
        long inEnd = inOff + span(rows, cols, ldIn);
        if (outOff < inEnd && inOff < outEnd) {
            throw new IllegalArgumentException(op + ": " + outName + " (offset " + outOff + ", ld " + ldOut
                    + ") overlaps " + inName + " (offset " + inOff + ", ld " + ldIn
                    + "); pass the same offset and ld to work in place");
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
