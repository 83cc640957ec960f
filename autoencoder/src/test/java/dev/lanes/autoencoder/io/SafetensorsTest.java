package dev.lanes.autoencoder.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafetensorsTest {
    private static final long SEED = 0x5AFE_7E45L;

    @TempDir
    Path dir;

    private static float[] random(SplittableRandom rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = Float.intBitsToFloat(rng.nextInt());
        }
        return a;
    }

    @Test
    void roundTripIsBitwiseAndKeepsOrderAndMetadata() throws IOException {
        SplittableRandom rng = new SplittableRandom(SEED);
        LinkedHashMap<String, Tensor> t = new LinkedHashMap<>();
        // Random bit patterns include NaNs with payloads, subnormals, infinities and -0.
        t.put("encoder.weight", Tensor.of(random(rng, 12 * 7), 12, 7));
        t.put("encoder.bias", Tensor.of(random(rng, 12), 12));
        t.put("decoder.weight", Tensor.of(random(rng, 7 * 12), 7, 12));
        t.put("decoder.bias", Tensor.of(random(rng, 7), 7));
        t.put("empty", Tensor.of(new float[0], 0, 3));
        t.put("scalar", Tensor.of(new float[] {-0f}));
        Map<String, String> meta = Map.of("format", "pt", "model", "{\"name\":\"topk\",\"k\":5}");
        Path p = dir.resolve("model.safetensors");
        Safetensors.write(p, t, meta);
        Safetensors.Contents c = Safetensors.read(p);
        assertEquals(List.copyOf(t.keySet()), List.copyOf(c.tensors().keySet()));
        for (String name : t.keySet()) {
            assertEquals(t.get(name), c.tensor(name), "seed=" + SEED + " tensor " + name);
        }
        assertEquals(meta, c.metadata());
        assertArrayEquals(new int[] {12, 7}, c.tensor("encoder.weight").shape());
        FileFormatException missing = assertThrows(FileFormatException.class, () -> c.tensor("nope"));
        assertTrue(missing.getMessage().startsWith(p + ": no tensor 'nope'"), missing.getMessage());
        assertEquals(t.get("decoder.bias"), c.tensor("decoder.bias", 7));
        FileFormatException shape = assertThrows(FileFormatException.class, () -> c.tensor("encoder.weight", 7, 12));
        assertTrue(shape.getMessage().contains("has shape [12, 7], expected [7, 12]"), shape.getMessage());

        byte[] b = Files.readAllBytes(p);
        long n = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8, "data section aligned to 8 bytes");
        String header = new String(b, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"__metadata__\":"), header);
        assertTrue(header.contains("\"encoder.weight\":{\"dtype\":\"F32\",\"shape\":[12,7],\"data_offsets\":[0,336]}"), header);
        // Rewriting the same content gives the same bytes.
        Safetensors.write(p, t, new LinkedHashMap<>(meta));
        Safetensors.write(dir.resolve("again"), c.tensors(), c.metadata());
        assertEquals(Arrays.hashCode(b), Arrays.hashCode(Files.readAllBytes(p)));
    }

    @Test
    void noTensorsNoMetadata() throws IOException {
        Path p = dir.resolve("e.safetensors");
        Safetensors.write(p, new LinkedHashMap<>(), Map.of());
        Safetensors.Contents c = Safetensors.read(p);
        assertTrue(c.tensors().isEmpty());
        assertTrue(c.metadata().isEmpty());
    }

    /** A file with the given header text (padded to 8) followed by {@code dataBytes} zero bytes. */
    private Path raw(String name, String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        int padded = (h.length + 7) & ~7;
        ByteBuffer b = ByteBuffer.allocate(8 + padded + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(padded).put(h);
        for (int i = h.length; i < padded; i++) {
            b.put((byte) ' ');
        }
        Path p = dir.resolve(name);
        Files.write(p, b.array());
        return p;
    }

    private static void assertBad(Path p, String... fragments) {
        FileFormatException e = assertThrows(FileFormatException.class, () -> Safetensors.read(p));
        assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "expected '" + f + "' in: " + e.getMessage());
        }
    }

    private static String t(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    @Test
    void corruptHeaders() throws IOException {
        assertBad(dir.resolve("missing"), "no such file");
        Path tiny = dir.resolve("tiny");
        Files.write(tiny, new byte[] {1, 2, 3});
        assertBad(tiny, "truncated");

        Path longHeader = raw("long", "{" + t("a", "F32", "[2]", 0, 8) + "}", 8);
        byte[] b = Files.readAllBytes(longHeader);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
        Files.write(longHeader, b);
        assertBad(longHeader, "header length 1099511627776", "larger than");
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, -1L);
        Files.write(longHeader, b);
        assertBad(longHeader, "header length 18446744073709551615");

        assertBad(raw("notjson", "{\"a\": [1, 2", 0), "not well-formed JSON");
        assertBad(raw("notobject", "[1, 2, 3]", 0), "does not start with '{'");
        assertBad(raw("trailing", "{} {}", 0), "not well-formed JSON");
        assertBad(raw("dupkey", "{" + t("a", "F32", "[1]", 0, 4) + "," + t("a", "F32", "[1]", 4, 8) + "}", 8),
                "not well-formed JSON", "Duplicate");
        assertBad(raw("bf16", "{" + t("a", "BF16", "[2]", 0, 4) + "}", 4), "tensor 'a'", "dtype \"BF16\"", "only F32");
        assertBad(raw("f64", "{" + t("w", "F64", "[1]", 0, 8) + "}", 8), "only F32");
        assertBad(raw("outofrange", "{" + t("a", "F32", "[4]", 0, 16) + "}", 8), "outside the data section of 8 bytes");
        assertBad(raw("negative", "{" + t("a", "F32", "[1]", -4, 0) + "}", 4), "outside");
        assertBad(raw("mismatch", "{" + t("a", "F32", "[3]", 0, 8) + "}", 8), "needs 12");
        assertBad(raw("overlap", "{" + t("a", "F32", "[2]", 0, 8) + "," + t("b", "F32", "[2]", 4, 12) + "}", 12),
                "'a' [0, 8) and 'b' [4, 12) overlap");
        assertBad(raw("gap", "{" + t("a", "F32", "[1]", 0, 4) + "," + t("b", "F32", "[1]", 8, 12) + "}", 12), "gap");
        assertBad(raw("trailingdata", "{" + t("a", "F32", "[1]", 0, 4) + "}", 8), "trailing");
        assertBad(raw("badshape", "{" + t("a", "F32", "[-1]", 0, 4) + "}", 4), "non-negative");
        assertBad(raw("floatshape", "{" + t("a", "F32", "[1.5]", 0, 4) + "}", 4), "non-negative");
        assertBad(raw("hugeshape", "{" + t("a", "F32", "[65536,65536]", 0, 4) + "}", 4), "too large");
        assertBad(raw("extrakey", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":1}}", 4), "expected dtype");
        assertBad(raw("badmeta", "{\"__metadata__\":{\"k\":1}}", 0), "'k'", "expected a string");
        assertBad(raw("badoffsets", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", 4), "[begin, end]");
    }

    @Test
    void failedWriteKeepsTheOldFile() throws IOException {
        Path p = dir.resolve("m.safetensors");
        LinkedHashMap<String, Tensor> t = new LinkedHashMap<>();
        t.put("w", Tensor.of(new float[] {1, 2}, 2));
        Safetensors.write(p, t, Map.of());
        byte[] before = Files.readAllBytes(p);
        LinkedHashMap<String, Tensor> bad = new LinkedHashMap<>(t);
        bad.put("__metadata__", Tensor.of(new float[] {1}, 1));
        assertThrows(IllegalArgumentException.class, () -> Safetensors.write(p, bad, Map.of()));
        assertArrayEquals(before, Files.readAllBytes(p));
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count());
        }
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[3], 2, 2));
    }
}
