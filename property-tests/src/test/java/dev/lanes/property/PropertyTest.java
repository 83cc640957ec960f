package dev.lanes.property;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The runner: shrinking, replay by seed, tries, the summary line, generator errors. Properties that
 * must fail pin their tries, so a {@code -Dlanes.tries} on the command line cannot starve them.
 */
class PropertyTest {

    private static final Pattern REPLAY = Pattern.compile("-Dlanes\\.seed=(0x[0-9a-f]{16})");

    @Test
    void sizesFailingFrom37ShrinkToExactly37() {
        for (long seed = 1; seed <= 20; seed++) {
            long s = seed;
            PropertyFailure f = assertThrows(PropertyFailure.class, () -> Property.named("below-37").seed(s).tries(200).quiet()
                    .forAll(Gens.simdSizes(300), n -> assertTrue(n < 37, "n=" + n)));
            assertEquals(37, f.shrunkValue(), "seed=" + Property.hex(seed) + "\n" + f.getMessage());
        }
    }

    @Test
    void intsShrinkToTheBoundaryAndTowardTheLowEnd() {
        PropertyFailure f = assertThrows(PropertyFailure.class, () -> Property.named("ints").seed(7).tries(200).quiet()
                .forAllTrue(Gens.ints(-1000, 1000), n -> n < 123));
        assertEquals(123, f.shrunkValue(), f.getMessage());
        PropertyFailure g = assertThrows(PropertyFailure.class, () -> Property.named("ints-above").seed(7).tries(200).quiet()
                .forAllTrue(Gens.ints(50, 1000), n -> n < 60));
        assertEquals(60, g.shrunkValue(), g.getMessage());
    }

    @Test
    void matrixCasesShrinkShapeOffsetAndLeadingDimensionToTheSmallest() {
        for (long seed = 1; seed <= 10; seed++) {
            long s = seed;
            PropertyFailure f = assertThrows(PropertyFailure.class, () -> Property.named("matrix").seed(s).tries(200).quiet()
                    .forAllTrue(Gens.matrices(64, 64), m -> m.rows() < 5 || m.cols() < 3));
            MatrixCase m = (MatrixCase) f.shrunkValue();
            assertEquals(List.of(5, 3, 0, 3, 15), List.of(m.rows(), m.cols(), m.offset(), m.ld(), m.data().length),
                    "seed=" + Property.hex(seed) + "\n" + f.getMessage());
            for (float v : m.data()) {
                assertEquals(0f, v, "elements shrink to 0: " + m);
            }
        }
    }

    @Test
    void failureMessageNamesPropertyCasesSeedReplayAndCause() {
        PropertyFailure f = assertThrows(PropertyFailure.class, () -> Property.named("msg-check").seed(0xabcdefL).tries(200).quiet()
                .forAll(Gens.floatArrays(Gens.simdSizes(100), Gens.floats(-1f, 1f)),
                        a -> assertTrue(a.length < 20, "too long: " + a.length)));
        String m = f.getMessage();
        assertTrue(m.contains("prop msg-check failed"), m);
        assertTrue(m.contains("shrunk:   [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,"
                + " 0.0, 0.0, 0.0, 0.0, 0.0]"), m);
        assertTrue(m.contains("original: ["), m);
        assertTrue(m.contains("seed=0x0000000000abcdef"), m);
        assertTrue(m.contains("replay: -Dlanes.seed=0x0000000000abcdef -Dtest=PropertyTest#"
                + "failureMessageNamesPropertyCasesSeedReplayAndCause"), m);
        assertTrue(m.contains("cause: org.opentest4j.AssertionFailedError: too long: 20"), m);
        assertEquals(0xabcdefL, f.seed());
        assertNotNull(f.getCause());
    }

    @Test
    void printedSeedReplaysTheSameCase() {
        Gen<Pair<float[], MatrixCase>> gen = Gen.pairs(Gens.floatArrays(Gens.simdSizes(50), Gens.floats()),
                Gens.matrices(20, 20));
        Property.Check<Pair<float[], MatrixCase>> check = p -> {
            p.first()[0] = 42f; // writes into the case: must not leak into what is printed or replayed
            assertTrue(p.first().length < 10 || p.second().rows() < 3);
        };
        String previous = System.clearProperty("lanes.seed");
        try {
            PropertyFailure first = assertThrows(PropertyFailure.class, () -> Property.named("replay").tries(200).quiet().forAll(gen, check));
            Matcher m = REPLAY.matcher(first.getMessage());
            assertTrue(m.find(), first.getMessage());
            System.setProperty("lanes.seed", m.group(1));
            PropertyFailure again = assertThrows(PropertyFailure.class, () -> Property.named("replay").tries(200).quiet().forAll(gen, check));
            assertEquals(first.original(), again.original());
            assertEquals(first.shrunk(), again.shrunk());
            assertEquals(first.tryIndex(), again.tryIndex());
            assertTrue(!first.original().startsWith("([42.0"), "the check's write leaked: " + first.original());
        } finally {
            restore("lanes.seed", previous);
        }
    }

    @Test
    void aFixedSeedGeneratesTheSameCasesTwice() {
        Gen<Pair<float[], MatrixCase>> gen = Gen.pairs(Gens.floatArrays(Gens.simdSizes(70), Gens.floats()),
                Gens.matrices(30, 30, 16, Gens.floats()));
        List<String> a = new ArrayList<>();
        List<String> b = new ArrayList<>();
        Property.named("same").seed(99).tries(50).quiet().forAll(gen, p -> a.add(p.toString()));
        Property.named("same").seed(99).tries(50).quiet().forAll(gen, p -> b.add(p.toString()));
        List<String> c = new ArrayList<>();
        Property.named("same").seed(100).tries(50).quiet().forAll(gen, p -> c.add(p.toString()));
        assertEquals(50, a.size());
        assertEquals(a, b);
        assertTrue(!a.equals(c), "another seed gives other cases");
    }

    @Test
    void triesAreHonoured() {
        AtomicInteger calls = new AtomicInteger();
        Property.named("explicit").tries(17).seed(1).quiet().forAll(Gens.ints(0, 9), n -> calls.incrementAndGet());
        assertEquals(17, calls.get());
        String previous = System.setProperty("lanes.tries", "23");
        try {
            calls.set(0);
            PropertyResult r = Property.named("sysprop").seed(1).quiet().forAll(Gens.ints(0, 9), n -> calls.incrementAndGet());
            assertEquals(23, calls.get());
            assertEquals(23, r.tries());
            System.setProperty("lanes.tries", "0");
            assertThrows(IllegalArgumentException.class, () -> Property.named("bad").forAll(Gens.ints(0, 1), n -> { }));
            System.clearProperty("lanes.tries");
            calls.set(0);
            Property.named("default").seed(1).quiet().forAll(Gens.ints(0, 9), n -> calls.incrementAndGet());
            assertEquals(Property.DEFAULT_TRIES, calls.get());
        } finally {
            restore("lanes.tries", previous);
        }
    }

    @Test
    void theSeedPropertyIsUsedAndPrinted() {
        String previous = System.setProperty("lanes.seed", "0x00000000000000ab");
        try {
            PropertyResult r = Property.named("from-sysprop").tries(3).quiet().forAll(Gens.ints(0, 9), n -> { });
            assertEquals(0xabL, r.seed());
        } finally {
            restore("lanes.seed", previous);
        }
    }

    @Test
    void successPrintsOneSummaryLine() {
        PrintStream out = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PropertyResult r;
        String previous = System.clearProperty("lanes.tries");
        try {
            System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
            r = Property.named("sizes-in-range").seed(0x5eedL).forAllTrue(Gens.simdSizes(300), n -> n >= 0 && n <= 300);
        } finally {
            System.setOut(out);
            restore("lanes.tries", previous);
        }
        String printed = buffer.toString(StandardCharsets.UTF_8);
        assertEquals("prop sizes-in-range: 200 tries, sizes 0..300, seed=0x0000000000005eed" + System.lineSeparator(), printed);
        assertEquals(printed.strip(), r.summary());
        System.out.println(r.summary());
    }

    @Test
    void filterExhaustionIsAClearError() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Property.named("impossible").seed(3).quiet()
                .forAll(Gens.ints(0, 10).filter(n -> n > 100), n -> { }));
        String m = e.getMessage();
        assertTrue(m.contains("prop impossible: the generator failed at try 0"), m);
        assertTrue(m.contains("seed=0x0000000000000003"), m);
        assertTrue(m.contains("Gen.filter: no value satisfied the predicate in 100 draws"), m);
        assertTrue(m.contains("loosen the filter"), m);
    }

    @Test
    void filterKeepsShrinkCandidatesInsideThePredicate() {
        PropertyFailure f = assertThrows(PropertyFailure.class, () -> Property.named("odd").seed(5).tries(200).quiet()
                .forAllTrue(Gens.ints(0, 1000).filter(n -> n % 2 == 1), n -> n < 100));
        int shrunk = (Integer) f.shrunkValue();
        // Filtering drops candidates, so the result need not be the boundary; it is still valid and failing.
        assertTrue(shrunk % 2 == 1 && shrunk >= 100 && shrunk <= Integer.parseInt(f.original()), f.getMessage());
    }

    @Test
    void seedsParseAsHexOrDecimal() {
        assertEquals(-1L, Property.parseSeed("0xffffffffffffffff"));
        assertEquals(42L, Property.parseSeed(" 42 "));
        assertThrows(IllegalArgumentException.class, () -> Property.parseSeed("seed"));
        assertEquals("0x00000000000000ff", Property.hex(255));
    }

    private static void restore(String key, String previous) {
        if (previous == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, previous);
        }
    }
}
