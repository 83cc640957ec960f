package dev.lanes.autoencoder.experiments;

import dev.lanes.autoencoder.data.Dataset;
import dev.lanes.autoencoder.data.FashionMnist;
import dev.lanes.autoencoder.model.Model;
import dev.lanes.autoencoder.train.LearningRate;
import dev.lanes.core.Lanes;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The shape every experiment main shares: a picocli command that remembers its arguments for the record. */
abstract class Experiment implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The arguments as given, for the command line written beside the figures. */
    String[] args = new String[0];

    /** Runs {@code e} on {@code args}: see {@link Experiments#run}. */
    static int run(Experiment e, String... args) {
        e.args = args.clone();
        return Experiments.run(e, args);
    }

    /** Fails with a usage error (exit code 2) naming the option, unless {@code ok}. */
    final void check(boolean ok, String message) {
        if (!ok) {
            throw new CommandLine.ParameterException(spec.commandLine(), message);
        }
    }

    /** Where the images come from. */
    static final class DataOptions {
        @Option(names = "--data", paramLabel = "DIR", description = "Fashion-MNIST directory (default: ${DEFAULT-VALUE})")
        Path data = FashionMnist.DEFAULT_DIR;

        @Option(names = "--rows", paramLabel = "N", description = "use the first N images of each split, 0 for all (smoke runs)")
        int rows;

        void check(Experiment e) {
            e.check(rows >= 0, "--rows=" + rows + ": expected >= 0 (0: all)");
        }
    }

    /** Mini-batch Adam training; the defaults are the command's. */
    static final class TrainingOptions {
        @Option(names = "--epochs", paramLabel = "E", description = "passes over the training data (default: ${DEFAULT-VALUE})")
        int epochs;

        @Option(names = "--batch", paramLabel = "B", description = "(default: ${DEFAULT-VALUE})")
        int batch = 256;

        @Option(names = "--lr", paramLabel = "LR", description = "Adam learning rate (default: ${DEFAULT-VALUE})")
        float lr;

        @Option(names = "--seed", paramLabel = "S", description = "(default: ${DEFAULT-VALUE})")
        long seed = 1;

        @Option(names = "--threads", paramLabel = "T", description = "worker threads (default: all cores)")
        Integer threads;

        TrainingOptions(int epochs, float lr) {
            this.epochs = epochs;
            this.lr = lr;
        }

        /** Trains {@code model} on {@code data} at the constant learning rate {@code --lr}. */
        Experiments.Training train(Model model, Dataset data) {
            return Experiments.train(model, data, epochs, batch, LearningRate.constant(lr), seed);
        }

        /** @return epochs, batch, optimizer, lr and seed, for the JSON beside a figure */
        Map<String, Object> record() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epochs", epochs);
            m.put("batch", batch);
            m.put("optimizer", "adam");
            m.put("lr", lr);
            m.put("seed", seed);
            return m;
        }

        /** Checks the ranges and applies {@code --threads}. */
        void check(Experiment e) {
            e.check(epochs >= 1, "--epochs=" + epochs + ": expected >= 1");
            e.check(batch >= 1, "--batch=" + batch + ": expected >= 1");
            e.check(lr > 0f && Float.isFinite(lr), "--lr=" + lr + ": expected a finite value > 0");
            e.check(threads == null || (threads >= 1 && threads <= 1024), "--threads=" + threads + ": expected 1..1024");
            if (threads != null) {
                Lanes.setThreads(threads);
            }
        }
    }
}
