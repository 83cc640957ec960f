package dev.lanes.core.internal;

/**
 * Seeded, counter-based fills behind {@code dev.lanes.core.Fill}: element {@code i} is a function of
 * {@code (seed, index0 + i)} only, through {@link CounterRng#bits}. Arguments are validated by the
 * facade ({@code n >= 0}, ranges in bounds, parameters finite and legal).
 */
public interface FillKernel {

    /** {@code x[off+i] = min(lo + (hi - lo) * u, nextDown(hi))}, u from the top 24 bits; bit-exact across implementations. */
    void uniform(long seed, long index0, float lo, float hi, float[] x, int off, int n);

    /** {@code x[off+i] = (float) (mean + std * z)}, z standard normal by Box-Muller on one 64-bit draw. */
    void gaussian(long seed, long index0, float mean, float std, float[] x, int off, int n);

    /** {@code x[off+i] = u < p ? 1 : 0}, u from the top 24 bits; bit-exact across implementations. */
    void bernoulli(long seed, long index0, float p, float[] x, int off, int n);
}
