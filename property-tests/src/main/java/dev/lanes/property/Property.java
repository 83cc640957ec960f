package dev.lanes.property;

import java.lang.reflect.Array;
import java.util.Collection;
import java.util.Iterator;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * Runs a property: N seeded tries, then greedy shrinking of the first failure.
 *
 * <pre>{@code
 * Property.named("sizes-below-37")
 *         .forAll(Gens.simdSizes(300), n -> assertTrue(n < 37));
 * }</pre>
 *
 * <p><b>Tries.</b> {@link #tries(int)}, else {@code -Dlanes.tries=N}, else {@value #DEFAULT_TRIES}.
 * <b>Seeds.</b> {@link #seed(long)}, else {@code -Dlanes.seed=0x...} (hex with 0x, or decimal), else (unset
 * or {@code random}) a fresh random base seed; it is printed in the summary and in every failure. Try {@code i} draws from
 * its own seed, derived from the base seed, the property's name and {@code i}, and gets size hint
 * {@code i % (maxSize + 1)}. Neither depends on the number of tries, so the base seed alone replays a
 * failure. <b>Shrinking.</b> From the failing case the runner repeatedly moves to the first candidate
 * (see {@link Shrinkable}) that still fails, up to {@link #maxShrinks(int)} evaluations.
 *
 * <p>A property fails when the check throws anything but a {@link VirtualMachineError}, or when the
 * predicate returns false. A generator that throws (for example {@link GenerationException} from an
 * exhausted filter) is not a property failure: it is rethrown as {@link IllegalStateException}
 * naming the property and seed. Not thread-safe; build one per property.
 */
public final class Property {

    /** Tries per property unless {@link #tries(int)} or {@code -Dlanes.tries} says otherwise. */
    public static final int DEFAULT_TRIES = 200;
    /** The largest size hint; try {@code i} gets {@code i % (DEFAULT_MAX_SIZE + 1)}. */
    public static final int DEFAULT_MAX_SIZE = 100;
    /** Shrink evaluations (property runs) before the runner settles for what it has. */
    public static final int DEFAULT_MAX_SHRINKS = 2_000;

    private final String name;
    private Integer tries;
    private Long seed;
    private int maxSize = DEFAULT_MAX_SIZE;
    private int maxShrinks = DEFAULT_MAX_SHRINKS;
    private boolean quiet;

    private Property(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /** A property called {@code name} (printed in the summary and failures, and mixed into the seeds). */
    public static Property named(String name) {
        return new Property(name);
    }

    /** The number of tries; wins over {@code -Dlanes.tries}. */
    public Property tries(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("tries: n=" + n + " < 1");
        }
        this.tries = n;
        return this;
    }

    /** The base seed; wins over {@code -Dlanes.seed}. */
    public Property seed(long baseSeed) {
        this.seed = baseSeed;
        return this;
    }

    /** The largest size hint, in [0, 100]. */
    public Property maxSize(int max) {
        if (max < 0 || max > 100) {
            throw new IllegalArgumentException("maxSize: max=" + max + " outside [0, 100]");
        }
        this.maxSize = max;
        return this;
    }

    /** The shrink budget in property evaluations ({@code 0} reports the original case unshrunk). */
    public Property maxShrinks(int evaluations) {
        if (evaluations < 0) {
            throw new IllegalArgumentException("maxShrinks: evaluations=" + evaluations + " < 0");
        }
        this.maxShrinks = evaluations;
        return this;
    }

    /** Suppresses the success line on stdout (failures are reported either way). */
    public Property quiet() {
        this.quiet = true;
        return this;
    }

    /** A check that signals failure by throwing (JUnit assertions, {@code assert}, any exception). */
    @FunctionalInterface
    public interface Check<T> {
        void check(T value) throws Exception;
    }

    /** Runs {@code check} on every try; throws {@link PropertyFailure} with the shrunk case if one fails. */
    public <T> PropertyResult forAll(Gen<T> gen, Check<? super T> check) {
        Objects.requireNonNull(gen, "gen");
        Objects.requireNonNull(check, "check");
        int n = tries != null ? tries : configuredTries();
        long base = seed != null ? seed : configuredSeed();
        SplittableRandom seeds = new SplittableRandom(base ^ mix(name.hashCode()));
        long minMeasure = Long.MAX_VALUE;
        long maxMeasure = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            long trySeed = seeds.nextLong();
            int size = i % (maxSize + 1);
            Shrinkable<T> s;
            T value;
            try {
                s = gen.generate(new SplittableRandom(trySeed), size);
                value = s.value();
            } catch (RuntimeException e) {
                throw new IllegalStateException("prop " + name + ": the generator failed at try " + i + " (size " + size
                        + "), seed=" + hex(base) + "; replay: -Dlanes.seed=" + hex(base) + ": " + e.getMessage(), e);
            }
            long m = measure(value);
            if (m >= 0) {
                minMeasure = Math.min(minMeasure, m);
                maxMeasure = Math.max(maxMeasure, m);
            }
            Throwable failure = run(check, value);
            if (failure != null) {
                throw shrink(s, failure, check, base, i, trySeed, size);
            }
        }
        PropertyResult result = new PropertyResult(name, n, base,
                minMeasure <= maxMeasure ? minMeasure : -1, minMeasure <= maxMeasure ? maxMeasure : -1);
        if (!quiet) {
            System.out.println(result.summary());
        }
        return result;
    }

    /** Runs {@code predicate} on every try; a {@code false} is a failure, shrunk like any other. */
    public <T> PropertyResult forAllTrue(Gen<T> gen, Predicate<? super T> predicate) {
        Objects.requireNonNull(predicate, "predicate");
        return forAll(gen, v -> {
            if (!predicate.test(v)) {
                throw new AssertionError("predicate returned false");
            }
        });
    }

    private static <T> Throwable run(Check<? super T> check, T value) {
        try {
            check.check(value);
            return null;
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            return t;
        }
    }

    private <T> PropertyFailure shrink(Shrinkable<T> failing, Throwable firstCause, Check<? super T> check,
                                       long base, int tryIndex, long trySeed, int size) {
        String original = Show.value(failing.value());
        Shrinkable<T> current = failing;
        Throwable cause = firstCause;
        int steps = 0;
        int evaluations = 0;
        boolean improved = true;
        while (improved && evaluations < maxShrinks) {
            improved = false;
            Iterator<Shrinkable<T>> candidates = current.shrinks().iterator();
            while (evaluations < maxShrinks) {
                Shrinkable<T> candidate;
                T value;
                try {
                    if (!candidates.hasNext()) {
                        break;
                    }
                    candidate = candidates.next();
                    value = candidate.value();
                } catch (RuntimeException e) {
                    continue; // a candidate the generator cannot build (e.g. rejected by a constructor) is skipped
                }
                evaluations++;
                Throwable t = run(check, value);
                if (t != null) {
                    current = candidate;
                    cause = t;
                    steps++;
                    improved = true;
                    break;
                }
            }
        }
        T shrunk = current.value();
        return new PropertyFailure(name, base, tryIndex, trySeed, size, original, Show.value(shrunk), shrunk,
                steps, evaluations, cause, replayHint(base));
    }

    private static String replayHint(long base) {
        String test = StackWalker.getInstance().walk(frames -> frames
                .filter(f -> !f.getClassName().equals(Property.class.getName())
                        && !f.getClassName().startsWith(Property.class.getName() + "$"))
                .findFirst()
                .map(f -> " -Dtest=" + f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1)
                        .replaceAll("\\$.*", "") + "#" + f.getMethodName().replaceAll("^lambda\\$(.*)\\$\\d+$", "$1"))
                .orElse(""));
        return "-Dlanes.seed=" + hex(base) + test;
    }

    /** The size of a generated value for the summary, or -1 if it has none. */
    static long measure(Object v) {
        return switch (v) {
            case Integer i -> i;
            case Long l -> l;
            case Sized s -> s.size();
            case Pair<?, ?> p -> Math.max(measure(p.first()), measure(p.second()));
            case Collection<?> c -> c.size();
            case null -> -1;
            default -> v.getClass().isArray() ? Array.getLength(v) : -1;
        };
    }

    static int configuredTries() {
        String s = System.getProperty("lanes.tries");
        if (s == null || s.isBlank()) {
            return DEFAULT_TRIES;
        }
        try {
            int n = Integer.parseInt(s.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("-Dlanes.tries=" + s + ": need an integer >= 1");
    }

    static long configuredSeed() {
        String s = System.getProperty("lanes.seed");
        if (s == null || s.isBlank() || s.trim().equalsIgnoreCase("random")) {
            return ThreadLocalRandom.current().nextLong();
        }
        return parseSeed(s);
    }

    /** Parses {@code 0x...} (hex, up to 64 bits) or a decimal long. */
    public static long parseSeed(String s) {
        String t = s.trim();
        try {
            if (t.startsWith("0x") || t.startsWith("0X")) {
                return Long.parseUnsignedLong(t.substring(2), 16);
            }
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-Dlanes.seed=" + s + ": need 0x<hex> or a decimal long", e);
        }
    }

    /** The seed as printed: {@code 0x} and 16 hex digits. */
    public static String hex(long seed) {
        return String.format("0x%016x", seed);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }
}
