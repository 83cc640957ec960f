package dev.lanes.property;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A generated value together with the lazy tree of its smaller candidates (integrated shrinking).
 *
 * <p>{@link #value()} rebuilds the value each time it is called, so a property that writes into a
 * generated array cannot spoil the case that is shrunk, printed or replayed afterwards.
 * {@link #shrinks()} returns the direct candidates, most aggressive first (for an int: the target,
 * then halfway, ..., then one step closer). Every candidate is again a {@code Shrinkable}, so the
 * runner shrinks greedily: take the first candidate that still fails, repeat until none does.
 * Candidates must be strictly "smaller" under some well-founded order, so the tree is finite.
 *
 * @param <T> the value type
 */
public final class Shrinkable<T> {

    private final Supplier<? extends T> value;
    private final Supplier<Stream<Shrinkable<T>>> shrinks;

    private Shrinkable(Supplier<? extends T> value, Supplier<Stream<Shrinkable<T>>> shrinks) {
        this.value = value;
        this.shrinks = shrinks;
    }

    /** A value that rebuilds with {@code value} and shrinks to {@code shrinks}. */
    public static <T> Shrinkable<T> of(Supplier<? extends T> value, Supplier<Stream<Shrinkable<T>>> shrinks) {
        return new Shrinkable<>(Objects.requireNonNull(value, "value"), Objects.requireNonNull(shrinks, "shrinks"));
    }

    /** An immutable value that does not shrink. */
    public static <T> Shrinkable<T> constant(T value) {
        return new Shrinkable<>(() -> value, Stream::empty);
    }

    /**
     * The tree of an immutable value whose candidates depend on the value only:
     * {@code candidates.apply(v)} lists the direct candidates of {@code v}.
     */
    public static <T> Shrinkable<T> unfold(T value, Function<? super T, Stream<? extends T>> candidates) {
        return new Shrinkable<>(() -> value,
                () -> candidates.apply(value).map(c -> Shrinkable.<T>unfold(c, candidates)));
    }

    /** The value, rebuilt on each call (mutable values are fresh copies). */
    public T value() {
        return value.get();
    }

    /** The direct candidates, most aggressive first; a fresh lazy stream on each call. */
    public Stream<Shrinkable<T>> shrinks() {
        return shrinks.get();
    }

    /** The same tree with {@code f} applied to every value. */
    public <R> Shrinkable<R> map(Function<? super T, ? extends R> f) {
        return new Shrinkable<R>(() -> f.apply(value.get()), () -> shrinks.get().map(s -> s.map(f)));
    }

    /** The tree without the candidates (and their subtrees) that fail {@code keep}. */
    public Shrinkable<T> filter(Predicate<? super T> keep) {
        return new Shrinkable<>(value, () -> shrinks.get().filter(s -> keep.test(s.value())).map(s -> s.filter(keep)));
    }

    /**
     * The tree of a list whose elements shrink independently; the list keeps its length. Candidates:
     * first element's candidates (others fixed), then the second's, and so on.
     */
    public static <T> Shrinkable<List<T>> sequence(List<Shrinkable<T>> elements) {
        List<Shrinkable<T>> fixed = List.copyOf(elements);
        return new Shrinkable<>(() -> fixed.stream().map(Shrinkable::value).toList(),
                () -> Stream.iterate(0, i -> i < fixed.size(), i -> i + 1)
                        .flatMap(i -> fixed.get(i).shrinks().map(c -> {
                            List<Shrinkable<T>> next = new ArrayList<>(fixed);
                            next.set(i, c);
                            return sequence(next);
                        })));
    }

    /** The pair tree: {@code a}'s candidates with {@code b} fixed, then {@code b}'s with {@code a} fixed. */
    public static <A, B, R> Shrinkable<R> zip(Shrinkable<A> a, Shrinkable<B> b,
                                             BiFunction<? super A, ? super B, ? extends R> f) {
        return new Shrinkable<R>(() -> f.apply(a.value(), b.value()),
                () -> Stream.concat(a.shrinks().map(a2 -> zip(a2, b, f)), b.shrinks().map(b2 -> zip(a, b2, f))));
    }
}
