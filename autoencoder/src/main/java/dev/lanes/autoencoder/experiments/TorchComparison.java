package dev.lanes.autoencoder.experiments;

import dev.lanes.autoencoder.data.Dataset;
import dev.lanes.autoencoder.io.Json;
import dev.lanes.autoencoder.model.Autoencoder;
import dev.lanes.autoencoder.model.Models;
import dev.lanes.autoencoder.train.Adam;
import dev.lanes.autoencoder.train.LearningRate;
import dev.lanes.autoencoder.train.Trainer;
import dev.lanes.core.Lanes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Lanes beside {@code shared/anchors/torch_sae.py}, in one sitting, on one thread each: the same models
 * ({@code ae} 784-784-784 and {@code dae}; {@code sparse-l1} as the script's {@code l1}, {@code sparse-kl} as
 * its {@code kl}, 784-4096-784), PyTorch's {@code nn.Linear} initialisation, Adam lr 1e-3, batch 256, the
 * same batches in the same order (10 warm-up steps on the first 10 slices of the training images, then
 * {@code --steps} timed steps on consecutive slices), loss = mean MSE over all elements plus the penalty
 * (L1: {@code lam * mean over samples of sum|h|}; KL: sigmoid units, rho 0.05, beta 3, rho-hat clamped to
 * [1e-6, 1 - 1e-6]). Prints the final training loss and samples/s of both and the ratios (acceptance:
 * loss within 1.05 x PyTorch's, samples/s at least 1.3 x).
 *
 * <p>The JVM compiles the Vector API code while it runs; so that the timed steps measure compiled code
 * and the loss still comes from exactly the script's schedule, {@code --jit-warmup} steps are first run on a
 * throwaway model of the same shape, then a fresh model follows the script's schedule. With
 * {@code --jit-warmup 0} the figures include compilation.
 * <pre>java --add-modules jdk.incubator.vector -cp ... dev.lanes.autoencoder.experiments.TorchComparison \
 *     [--models ae,sparse-l1,sparse-kl] [--steps 100] [--no-torch] [--json FILE]</pre>
 */
@Command(name = "TorchComparison", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train the anchor script's models with Lanes and with PyTorch (1 thread) and compare loss and samples/s.")
public final class TorchComparison extends Experiment {

    /** Lanes model name to the script's {@code --model} and {@code --hidden}. */
    static final Map<String, String> SCRIPT_MODEL = Map.of("ae", "ae", "dae", "dae", "sparse-l1", "l1", "sparse-kl", "kl");
    static final Map<String, Integer> HIDDEN = Map.of("ae", 784, "dae", 784, "sparse-l1", 4096, "sparse-kl", 4096);
    private static final Pattern TORCH_LINE = Pattern.compile("([0-9.]+) samples/s, loss ([0-9.eE+-]+|nan|inf)");

    /** {@code --rows} cuts Lanes' side only (smoke runs); the script always reads every image. */
    @CommandLine.Mixin
    DataOptions input = new DataOptions();

    @Option(names = "--models", split = ",", paramLabel = "NAME", description = "ae, dae, sparse-l1, sparse-kl (default: ae,sparse-l1,sparse-kl)")
    List<String> models;

    @Option(names = "--steps", paramLabel = "S", description = "timed steps, as the script's --steps (default: ${DEFAULT-VALUE})")
    int steps = 100;

    @Option(names = "--jit-warmup", paramLabel = "S", description = "steps on a throwaway model first (default: ${DEFAULT-VALUE})")
    int jitWarmup = 60;

    @Option(names = "--no-torch", description = "print Lanes' side only")
    boolean noTorch;

    @Option(names = "--python", paramLabel = "EXE", description = "(default: ${DEFAULT-VALUE})")
    Path python = Path.of("/usr/bin/python3");

    @Option(names = "--script", paramLabel = "FILE", description = "(default: ${DEFAULT-VALUE})")
    Path script = Path.of("/work/shared/anchors/torch_sae.py");

    @Option(names = "--json", paramLabel = "FILE", description = "also write the figures as JSON (atomically)")
    Path json;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** @return the exit code: 0, 2 for a user error, 1 for a failure */
    public static int run(String... args) {
        return run(new TorchComparison(), args);
    }

    /**
     * One side's figures.
     *
     * @param samplesPerSecond over the timed steps
     * @param loss the last step's loss (before its update), as the script prints it
     */
    record Side(double samplesPerSecond, double loss) {
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (models == null) {
            models = List.of("ae", "sparse-l1", "sparse-kl");
        }
        for (String m : models) {
            check(SCRIPT_MODEL.containsKey(m), "--models: '" + m + "' is not one of " + SCRIPT_MODEL.keySet());
        }
        check(steps >= 1, "--steps=" + steps + ": expected >= 1");
        check(jitWarmup >= 0, "--jit-warmup=" + jitWarmup + ": expected >= 0");
        input.check(this);
        boolean torch = !noTorch && Files.isRegularFile(script) && Files.isExecutable(python);
        if (!noTorch && !torch) {
            System.out.println("TorchComparison: " + script + " or " + python + " not found; Lanes' side only");
        }
        Lanes.setThreads(1);
        Dataset train = Experiments.load(input.data, input.rows).train();
        check(train.n() > 256, "--rows=" + input.rows + ": need more than one batch of 256 images");

        List<Map<String, Object>> results = new ArrayList<>();
        for (String m : models) {
            Side lanes = lanes(m, train);
            System.out.println(Experiments.fmt("lanes %s threads=%d model=%s 784-%d-784 batch=256: %.0f samples/s, loss %.4f",
                    Lanes.implementation(), Lanes.threads(), m, HIDDEN.get(m), lanes.samplesPerSecond(), lanes.loss()));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("model", m);
            row.put("sizes", "784-" + HIDDEN.get(m) + "-784");
            row.put("lanes", lanes);
            if (torch) {
                Side t = torch(m);
                System.out.println(Experiments.fmt("  torch: %.0f samples/s, loss %.4f;  lanes/torch: speed %.2fx (need >= 1.3), "
                                + "loss %.3fx (need <= 1.05)", t.samplesPerSecond(), t.loss(),
                        lanes.samplesPerSecond() / t.samplesPerSecond(), lanes.loss() / t.loss()));
                row.put("torch", t);
                row.put("speed_ratio", lanes.samplesPerSecond() / t.samplesPerSecond());
                row.put("loss_ratio", lanes.loss() / t.loss());
            }
            results.add(row);
        }
        if (json != null) {
            Map<String, Object> doc = new LinkedHashMap<>(Experiments.environment(TorchComparison.class.getName(), args));
            Map<String, Object> setup = new LinkedHashMap<>();
            setup.put("steps", steps);
            setup.put("warmup_steps", 10);
            setup.put("jit_warmup_steps", jitWarmup);
            setup.put("batch", 256);
            setup.put("optimizer", "adam lr 1e-3");
            setup.put("threads", 1);
            setup.put("script", torch ? script.toString() : null);
            doc.put("setup", setup);
            doc.put("results", results);
            Experiments.parentDirectories(json);
            Json.write(json, doc);
        }
        return 0;
    }

    private Autoencoder model(String m) {
        return Models.builder(m).inputs(784).hidden(HIDDEN.get(m)).seed(0).build();
    }

    private Side lanes(String m, Dataset train) {
        int batch = 256;
        float[] x = train.features();
        int span = train.n() - batch;
        float[] buf = new float[batch * 784];
        if (jitWarmup > 0) {
            Trainer warm = new Trainer(model(m), Adam.defaults(), LearningRate.constant(1e-3f), batch, 0, 0f);
            for (int s = 0; s < jitWarmup; s++) {
                System.arraycopy(x, (int) ((long) s * batch % span) * 784, buf, 0, batch * 784);
                warm.trainStep(batch, buf);
            }
        }
        // the script's schedule: 10 steps on X[s*bs:(s+1)*bs], then `steps` timed steps on X[o:o+bs], o = s*bs % n
        Trainer t = new Trainer(model(m), Adam.defaults(), LearningRate.constant(1e-3f), batch, 0, 0f);
        for (int s = 0; s < 10; s++) {
            System.arraycopy(x, (int) ((long) s * batch % span) * 784, buf, 0, batch * 784);
            t.trainStep(batch, buf);
        }
        float loss = Float.NaN;
        long t0 = System.nanoTime();
        for (int s = 0; s < steps; s++) {
            System.arraycopy(x, (int) ((long) s * batch % span) * 784, buf, 0, batch * 784);
            loss = t.trainStep(batch, buf);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Side((double) steps * batch / seconds, loss);
    }

    private Side torch(String m) throws IOException, InterruptedException {
        List<String> cmd = List.of(python.toString(), script.toString(), "--threads", "1", "--model", SCRIPT_MODEL.get(m),
                "--hidden", Integer.toString(HIDDEN.get(m)), "--batch", "256", "--steps", Integer.toString(steps),
                "--data", input.data.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output;
        try (InputStream in = p.getInputStream()) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            in.transferTo(buf);
            output = buf.toString(StandardCharsets.UTF_8);
        }
        int code = p.waitFor();
        Matcher matcher = TORCH_LINE.matcher(output);
        if (code != 0 || !matcher.find()) {
            throw new IOException("torch_sae.py exited with " + code + " without its result line: " + output.strip());
        }
        System.out.println("  " + output.strip().lines().reduce((a, b) -> b).orElse(""));
        return new Side(Double.parseDouble(matcher.group(1)), Double.parseDouble(matcher.group(2)));
    }
}
