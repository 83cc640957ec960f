package dev.lanes.property;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * The generators Lanes' properties are made of: ints, floats with corner values, float arrays,
 * SIMD-aware sizes and strided matrices.
 *
 * <p>Ints and sizes shrink toward the low end of their range (0 when it is in range) by halving the
 * distance, and always offer "one step closer" last, so a property that fails exactly for
 * {@code n >= 37} shrinks to exactly 37. Floats shrink toward 0, positive before negative, then to
 * integral and halved values.
 */
public final class Gens {

    /** The default SIMD width in floats: 512-bit vectors. */
    public static final int DEFAULT_LANES = 16;

    private static final int[] PRIMES = {2, 3, 5, 7, 11, 13, 31, 37, 61, 97, 127, 251, 509, 1009, 4099, 65537};

    private static final float[] CORNERS = {
        0f, -0f, 1f, -1f, 0.5f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, -Float.MIN_NORMAL,
        Float.MIN_NORMAL * 0.3f, -Float.MIN_NORMAL * 0.75f, Float.MAX_VALUE, -Float.MAX_VALUE,
        Math.nextDown(1f), Math.nextUp(1f), Math.nextDown(-1f), 1e-7f, -1e-7f, 1e-30f, 1e30f, -1e30f,
    };

    private Gens() {
    }

    /**
     * Ints in {@code [lo, hi]}: uniform, with one draw in eight taken from the edges
     * ({@code lo}, {@code lo+1}, {@code hi-1}, {@code hi}, 0). Shrinks toward 0 if it is in range,
     * else toward the end closer to 0.
     */
    public static Gen<Integer> ints(int lo, int hi) {
        if (lo > hi) {
            throw new IllegalArgumentException("ints: lo=" + lo + " > hi=" + hi);
        }
        int target = lo > 0 ? lo : Math.min(hi, 0);
        return (random, size) -> {
            int v;
            if (random.nextInt(8) == 0) {
                long[] edges = {lo, (long) lo + 1, (long) hi - 1, hi, target};
                v = Math.clamp(edges[random.nextInt(edges.length)], lo, hi);
            } else {
                v = (int) random.nextLong(lo, (long) hi + 1);
            }
            return Shrinkable.unfold(v, x -> towards(target, x));
        };
    }

    /** Candidates from {@code x} toward {@code target}: target, halfway, ..., one step closer. */
    static Stream<Integer> towards(int target, int x) {
        long d = (long) x - target;
        return LongStream.iterate(d, k -> k != 0, k -> k / 2).mapToObj(k -> (int) (x - k));
    }

    /**
     * Sizes in {@code [0, max]} for {@link #DEFAULT_LANES} lanes; see {@link #simdSizes(int, int)}.
     */
    public static Gen<Integer> simdSizes(int max) {
        return simdSizes(max, DEFAULT_LANES);
    }

    /**
     * Sizes in {@code [0, max]} that exercise SIMD loops: half of the draws are special sizes
     * (0, 1, 2, 3, lanes-1, lanes, lanes+1, 2*lanes-1, 2*lanes, 2*lanes+1, primes, max), the other half
     * uniform in {@code [0, m]} where {@code m} grows with the size hint up to {@code max}.
     * Shrinks toward 0.
     */
    public static Gen<Integer> simdSizes(int max, int lanes) {
        if (max < 0 || lanes < 1) {
            throw new IllegalArgumentException("simdSizes: max=" + max + ", lanes=" + lanes + " (need max >= 0, lanes >= 1)");
        }
        int[] special = IntStream.concat(
                        IntStream.of(0, 1, 2, 3, lanes - 1, lanes, lanes + 1, 2 * lanes - 1, 2 * lanes, 2 * lanes + 1, max),
                        IntStream.of(PRIMES))
                .filter(n -> n >= 0 && n <= max).distinct().sorted().toArray();
        return (random, size) -> {
            int v;
            if (random.nextBoolean()) {
                v = special[random.nextInt(special.length)];
            } else {
                int m = (int) Math.max(1, (long) max * (Math.clamp(size, 0, 100) + 1) / 101);
                v = random.nextInt(Math.min(m, max) + 1);
            }
            return Shrinkable.unfold(v, x -> towards(0, x));
        };
    }

    /**
     * Any float, corner values included: one draw in four is a corner (+-0, +-1, +-Inf, NaN,
     * +-Float.MIN_VALUE, +-MIN_NORMAL, subnormals, +-Float.MAX_VALUE, the neighbours of 1, values
     * near 0), the rest are ordinary values (uniform in [-1, 1], log-uniform magnitudes up to 2^40,
     * small integers, values a few ulps from 1).
     */
    public static Gen<Float> floats() {
        return (random, size) -> Shrinkable.unfold(drawFloat(random, true), Gens::shrinkFloat);
    }

    /** Finite floats: as {@link #floats()} without NaN and the infinities. */
    public static Gen<Float> finiteFloats() {
        return (random, size) -> {
            float v;
            do {
                v = drawFloat(random, true);
            } while (!Float.isFinite(v));
            return Shrinkable.unfold(v, Gens::shrinkFloat);
        };
    }

    /**
     * Floats in {@code [lo, hi]} (finite bounds): mostly uniform, sometimes an endpoint, 0 (if in
     * range) or a corner value in range. Shrinks toward the value in range closest to 0.
     */
    public static Gen<Float> floats(float lo, float hi) {
        if (!(lo <= hi) || !Float.isFinite(lo) || !Float.isFinite(hi)) {
            throw new IllegalArgumentException("floats: need finite lo <= hi, got lo=" + lo + ", hi=" + hi);
        }
        float target = lo > 0 ? lo : Math.min(hi, 0f);
        return (random, size) -> {
            float v;
            int kind = random.nextInt(16);
            if (kind == 0) {
                v = random.nextBoolean() ? lo : hi;
            } else if (kind == 1) {
                v = drawFloat(random, true);
                if (!(v >= lo && v <= hi)) {
                    v = target;
                }
            } else {
                v = (float) (lo + random.nextDouble() * ((double) hi - lo));
                v = Math.clamp(v, lo, hi);
            }
            return Shrinkable.unfold(v, x -> Stream.concat(x == target ? Stream.empty() : Stream.of(target),
                    shrinkFloat(x).filter(c -> c >= lo && c <= hi && c != target)));
        };
    }

    private static float drawFloat(SplittableRandom random, boolean corners) {
        int kind = random.nextInt(20);
        if (corners && kind < 5) {
            return CORNERS[random.nextInt(CORNERS.length)];
        }
        if (kind < 11) {
            return (float) (random.nextDouble() * 2 - 1);
        }
        if (kind < 15) {
            double magnitude = Math.scalb(1 + random.nextDouble(), random.nextInt(-40, 41));
            return (float) (random.nextBoolean() ? magnitude : -magnitude);
        }
        if (kind < 18) {
            return random.nextInt(-8, 9);
        }
        return 1f + random.nextInt(-4, 5) * Math.ulp(1f);
    }

    /** Float candidates, simplest first; each strictly simpler than {@code x}. */
    static Stream<Float> shrinkFloat(float x) {
        if (Float.isNaN(x)) {
            return Stream.of(0f, 1f);
        }
        if (Float.isInfinite(x)) {
            return Stream.of(0f, Math.signum(x), Math.copySign(Float.MAX_VALUE, x));
        }
        if (x == 0f) {
            return Float.floatToRawIntBits(x) == 0 ? Stream.empty() : Stream.of(0f);
        }
        List<Float> c = new ArrayList<>(4);
        c.add(0f);
        if (x < 0) {
            c.add(-x);
        }
        float t = (float) (long) x;
        if (Math.abs(t) < Math.abs(x) && t != 0f) {
            c.add(t);
        }
        float half = x / 2;
        if (half != 0f && Math.abs(half) < Math.abs(x)) {
            c.add(half);
        }
        return c.stream();
    }

    /** Float arrays whose length comes from {@code lengths} and elements from {@code elements}. Shrinks the length (keeping a prefix), then elements. */
    public static Gen<float[]> floatArrays(Gen<Integer> lengths, Gen<Float> elements) {
        return lengths.flatMap(n -> floatArrays((int) n, elements));
    }

    /** Float arrays of exactly {@code n} elements; each element shrinks on its own. */
    public static Gen<float[]> floatArrays(int n, Gen<Float> elements) {
        return Gen.listOf(n, elements).map(Gens::toArray);
    }

    private static float[] toArray(List<Float> list) {
        float[] a = new float[list.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = list.get(i);
        }
        return a;
    }

    /**
     * Strided matrices up to {@code maxRows x maxCols} with elements uniform in [-1, 1]; see
     * {@link #matrices(int, int, int, Gen)}.
     */
    public static Gen<MatrixCase> matrices(int maxRows, int maxCols) {
        return matrices(maxRows, maxCols, DEFAULT_LANES, floats(-1f, 1f));
    }

    /**
     * Strided matrices: rows and cols from {@link #simdSizes(int, int)}, an offset in
     * {@code [0, lanes+1]} and a leading dimension {@code ld = max(1, cols) + extra} with extra in
     * {@code [0, lanes]} (0 in half of the draws). The backing array is exactly as long as the matrix
     * needs ({@link MatrixCase#requiredLength}), so over-reads fail; elements outside the
     * {@code rows x cols} window hold {@link MatrixCase#PAD}. Shrinks rows, cols, offset and the
     * extra leading dimension toward their smallest values, then the elements.
     */
    public static Gen<MatrixCase> matrices(int maxRows, int maxCols, int lanes, Gen<Float> elements) {
        Gen<Integer> extra = Gen.oneOf(Gen.constant(0), ints(0, lanes));
        return Gen.zip(simdSizes(maxRows, lanes), simdSizes(maxCols, lanes), ints(0, lanes + 1), extra, Shape::new)
                .flatMap(s -> floatArrays(s.rows * s.cols, elements).map(values -> s.fill(values)));
    }

    private record Shape(int rows, int cols, int offset, int extra) {
        MatrixCase fill(float[] values) {
            int ld = Math.max(1, cols) + extra;
            float[] data = new float[MatrixCase.requiredLength(rows, cols, offset, ld)];
            Arrays.fill(data, MatrixCase.PAD);
            for (int r = 0; r < rows && cols > 0; r++) {
                System.arraycopy(values, r * cols, data, offset + r * ld, cols);
            }
            return new MatrixCase(rows, cols, offset, ld, data);
        }
    }
}
