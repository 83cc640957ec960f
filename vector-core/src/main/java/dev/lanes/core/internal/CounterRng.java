package dev.lanes.core.internal;

/**
 * The counter-based generator behind every fill: 64 random bits for {@code (seed, counter)}, with no
 * state carried from one element to the next, so any slice of the stream can be computed on its own,
 * by any thread, scalar or SIMD.
 *
 * <p>{@code key = mix(seed ^ SALT)}, {@code bits(key, c) = mix(key + GAMMA * c)}, where {@code mix}
 * is the SplitMix64 output function (Stafford's "Mix13" variant of the MurmurHash3 finaliser) and
 * {@code GAMMA} is the 64-bit golden-ratio increment, as in SplitMix64 (Steele, Lea, Flood, OOPSLA
 * 2014). Consecutive counters are thus exactly the SplitMix64 sequence started at {@code key}.
 * The seed is mixed first so that nearby seeds do not give shifted copies of one stream.
 *
 * <p>The stream is part of the public contract: the same seed gives the same values in every
 * version; FillTest pins known values so that a change cannot go unnoticed.
 */
final class CounterRng {

    static final long GAMMA = 0x9E3779B97F4A7C15L;
    static final long M1 = 0xBF58476D1CE4E5B9L;
    static final long M2 = 0x94D049BB133111EBL;
    /** An arbitrary odd constant, so that seed 0 does not give key 0. */
    static final long SALT = 0x5851F42D4C957F2DL;

    private CounterRng() {
    }

    static long key(long seed) {
        return mix(seed ^ SALT);
    }

    static long bits(long key, long counter) {
        return mix(key + GAMMA * counter);
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * M1;
        z = (z ^ (z >>> 27)) * M2;
        return z ^ (z >>> 31);
    }
}
