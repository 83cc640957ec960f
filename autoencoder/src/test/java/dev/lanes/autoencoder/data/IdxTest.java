package dev.lanes.autoencoder.data;

import dev.lanes.autoencoder.io.FileFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxTest {
    private static final long SEED = 0x1D8_2026L;

    @TempDir
    Path dir;

    static byte[] idx(int magic, int[] dims, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + payload.length);
        b.putInt(magic);
        for (int v : dims) {
            b.putInt(v);
        }
        b.put(payload);
        return b.array();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(raw);
        }
        return bos.toByteArray();
    }

    private Path file(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private static byte[] randomBytes(SplittableRandom rng, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) rng.nextInt(256);
        }
        return b;
    }

    @Test
    void imagesRoundTripRawAndGzip() throws IOException {
        SplittableRandom rng = new SplittableRandom(SEED);
        byte[] pixels = randomBytes(rng, 5 * 3 * 4);
        pixels[0] = 0;
        pixels[1] = (byte) 255;
        byte[] raw = idx(Idx.IMAGES_MAGIC, new int[] {5, 3, 4}, pixels);
        for (Path p : new Path[] {file("img", raw), file("img.gz", gzip(raw)), file("gz-without-suffix", gzip(raw))}) {
            Idx.Images im = Idx.readImages(p);
            assertEquals(5, im.n(), p.toString());
            assertEquals(3, im.height());
            assertEquals(4, im.width());
            for (int i = 0; i < pixels.length; i++) {
                assertEquals((pixels[i] & 0xff) / 255f, im.pixels()[i], "seed=" + SEED + " file=" + p + " i=" + i);
            }
            assertEquals(0f, im.pixels()[0]);
            assertEquals(1f, im.pixels()[1]);
        }
    }

    @Test
    void labelsRoundTripRawAndGzip() throws IOException {
        SplittableRandom rng = new SplittableRandom(SEED + 1);
        byte[] labels = randomBytes(rng, 1000);
        byte[] raw = idx(Idx.LABELS_MAGIC, new int[] {1000}, labels);
        int[] expected = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            expected[i] = labels[i] & 0xff;
        }
        assertArrayEquals(expected, Idx.readLabels(file("l", raw)), "seed=" + SEED);
        assertArrayEquals(expected, Idx.readLabels(file("l.gz", gzip(raw))), "seed=" + SEED);
    }

    @Test
    void emptyDataSetIsFine() throws IOException {
        assertEquals(0, Idx.readImages(file("e", idx(Idx.IMAGES_MAGIC, new int[] {0, 28, 28}, new byte[0]))).n());
        assertEquals(0, Idx.readLabels(file("e.gz", gzip(idx(Idx.LABELS_MAGIC, new int[] {0}, new byte[0])))).length);
    }

    private void assertBad(Path p, boolean images, String... fragments) {
        FileFormatException e = assertThrows(FileFormatException.class,
                () -> {
                    if (images) {
                        Idx.readImages(p);
                    } else {
                        Idx.readLabels(p);
                    }
                });
        assertEquals(p, e.file());
        assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "expected '" + f + "' in: " + e.getMessage());
        }
    }

    @Test
    void missingFileAndDirectory() {
        assertBad(dir.resolve("nope.gz"), true, "no such file");
        assertBad(dir, false, "not a readable regular file");
    }

    @Test
    void wrongMagic() throws IOException {
        byte[] labels = idx(Idx.LABELS_MAGIC, new int[] {2}, new byte[] {1, 2});
        assertBad(file("labels", labels), true, "expected IDX magic 0x00000803", "found 0x00000801", "labels file");
        byte[] images = idx(Idx.IMAGES_MAGIC, new int[] {1, 1, 1}, new byte[] {1});
        assertBad(file("images.gz", gzip(images)), false, "expected IDX magic 0x00000801", "found 0x00000803");
        assertBad(file("text", "hello world".getBytes()), true, "expected IDX magic");
    }

    @Test
    void truncated() throws IOException {
        byte[] full = idx(Idx.IMAGES_MAGIC, new int[] {10, 4, 4}, new byte[160]);
        byte[] cut = Arrays.copyOf(full, full.length - 7);
        assertBad(file("cut", cut), true, "truncated", "153");
        assertBad(file("cut.gz", gzip(cut)), true, "truncated", "expected 160 data bytes", "found 153");
        // A gzip stream cut in the middle (no trailer) is truncated too.
        byte[] gz = gzip(full);
        assertBad(file("cutstream.gz", Arrays.copyOf(gz, gz.length - 10)), true, "truncated");
        assertBad(file("empty", new byte[0]), true, "truncated", "magic");
        assertBad(file("half-header", Arrays.copyOf(full, 9)), true, "truncated", "dimension 1");
    }

    @Test
    void trailingBytes() throws IOException {
        byte[] raw = idx(Idx.LABELS_MAGIC, new int[] {2}, new byte[] {1, 2, 3});
        assertBad(file("t", raw), false, "trailing");
        assertBad(file("t.gz", gzip(raw)), false, "trailing");
    }

    @Test
    void headerSizesExceedingTheFileAllocateNothing() throws IOException {
        // 1e9 pixels would be a 4 GB float array: must be refused from the file length alone.
        byte[] big = idx(Idx.IMAGES_MAGIC, new int[] {1_000_000, 100, 10}, new byte[16]);
        assertBad(file("big", big), true, "1000000x100x10", "truncated");
        assertBad(file("big.gz", gzip(big)), true, "more than a", "gzip file can hold");
        byte[] bigLabels = idx(Idx.LABELS_MAGIC, new int[] {Integer.MAX_VALUE - 100}, new byte[4]);
        assertBad(file("biglabels.gz", gzip(bigLabels)), false, "gzip file can hold");
    }

    @Test
    void plausibleGzipLieFailsAsTruncatedWithoutAllocatingTheClaim() throws IOException {
        // 2.2 MB of incompressible bytes: DEFLATE could in principle expand this to 2.27e9 bytes, so a header
        // claiming 2.147e9 pixels passes the ratio bound. Allocating that claim (8.6 GB of floats) would
        // exceed the test JVM's heap; streaming must instead find the data missing.
        byte[] payload = randomBytes(new SplittableRandom(SEED + 2), 2_200_000);
        byte[] lie = idx(Idx.IMAGES_MAGIC, new int[] {2_147_483, 1000, 1}, payload);
        assertBad(file("lie.gz", gzip(lie)), true, "truncated", "expected 2147483000 data bytes", "found 2200000");
    }

    @Test
    void overflowingDimensions() throws IOException {
        int max = Integer.MAX_VALUE;
        byte[] huge = idx(Idx.IMAGES_MAGIC, new int[] {max, max, max}, new byte[0]);
        assertBad(file("huge", huge), true, "largest array");
        assertBad(file("huge.gz", gzip(huge)), true, "largest array");
        // 65536^2 wraps to 0 in 32-bit arithmetic: must not pass as an empty file.
        byte[] wrap = idx(Idx.IMAGES_MAGIC, new int[] {1, 65536, 65536}, new byte[0]);
        assertBad(file("wrap", wrap), true, "largest array");
        byte[] negative = idx(Idx.IMAGES_MAGIC, new int[] {1, -28, 28}, new byte[0]);
        assertBad(file("neg", negative), true, "negative");
    }

    @Test
    void corruptGzip() throws IOException {
        byte[] gz = gzip(idx(Idx.LABELS_MAGIC, new int[] {100}, new byte[100]));
        for (int i = 10; i < gz.length - 8; i++) {
            gz[i] = (byte) 0xff;
        }
        assertBad(file("corrupt.gz", gz), false);
        assertBad(file("magic-only.gz", new byte[] {0x1f, (byte) 0x8b}), false, "gzip");
    }
}
