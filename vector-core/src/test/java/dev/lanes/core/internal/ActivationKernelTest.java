package dev.lanes.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Panama against the scalar reference, and both against double-precision truth. */
class ActivationKernelTest {

    /**
     * Panama vs scalar on the transcendental activations: the reference is within about 0.5 ulp of
     * the exact value (double rounded once), the Panama kernels within 2.49 ulps (measured over the
     * whole float range, see {@link #FORWARD_ULPS}), so they differ by at most 3 ulps; one ulp of a normal float is at most 2^-23 of its magnitude. The atol covers subnormal
     * results, whose ulp is Float.MIN_VALUE.
     */
    private static final double RTOL = 4 * 0x1p-23;
    private static final double ATOL = 4 * Float.MIN_VALUE;

    private static final float[] CORNERS = {
        0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.MIN_VALUE, -Float.MIN_VALUE,
        Float.MIN_NORMAL, -Float.MIN_NORMAL, 1e-40f, -1e-40f, Float.MAX_VALUE, -Float.MAX_VALUE, 1f, -1f,
        Math.nextUp(0f), Math.nextDown(1f), Math.nextUp(1f), 0.5f, 1e-8f, -1e-8f, 9f, -9f, 10f, 20f, 88f, -88f,
        87.33f, -87.33f, 103.9f, -103.9f, 104f, -104f, 200f, -200f, 1e30f, -1e30f, 0.3466f, -0.3466f,
        0.17f, -0.17f, 0.625f, -0.625f,
    };

    private static int lanes;
    private static ActivationKernel scalar;
    private static ActivationKernel panama;

    @BeforeAll
    static void setUp() {
        assumeTrue(Backends.panamaAvailable(), "Panama unavailable");
        lanes = PanamaProbe.floatLanes();
        scalar = Backends.load(ActivationKernel.class, Backends.Kind.SCALAR);
        panama = Backends.load(ActivationKernel.class, Backends.Kind.PANAMA);
    }

    private interface Forward {
        void apply(ActivationKernel k, float[] x, int xOff, float[] y, int yOff, int n);
    }

    private interface Backward {
        void apply(ActivationKernel k, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n);
    }

    private record Fn(String name, Forward forward, Backward backward, boolean exactForward, boolean exactBackward) {
    }

    private static final Fn[] FNS = {
        new Fn("identity", ActivationKernel::identity, ActivationKernel::identityBackward, true, true),
        new Fn("relu", ActivationKernel::relu, ActivationKernel::reluBackward, true, true),
        new Fn("softplus", ActivationKernel::softplus, ActivationKernel::softplusBackward, false, false),
        new Fn("sigmoid", ActivationKernel::sigmoid, ActivationKernel::sigmoidBackward, false, true),
        new Fn("tanh", ActivationKernel::tanh, ActivationKernel::tanhBackward, false, true),
        new Fn("trelu", ActivationKernel::trelu, ActivationKernel::treluBackward, true, true),
    };

    private int[] sizes() {
        return new int[] {0, 1, lanes - 1, lanes, lanes + 1, 2 * lanes - 1, 2 * lanes, 2 * lanes + 1, 31, 97, 1009, 65537};
    }

    /** Mixed magnitudes, corner values sprinkled in, and values just around 0 and 1. */
    private static float[] data(SplittableRandom rnd, int len) {
        float[] a = new float[len];
        for (int i = 0; i < len; i++) {
            a[i] = switch (rnd.nextInt(6)) {
                case 0 -> CORNERS[rnd.nextInt(CORNERS.length)];
                case 1 -> (float) rnd.nextDouble(-1.5, 1.5);
                case 2 -> (float) (rnd.nextDouble(-1, 1) * Math.pow(10, rnd.nextInt(-45, 39)));
                case 3 -> Math.nextUp((float) rnd.nextInt(-1, 2)) * (rnd.nextBoolean() ? 1 : -1);
                default -> (float) (rnd.nextGaussian() * 6);
            };
        }
        return a;
    }

    private static void compare(String what, float[] ref, float[] got, boolean exact) {
        for (int i = 0; i < ref.length; i++) {
            float r = ref[i];
            float g = got[i];
            boolean ok = exact || Float.isNaN(r) || Float.isInfinite(r)
                    ? Float.floatToIntBits(r) == Float.floatToIntBits(g)
                    : Math.abs((double) g - r) <= ATOL + RTOL * Math.abs(r);
            if (!ok) {
                fail(what + " i=" + i + ": scalar=" + r + " panama=" + g);
            }
        }
    }

    @Test
    void forwardMatchesScalar() {
        long seed = 0xAC71_0001L;
        SplittableRandom rnd = new SplittableRandom(seed);
        for (Fn fn : FNS) {
            for (int n : sizes()) {
                int xOff = rnd.nextInt(4);
                int yOff = rnd.nextInt(4);
                float[] x = data(rnd, xOff + n + 3);
                float[] ys = new float[yOff + n + 2];
                Arrays.fill(ys, 42f);
                float[] yp = ys.clone();
                fn.forward.apply(scalar, x, xOff, ys, yOff, n);
                fn.forward.apply(panama, x, xOff, yp, yOff, n);
                String what = fn.name + " forward seed=0x" + Long.toHexString(seed) + " n=" + n + " xOff=" + xOff
                        + " yOff=" + yOff;
                compare(what, ys, yp, fn.exactForward);
                assertUntouched(what, yp, yOff, n, 42f);

                float[] inPlace = x.clone();
                fn.forward.apply(panama, inPlace, xOff, inPlace, xOff, n);
                compare(what + " in place", Arrays.copyOfRange(yp, yOff, yOff + n),
                        Arrays.copyOfRange(inPlace, xOff, xOff + n), true);
            }
        }
    }

    @Test
    void backwardMatchesScalar() {
        long seed = 0xAC71_0002L;
        SplittableRandom rnd = new SplittableRandom(seed);
        for (Fn fn : FNS) {
            for (int n : sizes()) {
                int off = rnd.nextInt(4);
                int dyOff = rnd.nextInt(4);
                int dxOff = rnd.nextInt(4);
                float[] y = data(rnd, off + n);
                fn.forward.apply(scalar, y, off, y, off, n); // a genuine output of the activation
                float[] dy = data(rnd, dyOff + n + 1);
                float[] dxs = new float[dxOff + n + 2];
                Arrays.fill(dxs, 42f);
                float[] dxp = dxs.clone();
                fn.backward.apply(scalar, y, off, dy, dyOff, dxs, dxOff, n);
                fn.backward.apply(panama, y, off, dy, dyOff, dxp, dxOff, n);
                String what = fn.name + " backward seed=0x" + Long.toHexString(seed) + " n=" + n + " yOff=" + off
                        + " dyOff=" + dyOff + " dxOff=" + dxOff;
                compare(what, dxs, dxp, fn.exactBackward);
                assertUntouched(what, dxp, dxOff, n, 42f);

                float[] inPlace = dy.clone();
                fn.backward.apply(panama, y, off, inPlace, dyOff, inPlace, dyOff, n);
                compare(what + " dx aliasing dy", Arrays.copyOfRange(dxp, dxOff, dxOff + n),
                        Arrays.copyOfRange(inPlace, dyOff, dyOff + n), true);

                // One offset for all three arrays, the usual call (PanamaActivation runs C2's own loop
                // for the sigmoid and tanh derivatives then): against the scalar reference at that offset.
                float[] dy1 = new float[off + n + 1];
                System.arraycopy(dy, dyOff, dy1, off, n);
                float[] dx1s = new float[off + n + 2];
                Arrays.fill(dx1s, 42f);
                float[] dx1p = dx1s.clone();
                fn.backward.apply(scalar, y, off, dy1, off, dx1s, off, n);
                fn.backward.apply(panama, y, off, dy1, off, dx1p, off, n);
                compare(what + " one offset " + off, dx1s, dx1p, fn.exactBackward);
                assertUntouched(what + " one offset " + off, dx1p, off, n, 42f);
            }
        }
    }

    private static void assertUntouched(String what, float[] a, int off, int n, float sentinel) {
        for (int i = 0; i < a.length; i++) {
            if (i < off || i >= off + n) {
                assertEquals(sentinel, a[i], what + ": wrote outside its range at " + i);
            }
        }
    }

    /** Bit-exact where the result is defined by compares alone, around the kinks. */
    @Test
    void reluAndTreluAreBitExactAroundTheKinks() {
        float[] x = {-0f, 0f, Float.MIN_VALUE, -Float.MIN_VALUE, Math.nextDown(1f), 1f, Math.nextUp(1f), Float.NaN,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0.5f, -0.5f, 2f, -2f, 1e-40f, Math.nextUp(0f)};
        for (Fn fn : new Fn[] {FNS[1], FNS[5]}) {
            float[] ys = new float[x.length];
            float[] yp = new float[x.length];
            fn.forward.apply(scalar, x, 0, ys, 0, x.length);
            fn.forward.apply(panama, x, 0, yp, 0, x.length);
            compare(fn.name + " kinks forward", ys, yp, true);
            float[] dy = new float[x.length];
            Arrays.fill(dy, 3f);
            float[] dxs = new float[x.length];
            float[] dxp = new float[x.length];
            fn.backward.apply(scalar, ys, 0, dy, 0, dxs, 0, x.length);
            fn.backward.apply(panama, ys, 0, dy, 0, dxp, 0, x.length);
            compare(fn.name + " kinks backward", dxs, dxp, true);
        }
    }

    /**
     * Max error in ulps of the exact value. A sweep over every 61st float bit pattern (70 million)
     * measured sigmoid 2.33 (|x| > 15.74, its exp path; at most 1.82 where its table applies),
     * tanh 2.49 and the softplus derivative 0.97 ulps; softplus measured 1.97 over every 7th
     * pattern (its table and its exp/log path alike). This test sweeps
     * every 4099th pattern (about a million) against bounds with a little margin.
     */
    private static final double FORWARD_ULPS = 3.0;
    private static final double SOFTPLUS_BACKWARD_ULPS = 1.0;

    @Test
    void panamaIsWithinUlpsOfTheExactValue() {
        assertUlps("sigmoid", (x, y, n) -> panama.sigmoid(x, 0, y, 0, n), SIGMOID, false, FORWARD_ULPS);
        assertUlps("tanh", (x, y, n) -> panama.tanh(x, 0, y, 0, n), Math::tanh, false, FORWARD_ULPS);
        assertUlps("softplus", (x, y, n) -> panama.softplus(x, 0, y, 0, n), SOFTPLUS, false, FORWARD_ULPS);
        float[] ones = new float[BLOCK];
        Arrays.fill(ones, 1f);
        assertUlps("softplus backward", (y, dx, n) -> panama.softplusBackward(y, 0, ones, 0, dx, 0, n),
                v -> -Math.expm1(-v), true, SOFTPLUS_BACKWARD_ULPS);
    }

    private static final DoubleUnaryOperator SOFTPLUS = v -> Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
    private static final DoubleUnaryOperator SIGMOID = v -> v < 0 ? Math.exp(v) / (1 + Math.exp(v)) : 1 / (1 + Math.exp(-v));

    /**
     * Softplus's and sigmoid's tables (PanamaMath softplusTable, sigmoidTable) cover |x| <= 15.74 in
     * 32 segments: every 97th bit pattern of [-16, 16], so that every segment and its edges are
     * crossed many times.
     */
    @Test
    void tablesAreWithinUlpsOnEverySegment() {
        int end = Float.floatToRawIntBits(16f);
        sweepUlps("softplus on [-16, 16]", (x, y, n) -> panama.softplus(x, 0, y, 0, n), SOFTPLUS, 0, end, 97, true,
                FORWARD_ULPS);
        sweepUlps("sigmoid on [-16, 16]", (x, y, n) -> panama.sigmoid(x, 0, y, 0, n), SIGMOID, 0, end, 97, true,
                FORWARD_ULPS);
    }

    /**
     * A vector with one lane beyond the table, or one NaN, takes the exp path whole: every vector
     * here mixes lanes of both kinds at a random position, in place and not.
     */
    @Test
    void vectorsMixingTableAndOutsideLanes() {
        long seed = 0x50F7L;
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = 64 * lanes + 5;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rnd.nextDouble(-15.74, 15.74));
        }
        for (int v = 0; v + lanes <= n; v += lanes) {
            int lane = v + rnd.nextInt(lanes);
            x[lane] = switch (rnd.nextInt(6)) {
                case 0 -> (float) rnd.nextDouble(-103.9, -15.74);
                case 1 -> (float) rnd.nextDouble(15.74, 20);
                case 2 -> Math.nextDown(-15.74f);
                case 3 -> Math.nextUp(15.74f);
                case 4 -> Float.NaN;
                default -> x[lane];
            };
        }
        assertMixed("softplus", (in, out, len) -> panama.softplus(in, 0, out, 0, len), SOFTPLUS, x, seed);
        assertMixed("sigmoid", (in, out, len) -> panama.sigmoid(in, 0, out, 0, len), SIGMOID, x, seed);
    }

    private static void assertMixed(String name, Block f, DoubleUnaryOperator exact, float[] x, long seed) {
        int n = x.length;
        float[] y = new float[n];
        f.apply(x, y, n);
        float[] inPlace = x.clone();
        f.apply(inPlace, inPlace, n);
        for (int i = 0; i < n; i++) {
            String where = name + ", seed " + seed + ", i=" + i + ", x=" + x[i];
            if (Float.isNaN(x[i])) {
                assertTrue(Float.isNaN(y[i]) && Float.isNaN(inPlace[i]), "NaN lost, " + where);
                continue;
            }
            double e = exact.applyAsDouble(x[i]);
            assertTrue(ulps(y[i], e) <= FORWARD_ULPS, y[i] + " vs " + e + ", " + where);
            assertEquals(Float.floatToRawIntBits(y[i]), Float.floatToRawIntBits(inPlace[i]), "in place, " + where);
        }
    }

    private static final int BLOCK = 1 << 14;

    interface Block {
        void apply(float[] in, float[] out, int n);
    }

    /** Sweeps bit patterns (non-negative floats only if asked) and checks the error in ulps. */
    static void assertUlps(String name, Block f, DoubleUnaryOperator exact, boolean nonNegative, double maxUlps) {
        // up to +Inf; beyond it only NaNs
        sweepUlps(name, f, exact, nonNegative ? 0 : Integer.MIN_VALUE, 0x7f80_0000L, 4099, false, maxUlps);
    }

    /** Bit patterns lo, lo + step, ... up to hi (and their negations if asked), checked in ulps. */
    static void sweepUlps(String name, Block f, DoubleUnaryOperator exact, long lo, long hi, int step,
            boolean negated, double maxUlps) {
        float[] in = new float[BLOCK];
        float[] out = new float[BLOCK];
        int k = 0;
        double worst = 0;
        float worstX = 0;
        for (long b = lo; b <= hi; b += step) {
            in[k++] = Float.intBitsToFloat((int) b);
            if (negated) {
                in[k++] = -Float.intBitsToFloat((int) b);
            }
            if (k >= BLOCK - 1 || b + step > hi) {
                f.apply(in, out, k);
                for (int i = 0; i < k; i++) {
                    double e = ulps(out[i], exact.applyAsDouble(in[i]));
                    if (e > worst) {
                        worst = e;
                        worstX = in[i];
                    }
                }
                k = 0;
            }
        }
        assertTrue(worst <= maxUlps, name + ": " + worst + " ulps at x=" + worstX + " (bound " + maxUlps + ")");
    }

    /** |got - exact| in units of the last place of the float nearest to exact. */
    static double ulps(float got, double exact) {
        if (Double.isNaN(exact) || Float.isNaN(got) || Double.isInfinite(exact)) {
            return Double.compare(got, exact) == 0 ? 0 : Double.POSITIVE_INFINITY;
        }
        return Math.abs(got - exact) / Math.ulp((float) exact);
    }
}
