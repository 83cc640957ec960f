package dev.lanes.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PanamaFill against ScalarFill: bit-exact for uniform and bernoulli (same float operations, same
 * order). Gaussian: PanamaFill's log and sin in double are within ~1e-10 relative, so before the
 * final rounding to float the two doubles differ by at most ~1e-10 * std * |z| <= 7e-10 * std; after
 * it they may land on neighbouring floats. Allowed: one ulp of the result plus 1e-8 * std.
 */
class FillKernelTest {

    static FillKernel scalar;
    static FillKernel panama;
    static int lanes;

    @BeforeAll
    static void load() {
        assumeTrue(Backends.panamaAvailable(), "Panama unavailable");
        scalar = Backends.load(FillKernel.class, Backends.Kind.SCALAR);
        panama = Backends.load(FillKernel.class, Backends.Kind.PANAMA);
        lanes = PanamaProbe.floatLanes();
    }

    static int[] sizes() {
        return IntStream.of(0, 1, lanes - 1, lanes, lanes + 1, 2 * lanes - 1, 2 * lanes + 1, 7, 9, 31, 97, 1009,
                65537).filter(n -> n >= 0).distinct().toArray();
    }

    static final long[] SEEDS = {0L, 1L, -1L, 0x5851F42D4C957F2DL, 0x1234_5678_9ABCL};
    static final long[] INDEX0 = {0L, 1L, 12345L, -5L, Long.MAX_VALUE - 3, Long.MIN_VALUE};

    interface Filler {
        void fill(FillKernel k, long seed, long index0, float[] x, int off, int n);
    }

    private static void bitExact(String name, Filler f) {
        for (int n : sizes()) {
            for (int s = 0; s < SEEDS.length; s++) {
                long seed = SEEDS[s];
                long index0 = INDEX0[(s + n) % INDEX0.length];
                int off = (n + s) % 5;
                float[] a = new float[off + n + 2];
                float[] b = new float[off + n + 2];
                a[off + n] = b[off + n] = 42f;
                f.fill(scalar, seed, index0, a, off, n);
                f.fill(panama, seed, index0, b, off, n);
                for (int i = 0; i < a.length; i++) {
                    if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
                        fail(name + ": seed=0x" + Long.toHexString(seed) + " index0=" + index0 + " n=" + n + " off="
                                + off + " i=" + i + ": scalar " + a[i] + ", panama " + b[i]);
                    }
                }
                assertEquals(42f, b[off + n], name + ": wrote past the end, seed=0x" + Long.toHexString(seed));
            }
        }
    }

    @Test
    void uniformIsBitExact() {
        float[][] ranges = {{0f, 1f}, {-1f, 1f}, {-0.05f, 0.05f}, {1f, 2f}, {1e-30f, 3e-30f}, {-1e38f, 1e38f},
            {1f, Math.nextUp(1f)}, {-3f, -2.5f}};
        for (float[] r : ranges) {
            bitExact("uniform lo=" + r[0] + " hi=" + r[1], (k, seed, i0, x, off, n) -> k.uniform(seed, i0, r[0], r[1],
                    x, off, n));
        }
    }

    @Test
    void bernoulliIsBitExact() {
        for (float p : new float[] {0f, Float.MIN_VALUE, 0x1p-24f, 0.1f, 0.5f, 0.75f, Math.nextDown(1f), 1f}) {
            bitExact("bernoulli p=" + p, (k, seed, i0, x, off, n) -> k.bernoulli(seed, i0, p, x, off, n));
        }
    }

    @Test
    void gaussianMatchesScalar() {
        float[][] params = {{0f, 1f}, {3f, 0.01f}, {-2f, 5f}, {1f, 0f}, {0f, 1e30f}, {1e-3f, 1e-3f}};
        for (float[] ms : params) {
            for (int n : sizes()) {
                for (long seed : SEEDS) {
                    long index0 = INDEX0[(int) Math.floorMod(seed + n, (long) INDEX0.length)];
                    float[] a = new float[n + 1];
                    float[] b = new float[n + 1];
                    scalar.gaussian(seed, index0, ms[0], ms[1], a, 1, n);
                    panama.gaussian(seed, index0, ms[0], ms[1], b, 1, n);
                    for (int i = 0; i <= n; i++) {
                        double d = Math.abs((double) a[i] - b[i]);
                        if (!(d <= Math.ulp(a[i]) + 1e-8 * ms[1])) {
                            fail("gaussian mean=" + ms[0] + " std=" + ms[1] + " seed=0x" + Long.toHexString(seed)
                                    + " index0=" + index0 + " n=" + n + " i=" + i + ": scalar " + a[i] + ", panama "
                                    + b[i]);
                        }
                    }
                }
            }
        }
    }

    @Test
    void panamaStreamDoesNotDependOnTheSplit() {
        SplittableRandom r = new SplittableRandom(0x5B17L);
        int n = 1000;
        float[] whole = new float[n];
        panama.uniform(7L, 100L, -1f, 1f, whole, 0, n);
        for (int rep = 0; rep < 20; rep++) {
            int cut = r.nextInt(n + 1);
            float[] parts = new float[n];
            panama.uniform(7L, 100L, -1f, 1f, parts, 0, cut);
            panama.uniform(7L, 100L + cut, -1f, 1f, parts, cut, n - cut);
            for (int i = 0; i < n; i++) {
                assertEquals(whole[i], parts[i], "seed=0x5b17 cut=" + cut + " i=" + i);
            }
        }
    }

    @Test
    void generatorIsSplitMix64() {
        // java.util.SplittableRandom(s).nextLong() is SplitMix64: mix(s + k * GAMMA) for k = 1, 2, ...
        for (long key : SEEDS) {
            SplittableRandom reference = new SplittableRandom(key);
            for (long c = 1; c <= 100; c++) {
                assertEquals(reference.nextLong(), CounterRng.bits(key, c), "key=0x" + Long.toHexString(key) + " c=" + c);
            }
        }
        assertEquals(CounterRng.mix(0x5851F42D4C957F2DL), CounterRng.key(0L));
    }
}
