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
import dev.lanes.autoencoder.io.Tensor;
import dev.lanes.autoencoder.model.Model;
import dev.lanes.autoencoder.model.Stacked;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of model file {@code lanes train} writes (a one-layer autoencoder, rank-ordered, stacked with and
 * without a classifier) goes through {@code eval}, {@code encode} and {@code info}; the stacked options are
 * checked; broken model files of each kind exit with 2.
 */
class ModelKindsCliTest {

    @TempDir
    static Path dir;

    static Path idx;

    @BeforeAll
    static void data() throws IOException {
        idx = dir.resolve("idx");
        LanesCliTest.IdxFiles.images(idx, "train", 120, 6, 6);
        LanesCliTest.IdxFiles.labels(idx, "train", 120);
        LanesCliTest.IdxFiles.images(idx, "t10k", 40, 6, 6);
        LanesCliTest.IdxFiles.labels(idx, "t10k", 40);
    }

    private static LanesCliTest.Run ok(String... args) {
        LanesCliTest.Run r = LanesCliTest.run(args);
        assertEquals(0, r.code(), () -> String.join(" ", args) + "\nout: " + r.out() + "\nerr: " + r.err());
        return r;
    }

    private static void userError(String expected, String... args) {
        LanesCliTest.Run r = LanesCliTest.run(args);
        assertEquals(2, r.code(), () -> String.join(" ", args) + "\nout: " + r.out() + "\nerr: " + r.err());
        assertTrue(r.err().contains(expected), () -> "expected '" + expected + "' in: " + r.err());
        assertFalse(r.err().contains("\tat "), () -> "stack trace in: " + r.err());
    }

    /** Trains, then checks eval, encode (codes equal to the loaded model's) and info on the result. */
    private static JsonNode roundTrip(String name, String data, int codes, String... trainArgs) throws IOException {
        Path out = dir.resolve(name);
        String[] args = new String[trainArgs.length + 4];
        System.arraycopy(trainArgs, 0, args, 0, trainArgs.length);
        System.arraycopy(new String[] {"--threads", "1", "--out", out.toString()}, 0, args, trainArgs.length, 4);
        ok(args);
        Path file = out.resolve("model.safetensors");
        for (String f : List.of("summary.json", "metrics.jsonl", "reconstructions.png", "loss.png")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), name + ": " + f);
        }

        JsonNode eval = Json.mapper().readTree(ok("eval", "--model-file", file.toString(), "--data", data,
                "--samples", "300").out());
        assertTrue(eval.path("metrics").path("fvu").isNumber(), eval::toString);
        assertTrue(eval.path("metrics").path("mse").asDouble() >= 0, eval::toString);

        Path npy = dir.resolve(name + "-codes.npy");
        ok("encode", "--model-file", file.toString(), "--data", data, "--samples", "300", "--out", npy.toString());
        Npy.Matrix m = Npy.read(npy);
        assertEquals(codes, m.cols(), name);
        Model model = ModelFiles.loadAny(file);
        DataSource src = DataSource.load(data, 300);
        int n = src.test().n();
        assertEquals(n, m.rows(), name);
        float[] expected = new float[n * codes];
        model.encode(n, src.test().features().clone(), expected);
        assertArrayEquals(expected, m.toDataset("codes").features(), name + ": codes of the loaded model");

        String info = ok("info", file.toString()).out();
        assertTrue(info.contains(ModelFiles.CONFIG_KEY), info);
        return eval;
    }

    @Test
    void autoencoder() throws IOException {
        roundTrip("ae", "synthetic", 16, "train", "--model", "ae", "--hidden", "16", "--data", "synthetic",
                "--samples", "256", "--steps", "4", "--batch", "64");
    }

    @Test
    void rankOrdered() throws IOException {
        JsonNode eval = roundTrip("ro", "synthetic", 12, "train", "--model", "rank-ordered", "--hidden", "12",
                "--ranks", "5", "--data", "synthetic", "--samples", "256", "--steps", "4", "--batch", "64");
        assertTrue(eval.path("metrics").has("mmcs"), eval::toString);
        ModelFiles.RankOrderedConfig cfg = Json.mapper().readValue(Safetensors.read(dir.resolve("ro")
                .resolve("model.safetensors")).metadata().get(ModelFiles.CONFIG_KEY), ModelFiles.RankOrderedConfig.class);
        assertEquals(5, cfg.ranks());
        assertEquals(12, cfg.hidden());
    }

    @Test
    void stackedLabelled() throws IOException {
        JsonNode eval = roundTrip("st", idx.toString(), 6, "train", "--model", "stacked", "--hidden", "10,8,6",
                "--noise", "masking:0.25", "--data", idx.toString(), "--epochs", "2", "--finetune-epochs", "3",
                "--batch", "32");
        double acc = eval.path("accuracy").asDouble(-1);
        assertTrue(acc >= 0 && acc <= 1, eval::toString);
        Path out = dir.resolve("st");
        assertTrue(Files.isRegularFile(out.resolve("filters.png")));
        JsonNode summary = Json.mapper().readTree(out.resolve("summary.json").toFile());
        assertEquals("classification", summary.path("training").path("fine_tuning").asText());
        assertEquals(acc, summary.path("accuracy").path("test").asDouble(), 0.0, "eval and summary agree on the test split");
        assertEquals(10, summary.path("model").path("classes").asInt());
        List<JsonNode> lines = JsonLines.read(out.resolve("metrics.jsonl"));
        // 3 layers x 2 pretraining epochs, 3 fine-tuning epochs, 3 layer lines
        assertEquals(12, lines.size(), lines::toString);
        assertEquals("pretrain layer 0", lines.get(0).path("phase").asText());
        assertTrue(lines.get(8).path("eval").path("accuracy").isNumber(), lines.get(8)::toString);
        assertEquals("layer", lines.get(11).path("type").asText());
        Stacked st = ModelFiles.loadStacked(out.resolve("model.safetensors"));
        assertEquals(3, st.depth());
    }

    @Test
    void stackedWithoutPretrainingOnUnlabelledData() throws IOException {
        roundTrip("st-np", "synthetic", 8, "train", "--model", "stacked", "--hidden", "16,8", "--no-pretrain",
                "--data", "synthetic", "--samples", "200", "--epochs", "2", "--batch", "50");
        Path out = dir.resolve("st-np");
        JsonNode summary = Json.mapper().readTree(out.resolve("summary.json").toFile());
        assertEquals("reconstruction", summary.path("training").path("fine_tuning").asText());
        assertEquals(0, summary.path("training").path("pretrain_epochs_per_layer").asInt());
        assertFalse(summary.has("accuracy"));
        assertEquals(2, JsonLines.read(out.resolve("metrics.jsonl")).size());
    }

    @Test
    void stackedOptionsAreChecked() {
        String out = dir.resolve("bad").toString();
        userError("--k does not apply to --model stacked", "train", "--model", "stacked", "--hidden", "8,4", "--k", "2",
                "--data", "synthetic", "--out", out);
        userError("--steps does not apply to --model stacked", "train", "--model", "stacked", "--hidden", "8,4",
                "--steps", "3", "--data", "synthetic", "--out", out);
        userError("masking:P only", "train", "--model", "stacked", "--hidden", "8,4", "--noise", "gaussian:0.1",
                "--data", "synthetic", "--out", out);
        userError("--no-pretrain applies to --model stacked only", "train", "--model", "ae", "--hidden", "8",
                "--no-pretrain", "--data", "synthetic", "--out", out);
        userError("exclude each other", "train", "--model", "stacked", "--hidden", "8", "--no-pretrain",
                "--pretrain-epochs", "2", "--data", "synthetic", "--out", out);
        userError("takes one width", "train", "--model", "ae", "--hidden", "8,4", "--data", "synthetic", "--out", out);
        userError("expected widths >= 1", "train", "--model", "stacked", "--hidden", "8,0", "--data", "synthetic",
                "--out", out);
        userError("cannot be resumed", "train", "--resume", dir.resolve("nothing-here").toString());
    }

    @Test
    void brokenModelFilesOfEveryKindExitTwo() throws IOException {
        Path bad = dir.resolve("broken");
        Files.createDirectories(bad);
        // a rank-ordered file as older versions wrote it: no config in the metadata
        Path noConfig = bad.resolve("ro-no-config.safetensors");
        LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("encoder.weight", Tensor.of(new float[4 * 8], 4, 8));
        Safetensors.write(noConfig, tensors,
                new LinkedHashMap<>(Map.of("format", ModelFiles.FORMAT, "model", ModelFiles.RANK_ORDERED)));
        userError("no 'lanes.config' entry", "eval", "--model-file", noConfig.toString(), "--data", "synthetic");
        // a stacked file whose tensors do not match its config
        Path wrongShape = bad.resolve("stacked-wrong.safetensors");
        Safetensors.write(wrongShape, tensors, new LinkedHashMap<>(Map.of("format", ModelFiles.FORMAT, "model", ModelFiles.STACKED,
                ModelFiles.CONFIG_KEY, "{\"inputs\":8,\"hidden\":[4],\"activation\":\"RELU\",\"inputReconstruction\":"
                        + "\"LINEAR\",\"codeReconstruction\":\"LINEAR\",\"masking\":0.25,\"classes\":0,\"init\":\"HE\","
                        + "\"seed\":1}")));
        userError("layers.0.encoder.weight", "encode", "--model-file", wrongShape.toString(), "--data", "synthetic",
                "--out", bad.resolve("c.npy").toString());
        // a truncated stacked model
        Path trained = dir.resolve("st-trunc");
        ok("train", "--model", "stacked", "--hidden", "6,4", "--data", "synthetic", "--samples", "64", "--epochs", "1",
                "--batch", "32", "--threads", "1", "--out", trained.toString());
        byte[] all = Files.readAllBytes(trained.resolve("model.safetensors"));
        Path cut = bad.resolve("cut.safetensors");
        Files.write(cut, java.util.Arrays.copyOf(all, all.length - 10));
        LanesCliTest.Run r = LanesCliTest.run("eval", "--model-file", cut.toString(), "--data", "synthetic");
        assertEquals(2, r.code(), r::err);
        assertTrue(r.err().contains(cut.toString()), r::err);
        userError("samples have 36 features", "eval", "--model-file", trained.resolve("model.safetensors").toString(), "--data",
                idx.toString());
    }
}
