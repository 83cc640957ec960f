package dev.lanes.autoencoder.data;

import dev.lanes.autoencoder.io.AtomicFiles;
import dev.lanes.autoencoder.io.FileFormatException;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * NumPy {@code .npy} files of little-endian float32 ({@code '<f4'}), C order, 1-D or 2-D: the format
 * activation datasets exported from Python come in, and the one codes are exported to.
 *
 * <p>The header (format versions 1.0, 2.0 and 3.0) is parsed strictly: exactly the keys {@code descr},
 * {@code fortran_order} and {@code shape}, Python literal syntax, and a data section whose length is
 * exactly the shape's. Data are read through {@link FileChannel#map}, so large files are copied once,
 * from the page cache into the array.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;
    /** numpy refuses headers longer than this by default; so do we. */
    private static final int MAX_HEADER = 1 << 16;
    private static final int MAP_CHUNK = 1 << 30;

    /**
     * A float32 matrix. A 1-D file of length n reads as 1 row of n columns.
     *
     * @param rows number of rows
     * @param cols number of columns
     * @param data {@code rows*cols} values, row-major
     */
    public record Matrix(int rows, int cols, float[] data) {
        /** Checks that the shape matches the data. */
        public Matrix {
            Objects.requireNonNull(data, "npy: data is null");
            if (rows < 0 || cols < 0 || (long) rows * cols != data.length) {
                throw new IllegalArgumentException("npy: shape " + rows + "x" + cols + " does not match data.length="
                        + data.length);
            }
        }

        /**
         * @param name the data set's name
         * @return the rows as an unlabelled data set (shares the array)
         */
        public Dataset toDataset(String name) {
            return Dataset.of(name, rows, cols, data);
        }
    }

    /**
     * A parsed header.
     *
     * @param shape the array's shape, rank 1 or 2
     * @param dataOffset where the data start in the file
     */
    public record Header(long[] shape, long dataOffset) {
        /** @return the number of float values */
        public long elements() {
            long p = 1;
            for (long s : shape) {
                p *= s;
            }
            return p;
        }
    }

    private Npy() {
    }

    /**
     * Reads and checks the header only.
     *
     * @param file a .npy file
     * @return its shape and data offset
     * @throws FileFormatException if the file is missing, not .npy, not '&lt;f4' C order of rank 1 or 2, or its
     *     length does not match the shape
     * @throws IOException on other I/O errors
     */
    public static Header readHeader(Path file) throws IOException {
        checkReadable(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return header(file, ch);
        }
    }

    /**
     * Reads the whole array, memory-mapping the file.
     *
     * @param file a .npy file of '&lt;f4', C order, rank 1 or 2
     * @return the values; rank 1 of length n reads as 1 x n
     * @throws FileFormatException if the file is missing, malformed, of another dtype or order, or truncated
     * @throws IOException on other I/O errors
     */
    public static Matrix read(Path file) throws IOException {
        checkReadable(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Header h = header(file, ch);
            int rows = h.shape().length == 2 ? (int) h.shape()[0] : 1;
            int cols = (int) h.shape()[h.shape().length - 1];
            float[] data = new float[Math.toIntExact(h.elements())];
            long pos = h.dataOffset();
            int done = 0;
            while (done < data.length) {
                int count = Math.min(MAP_CHUNK / Float.BYTES, data.length - done);
                MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, pos, (long) count * Float.BYTES);
                map.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data, done, count);
                done += count;
                pos += (long) count * Float.BYTES;
            }
            return new Matrix(rows, cols, data);
        }
    }

    /**
     * Writes a 2-D float32 array as .npy (version 1.0 header, '&lt;f4', C order), atomically.
     *
     * @param file the file to create or replace
     * @param rows number of rows, {@code >= 0}
     * @param cols number of columns, {@code >= 0}
     * @param data {@code rows*cols} values, row-major, read only
     * @throws IOException if the file cannot be written; an old file is then left unchanged
     */
    public static void write(Path file, int rows, int cols, float[] data) throws IOException {
        Objects.requireNonNull(data, "npy write: data is null");
        if (rows < 0 || cols < 0 || (long) rows * cols != data.length) {
            throw new IllegalArgumentException("npy write: shape " + rows + "x" + cols + " does not match data.length="
                    + data.length);
        }
        byte[] head = headerBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }");
        AtomicFiles.write(file, out -> {
            out.write(head);
            ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < data.length; ) {
                int count = Math.min(buf.capacity() / Float.BYTES, data.length - i);
                buf.clear();
                buf.asFloatBuffer().put(data, i, count);
                out.write(buf.array(), 0, count * Float.BYTES);
                i += count;
            }
        });
    }

    /** Magic, version 1.0, length, and the dict padded with spaces so the data start at a multiple of 64. */
    private static byte[] headerBytes(String dict) {
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        String text = dict + " ".repeat(pad) + "\n";
        byte[] t = text.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 4 + t.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) t.length).put(t);
        return b.array();
    }

    private static void checkReadable(Path file) throws FileFormatException {
        if (!Files.exists(file)) {
            throw new FileFormatException(file, "no such file (expected a .npy file)");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new FileFormatException(file, "not a readable regular file (expected a .npy file)");
        }
    }

    private static Header header(Path file, FileChannel ch) throws IOException {
        long size = ch.size();
        ByteBuffer pre = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, pre, 0);
        pre.flip();
        if (pre.remaining() < 10) {
            throw new FileFormatException(file, "truncated: " + size + " bytes, shorter than a .npy preamble");
        }
        for (byte b : MAGIC) {
            if (pre.get() != b) {
                throw new FileFormatException(file, "expected the .npy magic \\x93NUMPY at the start");
            }
        }
        int major = pre.get() & 0xff;
        int minor = pre.get() & 0xff;
        long headerLen;
        int prefix;
        if (major == 1 && minor == 0) {
            headerLen = pre.getShort() & 0xffff;
            prefix = 10;
        } else if ((major == 2 || major == 3) && minor == 0) {
            if (pre.remaining() < 4) {
                throw new FileFormatException(file, "truncated: " + size + " bytes, shorter than a .npy v"
                        + major + " preamble");
            }
            headerLen = pre.getInt() & 0xffff_ffffL;
            prefix = 12;
        } else {
            throw new FileFormatException(file, "unsupported .npy format version " + major + "." + minor
                    + " (expected 1.0, 2.0 or 3.0)");
        }
        if (headerLen > MAX_HEADER || prefix + headerLen > size) {
            throw new FileFormatException(file, "header length " + headerLen + " exceeds "
                    + (headerLen > MAX_HEADER ? "the limit " + MAX_HEADER : "the file (" + size + " bytes)"));
        }
        ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
        readFully(ch, hb, prefix);
        String text = new String(hb.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        if (!text.endsWith("\n")) {
            throw new FileFormatException(file, "header does not end with a newline");
        }
        Map<String, Object> dict;
        try {
            dict = new DictParser(text).parse();
        } catch (IllegalArgumentException e) {
            throw new FileFormatException(file, "malformed header " + text.strip() + ": " + e.getMessage());
        }
        if (!dict.keySet().equals(java.util.Set.of("descr", "fortran_order", "shape"))) {
            throw new FileFormatException(file, "header keys " + dict.keySet()
                    + ", expected exactly descr, fortran_order, shape");
        }
        if (!"<f4".equals(dict.get("descr"))) {
            throw new FileFormatException(file, "dtype " + dict.get("descr")
                    + " not supported, expected '<f4' (little-endian float32; in Python: arr.astype('<f4'))");
        }
        if (!Boolean.FALSE.equals(dict.get("fortran_order"))) {
            throw new FileFormatException(file, "fortran_order=" + pythonLiteral(dict.get("fortran_order"))
                    + " not supported, expected False (C order; in Python: np.ascontiguousarray(arr))");
        }
        if (!(dict.get("shape") instanceof long[] shape)) {
            throw new FileFormatException(file, "shape " + dict.get("shape") + " is not a tuple of integers");
        }
        if (shape.length < 1 || shape.length > 2) {
            throw new FileFormatException(file, "shape has rank " + shape.length + ", expected 1 or 2");
        }
        long elements = 1;
        for (long s : shape) {
            // Each s < 2^63 was checked non-negative by the parser; stop before the product can overflow.
            if (s > MAX_ELEMENTS || (elements *= s) > MAX_ELEMENTS) {
                throw new FileFormatException(file, "shape " + java.util.Arrays.toString(shape)
                        + " has more than " + MAX_ELEMENTS + " elements, the largest array supported");
            }
        }
        long dataOffset = prefix + headerLen;
        long expected = elements * Float.BYTES;
        if (size - dataOffset != expected) {
            throw new FileFormatException(file, "shape " + java.util.Arrays.toString(shape) + " needs " + expected
                    + " data bytes, the file has " + (size - dataOffset)
                    + (size - dataOffset < expected ? " (truncated)" : " (trailing bytes)"));
        }
        return new Header(shape, dataOffset);
    }

    private static String pythonLiteral(Object v) {
        return v instanceof Boolean b ? (b ? "True" : "False") : String.valueOf(v);
    }

    private static void readFully(FileChannel ch, ByteBuffer dst, long pos) throws IOException {
        while (dst.hasRemaining()) {
            int r = ch.read(dst, pos);
            if (r < 0) {
                return;
            }
            pos += r;
        }
    }

    /** Parses the Python dict literal of a .npy header: string keys; string, bool or int-tuple values. */
    private static final class DictParser {
        private final String s;
        private int i;

        DictParser(String s) {
            this.s = s;
        }

        Map<String, Object> parse() {
            Map<String, Object> out = new HashMap<>();
            skipSpace();
            expect('{');
            skipSpace();
            while (peek() != '}') {
                String key = string();
                skipSpace();
                expect(':');
                skipSpace();
                if (out.put(key, value()) != null) {
                    throw new IllegalArgumentException("duplicate key '" + key + "'");
                }
                skipSpace();
                if (peek() == ',') {
                    i++;
                    skipSpace();
                } else if (peek() != '}') {
                    throw new IllegalArgumentException("expected ',' or '}' at offset " + i);
                }
            }
            i++;
            skipSpace();
            if (i != s.length()) {
                throw new IllegalArgumentException("unexpected text after the dict at offset " + i);
            }
            return out;
        }

        private Object value() {
            char c = peek();
            if (c == '\'' || c == '"') {
                return string();
            }
            if (s.startsWith("True", i)) {
                i += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("False", i)) {
                i += 5;
                return Boolean.FALSE;
            }
            if (c == '(') {
                return tuple();
            }
            throw new IllegalArgumentException("unexpected value at offset " + i);
        }

        private long[] tuple() {
            expect('(');
            List<Long> dims = new ArrayList<>();
            skipSpace();
            boolean trailingComma = false;
            while (peek() != ')') {
                int start = i;
                while (i < s.length() && Character.isDigit(s.charAt(i))) {
                    i++;
                }
                if (start == i) {
                    throw new IllegalArgumentException("expected a non-negative integer at offset " + start);
                }
                if (i - start > 18) {
                    throw new IllegalArgumentException("dimension " + s.substring(start, i) + " too large");
                }
                dims.add(Long.parseLong(s.substring(start, i)));
                skipSpace();
                trailingComma = false;
                if (peek() == ',') {
                    i++;
                    trailingComma = true;
                    skipSpace();
                } else if (peek() != ')') {
                    throw new IllegalArgumentException("expected ',' or ')' at offset " + i);
                }
            }
            i++;
            // Python: (3) is an int, not a tuple; a 1-tuple needs its comma.
            if (dims.size() == 1 && !trailingComma) {
                throw new IllegalArgumentException("(" + dims.get(0) + ") is not a tuple; expected (" + dims.get(0) + ",)");
            }
            long[] r = new long[dims.size()];
            for (int k = 0; k < r.length; k++) {
                r[k] = dims.get(k);
            }
            return r;
        }

        private String string() {
            char q = peek();
            if (q != '\'' && q != '"') {
                throw new IllegalArgumentException("expected a quoted string at offset " + i);
            }
            int end = s.indexOf(q, i + 1);
            if (end < 0) {
                throw new IllegalArgumentException("unterminated string at offset " + i);
            }
            String r = s.substring(i + 1, end);
            i = end + 1;
            return r;
        }

        private char peek() {
            if (i >= s.length()) {
                throw new IllegalArgumentException("unexpected end of header");
            }
            return s.charAt(i);
        }

        private void expect(char c) {
            if (peek() != c) {
                throw new IllegalArgumentException("expected '" + c + "' at offset " + i + ", found '" + peek() + "'");
            }
            i++;
        }

        private void skipSpace() {
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\n' || s.charAt(i) == '\t')) {
                i++;
            }
        }
    }
}
