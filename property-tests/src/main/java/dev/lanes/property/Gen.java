package dev.lanes.property;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A seeded generator of shrinkable values.
 *
 * <p>{@link #generate(SplittableRandom, int)} draws everything from the given random source, so the
 * same seed and size give the same value and the same shrink tree. {@code size} is a hint in
 * {@code [0, 100]} (the runner ramps it over the tries): generators that produce unbounded things
 * (lengths, magnitudes) may scale with it; bounded ones may ignore it.
 *
 * <p>Shrinking is integrated: the returned {@link Shrinkable} carries its own smaller candidates,
 * and {@link #map}, {@link #flatMap}, {@link #filter} and {@link #zip} carry them through.
 * {@code flatMap} re-runs the inner generator with the same inner seed on every shrunk outer value,
 * so a case whose shape shrinks keeps "the same" data for the smaller shape.
 *
 * @param <T> the value type
 */
@FunctionalInterface
public interface Gen<T> {

    /** The default number of draws {@link #filter(Predicate)} makes before it gives up. */
    int DEFAULT_FILTER_TRIES = 100;

    /** Draws one value and its shrink tree from {@code random}, with size hint {@code size} in [0, 100]. */
    Shrinkable<T> generate(SplittableRandom random, int size);

    /** The value for {@code seed} and {@code size} (handy for driving a generator from other tools). */
    default T sample(long seed, int size) {
        return generate(new SplittableRandom(seed), size).value();
    }

    /** Values {@code f(t)}; shrinks as this generator does. */
    default <R> Gen<R> map(Function<? super T, ? extends R> f) {
        Objects.requireNonNull(f, "f");
        return (random, size) -> generate(random, size).map(f);
    }

    /**
     * Values drawn from {@code f(t)}. Shrinks the outer value first (re-running {@code f(t')} with the
     * same inner seed), then the inner value with the outer one fixed.
     */
    default <R> Gen<R> flatMap(Function<? super T, ? extends Gen<R>> f) {
        Objects.requireNonNull(f, "f");
        return (random, size) -> {
            Shrinkable<T> outer = generate(random, size);
            long innerSeed = random.nextLong();
            return bind(outer, f, innerSeed, size);
        };
    }

    private static <T, R> Shrinkable<R> bind(Shrinkable<T> outer, Function<? super T, ? extends Gen<R>> f,
                                             long innerSeed, int size) {
        Shrinkable<R> inner = f.apply(outer.value()).generate(new SplittableRandom(innerSeed), size);
        return Shrinkable.of(inner::value,
                () -> Stream.concat(outer.shrinks().map(o -> bind(o, f, innerSeed, size)), inner.shrinks()));
    }

    /** {@link #filter(Predicate, int)} with {@value #DEFAULT_FILTER_TRIES} draws. */
    default Gen<T> filter(Predicate<? super T> keep) {
        return filter(keep, DEFAULT_FILTER_TRIES);
    }

    /**
     * Values that satisfy {@code keep}: draws up to {@code maxTries} times, then throws
     * {@link GenerationException} naming the last rejected value. Shrink candidates that fail
     * {@code keep} are dropped. Prefer generating valid values directly; a filter that rejects most
     * draws makes slow tests.
     */
    default Gen<T> filter(Predicate<? super T> keep, int maxTries) {
        Objects.requireNonNull(keep, "keep");
        if (maxTries < 1) {
            throw new IllegalArgumentException("filter: maxTries=" + maxTries + " < 1");
        }
        return (random, size) -> {
            Shrinkable<T> last = null;
            for (int t = 0; t < maxTries; t++) {
                last = generate(random, size);
                if (keep.test(last.value())) {
                    return last.filter(keep);
                }
            }
            throw new GenerationException("Gen.filter: no value satisfied the predicate in " + maxTries
                    + " draws (size " + size + ", last rejected: " + Show.value(last.value())
                    + "); loosen the filter or generate valid values directly");
        };
    }

    /** Always {@code value} (immutable); does not shrink. */
    static <T> Gen<T> constant(T value) {
        return (random, size) -> Shrinkable.constant(value);
    }

    /** One of {@code values}, uniformly; shrinks toward the first. */
    @SafeVarargs
    static <T> Gen<T> elements(T... values) {
        List<T> list = Arrays.stream(values).toList();
        if (list.isEmpty()) {
            throw new IllegalArgumentException("elements: no values");
        }
        return Gens.ints(0, list.size() - 1).map(list::get);
    }

    /** A value of one of {@code gens}, chosen uniformly; shrinks toward the first generator. */
    @SafeVarargs
    static <T> Gen<T> oneOf(Gen<? extends T>... gens) {
        List<Gen<? extends T>> list = Arrays.stream(gens).toList();
        if (list.isEmpty()) {
            throw new IllegalArgumentException("oneOf: no generators");
        }
        return Gens.ints(0, list.size() - 1).flatMap(i -> list.get(i).<T>map(t -> t));
    }

    /** Values {@code f(a, b)}; shrinks {@code a} first, then {@code b}. */
    static <A, B, R> Gen<R> zip(Gen<A> a, Gen<B> b, BiFunction<? super A, ? super B, ? extends R> f) {
        return (random, size) -> Shrinkable.zip(a.generate(random, size), b.generate(random, size), f);
    }

    /** Values {@code f(a, b, c)}: for records, pass the canonical constructor ({@code Shape::new}). */
    static <A, B, C, R> Gen<R> zip(Gen<A> a, Gen<B> b, Gen<C> c, Fn3<? super A, ? super B, ? super C, ? extends R> f) {
        return zip(zip(a, b, Pair::new), c, (ab, cc) -> f.apply(ab.first(), ab.second(), cc));
    }

    /** Values {@code f(a, b, c, d)}. */
    static <A, B, C, D, R> Gen<R> zip(Gen<A> a, Gen<B> b, Gen<C> c, Gen<D> d,
                                      Fn4<? super A, ? super B, ? super C, ? super D, ? extends R> f) {
        return zip(zip(a, b, Pair::new), zip(c, d, Pair::new),
                (ab, cd) -> f.apply(ab.first(), ab.second(), cd.first(), cd.second()));
    }

    /** Pairs; shrinks the first component, then the second. */
    static <A, B> Gen<Pair<A, B>> pairs(Gen<A> a, Gen<B> b) {
        return zip(a, b, Pair::new);
    }

    /** Lists of exactly {@code n} independent values; each element shrinks on its own. */
    static <T> Gen<List<T>> listOf(int n, Gen<T> element) {
        if (n < 0) {
            throw new IllegalArgumentException("listOf: n=" + n + " < 0");
        }
        return (random, size) -> {
            List<Shrinkable<T>> elements = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                elements.add(element.generate(random, size));
            }
            return Shrinkable.sequence(elements);
        };
    }

    /** A function of three arguments (for {@link #zip(Gen, Gen, Gen, Fn3)}). */
    @FunctionalInterface
    interface Fn3<A, B, C, R> {
        R apply(A a, B b, C c);
    }

    /** A function of four arguments (for {@link #zip(Gen, Gen, Gen, Gen, Fn4)}). */
    @FunctionalInterface
    interface Fn4<A, B, C, D, R> {
        R apply(A a, B b, C c, D d);
    }
}
