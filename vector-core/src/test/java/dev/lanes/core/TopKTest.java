package dev.lanes.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class TopKTest {

    private static final float NAN = Float.NaN;
    private static final float INF = Float.POSITIVE_INFINITY;

    @Test
    void selectKnownValues() {
        float[] x = {3, 1, 4, 1, 5, 9, 2, 6};
        float[] values = new float[3];
        int[] indices = new int[3];
        TopK.select(x, 0, 1, 8, 8, 3, values, indices);
        assertArrayEquals(new float[] {9, 6, 5}, values);
        assertArrayEquals(new int[] {5, 7, 4}, indices);
    }

    @Test
    void tiesGoToTheLowerIndex() {
        float[] x = {1, 2, 2, 1, 2};
        float[] values = new float[4];
        int[] indices = new int[4];
        TopK.select(x, 0, 1, 5, 5, 4, values, indices);
        assertArrayEquals(new float[] {2, 2, 2, 1}, values);
        assertArrayEquals(new int[] {1, 2, 4, 0}, indices);
    }

    @Test
    void nanRanksAboveInfinityAndPositiveZeroAboveNegativeZero() {
        float[] x = {-0.0f, 1, NAN, 0.0f, INF, -INF, NAN};
        float[] values = new float[7];
        int[] indices = new int[7];
        TopK.select(x, 0, 1, 7, 7, 7, values, indices);
        assertArrayEquals(new int[] {2, 6, 4, 1, 3, 0, 5}, indices);
        assertArrayEquals(new float[] {NAN, NAN, INF, 1, 0.0f, -0.0f, -INF}, values);
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(values[5]));
    }

    @Test
    void rowsWithOffsetAndLeadingDimension() {
        // Two rows of 3 at offset 2 with ldx 5; the padding (99) must not be picked.
        float[] x = {99, 99, 1, 7, 3, 99, 99, -1, -2, -3, 99};
        float[] values = new float[4];
        int[] indices = new int[4];
        TopK.select(x, 2, 2, 3, 5, 2, values, indices);
        assertArrayEquals(new float[] {7, 3, -1, -2}, values);
        assertArrayEquals(new int[] {1, 2, 0, 1}, indices);
    }

    @Test
    void zeroKAndEmptyMatricesWriteNothing() {
        float[] values = {5};
        int[] indices = {5};
        TopK.select(new float[] {1, 2}, 0, 1, 2, 2, 0, values, indices);
        TopK.select(new float[0], 0, 0, 4, 4, 2, values, indices);
        TopK.select(new float[0], 0, 3, 0, 1, 0, values, indices);
        assertArrayEquals(new float[] {5}, values);
        assertArrayEquals(new int[] {5}, indices);
    }

    @Test
    void selectSparseKeepsTheTopK() {
        float[] x = {3, 1, 4, 1, 5, 9, 2, 6, /* pad */ 42, -5, -1, -3, -2, 0, 8, 1, 1, /* pad */ 42};
        float[] y = new float[18];
        Arrays.fill(y, 77);
        TopK.selectSparse(x, 0, 2, 8, 9, 3, y, 0, 9);
        assertArrayEquals(new float[] {0, 0, 0, 0, 5, 9, 0, 6, 77, 0, 0, 0, 0, 0, 8, 1, 1, 77}, y);
    }

    @Test
    void selectSparseInPlace() {
        float[] x = {-1, -0.0f, -3, 2, 2, 2};
        TopK.selectSparse(x, 0, 2, 3, 3, 2, x, 0, 3);
        assertArrayEquals(new float[] {-1, -0.0f, 0, 2, 2, 0}, x);
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(x[1]));
        assertEquals(Float.floatToRawIntBits(0.0f), Float.floatToRawIntBits(x[2]));
    }

    @Test
    void selectSparseWithZeroKWritesPositiveZeros() {
        float[] x = {1, -2, NAN};
        float[] y = {9, 9, 9, 9};
        TopK.selectSparse(x, 0, 1, 3, 3, 0, y, 1, 3);
        assertArrayEquals(new float[] {9, 0, 0, 0}, y);
    }

    @Test
    void resultIsTheSameForAnyThreadCount() {
        int rows = 67;
        int cols = 3001;
        int ldx = 3003;
        int k = 40;
        SplittableRandom rnd = new SplittableRandom(0x7e57);
        float[] x = new float[rows * ldx];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextInt(10) == 0 ? (float) rnd.nextInt(4) : (float) rnd.nextGaussian();
        }
        int before = Lanes.threads();
        float[][] values = new float[2][rows * k];
        int[][] indices = new int[2][rows * k];
        float[][] sparse = new float[2][rows * ldx];
        try {
            for (int t = 0; t < 2; t++) {
                Lanes.setThreads(t + 1);
                TopK.select(x, 0, rows, cols, ldx, k, values[t], indices[t]);
                TopK.selectSparse(x, 0, rows, cols, ldx, k, sparse[t], 0, ldx);
            }
        } finally {
            Lanes.setThreads(before);
        }
        assertArrayEquals(indices[0], indices[1], "seed=0x7e57");
        assertArrayEquals(values[0], values[1], "seed=0x7e57");
        assertArrayEquals(sparse[0], sparse[1], "seed=0x7e57");
        // The two variants agree: the sparse rows hold the selected values at the selected columns.
        for (int i = 0; i < rows; i++) {
            for (int r = 0; r < k; r++) {
                assertEquals(values[0][i * k + r], sparse[0][i * ldx + indices[0][i * k + r]], "row=" + i + " r=" + r);
            }
        }
    }

    // ---- bad input: the exception type, a message naming the operation and operand, nothing written

    @Test
    void selectRejectsBadInput() {
        float[] x = new float[32];
        expectSelect(IllegalArgumentException.class, "topk: k=40 > cols=32", x, 0, 1, 32, 32, 40, 40, 40);
        expectSelect(IllegalArgumentException.class, "k=-1", x, 0, 1, 32, 32, -1, 4, 4);
        expectSelect(IllegalArgumentException.class, "rows=-1", x, 0, -1, 4, 4, 1, 4, 4);
        expectSelect(IllegalArgumentException.class, "cols=-2", x, 0, 1, -2, 4, 1, 4, 4);
        expectSelect(IllegalArgumentException.class, "ldx=3 < cols=4", x, 0, 2, 4, 3, 1, 4, 4);
        expectSelect(IndexOutOfBoundsException.class, "x (1x32, ldx=32)", x, 1, 1, 32, 32, 1, 4, 4);
        expectSelect(IndexOutOfBoundsException.class, "x offset=-1", x, -1, 1, 4, 4, 1, 4, 4);
        expectSelect(IndexOutOfBoundsException.class, "x (5x8, ldx=8)", x, 0, 5, 8, 8, 1, 5, 5);
        expectSelect(IndexOutOfBoundsException.class, "values needs 6", x, 0, 2, 8, 8, 3, 5, 6);
        expectSelect(IndexOutOfBoundsException.class, "indices needs 6", x, 0, 2, 8, 8, 3, 6, 5);
        float[] values = new float[4];
        int[] indices = new int[4];
        assertMessage(assertThrows(NullPointerException.class,
                () -> TopK.select(null, 0, 1, 4, 4, 1, values, indices)), "topk: x is null");
        assertMessage(assertThrows(NullPointerException.class,
                () -> TopK.select(x, 0, 1, 4, 4, 1, null, indices)), "topk: values is null");
        assertMessage(assertThrows(NullPointerException.class,
                () -> TopK.select(x, 0, 1, 4, 4, 1, values, null)), "topk: indices is null");
    }

    private static void expectSelect(Class<? extends RuntimeException> type, String fragment, float[] x, int xOff,
                                     int rows, int cols, int ldx, int k, int nValues, int nIndices) {
        float[] values = new float[Math.max(0, nValues)];
        int[] indices = new int[Math.max(0, nIndices)];
        Arrays.fill(values, 3);
        Arrays.fill(indices, 3);
        Arrays.fill(x, 1);
        RuntimeException e = assertThrows(type, () -> TopK.select(x, xOff, rows, cols, ldx, k, values, indices));
        assertMessage(e, "topk: ");
        assertMessage(e, fragment);
        for (int i = 0; i < values.length; i++) {
            assertEquals(3, values[i], e.getMessage());
        }
        for (int i = 0; i < indices.length; i++) {
            assertEquals(3, indices[i], e.getMessage());
        }
    }

    @Test
    void selectSparseRejectsBadInput() {
        float[] x = new float[32];
        expectSparse(IllegalArgumentException.class, "topkSparse: k=40 > cols=32", x, 0, 1, 32, 32, 40, 0, 32, 32);
        expectSparse(IllegalArgumentException.class, "k=-3", x, 0, 1, 32, 32, -3, 0, 32, 32);
        expectSparse(IllegalArgumentException.class, "rows=-1", x, 0, -1, 4, 4, 1, 0, 4, 4);
        expectSparse(IllegalArgumentException.class, "ldx=3 < cols=4", x, 0, 2, 4, 3, 1, 0, 4, 8);
        expectSparse(IllegalArgumentException.class, "ldy=2 < cols=4", x, 0, 2, 4, 4, 1, 0, 2, 8);
        expectSparse(IndexOutOfBoundsException.class, "x (4x8, ldx=8)", x, 1, 4, 8, 8, 1, 0, 8, 32);
        expectSparse(IndexOutOfBoundsException.class, "y (4x8, ldy=9)", x, 0, 4, 8, 8, 1, 0, 9, 32);
        expectSparse(IndexOutOfBoundsException.class, "y offset=33", x, 0, 4, 8, 8, 1, 33, 8, 32);
        float[] y = new float[8];
        assertMessage(assertThrows(NullPointerException.class,
                () -> TopK.selectSparse(null, 0, 1, 4, 4, 1, y, 0, 4)), "topkSparse: x is null");
        assertMessage(assertThrows(NullPointerException.class,
                () -> TopK.selectSparse(x, 0, 1, 4, 4, 1, null, 0, 4)), "topkSparse: y is null");
    }

    private static void expectSparse(Class<? extends RuntimeException> type, String fragment, float[] x, int xOff,
                                     int rows, int cols, int ldx, int k, int yOff, int ldy, int yLength) {
        float[] y = new float[yLength];
        Arrays.fill(y, 3);
        Arrays.fill(x, 1);
        RuntimeException e = assertThrows(type, () -> TopK.selectSparse(x, xOff, rows, cols, ldx, k, y, yOff, ldy));
        assertMessage(e, "topkSparse: ");
        assertMessage(e, fragment);
        for (float v : y) {
            assertEquals(3, v, e.getMessage());
        }
        for (float v : x) {
            assertEquals(1, v, e.getMessage());
        }
    }

    private static void assertMessage(Throwable e, String fragment) {
        assertTrue(e.getMessage() != null && e.getMessage().contains(fragment),
                "message \"" + e.getMessage() + "\" lacks \"" + fragment + "\"");
    }
}
