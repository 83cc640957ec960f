package dev.lanes.autoencoder.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file completely or not at all: the content goes to a temporary file in the target's directory
 * (same file system, so the rename is atomic), is forced to disk, and is then moved over the target. If
 * anything fails, the temporary file is deleted and the old target, if any, is left as it was. Readers
 * never see a half-written file. Every writer of this module goes through here.
 */
public final class AtomicFiles {

    /** Writes the content of a file to a stream; the stream is buffered and must not be closed. */
    @FunctionalInterface
    public interface Body {
        /**
         * @param out where to write the file's bytes
         * @throws IOException if writing fails; the target is then left untouched
         */
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    /**
     * Replaces {@code target} with {@code bytes}.
     *
     * @param target the file to create or replace; its directory must exist
     * @param bytes the whole content, read only
     * @throws IOException if the file cannot be written; the old target is then unchanged
     */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /**
     * Replaces {@code target} with {@code text} in UTF-8.
     *
     * @param target the file to create or replace; its directory must exist
     * @param text the whole content
     * @throws IOException if the file cannot be written; the old target is then unchanged
     */
    public static void writeString(Path target, String text) throws IOException {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Replaces {@code target} with what {@code body} writes.
     *
     * @param target the file to create or replace; its directory must exist
     * @param body writes the content
     * @throws IOException if {@code body} or the file system fails; the old target is then unchanged and no
     *     temporary file is left behind
     */
    public static void write(Path target, Body body) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new FileFormatException(target, "cannot write: directory " + dir + " does not exist");
        }
        Path tmp = createTemporary(dir, abs.getFileName().toString());
        boolean moved = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
                body.writeTo(out);
                out.flush();
                // Without this, a crash after the rename could leave an empty or partial file under the new name.
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * Creates an empty temporary beside the target. Not Files.createTempFile: that makes the file
     * owner-only (0600), and the rename would keep it so; this one gets the usual umask permissions.
     */
    private static Path createTemporary(Path dir, String name) throws IOException {
        while (true) {
            // A dot-prefixed name keeps the temporary out of casual listings and glob patterns like *.npy.
            Path tmp = dir.resolve("." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW).close();
                return tmp;
            } catch (FileAlreadyExistsException e) {
                // Another writer's temporary: draw another name.
            }
        }
    }
}
