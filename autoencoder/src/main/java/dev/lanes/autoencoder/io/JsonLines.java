package dev.lanes.autoencoder.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * An append-only JSON Lines file ({@code metrics.jsonl}): one compact JSON object per line. Each line
 * is handed to the operating system in one write as soon as it is appended, so another process (or a
 * crash) sees complete lines plus at most one incomplete last line, which {@link #read} ignores.
 * Unlike the other writers this one is not write-then-rename: a log that grows line by line cannot be.
 */
public final class JsonLines implements Closeable {
    private final Path file;
    private final FileChannel channel;

    private JsonLines(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /**
     * @param file the log file
     * @param append true to add to an existing file (resume), false to start it afresh
     * @return the open log
     * @throws IOException if the file cannot be opened
     */
    public static JsonLines open(Path file, boolean append) throws IOException {
        FileChannel ch = append
                ? FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)
                : FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING);
        return new JsonLines(file, ch);
    }

    /**
     * Appends one record as a line.
     *
     * @param record a map, record or JsonNode that serialises to a JSON object
     * @throws IOException if writing fails
     */
    public synchronized void append(Object record) throws IOException {
        String line = Json.compact(record);
        if (!line.startsWith("{")) {
            throw new IllegalArgumentException("json lines " + file + ": record is not an object: " + line);
        }
        ByteBuffer buf = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
    }

    /**
     * Reads every complete line; an incomplete last line (no newline: the writer was interrupted) is skipped.
     *
     * @param file a JSON Lines file
     * @return one tree per complete line, in order
     * @throws FileFormatException if the file is missing or a complete line is not a JSON object
     * @throws IOException on other I/O errors
     */
    public static List<JsonNode> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new FileFormatException(file, "no such file (expected a JSON Lines file)");
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        List<JsonNode> out = new ArrayList<>();
        int start = 0;
        int lineNo = 1;
        for (int nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start), lineNo++) {
            String line = text.substring(start, nl);
            start = nl + 1;
            if (line.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = Json.mapper().readTree(line);
            } catch (JsonProcessingException e) {
                throw new FileFormatException(file, "line " + lineNo + " is not valid JSON: " + e.getOriginalMessage(), e);
            }
            if (!node.isObject()) {
                throw new FileFormatException(file, "line " + lineNo + " is not a JSON object");
            }
            out.add(node);
        }
        return out;
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }
}
