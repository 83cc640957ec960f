package dev.lanes.autoencoder.data;

import dev.lanes.autoencoder.io.FileFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NpyTest {
    private static final long SEED = 0x4E_5059L;

    @TempDir
    Path dir;

    /** A .npy file as numpy would write it, with the given version and header dict. */
    static byte[] npy(int major, String dict, float[] data) {
        int prefix = major == 1 ? 10 : 12;
        int unpadded = prefix + dict.length() + 1;
        String text = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(prefix + t.length + 4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        if (major == 1) {
            b.putShort((short) t.length);
        } else {
            b.putInt(t.length);
        }
        b.put(t);
        for (float v : data) {
            b.putFloat(v);
        }
        return b.array();
    }

    private Path file(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private static void assertBitwise(float[] expected, float[] actual, String ctx) {
        assertEquals(expected.length, actual.length, ctx);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]), ctx + " i=" + i);
        }
    }

    @Test
    void roundTripIsBitwise() throws IOException {
        SplittableRandom rng = new SplittableRandom(SEED);
        for (int[] shape : new int[][] {{0, 5}, {1, 1}, {3, 7}, {17, 33}, {5, 0}}) {
            float[] data = new float[shape[0] * shape[1]];
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) (rng.nextGaussian() * 100);
            }
            if (data.length > 4) {
                data[0] = -0f;
                data[1] = Float.NaN;
                data[2] = Float.MIN_VALUE;
                data[3] = Float.NEGATIVE_INFINITY;
            }
            Path p = dir.resolve("a.npy");
            Npy.write(p, shape[0], shape[1], data);
            assertEquals(0, Npy.readHeader(p).dataOffset() % 64, "numpy aligns the data to 64 bytes");
            Npy.Matrix m = Npy.read(p);
            String ctx = "seed=" + SEED + " shape=" + Arrays.toString(shape);
            assertEquals(shape[0], m.rows(), ctx);
            assertEquals(shape[1], m.cols(), ctx);
            assertBitwise(data, m.data(), ctx);
        }
    }

    @Test
    void writerHeaderIsWhatNumpyWrites() throws IOException {
        Path p = dir.resolve("h.npy");
        Npy.write(p, 2, 3, new float[6]);
        byte[] b = Files.readAllBytes(p);
        String header = new String(b, 10, 118, StandardCharsets.ISO_8859_1);
        assertEquals("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", header.strip());
        assertEquals(128 + 24, b.length);
        assertEquals(128, Npy.readHeader(p).dataOffset());
    }

    @Test
    void readsVersions2And3AndOneDimensional() throws IOException {
        float[] data = {1, 2, 3, 4, 5, 6};
        Npy.Matrix v2 = Npy.read(file("v2.npy", npy(2, "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }", data)));
        assertEquals(3, v2.rows());
        assertArrayEquals(data, v2.data());
        Npy.Matrix v3 = Npy.read(file("v3.npy", npy(3, "{\"shape\": (6,), \"fortran_order\": False, \"descr\": \"<f4\"}", data)));
        assertEquals(1, v3.rows());
        assertEquals(6, v3.cols());
        assertArrayEquals(data, v3.data());
        assertEquals(6, v3.toDataset("x").d());
    }

    private void assertBad(Path p, String... fragments) {
        FileFormatException e = assertThrows(FileFormatException.class, () -> Npy.read(p));
        assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "expected '" + f + "' in: " + e.getMessage());
        }
    }

    @Test
    void badFiles() throws IOException {
        float[] six = new float[6];
        String ok = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
        assertBad(dir.resolve("missing.npy"), "no such file");
        assertBad(file("empty.npy", new byte[0]), "truncated");
        assertBad(file("magic.npy", "PK\3\4 not a numpy file at all".getBytes()), "magic");
        byte[] v9 = npy(1, ok, six);
        v9[6] = 9;
        assertBad(file("v9.npy", v9), "version 9.0");
        assertBad(file("fortran.npy", npy(1, ok.replace("False", "True"), six)), "fortran_order=True", "C order");
        assertBad(file("f8.npy", npy(1, ok.replace("<f4", "<f8"), six)), "dtype <f8", "'<f4'");
        assertBad(file("be.npy", npy(1, ok.replace("<f4", ">f4"), six)), "dtype >f4");
        assertBad(file("trunc.npy", Arrays.copyOf(npy(1, ok, six), 128 + 20)), "needs 24", "has 20", "truncated");
        assertBad(file("trail.npy", npy(1, ok, new float[7])), "trailing");
        assertBad(file("rank3.npy", npy(1, ok.replace("(2, 3)", "(1, 2, 3)"), six)), "rank 3");
        assertBad(file("rank0.npy", npy(1, ok.replace("(2, 3)", "()"), new float[1])), "rank 0");
        assertBad(file("notuple.npy", npy(1, ok.replace("(2, 3)", "(6)"), six)), "not a tuple");
        assertBad(file("huge.npy", npy(1, ok.replace("(2, 3)", "(4294967296, 4294967296)"), six)), "largest array");
        assertBad(file("neg.npy", npy(1, ok.replace("(2, 3)", "(-2, 3)"), six)), "non-negative integer");
        assertBad(file("extra.npy", npy(1, ok.replace("}", "'x': 1, }"), six)), "malformed header");
        assertBad(file("extrakey.npy", npy(1, ok.replace("}", "'x': False, }"), six)), "expected exactly");
        assertBad(file("missingkey.npy", npy(1, "{'descr': '<f4', 'shape': (2, 3), }", six)), "expected exactly");
        assertBad(file("dup.npy", npy(1, "{'descr': '<f4', 'descr': '<f4', 'shape': (2, 3), }", six)), "duplicate key");
        assertBad(file("garbage.npy", npy(1, ok + " junk", six)), "unexpected text");
        byte[] longHeader = npy(1, ok, six);
        ByteBuffer.wrap(longHeader).order(ByteOrder.LITTLE_ENDIAN).putShort(8, (short) 60000);
        assertBad(file("longheader.npy", longHeader), "header length 60000 exceeds the file");
        byte[] v2 = npy(2, ok, six);
        ByteBuffer.wrap(v2).order(ByteOrder.LITTLE_ENDIAN).putInt(8, Integer.MAX_VALUE);
        assertBad(file("v2long.npy", v2), "exceeds the limit");
        byte[] noNewline = npy(1, ok, six);
        noNewline[127] = ' ';
        assertBad(file("nonl.npy", noNewline), "newline");
    }

    @Test
    void failedWriteLeavesOldFileAndNoTemporary() throws IOException {
        Path p = dir.resolve("keep.npy");
        Npy.write(p, 1, 2, new float[] {1, 2});
        byte[] before = Files.readAllBytes(p);
        assertThrows(IllegalArgumentException.class, () -> Npy.write(p, 2, 2, new float[] {1, 2}));
        Path blocker = dir.resolve("dir.npy");
        Files.createDirectories(blocker.resolve("child"));
        assertThrows(IOException.class, () -> Npy.write(blocker, 1, 1, new float[] {1}));
        assertArrayEquals(before, Files.readAllBytes(p));
        try (var s = Files.list(dir)) {
            assertEquals(java.util.List.of("dir.npy", "keep.npy"), s.map(x -> x.getFileName().toString()).sorted().toList());
        }
    }
}
