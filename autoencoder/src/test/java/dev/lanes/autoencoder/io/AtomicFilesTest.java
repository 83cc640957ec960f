package dev.lanes.autoencoder.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private List<String> listing() throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesAndReplaces() throws IOException {
        Path p = dir.resolve("a.txt");
        AtomicFiles.writeString(p, "one");
        AtomicFiles.writeString(p, "two");
        AtomicFiles.write(dir.resolve("b.bin"), new byte[] {1, 2, 3});
        assertEquals("two", Files.readString(p));
        assertEquals(List.of("a.txt", "b.bin"), listing());
    }

    @Test
    void failureInTheMiddleLeavesTheOldFileAndNoTemporary() throws IOException {
        Path p = dir.resolve("model.safetensors");
        AtomicFiles.writeString(p, "old content");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(p, out -> {
            out.write(new byte[100_000]);
            throw new IOException("disk full (simulated)");
        }));
        assertEquals("disk full (simulated)", e.getMessage());
        RuntimeException r = assertThrows(IllegalStateException.class, () -> AtomicFiles.write(p, out -> {
            out.write(1);
            throw new IllegalStateException("bug in a writer");
        }));
        assertTrue(r.getMessage().contains("bug"));
        assertEquals("old content", Files.readString(p));
        assertEquals(List.of("model.safetensors"), listing());
    }

    @Test
    void permissionsAreTheUsualOnesNotOwnerOnly() throws IOException {
        Path plain = dir.resolve("plain");
        Files.writeString(plain, "x");
        Path atomic = dir.resolve("atomic");
        AtomicFiles.writeString(atomic, "x");
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(atomic));
        }
    }

    @Test
    void missingDirectoryIsAClearError() {
        Path p = dir.resolve("absent/x.json");
        FileFormatException e = assertThrows(FileFormatException.class, () -> AtomicFiles.writeString(p, "x"));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }
}
