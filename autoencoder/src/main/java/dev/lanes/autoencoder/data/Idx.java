package dev.lanes.autoencoder.data;

import dev.lanes.autoencoder.io.FileFormatException;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files (the MNIST family: MNIST, Fashion-MNIST, KMNIST), raw or gzip-compressed (detected by
 * the gzip magic 1f 8b, not by the file name). Only unsigned-byte data is supported, which is what those
 * data sets use.
 *
 * <p>Nothing is allocated from a header size before it is checked: against the file length for raw
 * files, and for gzip files against the most that DEFLATE can expand the file's bytes to (1032:1).
 * Data are then read in chunks, so a gzip stream that ends before its header's size is reported as
 * truncated having allocated only what it held.
 */
public final class Idx {
    /** Magic of an unsigned-byte, 3-dimensional IDX file (images: n x rows x cols). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic of an unsigned-byte, 1-dimensional IDX file (labels: n). */
    public static final int LABELS_MAGIC = 0x00000801;

    /** DEFLATE cannot expand input by more than about 1032:1; a header asking for more is a lie. */
    private static final long MAX_DEFLATE_RATIO = 1032;
    /** The largest Java array the readers will create. */
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;
    private static final int CHUNK = 1 << 20;
    private static final int BUFFER = 1 << 16;

    /**
     * Images read from an IDX file.
     *
     * @param n the number of images
     * @param height rows per image
     * @param width columns per image
     * @param pixels {@code n*height*width} values in [0, 1] (byte / 255), row-major
     */
    public record Images(int n, int height, int width, float[] pixels) {
    }

    private Idx() {
    }

    /**
     * Reads an images file (magic 0x00000803) and scales each byte to [0, 1].
     *
     * @param file the IDX file, raw or gzip
     * @return the images
     * @throws FileFormatException if the file is missing, unreadable, not an IDX images file, truncated,
     *     or its header sizes exceed the file or the largest array
     * @throws IOException on other I/O errors
     */
    public static Images readImages(Path file) throws IOException {
        try (Source src = open(file)) {
            long[] dims = src.header(IMAGES_MAGIC, 3);
            int n = (int) dims[0];
            int h = (int) dims[1];
            int w = (int) dims[2];
            byte[][] chunks = src.payload(dims[3]);
            float[] pixels = new float[Math.toIntExact(dims[3])];
            int done = 0;
            for (byte[] chunk : chunks) {
                for (byte b : chunk) {
                    pixels[done++] = (b & 0xff) / 255f;
                }
            }
            return new Images(n, h, w, pixels);
        }
    }

    /**
     * Reads a labels file (magic 0x00000801).
     *
     * @param file the IDX file, raw or gzip
     * @return one label per item, each in [0, 255]
     * @throws FileFormatException if the file is missing, unreadable, not an IDX labels file, truncated,
     *     or its header size exceeds the file
     * @throws IOException on other I/O errors
     */
    public static int[] readLabels(Path file) throws IOException {
        try (Source src = open(file)) {
            long[] dims = src.header(LABELS_MAGIC, 1);
            byte[][] chunks = src.payload(dims[1]);
            int[] labels = new int[Math.toIntExact(dims[1])];
            int done = 0;
            for (byte[] chunk : chunks) {
                for (byte b : chunk) {
                    labels[done++] = b & 0xff;
                }
            }
            return labels;
        }
    }

    private static Source open(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new FileFormatException(file, "no such file (expected an IDX file, raw or .gz)");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new FileFormatException(file, "not a readable regular file (expected an IDX file, raw or .gz)");
        }
        long size = Files.size(file);
        InputStream raw;
        try {
            raw = new BufferedInputStream(Files.newInputStream(file), BUFFER);
        } catch (NoSuchFileException e) {
            throw new FileFormatException(file, "no such file (expected an IDX file, raw or .gz)", e);
        }
        try {
            raw.mark(2);
            boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            InputStream in = gzip ? new BufferedInputStream(new GZIPInputStream(raw, BUFFER), BUFFER) : raw;
            return new Source(file, in, size, gzip);
        } catch (ZipException | java.io.EOFException e) {
            raw.close();
            throw new FileFormatException(file, "truncated or corrupt gzip header: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /** A stream over the (decompressed) IDX bytes that turns every early end into a clear error. */
    private static final class Source implements AutoCloseable {
        private final Path file;
        private final InputStream in;
        private final long fileSize;
        private final boolean gzip;
        private long headerBytes;

        Source(Path file, InputStream in, long fileSize, boolean gzip) {
            this.file = file;
            this.in = in;
            this.fileSize = fileSize;
            this.gzip = gzip;
        }

        /** Reads and checks magic and dimensions; returns the dims followed by their product. */
        long[] header(int magic, int rank) throws IOException {
            int found = readInt("the 4-byte magic number");
            if (found != magic) {
                throw new FileFormatException(file, String.format(
                        "expected IDX magic 0x%08x (%s), found 0x%08x%s", magic,
                        rank == 3 ? "unsigned-byte images, 3 dims" : "unsigned-byte labels, 1 dim", found,
                        found == LABELS_MAGIC ? " (a labels file)" : found == IMAGES_MAGIC ? " (an images file)" : ""));
            }
            long[] dims = new long[rank + 1];
            long product = 1;
            StringBuilder shape = new StringBuilder();
            for (int i = 0; i < rank; i++) {
                int v = readInt("dimension " + i + " of the header");
                if (v < 0) {
                    throw new FileFormatException(file, "dimension " + i + " is negative (" + v
                            + "); expected a size in [0, 2^31)");
                }
                dims[i] = v;
                shape.append(i == 0 ? "" : "x").append(Integer.toUnsignedString(v));
                // Each factor < 2^31 and product <= MAX_ELEMENTS < 2^31, so this never overflows a long.
                product *= v;
                if (product > MAX_ELEMENTS) {
                    throw new FileFormatException(file, "header sizes " + shape + "... describe more than "
                            + MAX_ELEMENTS + " values, the largest array supported");
                }
            }
            dims[rank] = product;
            headerBytes = 4L + 4L * rank;
            if (!gzip && headerBytes + product != fileSize) {
                throw new FileFormatException(file, "header says " + shape + " = " + product
                        + " bytes of data after the " + headerBytes + "-byte header, but the file has "
                        + (fileSize - headerBytes) + (headerBytes + product > fileSize ? " (truncated)" : " (trailing bytes)"));
            }
            if (gzip && headerBytes + product > fileSize * MAX_DEFLATE_RATIO) {
                throw new FileFormatException(file, "header says " + shape + " = " + product
                        + " bytes of data, more than a " + fileSize + "-byte gzip file can hold");
            }
            return dims;
        }

        /**
         * Reads the {@code total} data bytes after the header, then checks that nothing follows. The bytes
         * are read in chunks, so memory grows with the data actually present: a header that claims more
         * than the stream holds fails as truncated before anything of the claimed size is allocated.
         */
        byte[][] payload(long total) throws IOException {
            List<byte[]> chunks = new ArrayList<>();
            long done = 0;
            while (done < total) {
                int len = (int) Math.min(CHUNK, total - done);
                byte[] chunk = new byte[len];
                int got;
                try {
                    got = in.readNBytes(chunk, 0, len);
                } catch (ZipException | java.io.EOFException e) {
                    throw new FileFormatException(file, "truncated or corrupt gzip data after " + (headerBytes + done)
                            + " of " + (headerBytes + total) + " expected bytes: " + e.getMessage(), e);
                }
                if (got < len) {
                    throw new FileFormatException(file, "truncated: expected " + total
                            + " data bytes after the header, found " + (done + got));
                }
                chunks.add(chunk);
                done += len;
            }
            expectEnd();
            return chunks.toArray(new byte[0][]);
        }

        private void expectEnd() throws IOException {
            int next;
            try {
                next = in.read();
            } catch (ZipException | java.io.EOFException e) {
                throw new FileFormatException(file, "corrupt gzip data at the end: " + e.getMessage(), e);
            }
            if (next != -1) {
                throw new FileFormatException(file, "trailing bytes after the " + headerBytes + "-byte header and data");
            }
        }

        private int readInt(String what) throws IOException {
            byte[] b = new byte[4];
            int got;
            try {
                got = in.readNBytes(b, 0, 4);
            } catch (ZipException | java.io.EOFException e) {
                throw new FileFormatException(file, "truncated or corrupt gzip data while reading " + what
                        + ": " + e.getMessage(), e);
            }
            if (got < 4) {
                throw new FileFormatException(file, "truncated: file ends while reading " + what
                        + " (expected an IDX header)");
            }
            return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
