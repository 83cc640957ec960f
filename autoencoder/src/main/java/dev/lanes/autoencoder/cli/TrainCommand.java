package dev.lanes.autoencoder.cli;

import dev.lanes.autoencoder.data.Dataset;
import dev.lanes.autoencoder.io.AtomicFiles;
import dev.lanes.autoencoder.io.Json;
import dev.lanes.autoencoder.model.Autoencoder;
import dev.lanes.autoencoder.model.Models;
import dev.lanes.autoencoder.pictures.FilterGrid;
import dev.lanes.autoencoder.pictures.LineChart;
import dev.lanes.autoencoder.pictures.Png;
import dev.lanes.autoencoder.pictures.ReconstructionStrip;
import dev.lanes.autoencoder.train.Adam;
import dev.lanes.autoencoder.train.DivergedException;
import dev.lanes.autoencoder.train.LearningRate;
import dev.lanes.autoencoder.train.Optimizer;
import dev.lanes.autoencoder.train.Sgd;
import dev.lanes.autoencoder.train.Trainer;
import dev.lanes.core.Lanes;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lanes train}: trains a model and writes {@code model.safetensors}, {@code metrics.jsonl},
 * {@code summary.json} and the pictures into {@code --out}, each file atomically.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train an autoencoder and write model.safetensors, metrics.jsonl, summary.json and PNGs into --out.")
final class TrainCommand implements Callable<Integer> {

    /** Rows of the held-out (or training) data evaluated after each epoch; the final metrics use all. */
    private static final int EPOCH_EVAL_ROWS = 4096;

    enum OptimizerName { adam, sgd }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "NAME", description = "ae, linear, dae, sparse-l1, sparse-kl or topk")
    String model;

    @Option(names = "--hidden", required = true, paramLabel = "N", description = "code width")
    int hidden;

    @Option(names = "--k", paramLabel = "K", description = "TopK: latents kept per sample (default of topk: 32)")
    Integer k;

    @Option(names = "--l1", paramLabel = "LAMBDA", description = "L1 penalty on the code")
    Float l1;

    @Option(names = "--rho", paramLabel = "RHO", description = "KL sparsity target (with --beta)")
    Float rho;

    @Option(names = "--beta", paramLabel = "BETA", description = "KL sparsity weight")
    Float beta;

    @Option(names = "--noise", paramLabel = "masking:P|gaussian:SIGMA", converter = Noise.Converter.class,
            description = "input corruption during training")
    Noise noise;

    @Option(names = "--data", required = true, paramLabel = "synthetic|DIR|FILE.npy",
            description = "the embedded synthetic dictionary data, an MNIST-family IDX directory, or a float32 .npy")
    String data;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "0",
            description = "use only the first N samples of each split (0: all)")
    int samples;

    @CommandLine.ArgGroup(exclusive = true)
    Length length;

    static final class Length {
        @Option(names = "--epochs", paramLabel = "E", description = "passes over the data (default 5)")
        Integer epochs;

        @Option(names = "--steps", paramLabel = "S", description = "optimizer steps")
        Long steps;
    }

    @Option(names = "--batch", paramLabel = "B", defaultValue = "256")
    int batch;

    @Option(names = "--lr", paramLabel = "LR", defaultValue = "1e-3")
    float lr;

    @Option(names = "--optimizer", paramLabel = "adam|sgd", defaultValue = "adam")
    OptimizerName optimizer;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1")
    long seed;

    @Option(names = "--threads", paramLabel = "T", description = "worker threads (default: all cores)")
    Integer threads;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "output directory (created if missing)")
    Path out;

    private void check(boolean ok, String message) {
        if (!ok) {
            throw new CommandLine.ParameterException(spec.commandLine(), message);
        }
    }

    private void checkOptions() {
        check(Models.NAMES.contains(model), "--model: unknown model '" + model + "', expected one of " + Models.NAMES);
        check(hidden >= 1, "--hidden=" + hidden + ": expected >= 1");
        if (k != null) {
            check(k >= 1, "--k=" + k + ": expected >= 1");
            check(k <= hidden, "--k=" + k + " exceeds --hidden=" + hidden + ": expected k <= hidden");
        }
        check(l1 == null || (l1 >= 0f && Float.isFinite(l1)), "--l1=" + l1 + ": expected a finite value >= 0");
        check(beta == null || (beta >= 0f && Float.isFinite(beta)), "--beta=" + beta + ": expected a finite value >= 0");
        check(rho == null || (rho > 0f && rho < 1f), "--rho=" + rho + ": expected a value in (0, 1)");
        check((rho == null) == (beta == null), "--rho and --beta go together: give both or neither");
        check(samples >= 0, "--samples=" + samples + ": expected >= 0");
        if (length != null && length.epochs != null) {
            check(length.epochs >= 1, "--epochs=" + length.epochs + ": expected >= 1");
        }
        if (length != null && length.steps != null) {
            check(length.steps >= 1, "--steps=" + length.steps + ": expected >= 1");
        }
        check(batch >= 1, "--batch=" + batch + ": expected >= 1");
        check(lr > 0f && Float.isFinite(lr), "--lr=" + lr + ": expected a finite value > 0");
        check(threads == null || (threads >= 1 && threads <= 1024), "--threads=" + threads + ": expected 1..1024");
        check(!Files.exists(out) || Files.isDirectory(out), "--out=" + out + ": exists and is not a directory");
    }

    @Override
    public Integer call() throws IOException {
        checkOptions();
        if (threads != null) {
            Lanes.setThreads(threads);
        }
        DataSource src = DataSource.load(data, samples);
        Dataset train = src.train();
        Autoencoder ae = build(train.d());
        Files.createDirectories(out);

        int n = train.n();
        long perEpoch = (n + batch - 1) / batch;
        long total = length != null && length.steps != null ? length.steps
                : (length != null && length.epochs != null ? length.epochs : 5) * perEpoch;
        long epochs = (total + perEpoch - 1) / perEpoch;
        Trainer trainer = new Trainer(ae, optimizer(), LearningRate.constant(lr), batch, seed, 0f);
        PrintWriter stdout = spec.commandLine().getOut();
        Progress progress = new Progress(System.console() != null, total);
        stdout.printf(Locale.ROOT, "lanes train: %s %d-%d-%d on %s (%d samples), %d steps of %d, %s, %d threads%n",
                model, train.d(), hidden, train.d(), train.name(), n, total, batch, Lanes.implementation(), Lanes.threads());
        stdout.flush();

        ae.prepare(train.features(), n);
        int d = train.d();
        float[] buffer = new float[batch * d];
        int[] order = new int[n];
        List<double[]> curve = new ArrayList<>();
        StringBuilder jsonl = new StringBuilder();
        double trainSeconds = 0;
        long samplesSeen = 0;
        double lastLoss = Double.NaN;
        for (long e = 0; e < epochs; e++) {
            shuffle(order, new SplittableRandom(seed ^ (e * 0x9E3779B97F4A7C15L)));
            long t0 = System.nanoTime();
            double lossSum = 0;
            long seen = 0;
            long stepsThisEpoch = 0;
            for (int pos = 0; pos < n && trainer.step() < total; pos += batch) {
                int b = Math.min(batch, n - pos);
                for (int r = 0; r < b; r++) {
                    System.arraycopy(train.features(), order[pos + r] * d, buffer, r * d, d);
                }
                float loss;
                try {
                    loss = trainer.trainStep(b, buffer);
                } catch (DivergedException x) {
                    progress.clear();
                    throw new UserException("training diverged: " + x.getMessage() + " (try a smaller --lr)");
                }
                curve.add(new double[] {trainer.step(), loss});
                lossSum += (double) loss * b;
                seen += b;
                stepsThisEpoch++;
                progress.update(e + 1, epochs, trainer.step(), loss, seen / ((System.nanoTime() - t0) / 1e9));
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            trainSeconds += seconds;
            samplesSeen += seen;
            progress.clear();
            lastLoss = lossSum / seen;
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("epoch", e + 1);
            line.put("step", trainer.step());
            line.put("loss", lastLoss);
            line.put("samples_per_s", seen / seconds);
            line.put("eval", Evaluation.of(ae, src.test(), EPOCH_EVAL_ROWS, src.truth(), src.m()));
            jsonl.append(Json.compact(line)).append('\n');
            AtomicFiles.writeString(out.resolve("metrics.jsonl"), jsonl.toString());
            stdout.println(epochLine(line, epochs, stepsThisEpoch));
            stdout.flush();
        }

        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("lanes.data", data);
        meta.put("lanes.steps", Long.toString(trainer.step()));
        ModelFiles.save(out.resolve("model.safetensors"), ae, meta);

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("model", ae.config());
        summary.put("training", training(trainer.step(), epochs));
        Map<String, Object> dataInfo = new LinkedHashMap<>();
        dataInfo.put("spec", data);
        dataInfo.put("features", d);
        dataInfo.put("train", train.name());
        dataInfo.put("train_samples", n);
        dataInfo.put("test", src.test().name());
        dataInfo.put("test_samples", src.test().n());
        summary.put("data", dataInfo);
        summary.put("final_loss", lastLoss);
        summary.put("train_seconds", trainSeconds);
        summary.put("samples_per_s", samplesSeen / trainSeconds);
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("train", Evaluation.of(ae, train, n, src.truth(), src.m()));
        if (src.test() != train) {
            metrics.put("test", Evaluation.of(ae, src.test(), src.test().n(), null, 0));
        }
        summary.put("metrics", metrics);
        Json.write(out.resolve("summary.json"), summary);
        pictures(ae, src, curve);
        stdout.printf(Locale.ROOT, "lanes train: wrote %s%n", out);
        stdout.printf(Locale.ROOT, "  final: %s%n", Json.compact(metrics));
        stdout.flush();
        return 0;
    }

    private Autoencoder build(int inputs) {
        Models.Builder b = Models.builder(model).inputs(inputs).hidden(hidden).seed(seed);
        if (k != null) {
            b.k(k);
        }
        if (l1 != null) {
            b.l1(l1);
        }
        if (rho != null) {
            b.kl(rho, beta);
        }
        if (noise != null) {
            b.noise(noise.kind(), noise.amount());
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "invalid model settings: " + e.getMessage());
        }
    }

    private Optimizer optimizer() {
        return optimizer == OptimizerName.adam ? Adam.defaults() : new Sgd(0.9f, false, 0f);
    }

    private Map<String, Object> training(long steps, long epochs) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("steps", steps);
        t.put("epochs", epochs);
        t.put("batch", batch);
        t.put("lr", lr);
        t.put("optimizer", optimizer.name());
        t.put("seed", seed);
        t.put("threads", Lanes.threads());
        t.put("implementation", Lanes.implementation());
        return t;
    }

    @SuppressWarnings("unchecked")
    private static String epochLine(Map<String, Object> line, long epochs, long steps) {
        Map<String, Object> ev = (Map<String, Object>) line.get("eval");
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "epoch %d/%d  step %d  loss %.5g  %.0f samples/s  fvu %.4f  L0 %.2f  dead %d",
                (Long) line.get("epoch"), epochs, (Long) line.get("step"), (Double) line.get("loss"),
                (Double) line.get("samples_per_s"), (Double) ev.get("fvu"), (Double) ev.get("l0"),
                (Integer) ev.get("dead_latents")));
        if (ev.containsKey("mmcs")) {
            s.append(String.format(Locale.ROOT, "  mmcs %.3f", (Double) ev.get("mmcs")));
        }
        return s.toString();
    }

    private void pictures(Autoencoder ae, DataSource src, List<double[]> curve) throws IOException {
        Dataset show = src.test();
        int d = show.d();
        int height = show.isImages() ? show.height() : tileHeight(d);
        int width = d / height;
        int scale = Math.max(1, Math.min(4, 64 / Math.max(height, width)));
        if (src.images()) {
            int h = ae.codes();
            Png.write(out.resolve("filters.png"), FilterGrid.render(ModelFiles.decoderWeight(ae),
                    FilterGrid.Layout.COLUMNS, d, h, height, width, Math.min(h, 100), scale));
        }
        int count = Math.min(10, show.n());
        Png.write(out.resolve("reconstructions.png"), ReconstructionStrip.render(show.features(),
                Evaluation.reconstruct(ae, show, count), count, height, width, count, scale));
        double[] xs = new double[curve.size()];
        double[] ys = new double[curve.size()];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = curve.get(i)[0];
            ys[i] = curve.get(i)[1];
        }
        Png.write(out.resolve("loss.png"), new LineChart("training loss: " + model, "step", "loss")
                .logY(true).add("loss", xs, ys).render(800, 500));
    }

    /** Non-image samples are drawn as the most nearly square height x width tile with height*width = d. */
    private static int tileHeight(int d) {
        int h = (int) Math.sqrt(d);
        while (d % h != 0) {
            h--;
        }
        return h;
    }

    private static void shuffle(int[] order, SplittableRandom r) {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }
}
