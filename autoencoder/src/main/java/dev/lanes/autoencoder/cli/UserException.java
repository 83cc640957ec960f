package dev.lanes.autoencoder.cli;

/**
 * A mistake in the command line or in its input files. {@link Lanes} prints its message as one line and
 * exits with code 2, without a stack trace; the message names the option or file and says what was expected.
 */
final class UserException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UserException(String message) {
        super(message);
    }
}
