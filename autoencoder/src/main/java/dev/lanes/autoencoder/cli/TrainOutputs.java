package dev.lanes.autoencoder.cli;

import dev.lanes.autoencoder.data.Dataset;
import dev.lanes.autoencoder.io.Json;
import dev.lanes.autoencoder.model.Autoencoder;
import dev.lanes.autoencoder.model.Model;
import dev.lanes.autoencoder.model.RankOrdered;
import dev.lanes.autoencoder.pictures.FilterGrid;
import dev.lanes.autoencoder.pictures.LineChart;
import dev.lanes.autoencoder.pictures.Png;
import dev.lanes.autoencoder.pictures.ReconstructionStrip;
import dev.lanes.autoencoder.train.TrainingRun;
import dev.lanes.core.Lanes;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The files {@code lanes train} leaves after training: {@code model.safetensors}, {@code summary.json}
 * (settings, data, timing, final metrics over every row of each split, linear-probe accuracy when the data
 * are labelled) and the pictures ({@code loss.png}, {@code reconstructions.png}, {@code filters.png} for images).
 */
record TrainOutputs(Path out, TrainSettings settings, DataSource src, Dataset train, Dataset validation, Model model,
                    TrainingRun.Result result, long resumedAt, long epochs) {

    void write(PrintWriter stdout) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("lanes.data", settings.data());
        meta.put("lanes.steps", Long.toString(result.steps()));
        meta.put(TrainSettings.KEY, settings.toJson());
        if (model instanceof Autoencoder ae) {
            ModelFiles.save(out.resolve("model.safetensors"), ae, meta);
        } else if (model instanceof RankOrdered r) {
            int width = settings.hidden().getLast();
            ModelFiles.save(out.resolve("model.safetensors"), r, new ModelFiles.RankOrderedConfig(ModelFiles.RANK_ORDERED,
                    r.inputs(), width, settings.ranks() != null ? settings.ranks() : width, settings.surrogate(),
                    settings.seed()), meta);
        } else {
            ModelFiles.saveParams(out.resolve("model.safetensors"), model, meta);
        }

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("model", model instanceof Autoencoder ae ? ae.config() : Map.of("model", model.name(),
                "inputs", model.inputs(), "hidden", model.codes()));
        summary.put("settings", TrainCommand.describe(settings));
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("steps", result.steps());
        training.put("epochs", epochs);
        training.put("resumed_at_step", resumedAt);
        training.put("threads", Lanes.threads());
        training.put("implementation", Lanes.implementation());
        summary.put("training", training);
        summary.put("data", dataInfo(settings, src, train, validation));
        summary.put("final_loss", result.lastEpochLoss());
        summary.put("train_seconds", result.trainSeconds());
        summary.put("samples_per_s", result.samplesPerSecond());
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("train", Evaluation.of(model, train, train.n(), src.truth(), src.m()));
        if (validation != null) {
            metrics.put("validation", Evaluation.of(model, validation, validation.n(), null, 0));
        }
        if (src.test() != src.train()) {
            metrics.put("test", Evaluation.of(model, src.test(), src.test().n(), null, 0));
        }
        summary.put("metrics", metrics);
        Dataset probeTest = src.test() != src.train() ? src.test() : validation;
        Map<String, Object> probe = probeTest == null ? null : Evaluation.probe(model, train, probeTest);
        if (probe != null) {
            summary.put("linear_probe", probe);
        }
        Json.write(out.resolve("summary.json"), summary);
        pictures();
        stdout.printf(Locale.ROOT, "lanes train: wrote %s%n", out);
        stdout.printf(Locale.ROOT, "  final (all rows): %s%n", Json.compact(metrics));
        if (probe != null) {
            stdout.printf(Locale.ROOT, "  linear probe: %s%n", Json.compact(probe));
        }
        stdout.flush();
    }

    private void pictures() throws IOException {
        Dataset show = src.test();
        int d = show.d();
        int height = show.isImages() ? show.height() : tileHeight(d);
        int width = d / height;
        int scale = Math.max(1, Math.min(4, 64 / Math.max(height, width)));
        if (src.images()) {
            int h = model.codes();
            Png.write(out.resolve("filters.png"), FilterGrid.render(Evaluation.decoderWeight(model),
                    FilterGrid.Layout.COLUMNS, d, h, height, width, Math.min(h, 100), scale));
        }
        int count = Math.min(10, show.n());
        Png.write(out.resolve("reconstructions.png"), ReconstructionStrip.render(show.features(),
                Evaluation.reconstruct(model, show, count), count, height, width, count, scale));
        float[] losses = result.losses();
        double[] xs = new double[losses.length];
        double[] ys = new double[losses.length];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = i + 1;
            ys[i] = losses[i];
        }
        Png.write(out.resolve("loss.png"), new LineChart("training loss: " + settings.model(), "step", "loss")
                .logY(true).add("loss", xs, ys).render(800, 500));
    }

    /** The {@code data} object of summary.json: the --data value, the features, and each split's name and rows. */
    static Map<String, Object> dataInfo(TrainSettings settings, DataSource src, Dataset train, Dataset validation) {
        Map<String, Object> dataInfo = new LinkedHashMap<>();
        dataInfo.put("spec", settings.data());
        dataInfo.put("features", train.d());
        dataInfo.put("train", train.name());
        dataInfo.put("train_samples", train.n());
        if (validation != null) {
            dataInfo.put("validation_samples", validation.n());
        }
        dataInfo.put("test", src.test().name());
        dataInfo.put("test_samples", src.test().n());
        return dataInfo;
    }

    /** Non-image samples are drawn as the most nearly square height x width tile with height*width = d. */
    static int tileHeight(int d) {
        int h = (int) Math.sqrt(d);
        while (d % h != 0) {
            h--;
        }
        return h;
    }
}
