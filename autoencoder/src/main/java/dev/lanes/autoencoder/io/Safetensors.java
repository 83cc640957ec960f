package dev.lanes.autoencoder.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The safetensors format (as written by Hugging Face's {@code safetensors} library, readable by
 * {@code safetensors.torch.load_file}): an 8-byte little-endian header length N, N bytes of JSON
 * {@code {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, ...,
 * "__metadata__": {"key": "value"}}} padded with spaces to a multiple of 8, then the tensors' raw
 * little-endian bytes; offsets count from the start of that data section.
 *
 * <p>Only F32 is supported. Reading validates everything before allocating any tensor: header length
 * against the file (and a 100 MB bound), well-formed JSON without duplicate keys, dtype, shapes, and
 * offsets that are within the data section, match dtype size times shape, and tile the data section
 * exactly (no overlap, no gap), as the reference implementation requires.
 */
public final class Safetensors {
    /** The key of the string-to-string metadata object in the header. */
    public static final String METADATA_KEY = "__metadata__";
    /** The reference implementation's bound on the header size. */
    private static final long MAX_HEADER = 100L << 20;
    private static final int MAP_CHUNK = 1 << 30;

    /**
     * A file's content.
     *
     * @param file the file it was read from (named in errors)
     * @param tensors the tensors in header order
     * @param metadata the {@code __metadata__} entries (empty when absent)
     */
    public record Contents(Path file, LinkedHashMap<String, Tensor> tensors, Map<String, String> metadata) {
        /**
         * @param name a tensor name
         * @return the tensor
         * @throws FileFormatException if there is no such tensor (the message lists the names present)
         */
        public Tensor tensor(String name) throws FileFormatException {
            Tensor t = tensors.get(name);
            if (t == null) {
                throw new FileFormatException(file, "no tensor '" + name + "'; the file has " + tensors.keySet());
            }
            return t;
        }

        /**
         * A tensor that must have a given shape, e.g. {@code tensor("encoder.weight", hidden, in)}.
         *
         * @param name a tensor name
         * @param shape the expected dimensions
         * @return the tensor
         * @throws FileFormatException if it is missing or has another shape (the message says both)
         */
        public Tensor tensor(String name, int... shape) throws FileFormatException {
            Tensor t = tensor(name);
            if (!Arrays.equals(t.shape(), shape)) {
                throw new FileFormatException(file, "tensor '" + name + "' has shape " + Arrays.toString(t.shape())
                        + ", expected " + Arrays.toString(shape));
            }
            return t;
        }
    }

    private Safetensors() {
    }

    /**
     * Writes tensors and metadata, atomically. Tensors are stored in the map's order.
     *
     * @param file the file to create or replace
     * @param tensors name to tensor; names must be non-empty and not {@value #METADATA_KEY}
     * @param metadata string entries for {@code __metadata__} (e.g. the model configuration); may be empty
     * @throws IOException if the file cannot be written; an old file is then unchanged
     */
    public static void write(Path file, LinkedHashMap<String, Tensor> tensors, Map<String, String> metadata)
            throws IOException {
        Objects.requireNonNull(tensors, "safetensors write: tensors is null");
        Objects.requireNonNull(metadata, "safetensors write: metadata is null");
        ObjectNode header = Json.mapper().createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject(METADATA_KEY);
            metadata.forEach((k, v) -> meta.put(Objects.requireNonNull(k, "safetensors write: metadata key is null"),
                    Objects.requireNonNull(v, "safetensors write: metadata value of '" + k + "' is null")));
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            if (name == null || name.isEmpty() || name.equals(METADATA_KEY)) {
                throw new IllegalArgumentException("safetensors write: invalid tensor name '" + name + "'");
            }
            Tensor t = Objects.requireNonNull(e.getValue(), "safetensors write: tensor '" + name + "' is null");
            ObjectNode entry = header.putObject(name);
            entry.put("dtype", "F32");
            ArrayNode shape = entry.putArray("shape");
            for (int s : t.shape()) {
                shape.add(s);
            }
            long end = offset + (long) Float.BYTES * t.elements();
            entry.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = Json.compact(header).getBytes(StandardCharsets.UTF_8);
        // Padding keeps the data section 8-byte aligned, as the reference writer does.
        int padded = (json.length + 7) & ~7;
        byte[] head = Arrays.copyOf(json, padded);
        Arrays.fill(head, json.length, padded, (byte) ' ');
        AtomicFiles.write(file, out -> {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
            out.write(len.array());
            out.write(head);
            ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (Tensor t : tensors.values()) {
                float[] d = t.data();
                for (int i = 0; i < d.length; ) {
                    int count = Math.min(buf.capacity() / Float.BYTES, d.length - i);
                    buf.clear();
                    buf.asFloatBuffer().put(d, i, count);
                    out.write(buf.array(), 0, count * Float.BYTES);
                    i += count;
                }
            }
        });
    }

    /**
     * Reads and validates a file.
     *
     * @param file a safetensors file with F32 tensors only
     * @return its tensors (in header order) and metadata
     * @throws FileFormatException if the file is missing, truncated, has a malformed header, a dtype other
     *     than F32, or offsets that are out of range, overlapping, leave gaps or disagree with the shape
     * @throws IOException on other I/O errors
     */
    public static Contents read(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new FileFormatException(file, "no such file (expected a .safetensors file)");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new FileFormatException(file, "not a readable regular file (expected a .safetensors file)");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new FileFormatException(file, "truncated: " + size + " bytes, expected at least the 8-byte header length");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long n = lenBuf.flip().getLong();
            if (n < 2 || n > size - 8 || n > MAX_HEADER) {
                throw new FileFormatException(file, "header length " + Long.toUnsignedString(n) + " is "
                        + (n < 2 && n >= 0 ? "too small for a JSON object" : "larger than the "
                        + (Long.compareUnsigned(n, size - 8) > 0 ? size - 8 + " bytes after it in the file"
                        : "limit of " + MAX_HEADER + " bytes")));
            }
            ByteBuffer headBuf = ByteBuffer.allocate((int) n);
            readFully(ch, headBuf, 8);
            byte[] head = headBuf.array();
            if (head[0] != '{') {
                throw new FileFormatException(file, "header does not start with '{' (not a safetensors file?)");
            }
            JsonNode root;
            try {
                root = Json.mapper().readTree(head);
            } catch (JsonProcessingException e) {
                throw new FileFormatException(file, "header is not well-formed JSON: " + e.getOriginalMessage(), e);
            }
            if (root == null || !root.isObject()) {
                throw new FileFormatException(file, "header is not a JSON object");
            }
            long dataStart = 8 + n;
            long dataLen = size - dataStart;
            Map<String, String> metadata = new LinkedHashMap<>();
            List<Entry> entries = new ArrayList<>();
            for (Map.Entry<String, JsonNode> f : root.properties()) {
                if (f.getKey().equals(METADATA_KEY)) {
                    metadata(file, f.getValue(), metadata);
                } else {
                    entries.add(entry(file, f.getKey(), f.getValue(), dataLen));
                }
            }
            List<Entry> byOffset = new ArrayList<>(entries);
            byOffset.sort(Comparator.comparingLong((Entry e) -> e.begin).thenComparingLong(e -> e.end));
            long expected = 0;
            Entry prev = null;
            for (Entry e : byOffset) {
                if (e.begin < expected) {
                    throw new FileFormatException(file, "tensors '" + prev.name + "' [" + prev.begin + ", " + prev.end
                            + ") and '" + e.name + "' [" + e.begin + ", " + e.end + ") overlap");
                }
                if (e.begin > expected) {
                    throw new FileFormatException(file, "gap in the data section: bytes [" + expected + ", " + e.begin
                            + ") belong to no tensor (before '" + e.name + "')");
                }
                expected = e.end;
                prev = e;
            }
            if (expected != dataLen) {
                throw new FileFormatException(file, "the data section has " + dataLen + " bytes but the tensors cover "
                        + expected + (expected < dataLen ? " (trailing bytes)" : ""));
            }
            LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
            for (Entry e : entries) {
                tensors.put(e.name, new Tensor(e.shape, readFloats(ch, dataStart + e.begin, (int) ((e.end - e.begin) / 4))));
            }
            return new Contents(file, tensors, metadata);
        }
    }

    private record Entry(String name, int[] shape, long begin, long end) {
    }

    private static void metadata(Path file, JsonNode node, Map<String, String> out) throws FileFormatException {
        if (!node.isObject()) {
            throw new FileFormatException(file, METADATA_KEY + " is not an object of strings");
        }
        for (Map.Entry<String, JsonNode> m : node.properties()) {
            if (!m.getValue().isTextual()) {
                throw new FileFormatException(file, METADATA_KEY + " entry '" + m.getKey() + "' is "
                        + m.getValue().getNodeType() + ", expected a string");
            }
            out.put(m.getKey(), m.getValue().textValue());
        }
    }

    private static Entry entry(Path file, String name, JsonNode node, long dataLen) throws FileFormatException {
        String where = "tensor '" + name + "'";
        if (!node.isObject()) {
            throw new FileFormatException(file, where + " is not an object");
        }
        Set<String> keys = new java.util.HashSet<>();
        node.fieldNames().forEachRemaining(keys::add);
        if (!keys.equals(Set.of("dtype", "shape", "data_offsets"))) {
            throw new FileFormatException(file, where + " has keys " + keys + ", expected dtype, shape, data_offsets");
        }
        JsonNode dtype = node.get("dtype");
        if (!dtype.isTextual() || !dtype.textValue().equals("F32")) {
            throw new FileFormatException(file, where + " has dtype " + dtype + ", only F32 is supported");
        }
        JsonNode shapeNode = node.get("shape");
        if (!shapeNode.isArray()) {
            throw new FileFormatException(file, where + " has shape " + shapeNode + ", expected an array of integers");
        }
        int[] shape = new int[shapeNode.size()];
        long elements = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode s = shapeNode.get(i);
            if (!s.canConvertToExactIntegral() || !s.canConvertToInt() || s.intValue() < 0) {
                throw new FileFormatException(file, where + " has shape " + shapeNode
                        + ", expected non-negative integers below 2^31");
            }
            shape[i] = s.intValue();
            elements *= shape[i];
            // The byte size must fit the file (checked below) and a Java array.
            if (elements > Integer.MAX_VALUE - 8) {
                throw new FileFormatException(file, where + " has shape " + shapeNode + ", too large for one array");
            }
        }
        JsonNode off = node.get("data_offsets");
        if (!off.isArray() || off.size() != 2 || !off.get(0).canConvertToLong() || !off.get(1).canConvertToLong()
                || !off.get(0).isIntegralNumber() || !off.get(1).isIntegralNumber()) {
            throw new FileFormatException(file, where + " has data_offsets " + off + ", expected [begin, end]");
        }
        long begin = off.get(0).longValue();
        long end = off.get(1).longValue();
        if (begin < 0 || end < begin || end > dataLen) {
            throw new FileFormatException(file, where + " has data_offsets [" + begin + ", " + end
                    + "] outside the data section of " + dataLen + " bytes");
        }
        if (end - begin != elements * Float.BYTES) {
            throw new FileFormatException(file, where + " has data_offsets [" + begin + ", " + end + "] ("
                    + (end - begin) + " bytes), but F32 shape " + shapeNode + " needs " + elements * Float.BYTES);
        }
        return new Entry(name, shape, begin, end);
    }

    private static float[] readFloats(FileChannel ch, long pos, int count) throws IOException {
        float[] out = new float[count];
        int done = 0;
        while (done < count) {
            int c = Math.min(MAP_CHUNK / Float.BYTES, count - done);
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, pos, (long) c * Float.BYTES);
            map.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out, done, c);
            done += c;
            pos += (long) c * Float.BYTES;
        }
        return out;
    }

    private static void readFully(FileChannel ch, ByteBuffer dst, long pos) throws IOException {
        while (dst.hasRemaining()) {
            int r = ch.read(dst, pos);
            if (r < 0) {
                throw new java.io.EOFException("unexpected end of file at " + pos);
            }
            pos += r;
        }
    }
}
