package dev.lanes.autoencoder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lanes.autoencoder.data.Dataset;
import dev.lanes.autoencoder.io.Json;
import dev.lanes.autoencoder.io.JsonLines;
import dev.lanes.autoencoder.io.Safetensors;
import dev.lanes.autoencoder.train.Checkpoint;
import dev.lanes.autoencoder.train.TrainingRun;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lanes train}'s run options: resume, validation, metrics lines, checkpoints, the NaN guard, rank-ordered. */
class TrainCommandTest {

    @TempDir
    Path dir;

    private static final String[] COMMON = {"--data", "synthetic", "--samples", "512", "--validation", "0.25",
        "--batch", "64", "--seed", "11", "--threads", "1"};

    private static String[] args(String... more) {
        List<String> a = new ArrayList<>(List.of("train", "--model", "dae", "--hidden", "24"));
        a.addAll(List.of(COMMON));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    private static LanesCliTest.Run ok(String... args) {
        LanesCliTest.Run r = LanesCliTest.run(args);
        assertEquals(0, r.code(), String.join(" ", args) + "\n" + r.err());
        return r;
    }

    @Test
    void resumeContinuesExactlyAsOneUninterruptedRun() throws IOException {
        // 384 training rows after the split: 6 steps per epoch; 18 steps, then resumed to 36
        Path straight = dir.resolve("straight");
        ok(args("--steps", "36", "--log-every", "4", "--out", straight.toString()));
        Path parts = dir.resolve("parts");
        ok(args("--steps", "18", "--log-every", "4", "--out", parts.toString()));
        LanesCliTest.Run resumed = ok("train", "--resume", parts.toString(), "--steps", "36");
        assertTrue(resumed.out().contains("resumed at step 18"), resumed.out());

        Safetensors.Contents a = Safetensors.read(straight.resolve("model.safetensors"));
        Safetensors.Contents b = Safetensors.read(parts.resolve("model.safetensors"));
        assertEquals(a.tensors(), b.tensors(), "bitwise the same weights");
        Checkpoint ca = Checkpoint.read(straight.resolve(Checkpoint.FILE));
        Checkpoint cb = Checkpoint.read(parts.resolve(Checkpoint.FILE));
        assertEquals(36, cb.step());
        assertEquals(java.util.Arrays.toString(ca.m()), java.util.Arrays.toString(cb.m()), "the same moments");

        List<String> la = lossLines(straight);
        List<String> lb = lossLines(parts);
        assertEquals(la, lb, "the same metrics lines (type, step, loss) with one checkpoint in between");
        assertEquals(9 + 6, la.size(), "9 step lines (every 4 of 36) and 6 epoch lines");
    }

    @Test
    void resumeAfterACrashDropsTheMetricsLinesWrittenAfterTheCheckpoint() throws IOException {
        Path straight = dir.resolve("straight");
        ok(args("--steps", "24", "--log-every", "4", "--out", straight.toString()));
        Path crashed = dir.resolve("crashed");
        ok(args("--steps", "12", "--log-every", "4", "--out", crashed.toString()));
        byte[] at12 = java.nio.file.Files.readAllBytes(crashed.resolve(Checkpoint.FILE));
        ok("train", "--resume", crashed.toString(), "--steps", "24");
        // a process killed after writing the lines of steps 13..24 but before its next checkpoint leaves this:
        java.nio.file.Files.write(crashed.resolve(Checkpoint.FILE), at12);
        ok("train", "--resume", crashed.toString(), "--steps", "24");
        assertEquals(lossLines(straight), lossLines(crashed), "each line once, as in the uninterrupted run");
        assertEquals(Safetensors.read(straight.resolve("model.safetensors")).tensors(),
                Safetensors.read(crashed.resolve("model.safetensors")).tensors());
    }

    private static List<String> lossLines(Path run) throws IOException {
        List<String> out = new ArrayList<>();
        for (JsonNode l : JsonLines.read(run.resolve("metrics.jsonl"))) {
            out.add(l.get("type").asText() + " " + l.get("step").asLong() + " " + l.get("loss").asDouble());
        }
        return out;
    }

    @Test
    void metricsLinesEveryNStepsParseAndEpochsReportTheValidationSplit() throws IOException {
        Path run = dir.resolve("log");
        ok(args("--steps", "14", "--log-every", "5", "--optimizer", "adamw", "--schedule", "cosine:3", "--clip", "1",
                "--out", run.toString()));
        List<JsonNode> lines = JsonLines.read(run.resolve("metrics.jsonl"));
        List<Long> steps = new ArrayList<>();
        for (JsonNode l : lines) {
            if (l.get("type").asText().equals("step")) {
                steps.add(l.get("step").asLong());
                assertTrue(Double.isFinite(l.get("loss").asDouble()) && l.get("lr").asDouble() > 0
                        && l.get("samples_per_s").asDouble() > 0, l.toString());
            } else {
                assertEquals("epoch", l.get("type").asText());
                JsonNode ev = l.get("eval");
                assertEquals("validation", ev.get("set").asText());
                assertEquals(128, ev.get("samples").asInt(), "every validation row, each epoch");
            }
        }
        assertEquals(List.of(5L, 10L), steps);
        JsonNode summary = Json.read(run.resolve("summary.json"));
        assertEquals(384, summary.get("data").get("train_samples").asInt());
        assertEquals(128, summary.get("data").get("validation_samples").asInt());
        assertEquals(128, summary.get("metrics").get("validation").get("samples").asInt());
        assertEquals("cosine:3", summary.get("settings").get("schedule").asText());
        assertEquals(0.01, summary.get("settings").get("weightDecay").asDouble(), 1e-9, "adamw's default decay");
    }

    @Test
    void validationSplitIsDisjointAndSeeded() {
        int n = 1000;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i; // each row's value is its index
        }
        Dataset all = Dataset.of("rows", n, 1, x);
        Validation v = Validation.parse("0.1");
        Dataset[] first = v.split(all, 42);
        Dataset[] again = v.split(all, 42);
        Dataset[] other = v.split(all, 43);
        assertEquals(900, first[0].n());
        assertEquals(100, first[1].n());
        Set<Float> seen = new HashSet<>();
        for (Dataset part : first) {
            for (float f : part.features()) {
                assertTrue(seen.add(f), "row " + f + " in both parts");
            }
        }
        assertEquals(n, seen.size(), "every row in one part");
        assertEquals(java.util.Arrays.toString(first[1].features()), java.util.Arrays.toString(again[1].features()),
                "same seed, same split");
        assertNotEquals(java.util.Arrays.toString(first[1].features()), java.util.Arrays.toString(other[1].features()),
                "another seed, another split");
        assertEquals(250, Validation.parse("250").count(n));
    }

    @Test
    void divergenceExitsWith2NamesTheStepAndKeepsTheLastGoodCheckpoint() throws IOException {
        Path run = dir.resolve("nan");
        LanesCliTest.Run r = LanesCliTest.run(args("--steps", "30", "--optimizer", "sgd", "--lr", "1e30",
                "--checkpoint-every", "1", "--out", run.toString()));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("training diverged at step "), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        long step = Long.parseLong(r.err().replaceAll("(?s).*diverged at step (\\d+).*", "$1"));
        assertTrue(r.err().contains("last good checkpoint") && r.err().contains("before step " + step), r.err());
        Checkpoint c = Checkpoint.read(run.resolve(Checkpoint.FILE));
        assertEquals(step, c.step(), "the checkpoint is the state before the step that diverged");
        for (float p : c.params()) {
            assertTrue(Float.isFinite(p));
        }
    }

    @Test
    void rankOrderedTrainsFromTheCli() throws IOException {
        Path run = dir.resolve("ro");
        LanesCliTest.Run r = ok("train", "--model", "rank-ordered", "--hidden", "16", "--ranks", "6", "--surrogate", "0.001",
                "--data", "synthetic", "--samples", "256", "--steps", "8", "--batch", "32", "--out", run.toString());
        assertTrue(r.out().contains("rank-ordered 128-16-128"), r.out());
        Safetensors.Contents st = Safetensors.read(run.resolve("model.safetensors"));
        st.tensor("encoder.weight", 16, 128);
        st.tensor("decoder.bias", 128);
        assertEquals("rank-ordered", st.metadata().get("model"));
        JsonNode m = Json.read(run.resolve("summary.json")).get("metrics").get("train");
        assertTrue(m.get("mmcs").asDouble() > 0, m.toString());
    }

    @Test
    void plainProgressLinesWhenNotATerminal() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress p = new Progress(false, 0, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        for (long s = 1; s <= 3; s++) {
            p.update(new TrainingRun.StepInfo(s, 3, 1, 1, 0.5f, 1000, 75));
        }
        p.clear();
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(List.of("epoch 1/1 step 1/3 loss 0.50000 1000 samples/s ETA 1m15s",
                "epoch 1/1 step 2/3 loss 0.50000 1000 samples/s ETA 1m15s"), text.lines().toList());
        assertFalse(text.contains("\r") || text.contains("\033"), "no terminal control characters");
    }

    @Test
    void badRunOptions() {
        String out = dir.resolve("bad").toString();
        userError("--hidden", "train", "--model", "topk", "--hidden", "16,8", "--data", "synthetic", "--out", out);
        userError("--validation", args("--validation", "1.5", "--out", out));
        userError("--validation", args("--validation", "512", "--out", out));
        userError("--schedule", args("--schedule", "cosine:soon", "--out", out));
        userError("--schedule", args("--schedule", "cosine:100", "--steps", "50", "--out", out));
        userError("--log-every", args("--log-every", "0", "--out", out));
        userError("--checkpoint-every", args("--checkpoint-every", "-3", "--out", out));
        userError("--momentum", args("--momentum", "0.5", "--out", out));
        userError("--nesterov", args("--optimizer", "sgd", "--momentum", "0", "--nesterov", "--out", out));
        userError("--clip", args("--clip", "-1", "--out", out));
        userError("--ranks", args("--ranks", "3", "--out", out));
        userError("--ranks", "train", "--model", "rank-ordered", "--hidden", "8", "--ranks", "9", "--data", "synthetic",
                "--out", out);
        userError("--resume", "train", "--resume", dir.resolve("nowhere").toString());
        userError("--model", "train", "--hidden", "8", "--data", "synthetic", "--out", out);
    }

    @Test
    void resumeRefusesOptionsThatWouldChangeTheRun() {
        Path run = dir.resolve("short");
        ok(args("--steps", "2", "--out", run.toString()));
        userError("--lr", "train", "--resume", run.toString(), "--lr", "0.1");
        userError("--model", "train", "--resume", run.toString(), "--model", "ae");
        userError("step 2", "train", "--resume", run.toString(), "--steps", "1");
    }

    private static void userError(String mustName, String... args) {
        BadInputTest.userError(mustName, args);
    }
}
