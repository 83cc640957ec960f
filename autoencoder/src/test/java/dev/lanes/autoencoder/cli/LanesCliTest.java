package dev.lanes.autoencoder.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lanes.autoencoder.data.Npy;
import dev.lanes.autoencoder.io.Json;
import dev.lanes.autoencoder.io.JsonLines;
import dev.lanes.autoencoder.io.Safetensors;
import dev.lanes.autoencoder.model.Autoencoder;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The {@code lanes} CLI end to end, on tiny data: train once, then eval, encode and info on its output. */
class LanesCliTest {

    /** What one run printed. */
    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        CommandLine cl = Lanes.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @TempDir
    static Path dir;

    static Path trained;
    static Run training;

    @BeforeAll
    static void train() {
        trained = dir.resolve("run");
        training = run("train", "--model", "topk", "--hidden", "32", "--k", "4", "--data", "synthetic",
                "--samples", "512", "--steps", "12", "--batch", "64", "--seed", "7", "--threads", "1",
                "--out", trained.toString());
    }

    @Test
    void trainWritesEveryFile() throws IOException {
        assertEquals(0, training.code(), training.err());
        assertTrue(training.out().contains("epoch 2/2  step 12"), training.out());

        Safetensors.Contents st = Safetensors.read(trained.resolve("model.safetensors"));
        assertEquals(List.of("encoder.weight", "encoder.bias", "decoder.weight", "decoder.bias"),
                List.copyOf(st.tensors().keySet()));
        st.tensor("encoder.weight", 32, 128);
        st.tensor("encoder.bias", 32);
        st.tensor("decoder.weight", 128, 32);
        st.tensor("decoder.bias", 128);
        assertEquals(4, ModelFiles.config(st).k());
        assertEquals("topk", st.metadata().get("model"));

        List<JsonNode> lines = JsonLines.read(trained.resolve("metrics.jsonl"));
        assertEquals(2, lines.size());
        for (int e = 0; e < 2; e++) {
            JsonNode l = lines.get(e);
            assertEquals(e + 1, l.get("epoch").asInt());
            assertEquals(8 * (e + 1) - (e == 1 ? 4 : 0), l.get("step").asInt()); // 8 steps per epoch, 12 in all
            assertTrue(Double.isFinite(l.get("loss").asDouble()) && l.get("samples_per_s").asDouble() > 0, l.toString());
            assertTrue(l.get("eval").get("mmcs").asDouble() > 0, l.toString());
        }

        JsonNode summary = Json.read(trained.resolve("summary.json"));
        assertEquals(32, summary.get("model").get("hidden").asInt());
        assertEquals(12, summary.get("training").get("steps").asInt());
        JsonNode m = summary.get("metrics").get("train");
        for (String key : List.of("mse", "fvu", "l0", "zero_fraction", "dead_latents", "mmcs", "matched")) {
            assertTrue(m.has(key), key + " missing in " + m);
        }
        assertTrue(m.get("l0").asDouble() <= 4.0, m.toString());

        BufferedImage loss = ImageIO.read(trained.resolve("loss.png").toFile());
        assertEquals(800, loss.getWidth());
        assertEquals(500, loss.getHeight());
        BufferedImage rec = ImageIO.read(trained.resolve("reconstructions.png").toFile());
        assertTrue(rec.getWidth() > rec.getHeight() && rec.getHeight() > 0);
        assertFalse(Files.exists(trained.resolve("filters.png")), "synthetic samples are not images");
    }

    @Test
    void evalPrintsTheMetricsAsJson() throws IOException {
        Run r = run("eval", "--model-file", trained.resolve("model.safetensors").toString(), "--data", "synthetic",
                "--samples", "512");
        assertEquals(0, r.code(), r.err());
        JsonNode m = Json.mapper().readTree(r.out()).get("metrics");
        assertEquals(512, m.get("samples").asInt());
        JsonNode train = Json.read(trained.resolve("summary.json")).get("metrics").get("train");
        assertEquals(train.get("mse").asDouble(), m.get("mse").asDouble(), 0.0, "same model, same data, same MSE");
        assertEquals(train.get("mmcs").asDouble(), m.get("mmcs").asDouble(), 0.0);
    }

    @Test
    void encodeWritesTheCodesOfTheLoadedModel() throws IOException {
        Path codes = dir.resolve("codes.npy");
        Run r = run("encode", "--model-file", trained.resolve("model.safetensors").toString(), "--data", "synthetic",
                "--samples", "100", "--out", codes.toString());
        assertEquals(0, r.code(), r.err());
        Npy.Matrix c = Npy.read(codes);
        assertEquals(100, c.rows());
        assertEquals(32, c.cols());
        Autoencoder model = ModelFiles.load(trained.resolve("model.safetensors"));
        float[] x = DataSource.load("synthetic", 100).train().features();
        float[] expected = new float[100 * 32];
        model.encode(100, x, expected);
        assertArrayEquals(expected, c.data());
    }

    @Test
    void infoDescribesEachKindOfFile() throws IOException {
        Run st = run("info", trained.resolve("model.safetensors").toString());
        assertEquals(0, st.code(), st.err());
        assertTrue(st.out().contains("encoder.weight") && st.out().contains("[32, 128]")
                && st.out().contains("lanes.config"), st.out());
        Path npy = dir.resolve("info.npy");
        Npy.write(npy, 3, 5, new float[15]);
        Run n = run("info", npy.toString());
        assertEquals(0, n.code(), n.err());
        assertTrue(n.out().contains("[3, 5]"), n.out());
        Path idx = IdxFiles.images(dir.resolve("info-idx"), "t10k", 6, 2, 3);
        Run i = run("info", idx.toString());
        assertEquals(0, i.code(), i.err());
        assertTrue(i.out().contains("images, 6 x 2 x 3"), i.out());
    }

    @Test
    void trainOnAnIdxDirectoryDrawsFiltersAndReportsTheTestSplit() throws IOException {
        Path data = dir.resolve("idx");
        IdxFiles.images(data, "train", 40, 4, 4);
        IdxFiles.labels(data, "train", 40);
        IdxFiles.images(data, "t10k", 12, 4, 4);
        IdxFiles.labels(data, "t10k", 12);
        Path out = dir.resolve("idx-run");
        Run r = run("train", "--model", "dae", "--hidden", "9", "--noise", "gaussian:0.1", "--data", data.toString(),
                "--epochs", "2", "--batch", "16", "--optimizer", "sgd", "--lr", "0.01", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(out.resolve("filters.png")));
        JsonNode metrics = Json.read(out.resolve("summary.json")).get("metrics");
        assertEquals(12, metrics.get("test").get("samples").asInt());
        assertEquals(40, metrics.get("train").get("samples").asInt());
        assertFalse(metrics.get("train").has("mmcs"));
        assertEquals("GAUSSIAN", Json.read(out.resolve("summary.json")).get("model").get("noise").asText());
        JsonNode probe = Json.read(out.resolve("summary.json")).get("linear_probe");
        assertEquals(40, probe.get("train_samples").asInt(), "labelled data: a linear probe on the codes");
        assertEquals(12, probe.get("test_samples").asInt());
        double acc = probe.get("test_accuracy").asDouble();
        assertTrue(acc >= 0 && acc <= 1, probe.toString());
    }

    /** Tiny IDX files, as the MNIST family stores them (raw, big-endian header). */
    static final class IdxFiles {
        static Path images(Path dir, String prefix, int n, int h, int w) throws IOException {
            Files.createDirectories(dir);
            ByteBuffer b = ByteBuffer.allocate(16 + n * h * w).putInt(0x803).putInt(n).putInt(h).putInt(w);
            for (int i = 0; i < n * h * w; i++) {
                b.put((byte) (i * 37 % 251));
            }
            Path f = dir.resolve(prefix + "-images-idx3-ubyte");
            Files.write(f, b.array());
            return f;
        }

        static Path labels(Path dir, String prefix, int n) throws IOException {
            Files.createDirectories(dir);
            ByteBuffer b = ByteBuffer.allocate(8 + n).putInt(0x801).putInt(n);
            for (int i = 0; i < n; i++) {
                b.put((byte) (i % 10));
            }
            Path f = dir.resolve(prefix + "-labels-idx1-ubyte");
            Files.write(f, b.array());
            return f;
        }
    }

    static byte[] prefix(Path file, int bytes) throws IOException {
        return Arrays.copyOf(Files.readAllBytes(file), bytes);
    }
}
