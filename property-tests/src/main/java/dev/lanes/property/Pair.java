package dev.lanes.property;

/**
 * Two values, as produced by {@link Gen#pairs(Gen, Gen)}. Prints array components element-wise.
 *
 * @param first  the first value
 * @param second the second value
 * @param <A>    the type of the first value
 * @param <B>    the type of the second value
 */
public record Pair<A, B>(A first, B second) {

    @Override
    public String toString() {
        return "(" + Show.value(first) + ", " + Show.value(second) + ")";
    }
}
