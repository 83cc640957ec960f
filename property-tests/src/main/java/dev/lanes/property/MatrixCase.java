package dev.lanes.property;

import java.util.Arrays;
import java.util.StringJoiner;

/**
 * A row-major {@code rows x cols} matrix stored at {@code data[offset + r*ld + c]}, as Lanes'
 * kernels take it ({@code (array, offset, ld)}). Elements outside the window hold {@link #PAD}, so a
 * kernel that reads them gets NaN and one that writes them is caught by {@link #paddingIntact(float[])}.
 *
 * @param rows   the number of rows, {@code >= 0}
 * @param cols   the number of columns, {@code >= 0}
 * @param offset the index of element (0, 0)
 * @param ld     the leading dimension, {@code >= max(1, cols)}
 * @param data   the backing array, exactly {@link #requiredLength} long
 */
public record MatrixCase(int rows, int cols, int offset, int ld, float[] data) implements Sized {

    /** The value of every backing element outside the matrix window. */
    public static final float PAD = Float.NaN;

    /** Checks the shape against the array. */
    public MatrixCase {
        if (rows < 0 || cols < 0 || offset < 0 || ld < Math.max(1, cols)) {
            throw new IllegalArgumentException("MatrixCase: rows=" + rows + ", cols=" + cols + ", offset=" + offset + ", ld=" + ld);
        }
        if (data.length < requiredLength(rows, cols, offset, ld)) {
            throw new IllegalArgumentException("MatrixCase: data.length=" + data.length + " < " + requiredLength(rows, cols, offset, ld));
        }
    }

    /** The smallest backing length for the shape: {@code offset + (rows-1)*ld + cols}, or {@code offset} if empty. */
    public static int requiredLength(int rows, int cols, int offset, int ld) {
        return rows == 0 || cols == 0 ? offset : offset + (rows - 1) * ld + cols;
    }

    /** Element {@code (r, c)}. */
    public float get(int r, int c) {
        return data[index(r, c)];
    }

    /** The backing index of element {@code (r, c)}. */
    public int index(int r, int c) {
        if (r < 0 || r >= rows || c < 0 || c >= cols) {
            throw new IndexOutOfBoundsException("MatrixCase: (" + r + ", " + c + ") outside " + rows + " x " + cols);
        }
        return offset + r * ld + c;
    }

    /** A dense row-major copy of the window ({@code rows*cols} elements, ld = cols). */
    public float[] dense() {
        float[] a = new float[rows * cols];
        for (int r = 0; r < rows && cols > 0; r++) {
            System.arraycopy(data, offset + r * ld, a, r * cols, cols);
        }
        return a;
    }

    /** A deep copy (the backing array is copied). */
    public MatrixCase copy() {
        return new MatrixCase(rows, cols, offset, ld, data.clone());
    }

    /** Whether every element of {@code a} outside this matrix's window still holds {@link #PAD} (bitwise). */
    public boolean paddingIntact(float[] a) {
        int pad = Float.floatToRawIntBits(PAD);
        for (int i = 0; i < a.length; i++) {
            int rel = i - offset;
            boolean inside = rel >= 0 && rel / ld < rows && rel % ld < cols;
            if (!inside && Float.floatToRawIntBits(a[i]) != pad) {
                return false;
            }
        }
        return true;
    }

    /** {@code max(rows, cols)}, for the runner's summary. */
    @Override
    public int size() {
        return Math.max(rows, cols);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MatrixCase m && rows == m.rows && cols == m.cols && offset == m.offset && ld == m.ld
                && Arrays.equals(data, m.data);
    }

    @Override
    public int hashCode() {
        return ((rows * 31 + cols) * 31 + offset) * 31 + ld + 961 * Arrays.hashCode(data);
    }

    /** The shape and the window's rows (long ones abbreviated). */
    @Override
    public String toString() {
        StringJoiner j = new StringJoiner(", ", "MatrixCase[rows=" + rows + ", cols=" + cols + ", offset=" + offset
                + ", ld=" + ld + ", data.length=" + data.length + ", values=[", "]]");
        for (int r = 0; r < Math.min(rows, 8); r++) {
            j.add(cols == 0 ? "[]" : Show.value(Arrays.copyOfRange(data, offset + r * ld, offset + r * ld + cols)));
        }
        if (rows > 8) {
            j.add("... (" + rows + " rows)");
        }
        return j.toString();
    }
}
