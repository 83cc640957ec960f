package dev.lanes.autoencoder.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that cannot be used: missing, unreadable, of the wrong kind, truncated, or with a header that
 * contradicts the file. The message names the file and says what was expected, so callers (the CLI)
 * can print it as it is, without a stack trace.
 */
public final class FileFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /**
     * @param file the offending file
     * @param problem what was expected and what was found, e.g. "expected IDX magic 0x00000803, found 0x00000801"
     */
    public FileFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    /**
     * @param file the offending file
     * @param problem what was expected and what was found
     * @param cause the underlying I/O error
     */
    public FileFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** @return the file the message is about */
    public Path file() {
        return file;
    }
}
