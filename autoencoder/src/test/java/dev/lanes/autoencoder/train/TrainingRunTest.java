package dev.lanes.autoencoder.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.autoencoder.model.Autoencoder;
import dev.lanes.autoencoder.model.Models;
import dev.lanes.autoencoder.nn.Corruption;
import dev.lanes.core.Fill;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The training loop: exact resume, checkpoints, metrics lines, the NaN guard. */
class TrainingRunTest {

    private static final long SEED = 0x5EED_2026L;
    private static final int ROWS = 50;
    private static final int D = 12;
    private static final int BATCH = 16; // 4 steps per epoch, the last one partial
    private static final long TOTAL = 30;

    @TempDir
    Path dir;

    private static float[] data() {
        float[] x = new float[ROWS * D];
        Fill.uniform(SEED, 0f, 1f, x, 0, x.length);
        return x;
    }

    /** TopK with AuxK on a short dead window (model state), masking noise (per-step noise), clipping. */
    private static Autoencoder model() {
        return Models.builder("topk").inputs(D).hidden(20).k(3).deadSteps(2).noise(Corruption.Kind.MASKING, 0.2f)
                .seed(SEED).build();
    }

    private static Trainer trainer(Autoencoder m, String optimizer) {
        Optimizer opt = switch (optimizer) {
            case "adam" -> Adam.defaults();
            case "adamw" -> Adam.adamW(0.01f);
            default -> new Sgd(0.9f, true, 1e-4f);
        };
        return new Trainer(m, opt, LearningRate.warmupCosine(1e-2f, 5, TOTAL, 1e-4f), BATCH, SEED, 0.5f);
    }

    @ParameterizedTest
    @ValueSource(strings = {"adam", "adamw", "sgd-nesterov"})
    void resumedRunEqualsUninterruptedRunBitwise(String optimizer) throws IOException {
        float[] x = data();
        Autoencoder straight = model();
        TrainingRun.Result full = TrainingRun.builder(trainer(straight, optimizer), x, ROWS).totalSteps(TOTAL).build().run();
        assertEquals(TOTAL, full.steps());

        Path ckpt = dir.resolve(Checkpoint.FILE);
        Autoencoder first = model();
        TrainingRun[] holder = new TrainingRun[1];
        holder[0] = TrainingRun.builder(trainer(first, optimizer), x, ROWS).totalSteps(TOTAL).checkpointFile(ckpt)
                .listener(new TrainingRun.Listener() {
                    @Override
                    public void stepDone(TrainingRun.StepInfo info) {
                        if (info.step() == TOTAL / 2) {
                            holder[0].requestStop();
                        }
                    }
                }).build();
        TrainingRun.Result half = holder[0].run();
        assertTrue(half.stopped());
        assertEquals(TOTAL / 2, half.steps());
        assertEquals(TOTAL / 2, holder[0].lastCheckpoint());

        Autoencoder resumed = model(); // a fresh process: new objects, state only from the file
        Checkpoint c = Checkpoint.read(ckpt);
        TrainingRun.Result rest = TrainingRun.builder(trainer(resumed, optimizer), x, ROWS).totalSteps(TOTAL).resume(c)
                .build().run();
        assertEquals(TOTAL, rest.steps());
        String where = "optimizer=" + optimizer + " seed=0x" + Long.toHexString(SEED);
        assertArrayEquals(straight.params().data(), resumed.params().data(), "weights, " + where);
        assertArrayEquals(straight.params().m(), resumed.params().m(), "first moments, " + where);
        assertArrayEquals(straight.params().v(), resumed.params().v(), "second moments, " + where);
        assertArrayEquals(straight.trainingState(), resumed.trainingState(), "dead-latent state, " + where);
        assertArrayEquals(full.losses(), rest.losses(), "loss history, " + where);
        assertEquals(full.lastEpochLoss(), rest.lastEpochLoss(), "last epoch's loss, " + where);
    }

    @Test
    void fitInTwoCallsEqualsFitInOne() {
        float[] x = data();
        Autoencoder a = model();
        trainer(a, "adam").fit(x, ROWS, TOTAL);
        Autoencoder b = model();
        Trainer t = trainer(b, "adam");
        t.fit(x, ROWS, 13);
        t.fit(x, ROWS, TOTAL - 13);
        assertArrayEquals(a.params().data(), b.params().data(), "seed=0x" + Long.toHexString(SEED));
    }

    @Test
    void everyEpochVisitsEveryRowOnce() {
        Batches b = new Batches(ROWS, BATCH, SEED);
        assertEquals(4, b.stepsPerEpoch());
        for (long epoch = 0; epoch < 3; epoch++) {
            boolean[] seen = new boolean[ROWS];
            int count = 0;
            for (long s = epoch * 4; s < epoch * 4 + 4; s++) {
                for (int r : b.rowsOf(s)) {
                    assertFalse(seen[r], "row " + r + " twice in epoch " + epoch);
                    seen[r] = true;
                    count++;
                }
            }
            assertEquals(ROWS, count);
        }
        assertFalse(Arrays.equals(b.rowsOf(0), b.rowsOf(4)), "each epoch reshuffles");
        assertArrayEquals(b.rowsOf(5), new Batches(ROWS, BATCH, SEED).rowsOf(5), "a step's batch is a function of the step");
    }

    @Test
    void metricsLinesEveryNStepsAndEachEpoch() throws IOException {
        List<Map<String, Object>> lines = new ArrayList<>();
        TrainingRun run = TrainingRun.builder(trainer(model(), "adam"), data(), ROWS).totalSteps(10).logEvery(3)
                .evaluator(m -> Map.of("rows", 7))
                .listener(new TrainingRun.Listener() {
                    @Override
                    public void metrics(Map<String, Object> line) {
                        lines.add(line);
                    }
                }).build();
        TrainingRun.Result r = run.run();
        List<Long> stepLines = lines.stream().filter(l -> l.get("type").equals("step")).map(l -> (Long) l.get("step")).toList();
        List<Long> epochLines = lines.stream().filter(l -> l.get("type").equals("epoch")).map(l -> (Long) l.get("step")).toList();
        assertEquals(List.of(3L, 6L, 9L), stepLines);
        assertEquals(List.of(4L, 8L, 10L), epochLines, "epochs of 4 steps, the last one partial");
        Map<String, Object> third = lines.stream().filter(l -> Long.valueOf(9).equals(l.get("step"))).findFirst().orElseThrow();
        double mean = (r.losses()[6] + (double) r.losses()[7] + r.losses()[8]) / 3;
        assertEquals(mean, (Double) third.get("loss"), 1e-12, "mean loss of the last 3 steps");
        assertEquals(Map.of("rows", 7), lines.stream().filter(l -> l.get("type").equals("epoch")).findFirst()
                .orElseThrow().get("eval"));
    }

    @Test
    void checkpointsEveryNStepsAndAtTheEnd() throws IOException {
        Path ckpt = dir.resolve(Checkpoint.FILE);
        List<Long> written = new ArrayList<>();
        TrainingRun.builder(trainer(model(), "adam"), data(), ROWS).totalSteps(11).checkpointEvery(4).checkpointFile(ckpt)
                .checkpointMetadata(Map.of("lanes.train", "{\"x\":1}"))
                .listener(new TrainingRun.Listener() {
                    @Override
                    public void checkpointed(long step, Path file) {
                        written.add(step);
                    }
                }).build().run();
        assertEquals(List.of(4L, 8L, 11L), written);
        Checkpoint c = Checkpoint.read(ckpt);
        assertEquals(11, c.step());
        assertEquals(11, c.optimizerSteps());
        assertEquals(11, c.losses().length);
        assertEquals("{\"x\":1}", c.metadata().get("lanes.train"));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(ckpt), files.toList(), "no temporary files left behind");
        }
    }

    @Test
    void aCheckpointWriteThatFailsHalfWayLeavesTheLastGoodOne() throws IOException {
        Path ckpt = dir.resolve(Checkpoint.FILE);
        // large enough that the write spans several 64 KiB buffers: the failure comes after bytes hit the disk
        Autoencoder m = Models.builder("ae").inputs(200).hidden(300).seed(SEED).build();
        Trainer t = new Trainer(m, Adam.defaults(), LearningRate.constant(1e-3f), 8, SEED, 0f);
        float[] x = new float[8 * 200];
        Fill.uniform(SEED, 0f, 1f, x, 0, x.length);
        t.trainStep(8, x);
        Checkpoint.of(t, new float[] {1f}, 0, 0, Map.of()).write(ckpt);
        byte[] good = Files.readAllBytes(ckpt);
        t.trainStep(8, x);
        Checkpoint second = Checkpoint.of(t, new float[] {1f, 2f}, 0, 0, Map.of());
        // an interrupted thread's file channel closes at its first write: a failure in the middle of writing
        Thread.currentThread().interrupt();
        try {
            assertThrows(IOException.class, () -> second.write(ckpt));
        } finally {
            Thread.interrupted();
        }
        assertArrayEquals(good, Files.readAllBytes(ckpt), "the old checkpoint is untouched");
        assertEquals(1, Checkpoint.read(ckpt).step());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(ckpt), files.toList(), "the temporary file is removed");
        }
    }

    @Test
    void aKillBetweenWriteAndRenameLeavesTheOldCheckpointLoadable() throws IOException {
        Path ckpt = dir.resolve(Checkpoint.FILE);
        Autoencoder m = model();
        Trainer t = trainer(m, "adam");
        t.fit(data(), ROWS, 3);
        Checkpoint.of(t, new float[3], 0, 0, Map.of()).write(ckpt);
        // what a kill -9 after the data was written but before the rename leaves: a complete temporary beside it
        Path other = dir.resolve("other.safetensors");
        t.fit(data(), ROWS, 2);
        Checkpoint.of(t, new float[5], 0, 0, Map.of()).write(other);
        Files.move(other, dir.resolve("." + Checkpoint.FILE + ".0123456789abcdef.tmp"));
        Checkpoint c = Checkpoint.read(ckpt);
        assertEquals(3, c.step());
        Autoencoder again = model();
        TrainingRun.builder(trainer(again, "adam"), data(), ROWS).totalSteps(5).resume(c).build().run();
        Autoencoder straight = model();
        trainer(straight, "adam").fit(data(), ROWS, 5);
        assertArrayEquals(straight.params().data(), again.params().data(), "resumed from the last good checkpoint");
    }

    @Test
    void divergenceStopsAtTheStepAndWritesNoCheckpointAfterIt() throws IOException {
        Path ckpt = dir.resolve(Checkpoint.FILE);
        Autoencoder m = Models.builder("ae").inputs(D).hidden(6).seed(SEED).build();
        Trainer t = new Trainer(m, new Sgd(0f, false, 0f), LearningRate.constant(1e30f), BATCH, SEED, 0f);
        TrainingRun run = TrainingRun.builder(t, data(), ROWS).totalSteps(20).checkpointEvery(1).checkpointFile(ckpt).build();
        DivergedException e = assertThrows(DivergedException.class, run::run);
        assertTrue(e.step() >= 1 && e.step() <= 2, e.getMessage());
        assertEquals(e.step(), run.lastCheckpoint(), "the last checkpoint is the state before the bad step");
        Checkpoint c = Checkpoint.read(ckpt);
        assertEquals(e.step(), c.step());
        for (float p : c.params()) {
            assertTrue(Float.isFinite(p), "the checkpoint holds finite parameters");
        }
    }

    @Test
    void resumeChecksTheLayout() throws IOException {
        Path ckpt = dir.resolve(Checkpoint.FILE);
        Trainer t = trainer(model(), "adam");
        t.fit(data(), ROWS, 2);
        Checkpoint.of(t, new float[2], 0, 0, Map.of()).write(ckpt);
        Autoencoder other = Models.builder("ae").inputs(D).hidden(7).seed(SEED).build();
        Trainer wrong = new Trainer(other, Adam.defaults(), LearningRate.constant(1e-3f), BATCH, SEED, 0f);
        Checkpoint c = Checkpoint.read(ckpt);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingRun.builder(wrong, data(), ROWS).totalSteps(5).resume(c).build().run());
        assertTrue(e.getMessage().contains("parameters"), e.getMessage());
    }
}
