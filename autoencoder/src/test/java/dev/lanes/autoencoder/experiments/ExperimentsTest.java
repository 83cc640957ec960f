package dev.lanes.autoencoder.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lanes.autoencoder.io.Json;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Smoke tests of the four experiment mains on a small Fashion-MNIST look-alike (512 training images, one
 * epoch, small models): exit codes, and that every output file is complete and parseable.
 */
class ExperimentsTest {

    @TempDir
    static Path dir;

    static Path data;

    @BeforeAll
    static void data() throws IOException {
        data = FakeFashion.write(dir.resolve("fashion"), 600, 300, 0x5EED);
    }

    /** No temporary file of an atomic write may be left behind. */
    private static void noTemporaries(Path d) throws IOException {
        try (Stream<Path> files = Files.list(d)) {
            List<String> tmp = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList();
            assertTrue(tmp.isEmpty(), "temporaries left in " + d + ": " + tmp);
        }
    }

    private static void png(Path file) throws IOException {
        BufferedImage img = ImageIO.read(file.toFile());
        assertTrue(img != null && img.getWidth() > 100 && img.getHeight() > 50, file + " is not a picture");
    }

    private static void finite(JsonNode node, String what) {
        assertTrue(node != null && node.isNumber() && Double.isFinite(node.asDouble()), what + " = " + node);
    }

    @Test
    void fashionTableWritesTheMarkdownAndTheJson() throws IOException {
        Path out = dir.resolve("docs/models.md");
        int code = FashionTable.run("--data", data.toString(), "--rows", "512", "--epochs", "1", "--threads", "1",
                "--probe-rows", "512", "--hidden", "ae=64,dae=64,linear=8,sparse-l1=96,sparse-kl=96,topk=96,rank-ordered=16",
                "--out", out.toString());
        assertEquals(0, code);
        String md = Files.readString(out);
        assertTrue(md.contains("| model | sizes |"), md);
        JsonNode doc = Json.read(dir.resolve("docs/models.json"));
        JsonNode results = doc.get("results");
        assertEquals(FashionTable.MODELS.size(), results.size());
        for (int i = 0; i < results.size(); i++) {
            JsonNode r = results.get(i);
            String name = FashionTable.MODELS.get(i);
            assertEquals(name, r.get("model").asText());
            assertTrue(md.contains("| " + name + " | " + r.get("sizes").asText() + " |"), name + " row missing:\n" + md);
            for (String key : List.of("test_mse", "fvu", "l0", "zero_fraction", "probe_accuracy", "samples_per_s")) {
                finite(r.get(key), name + "." + key);
            }
            double acc = r.get("probe_accuracy").asDouble();
            assertTrue(acc >= 0 && acc <= 1, name + " probe accuracy " + acc);
        }
        assertEquals(512, doc.get("setup").get("train_samples").asInt());
        for (String key : List.of("date", "machine", "jdk", "command", "load_average")) {
            assertFalse(doc.get(key).asText().isEmpty(), key);
        }
        noTemporaries(out.getParent());
    }

    @Test
    void fashionTableRejectsBadOptionsWithExitCode2() {
        assertEquals(2, FashionTable.run("--data", data.toString(), "--models", "ae,nope", "--out", dir.resolve("x.md").toString()));
        assertEquals(2, FashionTable.run("--data", data.toString(), "--epochs", "0", "--out", dir.resolve("x.md").toString()));
        assertEquals(2, FashionTable.run("--data", dir.resolve("missing").toString(), "--out", dir.resolve("x.md").toString()));
        assertEquals(2, FashionTable.run("--data", data.toString(), "--models", "topk", "--hidden", "topk=8",
                "--out", dir.resolve("x.md").toString()), "k=32 > hidden=8");
        assertFalse(Files.exists(dir.resolve("x.md")));
    }

    @Test
    void rankOrderedCurveWritesThePlotAndTheNumbers() throws IOException {
        Path out = dir.resolve("curve");
        int hidden = 12;
        assertEquals(0, RankOrderedCurve.run("--data", data.toString(), "--rows", "512", "--patches", "2048",
                "--test-patches", "256", "--hidden", Integer.toString(hidden), "--epochs", "1", "--threads", "1",
                "--out", out.toString()));
        png(out.resolve("rank-ordered-curve.png"));
        List<String> csv = Files.readAllLines(out.resolve("rank-ordered-curve.csv"));
        assertEquals(hidden + 1, csv.size());
        assertEquals("units,rank_ordered_mse,plain_ae_mse,pca_mse", csv.get(0));
        JsonNode doc = Json.read(out.resolve("rank-ordered-curve.json"));
        for (String key : List.of("rank_ordered_mse", "plain_ae_mse")) {
            assertEquals(hidden, doc.get(key).size(), key);
            for (JsonNode v : doc.get(key)) {
                finite(v, key);
            }
        }
        assertEquals(hidden, doc.get("pca_mse").size());
        noTemporaries(out);
    }

    @Test
    void linearVsPcaWritesTheCosinesAndThePictures() throws IOException {
        Path out = dir.resolve("pca");
        assertEquals(0, LinearVsPca.run("--data", data.toString(), "--rows", "512", "--hidden", "4", "--epochs", "1",
                "--threads", "1", "--out", out.toString()));
        png(out.resolve("linear-vs-pca-r4-cosines.png"));
        png(out.resolve("linear-vs-pca-r4-filters.png"));
        JsonNode doc = Json.read(out.resolve("linear-vs-pca-r4.json"));
        assertEquals(4, doc.get("cosines").size());
        double mean = doc.get("mean_cosine").asDouble();
        assertTrue(mean >= 0 && mean <= 1, "mean cosine " + mean);
        assertEquals(5, Files.readAllLines(out.resolve("linear-vs-pca-r4.csv")).size());
        noTemporaries(out);
    }

    @Test
    void torchComparisonPrintsBothSidesAndTheRatios() throws IOException {
        // a stand-in for python + torch_sae.py that prints the script's result line
        Path fake = dir.resolve("fake_torch.sh");
        Files.writeString(fake, "echo 'torch 1.13.0a0 threads=1 model=ae 784-784-784 k=32 batch=256: 1000 samples/s, loss 0.0500'\n");
        Path json = dir.resolve("torch/comparison.json");
        PrintStream saved = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = TorchComparison.run("--data", data.toString(), "--models", "ae", "--steps", "3", "--jit-warmup", "2",
                    "--python", "/bin/sh", "--script", fake.toString(), "--json", json.toString());
        } finally {
            System.setOut(saved);
        }
        String text = printed.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        assertTrue(text.contains("model=ae 784-784-784 batch=256:"), text);
        JsonNode r = Json.read(json).get("results").get(0);
        finite(r.get("lanes").get("loss"), "lanes loss");
        finite(r.get("lanes").get("samplesPerSecond"), "lanes samples/s");
        assertEquals(1000, r.get("torch").get("samplesPerSecond").asDouble());
        assertEquals(r.get("lanes").get("loss").asDouble() / 0.05, r.get("loss_ratio").asDouble(), 1e-12);
        noTemporaries(json.getParent());
    }

    @Test
    void torchComparisonWithoutTorchPrintsLanesSideOnly() {
        assertEquals(0, TorchComparison.run("--data", data.toString(), "--models", "ae", "--steps", "2", "--jit-warmup", "0",
                "--no-torch"));
        assertEquals(2, TorchComparison.run("--data", data.toString(), "--models", "topk", "--no-torch"));
    }
}
