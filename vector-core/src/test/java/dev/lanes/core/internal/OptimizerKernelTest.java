package dev.lanes.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PanamaOptimizer against ScalarOptimizer: both perform the same float operations per element in the
 * same order (no fma, correctly rounded sqrt and division), so they must agree bit for bit, corner values
 * (+-0, +-Inf, NaN, subnormals, huge) included.
 */
class OptimizerKernelTest {

    private static final long SEED = 0x0B71_5EEDL;
    private static final float[] SPECIALS = {0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
        Float.MIN_VALUE, -Float.MIN_VALUE, 1e-40f, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, 1f, -1f};

    private static OptimizerKernel scalar;
    private static OptimizerKernel panama;
    private static int lanes;

    @BeforeAll
    static void load() {
        assumeTrue(Backends.panamaAvailable(), "Panama kernels unavailable");
        scalar = Backends.load(OptimizerKernel.class, Backends.Kind.SCALAR);
        panama = Backends.load(OptimizerKernel.class, Backends.Kind.PANAMA);
        lanes = PanamaProbe.floatLanes();
    }

    private static int[] sizes() {
        int l = lanes;
        return new int[] {0, 1, l - 1, l, l + 1, 2 * l - 1, 2 * l + 1, 31, 97, 1009, 65537};
    }

    private static float[] draw(SplittableRandom r, int len, boolean corners, boolean positive) {
        float[] x = new float[len];
        for (int i = 0; i < len; i++) {
            float f = corners && r.nextInt(4) == 0 ? SPECIALS[r.nextInt(SPECIALS.length)] : (float) r.nextDouble(-1, 1);
            x[i] = positive ? Math.abs(f) : f;
        }
        return x;
    }

    private static void same(float[] want, float[] got, String what, String where) {
        for (int i = 0; i < want.length; i++) {
            if (Float.floatToIntBits(want[i]) != Float.floatToIntBits(got[i])
                    && !(Float.isNaN(want[i]) && Float.isNaN(got[i]))) {
                assertEquals(want[i], got[i], what + " differs at " + i + " " + where);
            }
        }
    }

    @Test
    void adamIsBitExact() {
        for (boolean corners : new boolean[] {false, true}) {
            for (int n : sizes()) {
                for (int variant = 0; variant < 4; variant++) {
                    long seed = SEED ^ (n * 31L + variant) ^ (corners ? 0x100000L : 0);
                    SplittableRandom r = new SplittableRandom(seed);
                    int off = r.nextInt(5);
                    int len = n + off + 3;
                    float[] p = draw(r, len, corners, false);
                    float[] g = draw(r, len, corners, false);
                    float[] m = draw(r, len, corners, false);
                    float[] v = draw(r, len, corners, true);
                    float[] p2 = p.clone();
                    float[] g2 = g.clone();
                    float[] m2 = m.clone();
                    float[] v2 = v.clone();
                    float l2 = variant == 1 ? 0.01f : 0f;
                    float decay = variant == 2 ? 1f - 1e-3f * 0.01f : 1f;
                    float scale = variant == 3 ? 0.37f : 1f;
                    boolean clear = (variant & 1) == 0;
                    float beta1 = 0.9f;
                    float beta2 = 0.999f;
                    scalar.adam(n, beta1, 1f - beta1, beta2, 1f - beta2, 1e-8f, l2, decay, 1e-3f / 0.271f,
                            (float) Math.sqrt(0.003f), scale, clear, p, off, g, off, m, off, v, off);
                    panama.adam(n, beta1, 1f - beta1, beta2, 1f - beta2, 1e-8f, l2, decay, 1e-3f / 0.271f,
                            (float) Math.sqrt(0.003f), scale, clear, p2, off, g2, off, m2, off, v2, off);
                    String where = String.format("seed=0x%x n=%d off=%d variant=%d corners=%b", seed, n, off,
                            variant, corners);
                    same(p, p2, "p", where);
                    same(g, g2, "g", where);
                    same(m, m2, "m", where);
                    same(v, v2, "v", where);
                }
            }
        }
    }

    @Test
    void sgdIsBitExact() {
        for (boolean corners : new boolean[] {false, true}) {
            for (int n : sizes()) {
                for (int variant = 0; variant < 4; variant++) {
                    long seed = SEED ^ (n * 131L + variant) ^ (corners ? 0x200000L : 0);
                    SplittableRandom r = new SplittableRandom(seed);
                    int off = r.nextInt(5);
                    int len = n + off + 3;
                    float[] p = draw(r, len, corners, false);
                    float[] g = draw(r, len, corners, false);
                    float[] b = draw(r, len, corners, false);
                    float[] p2 = p.clone();
                    float[] g2 = g.clone();
                    float[] b2 = b.clone();
                    float momentum = variant == 0 ? 0f : 0.9f;
                    boolean nesterov = variant == 2;
                    float l2 = variant == 3 ? 1e-4f : 0f;
                    boolean clear = variant != 1;
                    scalar.sgd(n, 0.05f, momentum, nesterov, l2, 0.5f, clear, p, off, g, off, b, off);
                    panama.sgd(n, 0.05f, momentum, nesterov, l2, 0.5f, clear, p2, off, g2, off, b2, off);
                    String where = String.format("seed=0x%x n=%d off=%d variant=%d corners=%b", seed, n, off,
                            variant, corners);
                    same(p, p2, "p", where);
                    same(g, g2, "g", where);
                    same(b, b2, "buf", where);
                }
            }
        }
    }
}
