package dev.lanes.core.internal;

/**
 * The reference fills: one {@link CounterRng#bits} draw per element. This class is the
 * specification; {@link PanamaFill} must match it bit for bit for uniform and bernoulli.
 */
final class ScalarFill implements FillKernel {

    @Override
    public void uniform(long seed, long index0, float lo, float hi, float[] x, int off, int n) {
        long key = CounterRng.key(seed);
        float range = hi - lo;
        // lo + range * u can round up to hi; the interval is half-open.
        float below = Math.nextDown(hi);
        for (int i = 0; i < n; i++) {
            float u = (CounterRng.bits(key, index0 + i) >>> 40) * 0x1p-24f;
            x[off + i] = Math.min(lo + range * u, below);
        }
    }

    @Override
    public void gaussian(long seed, long index0, float mean, float std, float[] x, int off, int n) {
        long key = CounterRng.key(seed);
        for (int i = 0; i < n; i++) {
            long b = CounterRng.bits(key, index0 + i);
            // Box-Muller on the two 32-bit halves; u1 in (0, 1) exactly in double, so log(u1) is finite
            // and |z| <= sqrt(-2 ln 2^-33) ~ 6.76.
            double u1 = ((b & 0xFFFFFFFFL) + 0.5) * 0x1p-32;
            double u2 = (b >>> 32) * 0x1p-32;
            double z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
            x[off + i] = (float) (mean + std * z);
        }
    }

    @Override
    public void bernoulli(long seed, long index0, float p, float[] x, int off, int n) {
        long key = CounterRng.key(seed);
        for (int i = 0; i < n; i++) {
            float u = (CounterRng.bits(key, index0 + i) >>> 40) * 0x1p-24f;
            x[off + i] = u < p ? 1f : 0f;
        }
    }
}
