package dev.lanes.property;

/**
 * A property failed. The message names the property, the shrunk and the original case, the base
 * seed with the {@code -Dlanes.seed=...} that replays it, and the cause (also the {@link #getCause()}).
 */
public final class PropertyFailure extends AssertionError {

    private static final long serialVersionUID = 1L;

    private final String propertyName;
    private final long seed;
    private final int tryIndex;
    private final String original;
    private final String shrunk;
    private final transient Object shrunkValue;
    private final int shrinkSteps;

    PropertyFailure(String propertyName, long seed, int tryIndex, long trySeed, int size, String original,
                    String shrunk, Object shrunkValue, int shrinkSteps, int evaluations, Throwable cause,
                    String replay) {
        super("prop " + propertyName + " failed at try " + tryIndex + " (size " + size + ", try seed "
                + Property.hex(trySeed) + "), shrunk in " + shrinkSteps + " steps (" + evaluations + " evaluations)\n"
                + "  shrunk:   " + shrunk + "\n"
                + "  original: " + original + "\n"
                + "  seed=" + Property.hex(seed) + "; replay: " + replay + "\n"
                + "  cause: " + cause, cause);
        this.propertyName = propertyName;
        this.seed = seed;
        this.tryIndex = tryIndex;
        this.original = original;
        this.shrunk = shrunk;
        this.shrunkValue = shrunkValue;
        this.shrinkSteps = shrinkSteps;
    }

    /** The property's name. */
    public String propertyName() {
        return propertyName;
    }

    /** The base seed that replays this failure. */
    public long seed() {
        return seed;
    }

    /** The index of the first failing try. */
    public int tryIndex() {
        return tryIndex;
    }

    /** The first failing case, printed. */
    public String original() {
        return original;
    }

    /** The smallest failing case found, printed. */
    public String shrunk() {
        return shrunk;
    }

    /** The smallest failing case found (a fresh value). */
    public Object shrunkValue() {
        return shrunkValue;
    }

    /** How many times shrinking moved to a smaller failing case. */
    public int shrinkSteps() {
        return shrinkSteps;
    }
}
