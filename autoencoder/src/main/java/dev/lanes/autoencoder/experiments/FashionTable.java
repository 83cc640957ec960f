package dev.lanes.autoencoder.experiments;

import dev.lanes.autoencoder.cli.Evaluation;
import dev.lanes.autoencoder.data.Dataset;
import dev.lanes.autoencoder.data.FashionMnist;
import dev.lanes.autoencoder.io.AtomicFiles;
import dev.lanes.autoencoder.io.Json;
import dev.lanes.autoencoder.metrics.LinearProbe;
import dev.lanes.autoencoder.model.Autoencoder;
import dev.lanes.autoencoder.model.Config;
import dev.lanes.autoencoder.model.Model;
import dev.lanes.autoencoder.model.Models;
import dev.lanes.core.Lanes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The Fashion-MNIST table of the documentation: every preset model trained on the train split, evaluated
 * on the test split (MSE, FVU, L0, fraction of zeros, dead latents, linear-probe accuracy, training
 * samples/s), written to a Markdown file and a JSON file beside it, each atomically.
 * <pre>java --add-modules jdk.incubator.vector -cp ... dev.lanes.autoencoder.experiments.FashionTable \
 *     [--epochs 5] [--rows 0] [--models ae,linear,...] [--hidden topk=8192,...] [--out docs/models.md]</pre>
 */
@Command(name = "FashionTable", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train every preset model on Fashion-MNIST and write the results table (Markdown + JSON).")
public final class FashionTable extends Experiment {

    static final List<String> MODELS = List.of("ae", "linear", "dae", "sparse-l1", "sparse-kl", "topk", "rank-ordered");

    /**
     * Code widths: ae and dae as wide as the input (784-784-784, the anchor script's plain AE); linear
     * narrow (32), since a full-width linear AE only learns the identity; the sparse models overcomplete
     * like the anchor's SAEs (784-4096-784); rank-ordered 256 units, all ranked.
     */
    static final Map<String, Integer> DEFAULT_HIDDEN = Map.of("ae", 784, "linear", 32, "dae", 784,
            "sparse-l1", 4096, "sparse-kl", 4096, "topk", 4096, "rank-ordered", 256);

    @CommandLine.Mixin
    DataOptions input = new DataOptions();

    @CommandLine.Mixin
    TrainingOptions training = new TrainingOptions(5, 1e-3f);

    @Option(names = "--models", split = ",", paramLabel = "NAME", description = "models to train (default: all seven)")
    List<String> models;

    @Option(names = "--hidden", split = ",", paramLabel = "NAME=N", description = "code width per model, e.g. topk=8192")
    Map<String, Integer> hidden = new LinkedHashMap<>();

    @Option(names = "--probe-rows", paramLabel = "N",
            description = "training codes the linear probe learns from, 0 for all (default: ${DEFAULT-VALUE})")
    int probeRows = 10_000;

    @Option(names = "--out", paramLabel = "FILE.md", description = "the Markdown table; the JSON goes beside it (default: ${DEFAULT-VALUE})")
    Path out = Path.of("docs/models.md");

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** @return the exit code: 0, 2 for a user error, 1 for a failure */
    public static int run(String... args) {
        return run(new FashionTable(), args);
    }

    @Override
    public Integer call() throws IOException {
        if (models == null) {
            models = MODELS;
        }
        for (String m : models) {
            check(MODELS.contains(m), "--models: unknown model '" + m + "', expected some of " + MODELS);
        }
        for (Map.Entry<String, Integer> e : hidden.entrySet()) {
            check(MODELS.contains(e.getKey()), "--hidden: unknown model '" + e.getKey() + "', expected one of " + MODELS);
            check(e.getValue() >= 1, "--hidden " + e.getKey() + "=" + e.getValue() + ": expected >= 1");
        }
        check(probeRows >= 0, "--probe-rows=" + probeRows + ": expected >= 0 (0: all)");
        input.check(this);
        training.check(this);
        FashionMnist.Split split = Experiments.load(input.data, input.rows);
        Dataset train = split.train();
        Dataset test = split.test();
        int probe = probeRows == 0 ? train.n() : Math.min(probeRows, train.n());
        Map<String, Object> env = Experiments.environment(FashionTable.class.getName(), args);

        System.out.println(Experiments.fmt("FashionTable: %s (%d) -> %s (%d), %d epochs, batch %d, lr %s, %s, %d threads",
                train.name(), train.n(), test.name(), test.n(), training.epochs, training.batch, training.lr, Lanes.implementation(), Lanes.threads()));
        double pixelProbe = LinearProbe.fit(train.features(), train.labels(), probe, test.features(), test.labels(),
                test.n(), train.d(), 10, LinearProbe.Config.DEFAULT).testAccuracy();
        System.out.println(Experiments.fmt("  linear probe on raw pixels: %.4f", pixelProbe));

        List<Map<String, Object>> results = new ArrayList<>();
        for (String name : models) {
            int h = hidden.getOrDefault(name, DEFAULT_HIDDEN.get(name));
            Model model;
            String settings;
            try {
                if (name.equals("rank-ordered")) {
                    model = Models.rankOrdered(train.d(), h, h, training.seed).surrogateGradient(true, 0f);
                    settings = "tied, TReLU, " + h + " ranks, surrogate gradient";
                } else {
                    Autoencoder ae = Models.builder(name).inputs(train.d()).hidden(h).seed(training.seed).build();
                    model = ae;
                    settings = settings(ae.config());
                }
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--hidden " + name + "=" + h + ": " + e.getMessage());
            }
            Experiments.Training t = training.train(model, train);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("model", name);
            row.put("sizes", train.d() + "-" + h + "-" + train.d());
            row.put("settings", settings);
            row.put("epochs", training.epochs);
            row.put("steps", t.steps());
            row.put("train_loss", t.loss());
            row.putAll(evaluate(model, test));
            float[] trainCodes = Experiments.codes(model, train, probe);
            float[] testCodes = Experiments.codes(model, test, test.n());
            row.put("probe_accuracy", LinearProbe.fit(trainCodes, train.labels(), probe, testCodes, test.labels(),
                    test.n(), h, 10, LinearProbe.Config.DEFAULT).testAccuracy());
            row.put("samples_per_s", t.samplesPerSecond());
            row.put("train_seconds", t.seconds());
            results.add(row);
            System.out.println("  " + Json.compact(row));
        }

        Map<String, Object> doc = new LinkedHashMap<>(env);
        Map<String, Object> setup = new LinkedHashMap<>();
        setup.put("data", input.data.toString());
        setup.put("train_samples", train.n());
        setup.put("test_samples", test.n());
        setup.putAll(training.record());
        setup.put("probe_train_samples", probe);
        setup.put("probe", LinearProbe.Config.DEFAULT);
        setup.put("pixel_probe_accuracy", pixelProbe);
        doc.put("setup", setup);
        doc.put("results", results);
        Experiments.parentDirectories(out);
        Json.write(json(out), doc);
        AtomicFiles.writeString(out, markdown(env, setup, results, json(out).getFileName().toString()));
        System.out.println("FashionTable: wrote " + out + " and " + json(out));
        return 0;
    }

    /** The JSON file beside the Markdown one: {@code models.md -> models.json}. */
    static Path json(Path markdown) {
        String name = markdown.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return markdown.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".json");
    }

    static String settings(Config c) {
        List<String> s = new ArrayList<>();
        s.add(c.k() > 0 ? "TopK k=" + c.k() : c.hiddenActivation().name().toLowerCase(java.util.Locale.ROOT));
        if (c.l1() > 0f) {
            s.add("L1 " + c.l1());
        }
        if (c.beta() > 0f) {
            s.add("KL rho=" + c.rho() + " beta=" + c.beta());
        }
        if (c.noise() != null) {
            s.add(c.noise().name().toLowerCase(java.util.Locale.ROOT) + " " + c.noiseAmount());
        }
        if (c.preBias()) {
            s.add("pre-bias");
        }
        if (c.unitNormDecoder()) {
            s.add("unit-norm decoder");
        }
        if (c.kAux() > 0) {
            s.add("AuxK " + c.kAux());
        }
        if (c.tied()) {
            s.add("tied");
        }
        return String.join(", ", s);
    }

    /** Test-split reconstruction and sparsity: mse, fvu, l0, zero_fraction, dead_latents. */
    static Map<String, Object> evaluate(Model model, Dataset test) {
        Map<String, Object> all = Evaluation.of(model, test, test.n(), null, 0);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("test_mse", all.get("mse"));
        for (String key : new String[] {"fvu", "l0", "zero_fraction", "dead_latents"}) {
            m.put(key, all.get(key));
        }
        return m;
    }

    private static String markdown(Map<String, Object> env, Map<String, Object> setup, List<Map<String, Object>> rows,
                                   String jsonName) {
        StringBuilder s = new StringBuilder();
        s.append("# Models on Fashion-MNIST\n\n");
        s.append("Every preset model trained on Fashion-MNIST's train split and evaluated on its test split.\n");
        s.append("Generated by `FashionTable`; do not edit by hand (the numbers are in `")
                .append(jsonName).append("` beside this file too).\n\n");
        s.append("| | |\n| --- | --- |\n");
        s.append("| date (UTC) | ").append(env.get("date")).append(" |\n");
        s.append("| machine | ").append(env.get("machine")).append(" |\n");
        s.append("| JDK | ").append(env.get("jdk")).append(" |\n");
        s.append("| Lanes | ").append(env.get("implementation")).append(", ").append(env.get("threads"))
                .append(" threads; load average at the start ").append(env.get("load_average"))
                .append(" (samples/s are only comparable within a quiet run) |\n");
        s.append("| command | `").append(env.get("command")).append("` |\n");
        s.append("| data | ").append(setup.get("data")).append(": ").append(setup.get("train_samples"))
                .append(" training images, ").append(setup.get("test_samples")).append(" test images, pixels in [0, 1] |\n");
        int epochs = (Integer) setup.get("epochs");
        s.append("| training | ").append(epochs).append(epochs == 1 ? " epoch" : " epochs").append(", batch ").append(setup.get("batch"))
                .append(", Adam lr ").append(setup.get("lr")).append(", seed ").append(setup.get("seed"))
                .append(", shuffled each epoch |\n");
        s.append("| linear probe | softmax regression on the codes of the first ").append(setup.get("probe_train_samples"))
                .append(" training images, scored on all test codes; on the raw pixels it scores ")
                .append(Experiments.fmt("%.4f", (Double) setup.get("pixel_probe_accuracy"))).append(" |\n\n");
        s.append("| model | sizes | settings | test MSE | FVU | L0 | zeros | dead | probe acc. | train loss | samples/s |\n");
        s.append("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Map<String, Object> r : rows) {
            s.append(Experiments.fmt("| %s | %s | %s | %.5f | %.4f | %.1f | %.3f | %d | %.4f | %.5f | %.0f |\n",
                    r.get("model"), r.get("sizes"), r.get("settings"), (Double) r.get("test_mse"), (Double) r.get("fvu"),
                    (Double) r.get("l0"), (Double) r.get("zero_fraction"), (Integer) r.get("dead_latents"),
                    (Double) r.get("probe_accuracy"), (Double) r.get("train_loss"), (Double) r.get("samples_per_s")));
        }
        s.append("\n");
        s.append("- **test MSE**: mean over test images and pixels of (x - x̂)²; **FVU** = Σ‖x − x̂‖² / Σ‖x − x̄‖², "
                + "x̄ the test split's per-pixel mean.\n");
        s.append("- **L0**: mean number of non-zero code values per test image; **zeros**: fraction of exact zeros "
                + "among all code values; **dead**: code units never non-zero on the test split.\n");
        s.append("- **train loss**: mean training loss (penalties included) of the last 50 steps; "
                + "**samples/s**: training samples per second, data shuffling and copies included.\n");
        s.append("- Sizes: ae and dae as wide as the input (the anchor script's 784-784-784); linear narrow, since a "
                + "full-width linear AE learns the identity; the sparse models overcomplete like the anchor's SAEs; "
                + "rank-ordered: every unit ranked, loss over all prefixes (its L0 counts every unit with a "
                + "non-zero TReLU activation, not only those a short prefix uses).\n");
        return s.toString();
    }
}
