package dev.lanes.property;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** What the generators produce, and how they shrink. */
class GensTest {

    @Test
    void floatsCoverTheCornerValues() {
        Set<Integer> bits = new HashSet<>();
        boolean subnormal = false;
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 5000; i++) {
            float v = Gens.floats().generate(random, 50).value();
            bits.add(Float.floatToIntBits(v));
            subnormal |= v != 0 && Math.abs(v) < Float.MIN_NORMAL;
        }
        for (float c : new float[] {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
            Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, 1f, Math.nextDown(1f)}) {
            assertTrue(bits.contains(Float.floatToIntBits(c)), "never drew " + c);
        }
        assertTrue(subnormal, "never drew a subnormal");
        assertTrue(bits.size() > 2000, "too few distinct ordinary values: " + bits.size());
    }

    @Test
    void finiteAndRangedFloatsStayInside() {
        SplittableRandom random = new SplittableRandom(12);
        for (int i = 0; i < 5000; i++) {
            assertTrue(Float.isFinite(Gens.finiteFloats().generate(random, 50).value()));
            float v = Gens.floats(-2f, 0.5f).generate(random, 50).value();
            assertTrue(v >= -2f && v <= 0.5f, "v=" + v);
        }
    }

    @Test
    void simdSizesHitTheTailsAndStayInRange() {
        Set<Integer> seen = new HashSet<>();
        SplittableRandom random = new SplittableRandom(13);
        for (int i = 0; i < 3000; i++) {
            int n = Gens.simdSizes(200, 16).generate(random, i % 101).value();
            assertTrue(n >= 0 && n <= 200, "n=" + n);
            seen.add(n);
        }
        assertTrue(seen.containsAll(List.of(0, 1, 15, 16, 17, 31, 32, 33, 37, 97, 127, 200)), seen.toString());
        assertTrue(seen.size() > 150, "too few random sizes: " + seen.size());
        Set<Integer> eight = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            eight.add(Gens.simdSizes(40, 8).generate(random, 100).value());
        }
        assertTrue(eight.containsAll(List.of(7, 8, 9, 15, 16, 17)), eight.toString());
    }

    @Test
    void matricesHaveValidStridesExactArraysAndPadding() {
        SplittableRandom random = new SplittableRandom(14);
        boolean offset = false;
        boolean padded = false;
        for (int i = 0; i < 500; i++) {
            MatrixCase m = Gens.matrices(40, 40).generate(random, i % 101).value();
            assertTrue(m.ld() >= Math.max(1, m.cols()), m.toString());
            assertEquals(MatrixCase.requiredLength(m.rows(), m.cols(), m.offset(), m.ld()), m.data().length);
            assertTrue(m.paddingIntact(m.data()), m.toString());
            for (float v : m.dense()) {
                assertTrue(v >= -1f && v <= 1f, m::toString);
            }
            offset |= m.offset() > 0;
            padded |= m.ld() > m.cols() && m.rows() > 1;
        }
        assertTrue(offset && padded);
    }

    @Test
    void intCandidatesHalveTheDistanceAndEndOneStepCloser() {
        assertEquals(List.of(0, 50, 75, 88, 94, 97, 99), Gens.towards(0, 100).toList());
        assertEquals(List.of(-5, -3, -2), Gens.towards(-5, -1).toList());
        assertEquals(List.of(), Gens.towards(3, 3).toList());
    }

    @Test
    void floatCandidatesAreSimpler() {
        assertEquals(List.of(0f, 1f), Gens.shrinkFloat(Float.NaN).toList());
        assertEquals(List.of(0f, 2.5f, -2f, -1.25f), Gens.shrinkFloat(-2.5f).toList());
        assertEquals(List.of(0f), Gens.shrinkFloat(-0f).toList());
        assertEquals(List.of(), Gens.shrinkFloat(0f).toList());
    }
}
