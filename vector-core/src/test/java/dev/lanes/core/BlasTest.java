package dev.lanes.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The public facade: semantics on known values, aliasing, and bad input for every method. */
class BlasTest {

    private static float[] seq(int n, float start) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = start + i;
        }
        return a;
    }

    // ---------------------------------------------------------------- known values

    @Test
    void axpyAndScale() {
        float[] x = {9, 1, 2, 3, 4};
        float[] y = {10, 20, 30, 40, 50};
        Blas.axpy(3, 2f, x, 1, y, 2);
        assertArrayEquals(new float[] {10, 20, 32, 44, 56}, y);
        Blas.scale(2, -0.5f, y, 3);
        assertArrayEquals(new float[] {10, 20, 32, -22, -28}, y);
        Blas.axpy(2, 1f, y, 0, y, 0);
        assertArrayEquals(new float[] {20, 40, 32, -22, -28}, y, "axpy with y the same region as x");
        Blas.axpy(0, 1f, new float[0], 0, new float[0], 0);
    }

    @Test
    void axpyIsAMultiplyThenAnAddNotAFusedMultiplyAdd() {
        // 1 + 2^-23 squared is 1 + 2^-22 + 2^-46: fma keeps the 2^-46 in (1 + ...) - 1, a rounded product loses it
        float a = 1f + 0x1p-23f;
        float[] y = {-(1f + 0x1p-22f)};
        Blas.axpy(1, a, new float[] {a}, 0, y, 0);
        assertEquals(0f, y[0]);
    }

    @Test
    void reductions() {
        float[] x = seq(100, 1);
        assertEquals(5050f, Blas.sum(100, x, 0));
        assertEquals(338350f, Blas.sumOfSquares(100, x, 0));
        assertEquals(5049f, Blas.sum(99, x, 1));
        float[] y = new float[101];
        java.util.Arrays.fill(y, 2f);
        assertEquals(10100f, Blas.dot(100, x, 0, y, 1));
        assertEquals(0f, Blas.dot(0, x, 100, y, 101));
        assertEquals(Float.NaN, Blas.sum(3, new float[] {1, Float.NaN, 2}, 0));
        assertEquals(Float.NaN, Blas.sum(2, new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}, 0));
        assertEquals(Float.POSITIVE_INFINITY, Blas.sumOfSquares(2, new float[] {1, Float.NEGATIVE_INFINITY}, 0));
    }

    @Test
    void elementwiseAndAliasing() {
        float[] x = {1, 2, 3, 4};
        float[] y = {10, 20, 30, 40};
        float[] z = new float[5];
        Blas.mul(4, x, 0, y, 0, z, 1);
        assertArrayEquals(new float[] {0, 10, 40, 90, 160}, z);
        Blas.add(4, x, 0, y, 0, z, 0);
        assertArrayEquals(new float[] {11, 22, 33, 44, 160}, z);
        Blas.sub(4, x, 0, y, 0, z, 0);
        assertArrayEquals(new float[] {-9, -18, -27, -36, 160}, z);
        Blas.mul(4, x, 0, x, 0, x, 0);
        assertArrayEquals(new float[] {1, 4, 9, 16}, x, "z = x = y");
        Blas.add(4, x, 0, y, 0, y, 0);
        assertArrayEquals(new float[] {11, 24, 39, 56}, y, "z = y");
        Blas.sub(4, y, 0, x, 0, x, 0);
        assertArrayEquals(new float[] {10, 20, 30, 40}, x, "z = y, second operand");
        Blas.sub(3, x, 1, x, 1, x, 1);
        assertArrayEquals(new float[] {10, 0, 0, 0}, x);
    }

    @Test
    void clampKeepsNaNAndOrdersSignedZeros() {
        float nan = Float.NaN;
        float[] x = {-2, -0f, 0f, 0.5f, 7, nan, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY};
        float[] y = new float[8];
        Blas.clamp(8, 0f, 1f, x, 0, y, 0);
        assertArrayEquals(new float[] {0, 0f, 0f, 0.5f, 1, nan, 0, 1}, y);
        assertEquals(0, Float.floatToRawIntBits(y[1]), "max(+0.0, -0.0) is +0.0");
        Blas.clamp(8, Float.NEGATIVE_INFINITY, -0f, x, 0, x, 0);
        assertArrayEquals(new float[] {-2, -0f, -0f, -0f, -0f, nan, Float.NEGATIVE_INFINITY, -0f}, x, "in place");
        Blas.clamp(1, 3f, 3f, y, 7, y, 7);
        assertEquals(3f, y[7]);
    }

    @Test
    void addRowVectorAndColumnSums() {
        // 2 x 3 at offset 1 with ldx 4; the padding (-1) must stay
        float[] x = {-1, 1, 2, 3, -1, 4, 5, 6, -1};
        float[] v = {0, 10, 20, 30};
        Blas.addRowVector(2, 3, v, 1, x, 1, 4);
        assertArrayEquals(new float[] {-1, 11, 22, 33, -1, 14, 25, 36, -1}, x);
        float[] out = {7, 7, 7, 7, 7};
        Blas.columnSums(2, 3, x, 1, 4, out, 1, false);
        assertArrayEquals(new float[] {7, 25, 47, 69, 7}, out);
        Blas.columnSums(2, 3, x, 1, 4, out, 1, true);
        assertArrayEquals(new float[] {7, 50, 94, 138, 7}, out);
        Blas.columnSums(0, 3, x, 1, 4, out, 1, false);
        assertArrayEquals(new float[] {7, 0, 0, 0, 7}, out, "no rows: zeros");
        // v in the padding of x is fine
        float[] w = {1, 2, 100, 200, 3, 4};
        Blas.addRowVector(2, 2, w, 2, w, 0, 4);
        assertArrayEquals(new float[] {101, 202, 100, 200, 103, 204}, w);
    }

    @Test
    void argmaxAndRowArgmax() {
        assertEquals(2, Blas.argmax(4, new float[] {1, 3, 5, 5}, 0));
        assertEquals(1, Blas.argmax(3, new float[] {9, -0f, 0f, 0f}, 1), "+0.0 > -0.0, first of ties");
        assertEquals(1, Blas.argmax(3, new float[] {1, Float.NaN, Float.POSITIVE_INFINITY}, 0), "NaN is largest");
        assertEquals(0, Blas.argmax(1, new float[] {Float.NEGATIVE_INFINITY}, 0));
        float[] x = {0, 1, 3, 2, 9, 9, 8, 7, 9};
        int[] out = {-1, -1, -1, -1};
        Blas.rowArgmax(2, 3, x, 1, 4, out, 1);
        assertArrayEquals(new int[] {-1, 1, 0, -1}, out);
        Blas.rowArgmax(0, 3, x, 0, 3, out, 4);
        float[] big = new float[1000];
        big[777] = 1f;
        big[999] = 1f;
        assertEquals(777, Blas.argmax(1000, big, 0));
    }

    // ---------------------------------------------------------------- bad input

    /** Runs {@code call}, expects {@code type} with a message naming the op and containing every fragment, and no array changed. */
    private static void rejects(Class<? extends RuntimeException> type, Executable call, Object[] arrays, String op,
                                String... fragments) {
        List<Object> before = new ArrayList<>();
        for (Object a : arrays) {
            before.add(a instanceof float[] f ? f.clone() : ((int[]) a).clone());
        }
        RuntimeException e = assertThrows(type, call);
        String m = e.getMessage();
        assertTrue(m.startsWith(op + ": "), "message should name " + op + ": " + m);
        for (String f : fragments) {
            assertTrue(m.contains(f), "message should contain '" + f + "': " + m);
        }
        for (int i = 0; i < arrays.length; i++) {
            if (arrays[i] instanceof float[] f) {
                assertArrayEquals((float[]) before.get(i), f, "written despite the error: " + m);
            } else {
                assertArrayEquals((int[]) before.get(i), (int[]) arrays[i], "written despite the error: " + m);
            }
        }
    }

    private static final Class<IllegalArgumentException> IAE = IllegalArgumentException.class;
    private static final Class<IndexOutOfBoundsException> IOOBE = IndexOutOfBoundsException.class;
    private static final Class<NullPointerException> NPE = NullPointerException.class;

    @Test
    void axpyAndScaleRejectBadInput() {
        float[] x = seq(8, 1);
        float[] y = seq(8, 10);
        Object[] xy = {x, y};
        rejects(IAE, () -> Blas.axpy(-1, 1f, x, 0, y, 0), xy, "axpy", "n=-1");
        rejects(IOOBE, () -> Blas.axpy(5, 1f, x, 4, y, 0), xy, "axpy", "x", "5", "offset 4", "length is 8");
        rejects(IOOBE, () -> Blas.axpy(5, 1f, x, 0, y, -1), xy, "axpy", "y", "offset -1");
        rejects(IOOBE, () -> Blas.axpy(9, 1f, x, 0, y, 0), xy, "axpy", "x", "9", "length is 8");
        rejects(NPE, () -> Blas.axpy(1, 1f, null, 0, y, 0), xy, "axpy", "x");
        rejects(NPE, () -> Blas.axpy(1, 1f, x, 0, null, 0), xy, "axpy", "y");
        rejects(IAE, () -> Blas.axpy(4, 1f, x, 0, x, 2), xy, "axpy", "y [2, 6)", "x [0, 4)");
        rejects(IAE, () -> Blas.scale(-3, 1f, x, 0), xy, "scale", "n=-3");
        rejects(IOOBE, () -> Blas.scale(3, 1f, x, 6), xy, "scale", "x", "offset 6");
        rejects(NPE, () -> Blas.scale(3, 1f, null, 0), xy, "scale", "x");
    }

    @Test
    void reductionsRejectBadInput() {
        float[] x = seq(8, 1);
        float[] y = seq(8, 10);
        Object[] xy = {x, y};
        rejects(IAE, () -> Blas.dot(-1, x, 0, y, 0), xy, "dot", "n=-1");
        rejects(IOOBE, () -> Blas.dot(8, x, 0, y, 1), xy, "dot", "y", "offset 1");
        rejects(IOOBE, () -> Blas.dot(2, x, 7, y, 0), xy, "dot", "x", "offset 7");
        rejects(NPE, () -> Blas.dot(2, null, 0, y, 0), xy, "dot", "x");
        rejects(NPE, () -> Blas.dot(2, x, 0, null, 0), xy, "dot", "y");
        rejects(IAE, () -> Blas.sum(-2, x, 0), xy, "sum", "n=-2");
        rejects(IOOBE, () -> Blas.sum(2, x, 9), xy, "sum", "x", "offset 9");
        rejects(NPE, () -> Blas.sum(0, null, 0), xy, "sum", "x");
        rejects(IAE, () -> Blas.sumOfSquares(-2, x, 0), xy, "sumOfSquares", "n=-2");
        rejects(IOOBE, () -> Blas.sumOfSquares(9, x, 0), xy, "sumOfSquares", "x", "9");
        rejects(NPE, () -> Blas.sumOfSquares(1, null, 0), xy, "sumOfSquares", "x");
    }

    private interface Binary {
        void apply(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff);
    }

    @Test
    void mulAddSubRejectBadInput() {
        String[] names = {"mul", "add", "sub"};
        Binary[] ops = {Blas::mul, Blas::add, Blas::sub};
        for (int o = 0; o < 3; o++) {
            Binary f = ops[o];
            String op = names[o];
            float[] x = seq(8, 1);
            float[] y = seq(8, 10);
            float[] z = seq(8, 20);
            Object[] all = {x, y, z};
            rejects(IAE, () -> f.apply(-1, x, 0, y, 0, z, 0), all, op, "n=-1");
            rejects(IOOBE, () -> f.apply(4, x, 5, y, 0, z, 0), all, op, "x", "offset 5");
            rejects(IOOBE, () -> f.apply(4, x, 0, y, 5, z, 0), all, op, "y", "offset 5");
            rejects(IOOBE, () -> f.apply(4, x, 0, y, 0, z, 5), all, op, "z", "offset 5");
            rejects(IOOBE, () -> f.apply(4, x, 0, y, 0, new float[3], 0), all, op, "z", "length is 3");
            rejects(NPE, () -> f.apply(1, null, 0, y, 0, z, 0), all, op, "x");
            rejects(NPE, () -> f.apply(1, x, 0, null, 0, z, 0), all, op, "y");
            rejects(NPE, () -> f.apply(1, x, 0, y, 0, null, 0), all, op, "z");
            rejects(IAE, () -> f.apply(4, x, 0, y, 0, x, 1), all, op, "z [1, 5)", "x [0, 4)");
            rejects(IAE, () -> f.apply(4, x, 0, y, 3, y, 0), all, op, "z [0, 4)", "y [3, 7)");
        }
    }

    @Test
    void clampRejectsBadInput() {
        float[] x = seq(8, 1);
        float[] y = seq(8, 10);
        Object[] xy = {x, y};
        rejects(IAE, () -> Blas.clamp(2, 1f, 0f, x, 0, y, 0), xy, "clamp", "lo=1.0", "hi=0.0");
        rejects(IAE, () -> Blas.clamp(2, Float.NaN, 0f, x, 0, y, 0), xy, "clamp", "lo=NaN");
        rejects(IAE, () -> Blas.clamp(2, 0f, Float.NaN, x, 0, y, 0), xy, "clamp", "hi=NaN");
        rejects(IAE, () -> Blas.clamp(-1, 0f, 1f, x, 0, y, 0), xy, "clamp", "n=-1");
        rejects(IOOBE, () -> Blas.clamp(4, 0f, 1f, x, 5, y, 0), xy, "clamp", "x", "offset 5");
        rejects(IOOBE, () -> Blas.clamp(4, 0f, 1f, x, 0, y, 5), xy, "clamp", "y", "offset 5");
        rejects(NPE, () -> Blas.clamp(1, 0f, 1f, null, 0, y, 0), xy, "clamp", "x");
        rejects(NPE, () -> Blas.clamp(1, 0f, 1f, x, 0, null, 0), xy, "clamp", "y");
        rejects(IAE, () -> Blas.clamp(4, 0f, 1f, x, 2, x, 0), xy, "clamp", "y [0, 4)", "x [2, 6)");
    }

    @Test
    void addRowVectorAndColumnSumsRejectBadInput() {
        float[] x = seq(12, 1);
        float[] v = seq(4, 10);
        Object[] xv = {x, v};
        for (String op : new String[] {"addRowVector", "columnSums"}) {
            boolean add = op.equals("addRowVector");
            interface Call {
                void run(int rows, int cols, float[] a, int aOff, int ldx, float[] w, int wOff);
            }
            Call c = add
                    ? (rows, cols, a, aOff, ldx, w, wOff) -> Blas.addRowVector(rows, cols, w, wOff, a, aOff, ldx)
                    : (rows, cols, a, aOff, ldx, w, wOff) -> Blas.columnSums(rows, cols, a, aOff, ldx, w, wOff, true);
            String w = add ? "v" : "out";
            rejects(IAE, () -> c.run(-1, 3, x, 0, 3, v, 0), xv, op, "rows=-1");
            rejects(IAE, () -> c.run(2, -3, x, 0, 3, v, 0), xv, op, "cols=-3");
            rejects(IAE, () -> c.run(2, 4, x, 0, 3, v, 0), xv, op, "ldx=3 < cols=4");
            rejects(IAE, () -> c.run(2, 0, x, 0, 0, v, 0), xv, op, "ldx=0");
            rejects(IOOBE, () -> c.run(4, 3, x, 1, 3, v, 0), xv, op, "x", "needs 12", "offset 1", "length is 12");
            rejects(IOOBE, () -> c.run(1, 3, x, 13, 3, v, 0), xv, op, "x", "offset=13");
            rejects(IOOBE, () -> c.run(2, 3, x, 0, 3, v, 2), xv, op, w, "offset 2", "length is 4");
            rejects(NPE, () -> c.run(2, 3, null, 0, 3, v, 0), xv, op, "x");
            rejects(NPE, () -> c.run(2, 3, x, 0, 3, null, 0), xv, op, w);
            rejects(IAE, () -> c.run(2, 3, x, 0, 4, x, 5), xv, op, w + " [5, 8)", "row 1");
            rejects(IAE, () -> c.run(2, 3, x, 2, 4, x, 0), xv, op, w + " [0, 3)", "row 0");
        }
    }

    @Test
    void argmaxAndRowArgmaxRejectBadInput() {
        float[] x = seq(12, 1);
        int[] out = {-1, -1, -1};
        Object[] xo = {x, out};
        rejects(IAE, () -> Blas.argmax(0, x, 0), xo, "argmax", "n=0");
        rejects(IAE, () -> Blas.argmax(-4, x, 0), xo, "argmax", "n=-4");
        rejects(IOOBE, () -> Blas.argmax(5, x, 8), xo, "argmax", "x", "offset 8");
        rejects(NPE, () -> Blas.argmax(1, null, 0), xo, "argmax", "x");
        rejects(IAE, () -> Blas.rowArgmax(2, 0, x, 0, 3, out, 0), xo, "rowArgmax", "cols=0");
        rejects(IAE, () -> Blas.rowArgmax(-2, 3, x, 0, 3, out, 0), xo, "rowArgmax", "rows=-2");
        rejects(IAE, () -> Blas.rowArgmax(2, 3, x, 0, 2, out, 0), xo, "rowArgmax", "ldx=2 < cols=3");
        rejects(IOOBE, () -> Blas.rowArgmax(3, 3, x, 0, 5, out, 0), xo, "rowArgmax", "x", "needs 13");
        rejects(IOOBE, () -> Blas.rowArgmax(3, 3, x, 0, 3, out, 1), xo, "rowArgmax", "out", "offset 1", "length is 3");
        rejects(NPE, () -> Blas.rowArgmax(1, 3, null, 0, 3, out, 0), xo, "rowArgmax", "x");
        rejects(NPE, () -> Blas.rowArgmax(1, 3, x, 0, 3, null, 0), xo, "rowArgmax", "out");
    }
}
