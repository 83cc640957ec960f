package dev.lanes.autoencoder.cli;

import dev.lanes.autoencoder.data.Dataset;
import dev.lanes.autoencoder.io.JsonLines;
import dev.lanes.autoencoder.io.Json;
import dev.lanes.autoencoder.model.Stacked;
import dev.lanes.autoencoder.model.StackedTraining;
import dev.lanes.autoencoder.pictures.FilterGrid;
import dev.lanes.autoencoder.pictures.LineChart;
import dev.lanes.autoencoder.pictures.Png;
import dev.lanes.autoencoder.pictures.ReconstructionStrip;
import dev.lanes.autoencoder.train.DivergedException;
import dev.lanes.core.Lanes;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code lanes train --model stacked}: builds a {@link Stacked} model (with a softmax head when the training
 * data are labelled), trains it with {@link StackedTraining} (greedy denoising pretraining of each layer,
 * then fine-tuning: supervised when labelled, else reconstruction through the whole stack), and writes
 * {@code metrics.jsonl} (a line per epoch of each phase, a line per pretrained layer), {@code model.safetensors},
 * {@code summary.json} and the pictures ({@code loss.png}: mean loss per epoch of each phase,
 * {@code reconstructions.png}, {@code filters.png}: the first layer's encoder rows, for images).
 *
 * <p>It is not a {@link dev.lanes.autoencoder.train.TrainingRun}: it writes no checkpoint and cannot be resumed.
 */
final class StackedRun {
    /** Rows of the evaluation set on which the accuracy is reported after each fine-tuning epoch. */
    static final int EPOCH_EVAL_ROWS = 4096;

    private final Path out;
    private final TrainSettings settings;
    private final DataSource src;
    private final Dataset train;
    private final Dataset validation;
    private final PrintWriter stdout;

    StackedRun(Path out, TrainSettings settings, DataSource src, Dataset train, Dataset validation, PrintWriter stdout) {
        this.out = out;
        this.settings = settings;
        this.src = src;
        this.train = train;
        this.validation = validation;
        this.stdout = stdout;
    }

    /** The head's classes: those of the labels of the training and test splits, 0 (no head) when unlabelled. */
    private int classes() {
        if (!train.hasLabels()) {
            return 0;
        }
        int c = Math.max(train.classes(), src.test().hasLabels() ? src.test().classes() : 0);
        return c >= 2 ? c : 0;
    }

    int run() throws IOException {
        int classes = classes();
        Stacked model = TrainCommand.buildStacked(settings, train.d(), classes);
        StackedTraining.FineTuning objective = classes > 0 ? StackedTraining.FineTuning.CLASSIFICATION
                : StackedTraining.FineTuning.RECONSTRUCTION;
        int pretrain = settings.pretrainEpochs();
        int fineTune = settings.fineTuneEpochs();
        StackedTraining.Settings ts = StackedTraining.Settings.defaults().withPretrainEpochs(pretrain)
                .withFineTuneEpochs(fineTune).withFineTuning(objective).withBatch(settings.batch())
                .withLr(settings.lr()).withSeed(settings.seed());
        Dataset evalSet = validation != null ? validation : src.test();
        int evalRows = Math.min(EPOCH_EVAL_ROWS, evalSet.n());
        boolean epochAccuracy = classes > 0 && evalSet.hasLabels() && evalRows > 0;
        String evalName = validation != null ? "validation" : evalSet.name() + "[0:" + evalRows + "]";
        List<String> phases = new ArrayList<>();
        List<List<Double>> losses = new ArrayList<>();
        say(header(model, objective));
        StackedTraining.Report report;
        try (JsonLines log = JsonLines.open(out.resolve("metrics.jsonl"), false)) {
            StackedTraining training = new StackedTraining(ts).optimizer(() -> TrainCommand.optimizer(settings))
                    .listener((phase, epoch, epochs, loss, seconds) -> {
                        if (phases.isEmpty() || !phases.getLast().equals(phase)) {
                            phases.add(phase);
                            losses.add(new ArrayList<>());
                        }
                        losses.getLast().add(loss);
                        Map<String, Object> line = new LinkedHashMap<>();
                        line.put("type", "epoch");
                        line.put("phase", phase);
                        line.put("epoch", epoch);
                        line.put("epochs", epochs);
                        line.put("loss", loss);
                        line.put("seconds", seconds);
                        int rows = train.n();
                        line.put("samples_per_s", seconds > 0 ? rows / seconds : Double.NaN);
                        String tail = "";
                        if (epochAccuracy && phase.equals("fine-tune")) {
                            double acc = StackedTraining.accuracy(model, evalSet.features(), evalSet.labels(), evalRows, 500);
                            line.put("eval", Map.of("set", evalName, "samples", evalRows, "accuracy", acc));
                            tail = String.format(Locale.ROOT, "  accuracy on %s %.4f", evalName, acc);
                        }
                        append(log, line);
                        say(String.format(Locale.ROOT, "%s  epoch %d/%d  loss %.5g  %.1f s  %.0f samples/s%s", phase,
                                epoch, epochs, loss, seconds, seconds > 0 ? rows / seconds : Double.NaN, tail));
                    });
            try {
                report = training.run(model, train);
            } catch (DivergedException e) {
                throw new UserException(e.getMessage() + "; try a smaller --lr");
            }
            for (int l = 0; l < model.depth(); l++) {
                if (!Double.isNaN(report.layerLossAfter()[l])) {
                    Map<String, Object> line = new LinkedHashMap<>();
                    line.put("type", "layer");
                    line.put("layer", l);
                    line.put("clean_loss_before", report.layerLossBefore()[l]);
                    line.put("clean_loss_after", report.layerLossAfter()[l]);
                    append(log, line);
                }
            }
        }
        write(model, objective, report, phases, losses);
        return 0;
    }

    private static void append(JsonLines log, Map<String, Object> line) {
        try {
            log.append(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void say(String text) {
        stdout.println(text);
        stdout.flush();
    }

    private String header(Stacked model, StackedTraining.FineTuning objective) {
        int[] h = model.config().hidden();
        StringBuilder widths = new StringBuilder(Integer.toString(train.d()));
        for (int w : h) {
            widths.append('-').append(w);
        }
        return String.format(Locale.ROOT, "lanes train: stacked %s%s on %s (%d samples%s), masking %s, %d pretraining "
                        + "epoch(s) per layer, then %d epoch(s) of %s fine-tuning; batch %d, %s lr %s, %s, %d threads",
                widths, model.head() != null ? " + softmax(" + model.head().classes() + ")" : "", train.name(), train.n(),
                validation == null ? "" : ", " + validation.n() + " held out for validation", model.config().masking(),
                settings.pretrainEpochs(), settings.fineTuneEpochs(), objective.name().toLowerCase(Locale.ROOT),
                settings.batch(), settings.optimizer(), settings.lr(), Lanes.implementation(), Lanes.threads());
    }

    private void write(Stacked model, StackedTraining.FineTuning objective, StackedTraining.Report report,
                       List<String> phases, List<List<Double>> losses) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("lanes.data", settings.data());
        meta.put(TrainSettings.KEY, settings.toJson());
        ModelFiles.save(out.resolve("model.safetensors"), model, meta);

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("model", model.config());
        summary.put("settings", TrainCommand.describe(settings));
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("pretrain_epochs_per_layer", settings.pretrainEpochs());
        training.put("fine_tune_epochs", settings.fineTuneEpochs());
        training.put("fine_tuning", objective.name().toLowerCase(Locale.ROOT));
        training.put("layer_clean_loss_before", finite(report.layerLossBefore()));
        training.put("layer_clean_loss_after", finite(report.layerLossAfter()));
        training.put("fine_tune_loss", Double.isNaN(report.fineTuneLoss()) ? null : report.fineTuneLoss());
        training.put("pretrain_seconds", report.pretrainSeconds());
        training.put("fine_tune_seconds", report.fineTuneSeconds());
        training.put("samples_per_s", report.rowsPerSecond());
        training.put("threads", Lanes.threads());
        training.put("implementation", Lanes.implementation());
        summary.put("training", training);
        summary.put("data", TrainOutputs.dataInfo(settings, src, train, validation));
        Map<String, Object> accuracy = new LinkedHashMap<>();
        if (model.head() != null) {
            accuracy.put("train", StackedTraining.accuracy(model, train));
            if (validation != null && validation.hasLabels() && validation.n() > 0) {
                accuracy.put("validation", StackedTraining.accuracy(model, validation));
            }
            if (src.test() != src.train() && src.test().hasLabels() && src.test().n() > 0) {
                accuracy.put("test", StackedTraining.accuracy(model, src.test()));
            }
            summary.put("accuracy", accuracy);
        }
        // after supervised fine-tuning the decoders are still those of the pretraining: the reconstruction
        // metrics then show how far the fine-tuned encoders moved from what the decoders expect
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("train", Evaluation.of(model, train, train.n(), null, 0));
        if (validation != null) {
            metrics.put("validation", Evaluation.of(model, validation, validation.n(), null, 0));
        }
        if (src.test() != src.train()) {
            metrics.put("test", Evaluation.of(model, src.test(), src.test().n(), null, 0));
        }
        summary.put("metrics", metrics);
        Json.write(out.resolve("summary.json"), summary);
        pictures(model, phases, losses);
        say(String.format(Locale.ROOT, "lanes train: wrote %s", out));
        if (!accuracy.isEmpty()) {
            say("  accuracy: " + Json.compact(accuracy));
        }
        say("  reconstruction through the stack (all rows): " + Json.compact(metrics));
    }

    private static List<Double> finite(double[] v) {
        List<Double> out = new ArrayList<>();
        for (double x : v) {
            out.add(Double.isNaN(x) ? null : x);
        }
        return out;
    }

    private void pictures(Stacked model, List<String> phases, List<List<Double>> losses) throws IOException {
        Dataset show = src.test();
        int d = show.d();
        int height = show.isImages() ? show.height() : TrainOutputs.tileHeight(d);
        int width = d / height;
        int scale = Math.max(1, Math.min(4, 64 / Math.max(height, width)));
        if (src.images()) {
            dev.lanes.autoencoder.nn.Tensor w = model.encoder(0).weight();
            int h = model.config().hidden()[0];
            float[] rows = Arrays.copyOfRange(w.data(), w.offset(), w.offset() + w.size());
            Png.write(out.resolve("filters.png"), FilterGrid.render(rows, FilterGrid.Layout.ROWS, d, h, height, width,
                    Math.min(h, 100), scale));
        }
        int count = Math.min(10, show.n());
        if (count > 0) {
            Png.write(out.resolve("reconstructions.png"), ReconstructionStrip.render(show.features(),
                    Evaluation.reconstruct(model, show, count), count, height, width, count, scale));
        }
        LineChart chart = new LineChart("stacked: mean loss per epoch", "epoch", "loss").logY(true);
        int x = 0;
        for (int p = 0; p < phases.size(); p++) {
            List<Double> ys = losses.get(p);
            double[] xs = new double[ys.size()];
            double[] yv = new double[ys.size()];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = ++x;
                yv[i] = ys.get(i);
            }
            chart.add(phases.get(p), xs, yv);
        }
        if (x > 0) {
            Png.write(out.resolve("loss.png"), chart.render(800, 500));
        }
    }
}
