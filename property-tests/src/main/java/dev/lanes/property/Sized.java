package dev.lanes.property;

/**
 * A generated value that tells the runner its size, for the one-line summary
 * ("sizes 0..300"). Integers, arrays, collections, {@link Pair}s and {@link MatrixCase}s are
 * measured without it.
 */
public interface Sized {

    /** The size of this value (a length, a dimension), {@code >= 0}. */
    int size();
}
