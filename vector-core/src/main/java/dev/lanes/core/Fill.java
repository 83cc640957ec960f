package dev.lanes.core;

import dev.lanes.core.internal.Backends;
import dev.lanes.core.internal.FillKernel;

/**
 * Seeded random fills for initialisation and corruption noise.
 *
 * <p>The generator is counter-based: element {@code x[off + i]} depends only on {@code seed} and its
 * stream index {@code index0 + i}, through 64 bits
 * {@code mix(mix(seed ^ 0x5851F42D4C957F2D) + 0x9E3779B97F4A7C15 * (index0 + i))}, where {@code mix}
 * is the SplitMix64 output function (arithmetic modulo 2^64). So a large array can be filled in
 * slices, by any number of threads, and gives the same values; filling {@code [0, n)} in one call or
 * as {@code [0, k)} and then {@code [k, n)} with {@code index0 = k} is the same. The SIMD and scalar
 * implementations give bit-identical results for {@link #uniform} and {@link #bernoulli}, and agree
 * to within one float ulp plus {@code 1e-8 * std} for {@link #gaussian}. The stream is stable across
 * versions of Lanes: the same seed gives the same values. Each call runs on the calling thread.
 *
 * <p>Not a cryptographic generator. Every argument is checked before anything is written; messages
 * name the method, the operand and the values.
 */
public final class Fill {

    private static final FillKernel IMPL = Backends.load(FillKernel.class);

    private Fill() {
    }

    /**
     * Writes {@code x[off + i] = lo + (hi - lo) * u_i} for {@code i < n}, with
     * {@code u_i = (bits >>> 40) * 2^-24} in {@code [0, 1)} from the top 24 bits of element
     * {@code index0 + i}'s draw, computed in float and clamped below {@code hi}: every value lies in
     * {@code [lo, hi)}.
     *
     * @throws IllegalArgumentException unless {@code lo < hi}, both finite, and {@code hi - lo} finite
     */
    public static void uniform(long seed, long index0, float lo, float hi, float[] x, int off, int n) {
        String op = "uniform";
        Args.finite(op, "lo", lo);
        Args.finite(op, "hi", hi);
        if (!(lo < hi)) {
            throw new IllegalArgumentException(op + ": lo=" + lo + " >= hi=" + hi);
        }
        if (!Float.isFinite(hi - lo)) {
            throw new IllegalArgumentException(op + ": hi - lo overflows float (lo=" + lo + ", hi=" + hi + ")");
        }
        Args.vector(op, "x", x, off, n);
        IMPL.uniform(seed, index0, lo, hi, x, off, n);
    }

    /** {@link #uniform(long, long, float, float, float[], int, int)} with {@code index0 = 0}. */
    public static void uniform(long seed, float lo, float hi, float[] x, int off, int n) {
        uniform(seed, 0, lo, hi, x, off, n);
    }

    /**
     * Writes {@code x[off + i] = (float) (mean + std * z_i)} for {@code i < n}, {@code z_i} standard
     * normal by Box-Muller on the two 32-bit halves of element {@code index0 + i}'s draw:
     * {@code z = sqrt(-2 ln u1) cos(2 pi u2)}, {@code u1 = (low32 + 1/2) 2^-32} in {@code (0, 1)},
     * {@code u2 = high32 * 2^-32}. Only the cosine half of each pair is used, so that every element
     * has its own draw; {@code |z| <= 6.77} (the normal tail beyond is truncated, probability about
     * 1.3e-11). Values beyond the float range round to infinity.
     *
     * @throws IllegalArgumentException unless {@code mean} is finite and {@code std} is finite and {@code >= 0}
     */
    public static void gaussian(long seed, long index0, float mean, float std, float[] x, int off, int n) {
        String op = "gaussian";
        Args.finite(op, "mean", mean);
        Args.inRange(op, "std", std, 0f, Float.MAX_VALUE);
        Args.vector(op, "x", x, off, n);
        IMPL.gaussian(seed, index0, mean, std, x, off, n);
    }

    /** {@link #gaussian(long, long, float, float, float[], int, int)} with {@code index0 = 0}. */
    public static void gaussian(long seed, float mean, float std, float[] x, int off, int n) {
        gaussian(seed, 0, mean, std, x, off, n);
    }

    /**
     * Writes the mask {@code x[off + i] = u_i < p ? 1f : 0f} for {@code i < n}, {@code u_i} as in
     * {@link #uniform}: each element is 1 with probability {@code ceil(p 2^24) / 2^24} (that is
     * {@code p}, rounded up to a multiple of 2^-24), independently. {@code p} is the keep probability
     * of masking noise: {@code p = 0} gives all zeros, {@code p = 1} all ones.
     *
     * @throws IllegalArgumentException unless {@code 0 <= p <= 1}
     */
    public static void bernoulli(long seed, long index0, float p, float[] x, int off, int n) {
        String op = "bernoulli";
        Args.inRange(op, "p", p, 0f, 1f);
        Args.vector(op, "x", x, off, n);
        IMPL.bernoulli(seed, index0, p, x, off, n);
    }

    /** {@link #bernoulli(long, long, float, float[], int, int)} with {@code index0 = 0}. */
    public static void bernoulli(long seed, float p, float[] x, int off, int n) {
        bernoulli(seed, 0, p, x, off, n);
    }
}
