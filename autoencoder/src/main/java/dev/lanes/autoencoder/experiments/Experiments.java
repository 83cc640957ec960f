package dev.lanes.autoencoder.experiments;

import dev.lanes.autoencoder.data.Dataset;
import dev.lanes.autoencoder.data.FashionMnist;
import dev.lanes.autoencoder.io.FileFormatException;
import dev.lanes.autoencoder.model.Model;
import dev.lanes.autoencoder.train.Adam;
import dev.lanes.autoencoder.train.LearningRate;
import dev.lanes.autoencoder.train.Trainer;
import dev.lanes.core.Lanes;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;

/** What the experiment mains share: running a command, the environment record, data, training. */
final class Experiments {

    private Experiments() {
    }

    /**
     * Runs a picocli command: exit 0 on success, 2 with one line on stderr for a bad option (picocli's
     * ParameterException) or a missing or malformed input file, 1 with a stack trace for anything else.
     */
    static int run(Object command, String... args) {
        CommandLine cl = new CommandLine(command);
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof FileFormatException) {
                PrintWriter err = line.getErr();
                err.println(line.getCommandSpec().name() + ": " + e.getMessage());
                err.flush();
                return 2;
            }
            throw e;
        });
        return cl.execute(args);
    }

    /** The record that makes a figure reproducible: when, where, with what, by which command. */
    static Map<String, Object> environment(String main, String[] args) {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        env.put("machine", machine());
        env.put("jdk", System.getProperty("java.vm.vendor") + " " + Runtime.version());
        env.put("implementation", Lanes.implementation());
        env.put("threads", Lanes.threads());
        env.put("load_average", loadAverage());
        env.put("command", command(main, args));
        return env;
    }

    static String command(String main, String[] args) {
        StringBuilder s = new StringBuilder("java --add-modules jdk.incubator.vector -cp CLASSPATH ")
                .append(main);
        for (String a : args) {
            s.append(' ').append(a.isEmpty() || a.contains(" ") ? "'" + a + "'" : a);
        }
        return s.toString();
    }

    /**
     * The 1, 5 and 15 minute load averages at the start (Linux), so that a timing taken on a busy machine
     * says so; "unknown" elsewhere.
     */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f.length >= 3 ? f[0] + " " + f[1] + " " + f[2] : "unknown";
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** The CPU model and core count from /proc/cpuinfo (Linux), else the OS name and architecture. */
    static String machine() {
        String model = null;
        int cores = Runtime.getRuntime().availableProcessors();
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            for (String l : lines) {
                if (l.startsWith("model name")) {
                    model = l.substring(l.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall back to what the JVM knows
        }
        if (model == null) {
            model = System.getProperty("os.name") + " " + System.getProperty("os.arch");
        }
        return model + ", " + cores + " cores";
    }

    /** Fashion-MNIST with each split cut to its first {@code rows} images (0: all). */
    static FashionMnist.Split load(Path dir, int rows) throws IOException {
        FashionMnist.Split s = FashionMnist.load(dir);
        if (rows == 0) {
            return s;
        }
        return new FashionMnist.Split(first(s.train(), rows), first(s.test(), rows));
    }

    static Dataset first(Dataset d, int rows) {
        return rows >= d.n() ? d : d.slice(0, rows, d.name());
    }

    /**
     * What one training run cost.
     *
     * @param steps optimizer steps
     * @param seconds wall-clock time of the steps (data copies and shuffles included)
     * @param samplesPerSecond samples seen per second
     * @param loss mean training loss of the last (at most 50) steps
     */
    record Training(long steps, double seconds, double samplesPerSecond, double loss) {
    }

    /** Trains with Adam for {@code epochs} passes over {@code data} in shuffled mini-batches (seeded). */
    static Training train(Model model, Dataset data, int epochs, int batch, LearningRate lr, long seed) {
        if (epochs < 1 || batch < 1) {
            throw new IllegalArgumentException("training: epochs=" + epochs + " and batch=" + batch + " must be >= 1");
        }
        long steps = (long) epochs * ((data.n() + batch - 1) / batch);
        Trainer trainer = new Trainer(model, Adam.defaults(), lr, batch, seed, 0f);
        long t0 = System.nanoTime();
        float loss = trainer.fit(data.features(), data.n(), steps);
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Training(steps, seconds, (double) epochs * data.n() / seconds, loss);
    }

    /** The codes of the first {@code rows} samples, (rows, model.codes()), in batches. */
    static float[] codes(Model model, Dataset data, int rows) {
        int d = data.d();
        int h = model.codes();
        float[] out = new float[Math.multiplyExact(rows, h)];
        int cap = Math.min(1024, Math.max(rows, 1));
        float[] x = new float[cap * d];
        float[] c = new float[cap * h];
        for (int r = 0; r < rows; r += cap) {
            int b = Math.min(cap, rows - r);
            System.arraycopy(data.features(), r * d, x, 0, b * d);
            model.encode(b, x, c);
            System.arraycopy(c, 0, out, r * h, b * h);
        }
        return out;
    }

    /** Creates the directory of {@code file} when missing. */
    static void parentDirectories(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }

    static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
