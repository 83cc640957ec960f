package dev.lanes.autoencoder.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.autoencoder.cli.ModelFiles;
import dev.lanes.autoencoder.io.FileFormatException;
import dev.lanes.autoencoder.nn.Params;
import dev.lanes.autoencoder.nn.Tensor;
import dev.lanes.autoencoder.train.Adam;
import dev.lanes.autoencoder.train.LearningRate;
import dev.lanes.autoencoder.train.Trainer;
import dev.lanes.core.Activation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stacked model: layout, objectives, save/load, greedy pretraining, fine-tuning, batch sizes, bad input. */
class StackedTest {

    private static final long SEED = 0x57AC_CEDL;

    @TempDir
    Path dir;

    /** Four classes, each a prototype in [0, 1]^dim plus noise, clamped to [0, 1]; rows in random class order. */
    private record Labelled(float[] x, int[] labels, int rows, int dim) {
        static Labelled of(long seed, int rows, int dim, int classes, double noise) {
            SplittableRandom r = new SplittableRandom(seed);
            float[][] prototypes = new float[classes][dim];
            for (float[] p : prototypes) {
                for (int j = 0; j < dim; j++) {
                    p[j] = r.nextDouble() < 0.4 ? (float) r.nextDouble(0.5, 1) : 0f;
                }
            }
            float[] x = new float[rows * dim];
            int[] labels = new int[rows];
            for (int i = 0; i < rows; i++) {
                labels[i] = r.nextInt(classes);
                for (int j = 0; j < dim; j++) {
                    double v = prototypes[labels[i]][j] + noise * r.nextGaussian();
                    x[i * dim + j] = (float) Math.min(1, Math.max(0, v));
                }
            }
            return new Labelled(x, labels, rows, dim);
        }
    }

    private static String seed(long s) {
        return "seed=0x" + Long.toHexString(s);
    }

    @Test
    void parametersAreNamedAndShapedAsPytorchWould() {
        Stacked m = StackedConfig.builder(12, 8, 6, 5).classes(3).seed(SEED).build();
        List<String> names = m.params().tensors().stream().map(t -> t.name() + Arrays.toString(t.shape())).toList();
        assertEquals(List.of(
                "layers.0.encoder.weight[8, 12]", "layers.0.encoder.bias[8]",
                "layers.0.decoder.weight[12, 8]", "layers.0.decoder.bias[12]",
                "layers.1.encoder.weight[6, 8]", "layers.1.encoder.bias[6]",
                "layers.1.decoder.weight[8, 6]", "layers.1.decoder.bias[8]",
                "layers.2.encoder.weight[5, 6]", "layers.2.encoder.bias[5]",
                "layers.2.decoder.weight[6, 5]", "layers.2.decoder.bias[6]",
                "head.weight[3, 5]", "head.bias[3]"), names);
        assertEquals(12, m.inputs());
        assertEquals(5, m.codes());
        assertEquals(3, m.depth());
        assertEquals("stacked", m.name());
        Stacked noHead = StackedConfig.builder(12, 8).build();
        assertEquals(4, noHead.params().tensors().size());
        assertEquals(null, noHead.head());
    }

    @Test
    void outputsHaveTheirShapesAndObjectivesTheirLosses() {
        Labelled d = Labelled.of(SEED, 10, 12, 3, 0.1);
        Stacked m = StackedConfig.builder(12, 8, 6).classes(3).seed(SEED).build();
        float[] codes = new float[10 * 6 + 1];
        codes[10 * 6] = 42f;
        m.encode(10, d.x(), codes);
        assertEquals(42f, codes[10 * 6], "encode writes exactly batch x codes");
        for (int i = 0; i < 60; i++) {
            assertTrue(codes[i] >= 0f, "rectifier codes are >= 0");
        }
        float[] rec = new float[10 * 12 + 1];
        rec[120] = 7f;
        m.reconstruct(10, d.x(), rec);
        assertEquals(7f, rec[120]);
        int[] predicted = new int[10];
        Arrays.fill(predicted, -1);
        m.predict(10, d.x(), predicted);
        for (int p : predicted) {
            assertTrue(p >= 0 && p < 3, "predicted class " + p);
        }
        m.labels(d.labels());
        float nll = m.classification().forward(10, d.x(), false);
        assertTrue(nll > 0 && Float.isFinite(nll), "nll=" + nll);
        // the reconstruction objective is the MSE of reconstruct()
        float mse = m.reconstruction().forward(10, d.x(), false);
        double sq = 0;
        for (int i = 0; i < 120; i++) {
            sq += (rec[i] - d.x()[i]) * (double) (rec[i] - d.x()[i]);
        }
        assertEquals(sq / 120, mse, 1e-5 * sq / 120);
        float l0 = m.pretraining(0).forward(10, d.x(), false);
        assertEquals(l0, m.layerLoss(0, 10, d.x()));
        assertEquals(Stacked.Objective.PRETRAINING, m.objective());
        assertEquals(0, m.layer());
    }

    /**
     * Pretraining layer l moves only layer l's tensors (with the optimizer state cleared between phases, as
     * StackedTraining does); supervised fine-tuning never moves the decoders.
     */
    @Test
    void eachObjectiveTrainsOnlyItsTensors() {
        Labelled d = Labelled.of(SEED ^ 3, 64, 12, 3, 0.1);
        Stacked m = StackedConfig.builder(12, 8, 6).classes(3).seed(SEED).build();
        Params p = m.params();
        for (int l = 0; l < 2; l++) {
            float[] before = p.data().clone();
            p.resetState();
            m.pretraining(l);
            new Trainer(m, Adam.defaults(), LearningRate.constant(1e-2f), 16, SEED, 0f).fit(d.x(), d.rows(), 5);
            for (Tensor t : p.tensors()) {
                assertEquals(t.name().startsWith("layers." + l + "."), moved(before, p, t), t.name()
                        + " after pretraining layer " + l);
            }
        }
        float[] before = p.data().clone();
        new StackedTraining(new StackedTraining.Settings(0, 1, StackedTraining.FineTuning.CLASSIFICATION, 16, 1e-2f,
                1e-2f, 0, SEED)).run(m, d.x(), d.labels(), d.rows());
        for (Tensor t : p.tensors()) {
            assertEquals(!t.name().contains("decoder"), moved(before, p, t), t.name() + " after supervised fine-tuning");
        }
    }

    private static boolean moved(float[] before, Params p, Tensor t) {
        return !Arrays.equals(Arrays.copyOfRange(before, t.offset(), t.offset() + t.size()),
                Arrays.copyOfRange(p.data(), t.offset(), t.offset() + t.size()));
    }

    @Test
    void greedyPretrainingReducesEveryLayersLoss() {
        for (StackedConfig.Reconstruction variant : StackedConfig.Reconstruction.values()) {
            long s = SEED ^ variant.ordinal();
            Labelled d = Labelled.of(s, 256, 16, 4, 0.1);
            StackedConfig.Builder b = StackedConfig.builder(16, 24, 16, 12).seed(s).inputReconstruction(variant);
            if (variant != StackedConfig.Reconstruction.SIGMOID_CROSS_ENTROPY) {
                b.codeReconstruction(variant);
            }
            Stacked m = b.build();
            StackedTraining.Report r = new StackedTraining(new StackedTraining.Settings(8, 0,
                    StackedTraining.FineTuning.NONE, 32, 3e-3f, 3e-3f, 256, s)).run(m, d.x(), null, d.rows());
            for (int l = 0; l < 3; l++) {
                assertTrue(r.layerLossAfter()[l] < 0.7 * r.layerLossBefore()[l], variant + " layer " + l + " "
                        + seed(s) + ": loss " + r.layerLossBefore()[l] + " -> " + r.layerLossAfter()[l]);
            }
            assertTrue(Double.isNaN(r.fineTuneLoss()));
        }
    }

    @Test
    void supervisedFineTuningBeatsChanceWithAndWithoutPretraining() {
        Labelled train = Labelled.of(SEED ^ 5, 600, 16, 4, 0.25);
        Labelled test = Labelled.of(SEED ^ 5, 1200, 16, 4, 0.25);
        for (int pretrain : new int[] {0, 3}) {
            Stacked m = StackedConfig.builder(16, 32, 32).classes(4).seed(SEED).build();
            StackedTraining.Report r = new StackedTraining(new StackedTraining.Settings(pretrain, 5,
                    StackedTraining.FineTuning.CLASSIFICATION, 32, 3e-3f, 3e-3f, 100, SEED)).run(m, train.x(),
                    train.labels(), train.rows());
            // the test set's first rows are the training set (same seed): judge only the 600 rows after them
            float[] x = Arrays.copyOfRange(test.x(), 600 * 16, 1200 * 16);
            int[] labels = Arrays.copyOfRange(test.labels(), 600, 1200);
            double acc = StackedTraining.accuracy(m, x, labels, 600, 64);
            assertTrue(acc > 0.6, "pretrain epochs " + pretrain + " " + seed(SEED) + ": accuracy " + acc
                    + " (chance 0.25), final nll " + r.fineTuneLoss());
            assertEquals(Stacked.Objective.CLASSIFICATION, m.objective());
        }
    }

    @Test
    void unsupervisedFineTuningReducesTheWholeStacksLoss() {
        Labelled d = Labelled.of(SEED ^ 6, 256, 16, 4, 0.1);
        Stacked m = StackedConfig.builder(16, 24, 12).seed(SEED).build();
        float before = m.reconstruction().forward(d.rows(), d.x(), false);
        StackedTraining.Report r = new StackedTraining(new StackedTraining.Settings(3, 20,
                StackedTraining.FineTuning.RECONSTRUCTION, 32, 3e-3f, 3e-3f, 0, SEED)).run(m, d.x(), null, d.rows());
        float after = m.forward(d.rows(), d.x(), false);
        assertEquals(Stacked.Objective.RECONSTRUCTION, m.objective());
        assertTrue(after < 0.5 * before, "whole-stack loss " + before + " -> " + after + " " + seed(SEED));
        assertTrue(r.fineTuneSeconds() >= 0 && r.rowsPerSecond() > 0);
    }

    @Test
    void trainingIsReproducibleFromItsSeeds() {
        Labelled d = Labelled.of(SEED ^ 7, 100, 12, 3, 0.1);
        float[][] results = new float[2][];
        for (int k = 0; k < 2; k++) {
            Stacked m = StackedConfig.builder(12, 10, 8).classes(3).seed(SEED).build();
            new StackedTraining(new StackedTraining.Settings(2, 2, StackedTraining.FineTuning.CLASSIFICATION, 16, 1e-2f,
                    1e-2f, 50, SEED)).run(m, d.x(), d.labels(), d.rows());
            results[k] = m.params().data().clone();
        }
        assertArrayEquals(results[0], results[1]);
    }

    @Test
    void batchSizeDoesNotChangeRows() {
        Labelled d = Labelled.of(SEED ^ 8, 8, 12, 3, 0.1);
        Stacked m = StackedConfig.builder(12, 10, 7).classes(3).seed(SEED)
                .inputReconstruction(StackedConfig.Reconstruction.SIGMOID_CROSS_ENTROPY).build();
        new StackedTraining(new StackedTraining.Settings(1, 1, StackedTraining.FineTuning.RECONSTRUCTION, 3, 1e-2f,
                1e-2f, 8, SEED)).run(m, d.x(), null, d.rows());
        float[] ref = new float[8 * 12];
        float[] refCodes = new float[8 * 7];
        m.reconstruct(8, d.x(), ref);
        m.encode(8, d.x(), refCodes);
        for (int batch : new int[] {1, 3, 5}) {
            for (int r0 = 0; r0 + batch <= 8; r0 += batch) {
                float[] in = Arrays.copyOfRange(d.x(), r0 * 12, (r0 + batch) * 12);
                float[] out = new float[batch * 12];
                float[] codes = new float[batch * 7];
                m.reconstruct(batch, in, out);
                m.encode(batch, in, codes);
                for (int i = 0; i < batch * 12; i++) {
                    float want = ref[r0 * 12 + i];
                    // a row's dot products may be blocked differently at another batch size: float rounding only
                    assertEquals(want, out[i], 1e-6f + 1e-5f * Math.abs(want), "batch=" + batch + " row=" + (r0 + i / 12));
                    assertTrue(out[i] >= 0f && out[i] <= 1f, "cross-entropy reconstructions pass the sigmoid");
                }
                for (int i = 0; i < batch * 7; i++) {
                    float want = refCodes[r0 * 7 + i];
                    assertEquals(want, codes[i], 1e-6f + 1e-5f * Math.abs(want), "codes batch=" + batch);
                }
            }
        }
        // training steps at changing batch sizes, after inference at others
        m.pretraining(1);
        for (int b : new int[] {8, 2, 5, 1}) {
            m.setStep(b);
            assertTrue(Float.isFinite(m.forward(b, d.x(), true)));
            m.backward();
        }
    }

    @Test
    void savedModelsLoadToBitwiseIdenticalOutputs() throws IOException {
        Labelled d = Labelled.of(SEED ^ 9, 40, 12, 3, 0.1);
        Stacked m = StackedConfig.builder(12, 10, 8).classes(3).seed(SEED).masking(0.1f)
                .codeReconstruction(StackedConfig.Reconstruction.SOFTPLUS).activation(Activation.RELU).build();
        new StackedTraining(new StackedTraining.Settings(1, 2, StackedTraining.FineTuning.CLASSIFICATION, 8, 1e-2f,
                1e-2f, 0, SEED)).run(m, d.x(), d.labels(), d.rows());
        Path file = dir.resolve("stacked.safetensors");
        ModelFiles.save(file, m, Map.of("note", "test"));
        Stacked loaded = ModelFiles.loadStacked(file);
        assertEquals(m.config(), loaded.config());
        assertArrayEquals(m.params().data(), loaded.params().data());
        float[] c1 = new float[40 * 8];
        float[] c2 = new float[40 * 8];
        m.encode(40, d.x(), c1);
        loaded.encode(40, d.x(), c2);
        assertArrayEquals(c1, c2, "codes " + seed(SEED));
        float[] r1 = new float[40 * 12];
        float[] r2 = new float[40 * 12];
        m.reconstruct(40, d.x(), r1);
        loaded.reconstruct(40, d.x(), r2);
        assertArrayEquals(r1, r2, "reconstructions " + seed(SEED));
        int[] p1 = new int[40];
        int[] p2 = new int[40];
        m.predict(40, d.x(), p1);
        loaded.predict(40, d.x(), p2);
        assertArrayEquals(p1, p2, "predictions " + seed(SEED));

        FileFormatException e = assertThrows(FileFormatException.class, () -> ModelFiles.load(file));
        assertTrue(e.getMessage().contains("stacked"), e.getMessage());
        Path single = dir.resolve("ae.safetensors");
        ModelFiles.save(single, Models.builder("ae").inputs(12).hidden(4).build(), Map.of());
        e = assertThrows(FileFormatException.class, () -> ModelFiles.loadStacked(single));
        assertTrue(e.getMessage().contains("not a stacked model"), e.getMessage());
    }

    @Test
    void badInputIsRejectedWithAClearMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StackedConfig.builder(784).config());
        assertTrue(e.getMessage().contains("hidden layer list is empty"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> StackedConfig.builder(784, 1000, 0, 1000).config());
        assertTrue(e.getMessage().contains("hidden layer 1 has width 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> StackedConfig.builder(0, 10).config());
        assertTrue(e.getMessage().contains("inputs=0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> StackedConfig.builder(4, 3).masking(1f).config());
        assertTrue(e.getMessage().contains("masking=1.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> StackedConfig.builder(4, 3).classes(1).config());
        assertTrue(e.getMessage().contains("classes=1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> StackedConfig.builder(4, 3, 3)
                .codeReconstruction(StackedConfig.Reconstruction.SIGMOID_CROSS_ENTROPY).config());
        assertTrue(e.getMessage().contains("codes in [0, 1]"), e.getMessage());
        assertThrows(NullPointerException.class, () -> StackedConfig.builder(4, (int[]) null).config());

        Stacked m = StackedConfig.builder(4, 3, 2).build();
        e = assertThrows(IllegalArgumentException.class, () -> m.pretraining(2));
        assertTrue(e.getMessage().contains("layer=2 not in [0, depth=2)"), e.getMessage());
        IllegalStateException s = assertThrows(IllegalStateException.class, m::classification);
        assertTrue(s.getMessage().contains("softmax head"), s.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.forward(3, new float[11], false));
        assertTrue(e.getMessage().contains("batch=3 needs 12 inputs, have 11"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.encode(0, new float[4], new float[2]));
        assertTrue(e.getMessage().contains("batch=0"), e.getMessage());

        Stacked c = StackedConfig.builder(4, 3).classes(2).build();
        c.classification();
        s = assertThrows(IllegalStateException.class, () -> c.forward(2, new float[8], false));
        assertTrue(s.getMessage().contains("needs labels for 2 rows, have none"), s.getMessage());
        StackedTraining supervised = new StackedTraining(StackedTraining.Settings.defaults());
        e = assertThrows(IllegalArgumentException.class, () -> supervised.run(c, new float[8], null, 2));
        assertTrue(e.getMessage().contains("needs 2 labels, have none"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> supervised.run(c, new float[8], new int[] {0, 2}, 2));
        assertTrue(e.getMessage().contains("label 2 of row 1 not in [0, classes=2)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> supervised.run(c, new float[8], new int[2], 2, 3));
        assertTrue(e.getMessage().contains("labelledRows=3 not in [1, rows=2]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> supervised.run(m, new float[8], new int[2], 2));
        assertTrue(e.getMessage().contains("classes >= 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> supervised.run(c, new float[7], new int[2], 2));
        assertTrue(e.getMessage().contains("rows=2 x inputs=4 does not fit x.length=7"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> StackedTraining.Settings.defaults().withBatch(0));
        assertTrue(e.getMessage().contains("batch=0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> StackedTraining.Settings.defaults().withLr(0f));
        assertTrue(e.getMessage().contains("must be finite and > 0"), e.getMessage());
        assertNotEquals(m.config(), c.config());
    }
}
