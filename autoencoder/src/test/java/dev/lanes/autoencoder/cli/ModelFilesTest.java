package dev.lanes.autoencoder.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.autoencoder.io.FileFormatException;
import dev.lanes.autoencoder.model.Autoencoder;
import dev.lanes.autoencoder.model.Model;
import dev.lanes.autoencoder.model.Models;
import dev.lanes.autoencoder.model.RankOrdered;
import dev.lanes.autoencoder.model.Stacked;
import dev.lanes.autoencoder.model.StackedConfig;
import dev.lanes.autoencoder.nn.Corruption;
import dev.lanes.autoencoder.train.Adam;
import dev.lanes.autoencoder.train.LearningRate;
import dev.lanes.autoencoder.train.Trainer;
import dev.lanes.core.Fill;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Save, load, and get bitwise the same codes and reconstructions. */
class ModelFilesTest {

    private static final long SEED = 0xA11CEL;

    @TempDir
    Path dir;

    private void roundTrip(Models.Builder builder, String name) throws IOException {
        int n = 24;
        int rows = 40;
        Autoencoder model = builder.inputs(n).seed(SEED).build();
        float[] x = new float[rows * n];
        Fill.uniform(SEED, 0f, 1f, x, 0, x.length);
        new Trainer(model, Adam.defaults(), LearningRate.constant(1e-2f), 8, SEED, 0f).fit(x, rows, 7);
        Path file = dir.resolve(name + ".safetensors");
        ModelFiles.save(file, model, Map.of());
        Autoencoder loaded = ModelFiles.load(file);
        assertEquals(model.config(), loaded.config(), name);
        assertSameOutputs(model, loaded, x, rows, name);
        assertArrayEquals(model.params().data(), loaded.params().data(), name + " parameters");
    }

    @Test
    void everyModelLoadsToBitwiseIdenticalOutputs() throws IOException {
        roundTrip(Models.builder("topk").hidden(48).k(5), "topk");
        roundTrip(Models.builder("sparse-kl").hidden(16), "sparse-kl");
        roundTrip(Models.builder("dae").hidden(16).noise(Corruption.Kind.GAUSSIAN, 0.2f), "dae");
        roundTrip(Models.builder("ae").hidden(12).tied(true), "ae-tied");
        roundTrip(Models.builder("linear").hidden(6), "linear");
    }

    /** Trains a few steps, saves with {@code save}, reloads with {@link ModelFiles#loadAny}: the same outputs, bitwise. */
    private void roundTripAny(Model model, String name, IoAction save) throws IOException {
        int n = model.inputs();
        int rows = 40;
        float[] x = new float[rows * n];
        Fill.uniform(SEED, 0f, 1f, x, 0, x.length);
        new Trainer(model, Adam.defaults(), LearningRate.constant(1e-2f), 8, SEED, 0f).fit(x, rows, 5);
        Path file = dir.resolve(name + ".safetensors");
        save.run(file);
        Model loaded = ModelFiles.loadAny(file);
        assertEquals(model.getClass(), loaded.getClass(), name);
        assertSameOutputs(model, loaded, x, rows, name);
    }

    private static void assertSameOutputs(Model model, Model loaded, float[] x, int rows, String name) {
        float[] c1 = new float[rows * model.codes()];
        float[] c2 = new float[rows * model.codes()];
        model.encode(rows, x, c1);
        loaded.encode(rows, x, c2);
        assertArrayEquals(c1, c2, name + " codes seed=0x" + Long.toHexString(SEED));
        float[] r1 = new float[rows * model.inputs()];
        float[] r2 = new float[rows * model.inputs()];
        model.reconstruct(rows, x, r1);
        loaded.reconstruct(rows, x, r2);
        assertArrayEquals(r1, r2, name + " reconstructions seed=0x" + Long.toHexString(SEED));
    }

    @FunctionalInterface
    private interface IoAction {
        void run(Path file) throws IOException;
    }

    @Test
    void rankOrderedAndStackedLoadToBitwiseIdenticalOutputs() throws IOException {
        ModelFiles.RankOrderedConfig cfg = new ModelFiles.RankOrderedConfig(ModelFiles.RANK_ORDERED, 24, 10, 4, 0.1f, SEED);
        RankOrdered ro = cfg.build();
        roundTripAny(ro, "rank-ordered", f -> ModelFiles.save(f, ro, cfg, Map.of()));
        assertEquals(cfg, dev.lanes.autoencoder.io.Json.mapper().readValue(dev.lanes.autoencoder.io.Safetensors.read(
                dir.resolve("rank-ordered.safetensors")).metadata().get(ModelFiles.CONFIG_KEY), ModelFiles.RankOrderedConfig.class));
        Stacked st = new Stacked(StackedConfig.builder(24, 12, 8).seed(SEED).config()).reconstruction();
        roundTripAny(st, "stacked", f -> ModelFiles.save(f, st, Map.of()));
        FileFormatException e = assertThrows(FileFormatException.class,
                () -> ModelFiles.load(dir.resolve("stacked.safetensors")));
        assertTrue(e.getMessage().contains("holds a stacked model"), e.getMessage());
    }

    @Test
    void aFileWithoutConfigIsRejectedNamingTheFile() throws IOException {
        Path file = dir.resolve("plain.safetensors");
        var tensors = new java.util.LinkedHashMap<String, dev.lanes.autoencoder.io.Tensor>();
        tensors.put("w", dev.lanes.autoencoder.io.Tensor.of(new float[4], 2, 2));
        dev.lanes.autoencoder.io.Safetensors.write(file, tensors, Map.of());
        FileFormatException e = assertThrows(FileFormatException.class, () -> ModelFiles.load(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains(ModelFiles.CONFIG_KEY),
                e.getMessage());
        assertTrue(Files.exists(file));
    }
}
