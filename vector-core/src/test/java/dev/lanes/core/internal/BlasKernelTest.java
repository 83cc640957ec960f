package dev.lanes.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PanamaBlas against the scalar reference ScalarBlas. Elementwise methods, columnSums and the argmax
 * methods must agree bit for bit (NaN payloads aside, which assertArrayEquals ignores since it compares
 * floatToIntBits); the reductions must stay within the rounding error bound stated in Blas.
 */
class BlasKernelTest {

    private static final long SEED = 0x5EED_B1A5L;
    private static final double U = 0x1p-24;

    private static BlasKernel scalar;
    private static BlasKernel panama;
    private static int lanes;

    @BeforeAll
    static void load() {
        assumeTrue(Backends.panamaAvailable(), "Panama kernels unavailable");
        scalar = Backends.load(BlasKernel.class, Backends.Kind.SCALAR);
        panama = Backends.load(BlasKernel.class, Backends.Kind.PANAMA);
        lanes = PanamaProbe.floatLanes();
    }

    private static int[] sizes() {
        int l = lanes;
        return new int[] {0, 1, 2, 3, l - 1, l, l + 1, 2 * l - 1, 2 * l, 2 * l + 1, 4 * l - 1, 4 * l, 4 * l + 1,
                5 * l + 3, 31, 97, 1009, 65537};
    }

    /** How the elements of a test array are drawn. */
    enum Mode {
        /** uniform in [-1, 1) */
        UNIFORM,
        /** random sign, exponent in [-140, 50]: subnormals up to large (sums and products stay finite) */
        WIDE,
        /** a few distinct values, +-0 among them: many ties */
        TIES,
        /** a quarter of the elements from +-0, +-Inf, NaN, subnormals, +-MAX_VALUE */
        CORNERS,
        /** uniform with about one element in 50 infinite, all of one sign (the sign drawn per array) */
        INFINITIES
    }

    private static final float[] SPECIALS = {0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
        Float.intBitsToFloat(0xffc00001), Float.MIN_VALUE, -Float.MIN_VALUE, 1e-40f, -3e-39f, Float.MIN_NORMAL,
        Float.MAX_VALUE, -Float.MAX_VALUE, 3e38f, 1f, -1f};

    private static final float[] TIE_VALUES = {-0f, 0f, 1f, -1f, 2f, 2f, Float.NEGATIVE_INFINITY};

    private static float draw(SplittableRandom r, Mode mode) {
        return switch (mode) {
            case UNIFORM -> (float) r.nextDouble(-1, 1);
            case WIDE -> (r.nextBoolean() ? 1 : -1) * Math.scalb((float) r.nextDouble(1, 2), r.nextInt(-140, 51));
            case TIES -> TIE_VALUES[r.nextInt(TIE_VALUES.length)];
            case CORNERS -> r.nextInt(4) == 0 ? SPECIALS[r.nextInt(SPECIALS.length)] : (float) r.nextDouble(-1, 1);
            case INFINITIES -> r.nextInt(50) == 0 ? Float.POSITIVE_INFINITY : (float) r.nextDouble(-1, 1);
        };
    }

    /** An array of {@code off + n + 5} drawn elements: the 5 after the operand catch writes past the end. */
    private static float[] array(SplittableRandom r, int off, int n, Mode mode) {
        float[] a = new float[off + n + 5];
        float sign = mode == Mode.INFINITIES && r.nextBoolean() ? -1f : 1f;
        for (int i = 0; i < a.length; i++) {
            a[i] = sign * draw(r, mode);
        }
        return a;
    }

    private static long seed(int n, Mode mode, int variant) {
        return SEED ^ ((long) n << 20) ^ ((long) mode.ordinal() << 8) ^ variant;
    }

    private static String where(long seed, int n, Mode mode, String more) {
        return "seed=0x" + Long.toHexString(seed) + " n=" + n + " mode=" + mode + " " + more;
    }

    // ---------------------------------------------------------------- elementwise, bit-exact

    private static final float[] ALPHAS = {0.75f, -1.5f, 0f, -0f, 1e-40f, 3e38f, Float.POSITIVE_INFINITY, Float.NaN};

    @Test
    void axpyAndScaleMatchBitForBit() {
        for (Mode mode : Mode.values()) {
            for (int n : sizes()) {
                for (int v = 0; v < ALPHAS.length; v++) {
                    float alpha = ALPHAS[v];
                    long seed = seed(n, mode, v);
                    SplittableRandom r = new SplittableRandom(seed);
                    int xOff = v % 3;
                    int yOff = (v * 7) % 5;
                    float[] x = array(r, xOff, n, mode);
                    float[] y = array(r, yOff, n, mode);
                    float[] ys = y.clone();
                    float[] yp = y.clone();
                    scalar.axpy(n, alpha, x, xOff, ys, yOff);
                    panama.axpy(n, alpha, x, xOff, yp, yOff);
                    assertArrayEquals(ys, yp, where(seed, n, mode, "axpy alpha=" + alpha));
                    float[] xs = x.clone();
                    float[] xp = x.clone();
                    scalar.scale(n, alpha, xs, xOff);
                    panama.scale(n, alpha, xp, xOff);
                    assertArrayEquals(xs, xp, where(seed, n, mode, "scale alpha=" + alpha));
                    scalar.axpy(n, alpha, xs, xOff, xs, xOff);
                    panama.axpy(n, alpha, xp, xOff, xp, xOff);
                    assertArrayEquals(xs, xp, where(seed, n, mode, "axpy in place alpha=" + alpha));
                }
            }
        }
    }

    private interface Binary {
        void apply(BlasKernel k, int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff);
    }

    @Test
    void mulAddSubMatchBitForBit() {
        String[] names = {"mul", "add", "sub"};
        Binary[] ops = {BlasKernel::mul, BlasKernel::add, BlasKernel::sub};
        for (int o = 0; o < ops.length; o++) {
            for (Mode mode : Mode.values()) {
                for (int n : sizes()) {
                    long seed = seed(n, mode, o);
                    SplittableRandom r = new SplittableRandom(seed);
                    int xOff = 1;
                    int yOff = 4;
                    int zOff = 2;
                    float[] x = array(r, xOff, n, mode);
                    float[] y = array(r, yOff, n, mode);
                    float[] z = array(r, zOff, n, mode);
                    float[] zs = z.clone();
                    float[] zp = z.clone();
                    ops[o].apply(scalar, n, x, xOff, y, yOff, zs, zOff);
                    ops[o].apply(panama, n, x, xOff, y, yOff, zp, zOff);
                    assertArrayEquals(zs, zp, where(seed, n, mode, names[o]));
                    float[] xs = x.clone();
                    float[] xp = x.clone();
                    ops[o].apply(scalar, n, xs, xOff, y, yOff, xs, xOff);
                    ops[o].apply(panama, n, xp, xOff, y, yOff, xp, xOff);
                    assertArrayEquals(xs, xp, where(seed, n, mode, names[o] + " z=x"));
                    float[] ws = x.clone();
                    float[] wp = x.clone();
                    ops[o].apply(scalar, n, ws, xOff, ws, xOff, ws, xOff);
                    ops[o].apply(panama, n, wp, xOff, wp, xOff, wp, xOff);
                    assertArrayEquals(ws, wp, where(seed, n, mode, names[o] + " x=y=z"));
                    // Three arrays at one offset: PanamaBlas runs C2's single-index loop then.
                    float[] y1 = array(r, xOff, n, mode);
                    float[] z1s = array(r, xOff, n, mode);
                    float[] z1p = z1s.clone();
                    ops[o].apply(scalar, n, x, xOff, y1, xOff, z1s, xOff);
                    ops[o].apply(panama, n, x, xOff, y1, xOff, z1p, xOff);
                    assertArrayEquals(z1s, z1p, where(seed, n, mode, names[o] + " one offset"));
                }
            }
        }
    }

    private static final float[][] BOUNDS = {{-0.5f, 0.5f}, {0f, 0f}, {-0f, 0f}, {0f, 1f},
        {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY}, {0f, Float.POSITIVE_INFINITY}, {1e-40f, 3e38f},
        {Float.NEGATIVE_INFINITY, -0f}};

    @Test
    void clampMatchesBitForBit() {
        for (Mode mode : Mode.values()) {
            for (int n : sizes()) {
                for (int b = 0; b < BOUNDS.length; b++) {
                    float lo = BOUNDS[b][0];
                    float hi = BOUNDS[b][1];
                    long seed = seed(n, mode, b);
                    SplittableRandom r = new SplittableRandom(seed);
                    int xOff = b % 4;
                    int yOff = 3;
                    float[] x = array(r, xOff, n, mode);
                    float[] y = array(r, yOff, n, mode);
                    float[] ys = y.clone();
                    float[] yp = y.clone();
                    scalar.clamp(n, lo, hi, x, xOff, ys, yOff);
                    panama.clamp(n, lo, hi, x, xOff, yp, yOff);
                    String at = where(seed, n, mode, "clamp lo=" + lo + " hi=" + hi);
                    assertArrayEquals(ys, yp, at);
                    float[] xp = x.clone();
                    panama.clamp(n, lo, hi, xp, xOff, xp, xOff);
                    for (int i = 0; i < n; i++) {
                        assertEquals(Float.floatToIntBits(ys[yOff + i]), Float.floatToIntBits(xp[xOff + i]),
                                at + " in place i=" + i);
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- matrices, bit-exact

    private static final int[] ROWS = {0, 1, 2, 7, 16, 33};

    @Test
    void addRowVectorAndColumnSumsMatchBitForBit() {
        for (Mode mode : Mode.values()) {
            for (int cols : sizes()) {
                for (int rows : ROWS) {
                    if ((long) rows * cols > 300_000) {
                        continue;
                    }
                    for (int pad : new int[] {0, 3}) {
                        long seed = seed(cols, mode, rows * 4 + pad);
                        SplittableRandom r = new SplittableRandom(seed);
                        int ldx = cols + pad;
                        int xOff = pad == 0 ? 0 : 2;
                        int vOff = 1 + pad;
                        float[] x = array(r, xOff, Math.max(0, rows * ldx), mode);
                        float[] v = array(r, vOff, cols, mode);
                        String at = where(seed, cols, mode, "rows=" + rows + " ldx=" + ldx);

                        float[] xs = x.clone();
                        float[] xp = x.clone();
                        scalar.addRowVector(rows, cols, v, vOff, xs, xOff, ldx);
                        panama.addRowVector(rows, cols, v, vOff, xp, xOff, ldx);
                        assertArrayEquals(xs, xp, at + " addRowVector");

                        for (boolean accumulate : new boolean[] {false, true}) {
                            float[] os = v.clone();
                            float[] op = v.clone();
                            scalar.columnSums(rows, cols, x, xOff, ldx, os, vOff, accumulate);
                            panama.columnSums(rows, cols, x, xOff, ldx, op, vOff, accumulate);
                            assertArrayEquals(os, op, at + " columnSums accumulate=" + accumulate);
                        }
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- argmax, bit-exact

    @Test
    void argmaxMatchesExactly() {
        for (Mode mode : Mode.values()) {
            for (int n : sizes()) {
                if (n == 0) {
                    continue;
                }
                for (int v = 0; v < 7; v++) {
                    long seed = seed(n, mode, v);
                    SplittableRandom r = new SplittableRandom(seed);
                    int off = v;
                    float[] x = array(r, off, n, mode);
                    // plant the maximum or a NaN at varied places, including the tail and the very end
                    if (v == 1) {
                        x[off + n - 1] = Float.POSITIVE_INFINITY;
                    } else if (v == 2) {
                        x[off + r.nextInt(n)] = Float.intBitsToFloat(0xff800123);
                    } else if (v == 3) {
                        java.util.Arrays.fill(x, off, off + n, -0f);
                        x[off + r.nextInt(n)] = 0f;
                    } else if (v == 4) {
                        java.util.Arrays.fill(x, off, off + n, Float.NEGATIVE_INFINITY);
                    } else if (v == 5 || v == 6) {
                        // infinities of both signs and no NaN: running sums turn NaN without a NaN element
                        for (int i = off; i < off + n; i++) {
                            x[i] = Float.isNaN(x[i]) ? 0.5f : x[i];
                        }
                        x[off + r.nextInt(n)] = Float.NEGATIVE_INFINITY;
                        x[off + r.nextInt(n)] = v == 5 ? Float.POSITIVE_INFINITY : Float.MAX_VALUE;
                    }
                    x[off + n] = Float.NaN;
                    String at = where(seed, n, mode, "off=" + off + " variant=" + v);
                    assertEquals(scalar.argmax(n, x, off), panama.argmax(n, x, off), at);
                }
            }
        }
    }

    @Test
    void argmaxFollowsFloatCompare() {
        for (BlasKernel k : List.of(scalar, panama)) {
            String name = k.getClass().getSimpleName();
            assertEquals(1, k.argmax(3, new float[] {-0f, 0f, -0f}, 0), name);
            assertEquals(0, k.argmax(3, new float[] {0f, -0f, 0f}, 0), name);
            assertEquals(2, k.argmax(4, new float[] {1f, Float.POSITIVE_INFINITY, Float.NaN, Float.NaN}, 0), name);
            assertEquals(0, k.argmax(2, new float[] {Float.intBitsToFloat(0xffc00000), Float.NaN}, 0), name);
            assertEquals(0, k.argmax(1, new float[] {Float.NEGATIVE_INFINITY}, 0), name);
        }
    }

    @Test
    void rowArgmaxMatchesExactly() {
        for (Mode mode : Mode.values()) {
            for (int cols : sizes()) {
                if (cols == 0) {
                    continue;
                }
                for (int rows : ROWS) {
                    if ((long) rows * cols > 300_000) {
                        continue;
                    }
                    long seed = seed(cols, mode, rows);
                    SplittableRandom r = new SplittableRandom(seed);
                    int ldx = cols + 2;
                    int xOff = 3;
                    float[] x = array(r, xOff, rows * ldx, mode);
                    int[] outS = new int[rows + 2];
                    int[] outP = new int[rows + 2];
                    java.util.Arrays.fill(outS, -7);
                    java.util.Arrays.fill(outP, -7);
                    scalar.rowArgmax(rows, cols, x, xOff, ldx, outS, 1);
                    panama.rowArgmax(rows, cols, x, xOff, ldx, outP, 1);
                    assertArrayEquals(outS, outP, where(seed, cols, mode, "rows=" + rows + " ldx=" + ldx));
                }
            }
        }
    }

    // ---------------------------------------------------------------- reductions, error bound

    /**
     * Error bound of a float sum of the terms t_i against the exact sum: gamma(nEff) * sum|t_i| with
     * gamma(k) = k*u/(1 - k*u) <= 1.01*k*u while k*u <= 0.01 (u = 2^-24; here k*u < 0.004), plus
     * n * MIN_VALUE for products that round in the subnormal range, where the relative bound fails.
     * nEff counts the roundings on the longest path of a term: n for the sequential loop (n - 1 adds
     * and the product), ceil(n / (4*lanes)) + 3 in a lane, 2 combining 4 accumulators and log2(lanes)
     * across lanes for Panama from n = lanes on (below, Panama runs the scalar loop). The double reference adds its own n * 2^-53 * sum|t_i|.
     */
    private static double bound(int nEff, int n, double sumAbs) {
        return 1.01 * nEff * U * sumAbs + n * 0x1p-53 * sumAbs + n * (double) Float.MIN_VALUE;
    }

    private static int panamaNEff(int n) {
        if (n < lanes) {
            return n; // the scalar loop
        }
        return (n + 4 * lanes - 1) / (4 * lanes) + 5 + Integer.numberOfTrailingZeros(lanes);
    }

    private interface Reduction {
        float apply(BlasKernel k, int n, float[] x, int xOff, float[] y, int yOff);
    }

    private record Named(String name, Reduction op, boolean product) {
    }

    private static List<Named> reductions() {
        List<Named> list = new ArrayList<>();
        list.add(new Named("dot", BlasKernel::dot, true));
        list.add(new Named("sum", (k, n, x, xOff, y, yOff) -> k.sum(n, x, xOff), false));
        list.add(new Named("sumOfSquares", (k, n, x, xOff, y, yOff) -> k.sumOfSquares(n, x, xOff), true));
        return list;
    }

    private static double term(String name, float x, float y) {
        return switch (name) {
            case "dot" -> (double) x * y;
            case "sum" -> x;
            default -> (double) x * x;
        };
    }

    @Test
    void reductionsStayWithinTheErrorBound() {
        int bounded = 0;
        int nonFinite = 0;
        for (Named red : reductions()) {
            for (Mode mode : Mode.values()) {
                for (int n : sizes()) {
                    long seed = seed(n, mode, red.name().length());
                    SplittableRandom r = new SplittableRandom(seed);
                    int xOff = 2;
                    int yOff = 5;
                    float[] x = array(r, xOff, n, mode);
                    float[] y = array(r, yOff, n, mode);
                    double exact = 0;
                    double sumAbs = 0;
                    double finiteAbs = 0;
                    for (int i = 0; i < n; i++) {
                        double t = term(red.name(), x[xOff + i], y[yOff + i]);
                        exact += t;
                        sumAbs += Math.abs(t);
                        if (Double.isFinite(t)) {
                            finiteAbs += Math.abs(t);
                        }
                    }
                    float s = red.op().apply(scalar, n, x, xOff, y, yOff);
                    float p = red.op().apply(panama, n, x, xOff, y, yOff);
                    String at = where(seed, n, mode, red.name() + " scalar=" + s + " panama=" + p + " exact=" + exact);
                    if (finiteAbs > Float.MAX_VALUE / 4) {
                        // a finite partial sum may overflow in one order and not in another: unspecified
                        continue;
                    }
                    if (!Double.isFinite(sumAbs)) {
                        // Inf or NaN terms, no overflow: the exact result is +-Inf or NaN, and both agree
                        assertEquals(Float.floatToIntBits((float) exact), Float.floatToIntBits(s), at);
                        assertEquals(Float.floatToIntBits((float) exact), Float.floatToIntBits(p), at);
                        nonFinite++;
                        continue;
                    }
                    int nEffP = panamaNEff(n);
                    assertTrue(Math.abs(s - exact) <= bound(n, n, sumAbs), at + " scalar off the exact sum");
                    assertTrue(Math.abs(p - exact) <= bound(nEffP, n, sumAbs), at + " panama off the exact sum");
                    assertTrue(Math.abs((double) p - s) <= bound(n + nEffP, 2 * n, sumAbs),
                            at + " panama vs scalar, bound=" + bound(n + nEffP, 2 * n, sumAbs));
                    bounded++;
                }
            }
        }
        // guard against a generator change that quietly skips most cases
        assertTrue(bounded > 150 && nonFinite > 40, "bounded=" + bounded + " nonFinite=" + nonFinite);
    }

    @Test
    void sameSignOverflowIsInfiniteOnBoth() {
        for (int n : new int[] {2, lanes + 1, 4 * lanes + 1, 1009}) {
            float[] x = new float[n];
            java.util.Arrays.fill(x, 0.75f * Float.MAX_VALUE);
            float[] ones = new float[n];
            java.util.Arrays.fill(ones, 1f);
            for (BlasKernel k : List.of(scalar, panama)) {
                String at = k.getClass().getSimpleName() + " n=" + n;
                assertEquals(Float.POSITIVE_INFINITY, k.sum(n, x, 0), at);
                assertEquals(Float.POSITIVE_INFINITY, k.dot(n, x, 0, ones, 0), at);
                assertEquals(Float.POSITIVE_INFINITY, k.sumOfSquares(n, x, 0), at);
            }
        }
    }

    @Test
    void reductionsOfNothingArePositiveZero() {
        for (BlasKernel k : List.of(scalar, panama)) {
            float[] negZero = {-0f, -0f, -0f};
            String name = k.getClass().getSimpleName();
            assertEquals(0, Float.floatToRawIntBits(k.sum(0, negZero, 0)), name);
            assertEquals(0, Float.floatToRawIntBits(k.dot(0, negZero, 0, negZero, 0)), name);
            assertEquals(0, Float.floatToRawIntBits(k.sumOfSquares(0, negZero, 0)), name);
            assertEquals(0, Float.floatToRawIntBits(k.sum(3, negZero, 0)), name + " sum of -0.0 starts at +0.0");
        }
    }
}
