package dev.lanes.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PanamaLoss against ScalarLoss.
 *
 * <p>Tolerances, from PanamaLoss's error budget (eps = 2^-24):
 * <ul>
 * <li>Sums of non-negative terms: float blocks of at most 16 terms per lane, then 2 adds joining
 *     accumulators and a 16-lane reduction (15 adds): at most ~33 eps relative; plus ~6 eps per term
 *     (exp/log1p within 2 ulp each, products). Allowed: {@link #SUM_RTOL} = 4e-6 (~67 eps).
 * <li>Softmax elements: exp (2 ulp) + the sum's 33 eps + 1/s and the product: allowed 4e-6 relative,
 *     plus {@link #TINY} absolute for results that are subnormal (each rounding there is absolute).
 * <li>Softmax cross-entropy: log(s) turns the sum's relative error into an absolute one, so the loss
 *     gets 4e-6 absolute (plus 2^-23 relative for the final rounding).
 * <li>Gradients: a handful of float roundings of values bounded by 1/n (or 1/rows): 2^-21 relative
 *     plus an absolute 2^-21/n for the cancellation in sigmoid - t and p - 1.
 * </ul>
 */
class LossKernelTest {

    static final double SUM_RTOL = 4e-6;
    static final double TINY = 0x1p-126;

    static LossKernel scalar;
    static LossKernel panama;
    static int lanes;

    @BeforeAll
    static void load() {
        assumeTrue(Backends.panamaAvailable(), "Panama unavailable");
        scalar = Backends.load(LossKernel.class, Backends.Kind.SCALAR);
        panama = Backends.load(LossKernel.class, Backends.Kind.PANAMA);
        lanes = PanamaProbe.floatLanes();
    }

    static int[] sizes() {
        return IntStream.of(1, lanes - 1, lanes, lanes + 1, 2 * lanes - 1, 2 * lanes + 1, 31, 97, 1009,
                        4 * 16 * lanes + 3, 65537).filter(n -> n > 0).distinct().toArray();
    }

    /** Mostly moderate values, some of every corner kind when {@code corners}. */
    static float value(SplittableRandom r, boolean corners) {
        if (corners && r.nextInt(8) == 0) {
            float[] c = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, 1e-40f, Float.MIN_NORMAL, 1e30f, -1e30f,
                Float.MAX_VALUE, -Float.MAX_VALUE, 88f, -88f, 104f, -104f, 20f, -20f};
            return c[r.nextInt(c.length)];
        }
        double scale = new double[] {1e-3, 1, 4, 30}[r.nextInt(4)];
        return (float) (r.nextGaussian() * scale);
    }

    static float[] array(SplittableRandom r, int len, boolean corners) {
        float[] a = new float[len];
        for (int i = 0; i < len; i++) {
            a[i] = value(r, corners);
        }
        return a;
    }

    static float[] unit(SplittableRandom r, int len) {
        float[] a = new float[len];
        for (int i = 0; i < len; i++) {
            int k = r.nextInt(6);
            a[i] = k == 0 ? 0f : k == 1 ? 1f : r.nextFloat();
        }
        return a;
    }

    /** NaN matches NaN, an infinity the same infinity, anything else within atol + rtol |ref|. */
    static void close(String what, double ref, double got, double atol, double rtol) {
        if (Double.isNaN(ref) || Double.isNaN(got) || Double.isInfinite(ref) || Double.isInfinite(got)) {
            if (Double.compare(ref, got) != 0 && !(Double.isNaN(ref) && Double.isNaN(got))) {
                fail(what + ": expected " + ref + " but got " + got);
            }
            return;
        }
        double d = Math.abs(got - ref);
        if (!(d <= atol + rtol * Math.abs(ref))) {
            fail(what + ": expected " + ref + " but got " + got + " (|d|=" + d + " > " + (atol + rtol * Math.abs(ref))
                    + ")");
        }
    }

    @Test
    void mseMatchesScalar() {
        for (boolean corners : new boolean[] {false, true}) {
            for (int n : sizes()) {
                long seed = 0x3E5EL * n + (corners ? 1 : 0);
                SplittableRandom r = new SplittableRandom(seed);
                int off = r.nextInt(5);
                float[] yhat = array(r, n + off, corners);
                float[] y = array(r, n + 2 * off, corners);
                float[] g1 = new float[n + 3];
                float[] g2 = new float[n + 3];
                float l1 = scalar.mse(n, yhat, off, y, 2 * off, g1, 3);
                float l2 = panama.mse(n, yhat, off, y, 2 * off, g2, 3);
                String ctx = "seed=0x" + Long.toHexString(seed) + " n=" + n;
                close("mse " + ctx, l1, l2, 0, SUM_RTOL);
                for (int i = 0; i < n; i++) {
                    close("mse grad " + ctx + " i=" + i, g1[3 + i], g2[3 + i], Float.MIN_VALUE, 0x1p-21);
                }
                assertEquals(l2, panama.mse(n, yhat, off, y, 2 * off, null, 0), ctx + " without grad");
            }
        }
    }

    @Test
    void sigmoidCrossEntropyMatchesScalar() {
        for (boolean corners : new boolean[] {false, true}) {
            for (int n : sizes()) {
                long seed = 0x51CEL * n + (corners ? 1 : 0);
                SplittableRandom r = new SplittableRandom(seed);
                int off = r.nextInt(5);
                float[] z = array(r, n + off, corners);
                float[] t = unit(r, n + 1);
                float[] g1 = new float[n + 2];
                float[] g2 = new float[n + 2];
                float l1 = scalar.sigmoidCrossEntropy(n, z, off, t, 1, g1, 2);
                float l2 = panama.sigmoidCrossEntropy(n, z, off, t, 1, g2, 2);
                String ctx = "seed=0x" + Long.toHexString(seed) + " n=" + n;
                // Terms are scaled by 1/n before the float sum: one subnormal rounding each at worst.
                close("bce " + ctx, l1, l2, 1e-38, SUM_RTOL);
                for (int i = 0; i < n; i++) {
                    close("bce grad " + ctx + " i=" + i + " z=" + z[off + i] + " t=" + t[1 + i], g1[2 + i], g2[2 + i],
                            0x1p-21 / n, 0x1p-21);
                }
                assertEquals(l2, panama.sigmoidCrossEntropy(n, z, off, t, 1, null, 0), ctx + " without grad");
            }
        }
    }

    @Test
    void softmaxMatchesScalar() {
        for (boolean corners : new boolean[] {false, true}) {
            for (int cols : sizes()) {
                int rows = cols > 2000 ? 2 : 5;
                long seed = 0x50F7L * cols + (corners ? 1 : 0);
                SplittableRandom r = new SplittableRandom(seed);
                int ld = cols + r.nextInt(3);
                int xOff = r.nextInt(4);
                float[] x = array(r, xOff + rows * ld, corners);
                float[] y1 = new float[rows * ld + 1];
                float[] y2 = new float[rows * ld + 1];
                Arrays.fill(y1, -7f);
                Arrays.fill(y2, -7f);
                scalar.softmax(rows, cols, x, xOff, ld, y1, 1, ld);
                panama.softmax(rows, cols, x, xOff, ld, y2, 1, ld);
                String ctx = "seed=0x" + Long.toHexString(seed) + " rows=" + rows + " cols=" + cols;
                for (int i = 0; i < y1.length; i++) {
                    close("softmax " + ctx + " i=" + i, y1[i], y2[i], TINY, SUM_RTOL);
                }
                float[] inPlace = x.clone();
                panama.softmax(rows, cols, inPlace, xOff, ld, inPlace, xOff, ld);
                for (int row = 0; row < rows; row++) {
                    for (int j = 0; j < cols; j++) {
                        assertEquals(y2[1 + row * ld + j], inPlace[xOff + row * ld + j], ctx + " in place");
                    }
                }
            }
        }
    }

    @Test
    void softmaxCrossEntropyMatchesScalar() {
        for (boolean corners : new boolean[] {false, true}) {
            for (int cols : sizes()) {
                int rows = cols > 2000 ? 2 : 7;
                long seed = 0xCE0L * cols + (corners ? 1 : 0);
                SplittableRandom r = new SplittableRandom(seed);
                int ld = cols + r.nextInt(3);
                float[] x = array(r, 2 + rows * ld, corners);
                int[] labels = r.ints(rows + 1, 0, cols).toArray();
                float[] g1 = new float[rows * ld];
                float[] g2 = new float[rows * ld];
                float l1 = scalar.softmaxCrossEntropy(rows, cols, x, 2, ld, labels, 1, g1, 0, ld);
                float l2 = panama.softmaxCrossEntropy(rows, cols, x, 2, ld, labels, 1, g2, 0, ld);
                String ctx = "seed=0x" + Long.toHexString(seed) + " rows=" + rows + " cols=" + cols;
                close("softmaxCE " + ctx, l1, l2, SUM_RTOL, 0x1p-23);
                for (int row = 0; row < rows; row++) {
                    for (int j = 0; j < cols; j++) {
                        int i = row * ld + j;
                        double p = g1[i] * (double) rows + (j == labels[1 + row] ? 1 : 0);
                        close("softmaxCE grad " + ctx + " row=" + row + " j=" + j, g1[i], g2[i],
                                (0x1p-22 + SUM_RTOL * Math.abs(p)) / rows, 0);
                    }
                }
                assertEquals(l2, panama.softmaxCrossEntropy(rows, cols, x, 2, ld, labels, 1, null, 0, 0),
                        ctx + " without grad");
            }
        }
    }

    @Test
    void hugeLogitsStayFinite() {
        float big = Float.MAX_VALUE;
        float[] z = {big, -big, 1e30f, -1e30f, big, -big, 0f, 3f, -3f, 1e30f};
        float[] t = {1f, 0f, 1f, 0f, 0.5f, 0.25f, 0.5f, 1f, 0f, 0.3f};
        for (LossKernel k : new LossKernel[] {scalar, panama}) {
            float[] g = new float[z.length];
            float l = k.sigmoidCrossEntropy(z.length, z, 0, t, 0, g, 0);
            assertTrue(Float.isFinite(l), k + " loss " + l);
            for (float v : g) {
                assertTrue(Float.isFinite(v), k + " grad " + Arrays.toString(g));
            }
            float[] logits = {big, -big, 1e30f, -1e30f, 0f, -big, big, 1e30f};
            float[] y = new float[logits.length];
            k.softmax(2, 4, logits, 0, 4, y, 0, 4);
            for (float v : y) {
                assertTrue(v >= 0 && v <= 1, k + " softmax " + Arrays.toString(y));
            }
            float[] gs = new float[logits.length];
            float ce = k.softmaxCrossEntropy(2, 4, logits, 0, 4, new int[] {0, 1}, 0, gs, 0, 4);
            assertTrue(Float.isFinite(ce), k + " ce " + ce);
            for (float v : gs) {
                assertTrue(Float.isFinite(v), k + " ce grad " + Arrays.toString(gs));
            }
        }
    }

    @Test
    void nanRowsAreNaN() {
        float[] x = {1f, Float.NaN, 2f, 3f, 1f, 2f, 3f, 4f, Float.POSITIVE_INFINITY, 0f, 1f, 2f};
        for (LossKernel k : new LossKernel[] {scalar, panama}) {
            float[] y = new float[x.length];
            k.softmax(3, 4, x, 0, 4, y, 0, 4);
            for (int j = 0; j < 4; j++) {
                assertTrue(Float.isNaN(y[j]), k + " NaN row " + Arrays.toString(y));
                assertTrue(Float.isFinite(y[4 + j]), k + " finite row " + Arrays.toString(y));
                assertTrue(Float.isNaN(y[8 + j]), k + " +Inf row " + Arrays.toString(y));
            }
        }
    }

    @Test
    void firstOutsideUnitIntervalMatchesScalar() {
        for (int n : sizes()) {
            long seed = 0x0A1L * n;
            SplittableRandom r = new SplittableRandom(seed);
            float[] a = unit(r, n + 1);
            String ctx = "seed=0x" + Long.toHexString(seed) + " n=" + n;
            assertEquals(-1, panama.firstOutsideUnitInterval(n, a, 1), ctx);
            for (float bad : new float[] {Float.NaN, -0x1p-149f, Math.nextUp(1f), -1f, Float.POSITIVE_INFINITY}) {
                int at = r.nextInt(n);
                float[] b = a.clone();
                b[1 + at] = bad;
                assertEquals(scalar.firstOutsideUnitInterval(n, b, 1), panama.firstOutsideUnitInterval(n, b, 1),
                        ctx + " bad=" + bad + " at " + at);
                assertEquals(at, panama.firstOutsideUnitInterval(n, b, 1), ctx + " bad=" + bad);
            }
            float[] c = a.clone();
            c[0] = -1f;
            assertEquals(-1, panama.firstOutsideUnitInterval(n, c, 1), ctx + " element before the range");
            assertEquals(-1, panama.firstOutsideUnitInterval(0, c, 0), "n=0");
        }
    }
}
