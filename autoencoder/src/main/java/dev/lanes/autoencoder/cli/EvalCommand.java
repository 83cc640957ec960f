package dev.lanes.autoencoder.cli;

import dev.lanes.autoencoder.data.Dataset;
import dev.lanes.autoencoder.io.Json;
import dev.lanes.autoencoder.model.Model;
import dev.lanes.autoencoder.model.Stacked;
import dev.lanes.autoencoder.model.StackedTraining;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lanes eval}: a saved model's metrics on a data set, as one JSON object on stdout. Every kind of model
 * file {@code lanes train} writes is accepted; a stacked model's metrics are those of its top code and its
 * reconstruction through the whole stack, plus its classifier's accuracy when it has one and the data are
 * labelled.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Print a saved model's metrics (MSE, FVU, L0, zeros, dead latents; MMCS on synthetic data) as JSON.",
                "Takes every model 'lanes train' writes; a stacked model with a classifier also reports its accuracy "
                        + "on labelled data."})
final class EvalCommand implements Callable<Integer> {

    /** The options {@code eval} and {@code encode} share. */
    static final class Inputs {
        @Option(names = "--model-file", required = true, paramLabel = "FILE", description = "a model.safetensors from 'lanes train' (any model)")
        Path modelFile;

        @Option(names = "--data", required = true, paramLabel = "synthetic|DIR|FILE.npy")
        String data;

        @Option(names = "--split", paramLabel = "train|test", defaultValue = "test",
                description = "which split of an IDX directory (default: test)")
        Split split;

        @Option(names = "--samples", paramLabel = "N", defaultValue = "0", description = "only the first N samples (0: all)")
        int samples;

        Model model;
        DataSource source;

        /** Loads the model and the data, and checks that they fit each other. */
        Dataset load() throws IOException {
            if (samples < 0) {
                throw new UserException("--samples=" + samples + ": expected >= 0");
            }
            model = ModelFiles.loadAny(modelFile);
            source = DataSource.load(data, samples);
            Dataset d = split == Split.train ? source.train() : source.test();
            if (d.d() != model.inputs()) {
                throw new UserException("--data " + data + ": samples have " + d.d() + " features, but the model "
                        + modelFile + " expects " + model.inputs());
            }
            return d;
        }
    }

    enum Split { train, test }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    Inputs inputs;

    @Override
    public Integer call() throws IOException {
        Dataset d = inputs.load();
        boolean synthetic = inputs.source.truth() != null;
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("model", inputs.modelFile.toString());
        result.put("data", d.name());
        result.put("metrics", Evaluation.of(inputs.model, d, d.n(), synthetic ? inputs.source.truth() : null,
                inputs.source.m()));
        if (inputs.model instanceof Stacked st && st.head() != null && d.hasLabels() && d.n() > 0) {
            result.put("accuracy", StackedTraining.accuracy(st, d));
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(Json.compact(result));
        out.flush();
        return 0;
    }
}
