package dev.lanes.property;

/** A generator could not produce a value (for example a filter that rejected every draw). */
public final class GenerationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** An exception with {@code message}. */
    public GenerationException(String message) {
        super(message);
    }
}
