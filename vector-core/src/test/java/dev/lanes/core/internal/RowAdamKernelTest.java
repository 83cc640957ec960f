package dev.lanes.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PanamaRowAdam against ScalarRowAdam, and both against the dense OptimizerKernel run step by step: the
 * same float operations in the same order (no fma), so all must agree bit for bit, corner values
 * (+-0, +-Inf, NaN, subnormals, huge) and long replays (rows skipped for hundreds of steps) included.
 */
class RowAdamKernelTest {

    private static final long SEED = 0xADA_3L;
    private static final float[] SPECIALS = {0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
        Float.MIN_VALUE, -Float.MIN_VALUE, 1e-40f, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, 1f, -1f};
    private static final float B1 = 0.9f;
    private static final float B2 = 0.999f;
    private static final float EPS = 1e-8f;

    private static RowAdamKernel scalar;
    private static RowAdamKernel panama;
    private static OptimizerKernel dense;
    private static int lanes;

    @BeforeAll
    static void load() {
        assumeTrue(Backends.panamaAvailable(), "Panama kernels unavailable");
        scalar = Backends.load(RowAdamKernel.class, Backends.Kind.SCALAR);
        panama = Backends.load(RowAdamKernel.class, Backends.Kind.PANAMA);
        dense = Backends.load(OptimizerKernel.class, Backends.Kind.SCALAR);
        lanes = PanamaProbe.floatLanes();
    }

    private static float[] draw(SplittableRandom r, int len, boolean corners, boolean positive) {
        float[] x = new float[len];
        for (int i = 0; i < len; i++) {
            float f = corners && r.nextInt(4) == 0 ? SPECIALS[r.nextInt(SPECIALS.length)] : (float) r.nextDouble(-1, 1);
            x[i] = positive ? Math.abs(f) : f;
        }
        return x;
    }

    private static void same(float[] want, float[] got, String what) {
        for (int i = 0; i < want.length; i++) {
            if (Float.floatToIntBits(want[i]) != Float.floatToIntBits(got[i])
                    && !(Float.isNaN(want[i]) && Float.isNaN(got[i]))) {
                assertEquals(want[i], got[i], what + " i=" + i);
            }
        }
    }

    private static float[][] schedule(int steps, float lr) {
        float[] ss = new float[steps + 1];
        float[] sb = new float[steps + 1];
        for (int s = 1; s <= steps; s++) {
            float bc1 = (float) (1 - Math.pow(B1, s));
            float bc2 = (float) (1 - Math.pow(B2, s));
            ss[s] = lr / bc1;
            sb[s] = (float) Math.sqrt(bc2);
        }
        return new float[][] {ss, sb};
    }

    @Test
    void replayEqualsDenseStepsAndPanamaEqualsScalar() {
        SplittableRandom r = new SplittableRandom(SEED);
        int l = lanes;
        for (boolean corners : new boolean[] {false, true}) {
            for (int n : new int[] {0, 1, l - 1, l, l + 1, 2 * l - 1, 2 * l + 1, 31, 97, 1009}) {
                for (int[] fromTo : new int[][] {{1, 1}, {1, 2}, {3, 7}, {1, 300}}) {
                    String where = "seed=0x" + Long.toHexString(SEED) + " corners=" + corners + " n=" + n
                            + " from=" + fromTo[0] + " to=" + fromTo[1];
                    float[][] sch = schedule(fromTo[1], 1e-3f);
                    float[] p = draw(r, n + 2, corners, false);
                    float[] m = draw(r, n + 2, corners, false);
                    float[] v = draw(r, n + 2, corners, true);
                    float[] g = draw(r, n + 1, corners, false);
                    float[][] ref = {p.clone(), m.clone(), v.clone()};
                    float[] zero = new float[n];
                    for (int s = fromTo[0]; s <= fromTo[1]; s++) {
                        float[] gs = s == fromTo[1] ? java.util.Arrays.copyOfRange(g, 1, n + 1) : zero.clone();
                        dense.adam(n, B1, 1f - B1, B2, 1f - B2, EPS, 0f, 1f, sch[0][s], sch[1][s], 1f, false,
                                ref[0], 1, gs, 0, ref[1], 1, ref[2], 1);
                    }
                    float[][] sc = {p.clone(), m.clone(), v.clone()};
                    float[][] pa = {p.clone(), m.clone(), v.clone()};
                    scalar.update(n, fromTo[0], fromTo[1], B1, 1f - B1, B2, 1f - B2, EPS, sch[0], sch[1], g, 1,
                            sc[0], sc[1], sc[2], 1);
                    panama.update(n, fromTo[0], fromTo[1], B1, 1f - B1, B2, 1f - B2, EPS, sch[0], sch[1], g, 1,
                            pa[0], pa[1], pa[2], 1);
                    String[] names = {"p", "m", "v"};
                    for (int a = 0; a < 3; a++) {
                        same(ref[a], sc[a], "scalar vs dense " + names[a] + " " + where);
                        same(sc[a], pa[a], "panama vs scalar " + names[a] + " " + where);
                    }
                }
            }
        }
    }

    /** With no gradient, the update replays zero-gradient steps up to and including 'to - 1' only. */
    @Test
    void flushFormReplaysOnly() {
        float[][] sch = schedule(10, 1e-2f);
        float[] p = {1f, -1f};
        float[] m = {0.5f, -0.5f};
        float[] v = {0.25f, 0.25f};
        float[][] pa = {p.clone(), m.clone(), v.clone()};
        scalar.update(2, 4, 9, B1, 1f - B1, B2, 1f - B2, EPS, sch[0], sch[1], null, 0, p, m, v, 0);
        panama.update(2, 4, 9, B1, 1f - B1, B2, 1f - B2, EPS, sch[0], sch[1], null, 0, pa[0], pa[1], pa[2], 0);
        same(p, pa[0], "p");
        same(m, pa[1], "m");
        assertEquals(0.5f * (float) Math.pow(B1, 5), m[0], 1e-7f);
    }
}
