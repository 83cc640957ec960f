package dev.lanes.autoencoder.cli;

import dev.lanes.autoencoder.data.Dataset;
import dev.lanes.autoencoder.io.Json;
import dev.lanes.autoencoder.model.Autoencoder;
import dev.lanes.autoencoder.model.Model;
import dev.lanes.autoencoder.model.Models;
import dev.lanes.autoencoder.model.RankOrdered;
import dev.lanes.autoencoder.model.Stacked;
import dev.lanes.autoencoder.model.StackedConfig;
import dev.lanes.autoencoder.sparse.SparseTopK;
import dev.lanes.autoencoder.sparse.SparseTrainer;
import dev.lanes.autoencoder.train.Adam;
import dev.lanes.autoencoder.train.Checkpoint;
import dev.lanes.autoencoder.train.DivergedException;
import dev.lanes.autoencoder.train.Optimizer;
import dev.lanes.autoencoder.train.Sgd;
import dev.lanes.autoencoder.train.TrainStep;
import dev.lanes.autoencoder.train.Trainer;
import dev.lanes.autoencoder.train.TrainingRun;
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
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lanes train}: parses the options into {@link TrainSettings}, builds the model, the optimizer and the
 * data split, and hands the loop to {@link TrainingRun}; then writes {@code model.safetensors},
 * {@code summary.json} and the pictures ({@link TrainOutputs}). {@code metrics.jsonl} and
 * {@code checkpoint.safetensors} are written while it trains. Every file is written atomically.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train an autoencoder and write model.safetensors, metrics.jsonl, summary.json, "
                + "checkpoint.safetensors and PNGs into --out.",
                "Models: ae, linear, dae, sparse-l1, sparse-kl, topk, rank-ordered (one hidden layer) and stacked "
                        + "(several --hidden widths: greedy denoising pretraining of each layer for --pretrain-epochs, "
                        + "then --finetune-epochs of end-to-end fine-tuning, supervised with a softmax head when the "
                        + "data are labelled, else reconstruction). A stacked run writes no checkpoint and cannot be "
                        + "resumed; --steps, --schedule, --clip, --log-every and --checkpoint-every do not apply to it."})
final class TrainCommand implements Callable<Integer> {

    /** Rows evaluated after each epoch when there is no validation split (the final metrics use all rows). */
    static final int EPOCH_EVAL_ROWS = 4096;

    /** The model names {@code --model} accepts. */
    static final List<String> MODELS = Models.ALL;

    /** The options a stacked run does not take (its training is not a {@link TrainingRun}). */
    private static final List<String> NOT_STACKED = List.of("--k", "--l1", "--rho", "--beta", "--ranks", "--surrogate",
            "--steps", "--schedule", "--clip", "--log-every", "--checkpoint-every");
    /** The options only a stacked run takes. */
    private static final List<String> STACKED_ONLY = List.of("--pretrain-epochs", "--finetune-epochs", "--no-pretrain");

    /** The options the sparse path does not support (it has no dense gradient to clip, decay or penalise). */
    private static final List<String> SPARSE_UNSUPPORTED = List.of("--clip", "--schedule", "--weight-decay", "--noise",
            "--l1", "--rho", "--beta");

    /** The options that may accompany {@code --resume}: they change how long and how visibly it runs, not what. */
    private static final Set<String> RESUME_OPTIONS = Set.of("--resume", "--out", "--epochs", "--steps", "--threads",
            "--log-every", "--checkpoint-every");

    private static final String METRICS = "metrics.jsonl";
    /** Checkpoint metadata key of the training rows' fingerprint. */
    private static final String DATA_KEY = "lanes.train_data";

    enum OptimizerName { adam, adamw, sgd }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", paramLabel = "NAME", description = "ae, linear, dae, sparse-l1, sparse-kl, topk, rank-ordered or stacked")
    String model;

    @Option(names = "--hidden", split = ",", splitSynopsisLabel = ",", paramLabel = "N",
            description = "hidden width(s): one for the single-layer models, bottom first for stacked (e.g. 1000,1000,1000)")
    List<Integer> hidden;

    @Option(names = "--k", paramLabel = "K", description = "TopK: latents kept per sample (default of topk: 32)")
    Integer k;

    @Option(names = "--l1", paramLabel = "LAMBDA", description = "L1 penalty on the code")
    Float l1;

    @Option(names = "--rho", paramLabel = "RHO", description = "KL sparsity target (with --beta)")
    Float rho;

    @Option(names = "--beta", paramLabel = "BETA", description = "KL sparsity weight")
    Float beta;

    @Option(names = "--noise", paramLabel = "masking:P|gaussian:SIGMA", converter = Noise.Converter.class,
            description = "input corruption during training (stacked: masking:P of each pretrained layer's input, default 0.25)")
    Noise noise;

    @Option(names = "--ranks", paramLabel = "R", description = "rank-ordered: ranks in the loss (default: all hidden units)")
    Integer ranks;

    @Option(names = "--surrogate", paramLabel = "MIN",
            description = "rank-ordered: Bertens' custom TReLU derivative, passing gradients above MIN (default: the true one)")
    Float surrogate;

    @Option(names = "--pretrain-epochs", paramLabel = "P",
            description = "stacked: epochs of denoising pretraining per layer (default: --epochs)")
    Integer pretrainEpochs;

    @Option(names = "--finetune-epochs", paramLabel = "F",
            description = "stacked: epochs of end-to-end fine-tuning (default: --epochs)")
    Integer fineTuneEpochs;

    @Option(names = "--no-pretrain",
            description = "stacked: skip the pretraining; fine-tune from the random initialisation (the baseline)")
    boolean noPretrain;

    @Option(names = "--sparse",
            description = "topk: train on the sparse-aware path (only the k active latents per sample in the decoder, "
                    + "the backward and Adam; the same model and file as the dense path); Adam at a constant --lr, "
                    + "without --clip, --schedule, --weight-decay or --noise")
    boolean sparse;

    @Option(names = "--data", paramLabel = "synthetic|DIR|FILE.npy",
            description = "the embedded synthetic dictionary data, an MNIST-family IDX directory, or a float32 .npy")
    String data;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "0",
            description = "use only the first N samples of each split (0: all)")
    int samples;

    @Option(names = "--validation", paramLabel = "F|N", converter = Validation.Converter.class,
            description = "hold out a fraction F or N rows of the training split (seeded); each epoch is evaluated on them")
    Validation validation;

    @CommandLine.ArgGroup(exclusive = true)
    Length length;

    static final class Length {
        @Option(names = "--epochs", paramLabel = "E",
                description = "passes over the data (default 5); stacked: of each phase")
        Integer epochs;

        @Option(names = "--steps", paramLabel = "S", description = "optimizer steps")
        Long steps;
    }

    @Option(names = "--batch", paramLabel = "B", defaultValue = "256", description = "rows per step (default 256)")
    int batch;

    @Option(names = "--lr", paramLabel = "LR", defaultValue = "1e-3", description = "(peak) learning rate")
    float lr;

    @Option(names = "--schedule", paramLabel = "constant|cosine[:WARMUP]", defaultValue = "constant",
            converter = Schedule.Converter.class,
            description = "learning-rate schedule: constant, or linear warm-up over WARMUP steps then cosine decay to 0")
    Schedule schedule;

    @Option(names = "--optimizer", paramLabel = "adam|adamw|sgd", defaultValue = "adam",
            description = "Adam, AdamW (decoupled weight decay) or SGD with momentum (default adam)")
    OptimizerName optimizer;

    @Option(names = "--momentum", paramLabel = "M", description = "sgd: momentum (default 0.9)")
    Float momentum;

    @Option(names = "--nesterov", description = "sgd: Nesterov momentum")
    boolean nesterov;

    @Option(names = "--weight-decay", paramLabel = "WD",
            description = "adamw: decoupled decay (default 0.01); adam, sgd: L2 added to the gradient (default 0)")
    Float weightDecay;

    @Option(names = "--clip", paramLabel = "NORM", defaultValue = "0", description = "clip the gradient norm to NORM (0: off)")
    float clip;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "initialisation, noise, shuffling and validation-split seed (default 1)")
    long seed;

    @Option(names = "--threads", paramLabel = "T", description = "worker threads (default: all cores)")
    Integer threads;

    @Option(names = "--log-every", paramLabel = "N", description = "a metrics line every N steps (default: per epoch only)")
    Long logEvery;

    @Option(names = "--checkpoint-every", paramLabel = "N",
            description = "write checkpoint.safetensors every N steps (default: at the end only)")
    Long checkpointEvery;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "continue the run whose --out is DIR from its checkpoint, exactly (settings come from it)")
    Path resume;

    @Option(names = "--out", paramLabel = "DIR", description = "output directory (created if missing; with --resume: DIR)")
    Path out;

    private void check(boolean ok, String message) {
        if (!ok) {
            throw new CommandLine.ParameterException(spec.commandLine(), message);
        }
    }

    private void checkRunOptions() {
        if (length != null && length.epochs != null) {
            check(length.epochs >= 1, "--epochs=" + length.epochs + ": expected >= 1");
        }
        if (length != null && length.steps != null) {
            check(length.steps >= 1 && length.steps <= TrainingRun.MAX_STEPS,
                    "--steps=" + length.steps + ": expected 1.." + TrainingRun.MAX_STEPS);
        }
        check(threads == null || (threads >= 1 && threads <= 1024), "--threads=" + threads + ": expected 1..1024");
        check(logEvery == null || logEvery >= 1, "--log-every=" + logEvery + ": expected >= 1");
        check(checkpointEvery == null || checkpointEvery >= 1, "--checkpoint-every=" + checkpointEvery + ": expected >= 1");
        check(out == null || !Files.exists(out) || Files.isDirectory(out), "--out=" + out + ": exists and is not a directory");
    }

    private void checkModelOptions() {
        check(model != null, "missing required option: --model");
        check(hidden != null, "missing required option: --hidden");
        check(data != null, "missing required option: --data");
        check(out != null, "missing required option: --out");
        check(MODELS.contains(model), "--model: unknown model '" + model + "', expected one of " + MODELS);
        for (int h : hidden) {
            check(h >= 1, "--hidden=" + h + ": expected widths >= 1");
        }
        if (model.equals(Models.STACKED_NAME)) {
            checkStackedOptions();
        } else {
            for (String o : STACKED_ONLY) {
                check(!matched(o), o + " applies to --model stacked only");
            }
        }
        check(hidden.size() == 1 || model.equals(Models.STACKED_NAME), "--hidden: model '" + model + "' has one hidden layer and takes one width, got "
                + hidden.size() + " " + hidden);
        int width = hidden.getLast();
        if (k != null) {
            check(k >= 1, "--k=" + k + ": expected >= 1");
            check(k <= width, "--k=" + k + " exceeds --hidden=" + width + ": expected k <= hidden");
        }
        check(l1 == null || (l1 >= 0f && Float.isFinite(l1)), "--l1=" + l1 + ": expected a finite value >= 0");
        check(beta == null || (beta >= 0f && Float.isFinite(beta)), "--beta=" + beta + ": expected a finite value >= 0");
        check(rho == null || (rho > 0f && rho < 1f), "--rho=" + rho + ": expected a value in (0, 1)");
        check((rho == null) == (beta == null), "--rho and --beta go together: give both or neither");
        if (model.equals("rank-ordered")) {
            check(k == null && l1 == null && rho == null && noise == null,
                    "--k, --l1, --rho, --beta and --noise do not apply to rank-ordered");
            check(ranks == null || (ranks >= 1 && ranks <= width),
                    "--ranks=" + ranks + ": expected 1..--hidden=" + width);
            check(surrogate == null || (surrogate >= 0f && Float.isFinite(surrogate)),
                    "--surrogate=" + surrogate + ": expected a finite value >= 0");
        } else {
            check(ranks == null && surrogate == null, "--ranks and --surrogate apply to rank-ordered only");
        }
        check(samples >= 0, "--samples=" + samples + ": expected >= 0");
        check(batch >= 1, "--batch=" + batch + ": expected >= 1");
        check(lr > 0f && Float.isFinite(lr), "--lr=" + lr + ": expected a finite value > 0");
        check(clip >= 0f && Float.isFinite(clip), "--clip=" + clip + ": expected a finite value >= 0 (0: off)");
        if (optimizer == OptimizerName.sgd) {
            check(momentum == null || (momentum >= 0f && momentum < 1f), "--momentum=" + momentum + ": expected [0, 1)");
            check(!nesterov || momentum == null || momentum > 0f, "--nesterov needs --momentum > 0");
        } else {
            check(momentum == null && !nesterov, "--momentum and --nesterov apply to --optimizer sgd only");
        }
        check(weightDecay == null || (weightDecay >= 0f && Float.isFinite(weightDecay)),
                "--weight-decay=" + weightDecay + ": expected a finite value >= 0");
        if (sparse) {
            checkSparseOptions();
        }
    }

    /** --sparse trains SparseTopK with its fused step: topk only, Adam at a constant rate, nothing it lacks. */
    private void checkSparseOptions() {
        check(model.equals("topk"), "--sparse applies to --model topk only, got --model " + model);
        check(optimizer == OptimizerName.adam, "--sparse trains with Adam only, got --optimizer " + optimizer);
        for (String o : SPARSE_UNSUPPORTED) {
            check(!matched(o), o + " is not supported with --sparse (the sparse step is Adam at a constant --lr, "
                    + "on the topk model without noise or penalties); drop it or train without --sparse");
        }
    }

    private boolean matched(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    private void checkStackedOptions() {
        for (String o : NOT_STACKED) {
            check(!matched(o), o + " does not apply to --model stacked (it trains by epochs, in phases; see --help)");
        }
        check(noise == null || noise.kind() == dev.lanes.autoencoder.nn.Corruption.Kind.MASKING,
                "--noise: stacked pretraining takes masking:P only, got " + noise);
        check(pretrainEpochs == null || pretrainEpochs >= 1, "--pretrain-epochs=" + pretrainEpochs
                + ": expected >= 1 (use --no-pretrain for none)");
        check(pretrainEpochs == null || !noPretrain, "--pretrain-epochs and --no-pretrain exclude each other");
        check(fineTuneEpochs == null || fineTuneEpochs >= 0, "--finetune-epochs=" + fineTuneEpochs + ": expected >= 0");
    }

    /** With --resume, every option that would change what is computed comes from the checkpoint. */
    private void checkResumeOptions() {
        for (CommandLine.Model.OptionSpec o : spec.commandLine().getParseResult().matchedOptions()) {
            check(RESUME_OPTIONS.contains(o.longestName()) || o.usageHelp() || o.versionHelp(),
                    "--resume: " + o.longestName() + " comes from the checkpoint and cannot be changed; only "
                            + "--out, --epochs, --steps, --threads, --log-every and --checkpoint-every may be given");
        }
    }

    @Override
    public Integer call() throws IOException {
        checkRunOptions();
        Checkpoint checkpoint = null;
        Path checkpointFile = null;
        TrainSettings settings;
        if (resume != null) {
            checkResumeOptions();
            checkpointFile = Files.isDirectory(resume) ? resume.resolve(Checkpoint.FILE) : resume;
            if (!Files.isRegularFile(checkpointFile)) {
                throw new UserException("--resume: " + checkpointFile + ": no such file (expected the --out directory "
                        + "of an earlier 'lanes train' run, holding " + Checkpoint.FILE + "; stacked runs write none "
                        + "and cannot be resumed)");
            }
            checkpoint = Checkpoint.read(checkpointFile);
            settings = TrainSettings.fromJson(checkpointFile, checkpoint.metadata().get(TrainSettings.KEY));
            if (out == null) {
                out = checkpointFile.toAbsolutePath().getParent();
            }
        } else {
            checkModelOptions();
            settings = settings();
        }
        if (threads != null) {
            Lanes.setThreads(threads);
        }

        DataSource src = DataSource.load(settings.data(), settings.samples());
        Dataset train = src.train();
        Dataset valid = null;
        if (settings.validation() != null) {
            Dataset[] parts = Validation.parse(settings.validation()).split(train, settings.seed());
            train = parts[0];
            valid = parts[1];
        }
        int n = train.n();
        if (settings.model().equals(Models.STACKED_NAME)) {
            Files.createDirectories(out);
            return new StackedRun(out, settings, src, train, valid, spec.commandLine().getOut()).run();
        }
        long perEpoch = (n + settings.batch() - 1) / settings.batch();
        long total = length != null && length.steps != null ? length.steps
                : length != null && length.epochs != null ? length.epochs * perEpoch
                : checkpoint != null ? settings.steps() : 5 * perEpoch;
        if (total > TrainingRun.MAX_STEPS) {
            throw new UserException("--epochs: " + total + " steps exceed the maximum of " + TrainingRun.MAX_STEPS);
        }
        settings = settings.withRun(total, logEvery != null ? logEvery : settings.logEvery(),
                checkpointEvery != null ? checkpointEvery : settings.checkpointEvery());
        if (checkpoint != null) {
            if (!dataHash(train).equals(checkpoint.metadata().get(DATA_KEY))) {
                throw new UserException("--resume: the training data differ from the checkpoint's (" + settings.data()
                        + ", " + n + " rows after the split); cannot continue exactly");
            }
            if (checkpoint.step() > total) {
                throw new UserException("--resume: the checkpoint is at step " + checkpoint.step() + ", beyond the "
                        + "requested total of " + total + " steps");
            }
        }

        Model m = buildModel(settings, train.d());
        TrainStep trainer;
        if (settings.sparse()) {
            SparseTopK s = sparseModel(m, settings);
            trainer = new SparseTrainer(s, settings.batch(), settings.seed());
            m = s;
        } else {
            trainer = new Trainer(m, optimizer(settings), Schedule.parse(settings.schedule()).rate(settings.lr(), total),
                    settings.batch(), settings.seed(), settings.clip());
        }
        Files.createDirectories(out);
        Path ckpt = out.resolve(Checkpoint.FILE);
        PrintWriter stdout = spec.commandLine().getOut();
        // a console is not a terminal when the streams are redirected (JDK 22+ may return one then)
        java.io.Console console = System.console();
        Progress progress = new Progress(console != null && console.isTerminal(), Progress.PLAIN_INTERVAL, System.err);
        Dataset evalSet = valid != null ? valid : src.test();
        int evalRows = valid != null ? valid.n() : Math.min(EPOCH_EVAL_ROWS, evalSet.n());
        String evalName = valid != null ? "validation" : evalSet.name() + "[0:" + evalRows + "]";
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(TrainSettings.KEY, settings.toJson());
        meta.put(DATA_KEY, dataHash(train));
        TrainingRun.Builder builder = TrainingRun.builder(trainer, train.features(), n).totalSteps(total)
                .logEvery(settings.logEvery()).checkpointEvery(settings.checkpointEvery()).checkpointFile(ckpt)
                .checkpointMetadata(meta).resume(checkpoint)
                .evaluator(model -> {
                    Map<String, Object> ev = new LinkedHashMap<>();
                    ev.put("set", evalName);
                    ev.putAll(Evaluation.of(model, evalSet, evalRows, src.truth(), src.m()));
                    return ev;
                });
        TrainingRun.Result result;
        Path resumedMetrics = checkpointFile == null ? null : checkpointFile.toAbsolutePath().getParent().resolve(METRICS);
        try (RunReport report = new RunReport(out.resolve(METRICS), resumedMetrics,
                checkpoint == null ? -1 : checkpoint.step(), progress, stdout, (total + perEpoch - 1) / perEpoch)) {
            report.say(header(settings, train, valid, total, checkpoint));
            TrainingRun run = builder.listener(report).build();
            result = train(run, report, ckpt);
        }
        if (result.stopped()) {
            stdout.printf(Locale.ROOT, "lanes train: interrupted after step %d; the checkpoint is %s; continue with "
                    + "'lanes train --resume %s'%n", result.steps(), ckpt, out);
            stdout.flush();
            return 0;
        }
        // the sparse model is saved, evaluated and drawn as the dense topk model it equals (same file layout)
        Model trained = m instanceof SparseTopK s ? s.toDense() : m;
        new TrainOutputs(out, settings, src, train, valid, trained, result, checkpoint == null ? 0 : checkpoint.step(),
                (total + perEpoch - 1) / perEpoch).write(stdout);
        return 0;
    }

    /**
     * Trains through {@code run}. This is where a model with its own procedure plugs in (greedy layer-wise
     * pretraining before fine-tuning); every single-layer model runs the one loop, the sparse TopK trainer included. Ctrl-C or
     * SIGTERM stops after the current step and writes a checkpoint before the JVM exits.
     */
    private static TrainingRun.Result train(TrainingRun run, RunReport report, Path ckpt) throws IOException {
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            run.requestStop();
            try {
                finished.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "lanes-train-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return run.run();
        } catch (DivergedException e) {
            String last = run.lastCheckpoint() >= 0
                    ? "; the last good checkpoint is " + ckpt + " (before step " + run.lastCheckpoint() + ")"
                    : "; no checkpoint was written yet (see --checkpoint-every)";
            throw new UserException(e.getMessage() + last + "; try a smaller --lr or --clip");
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                report.say("lanes train: interrupted; the checkpoint " + ckpt + " is at step " + run.lastCheckpoint()
                        + " (continue with --resume)");
            }
            finished.countDown();
        }
    }

    /** The settings of a fresh run from the options; the total, log and checkpoint intervals are set once the data are loaded. */
    private TrainSettings settings() {
        boolean stacked = model.equals(Models.STACKED_NAME);
        int epochs = length != null && length.epochs != null ? length.epochs : 5;
        float wd = weightDecay != null ? weightDecay : optimizer == OptimizerName.adamw ? 0.01f : 0f;
        float mom = momentum != null ? momentum : optimizer == OptimizerName.sgd ? 0.9f : 0f;
        return new TrainSettings(model, hidden, k, l1, rho, beta,
                noise == null ? null : noise.kind().name().toLowerCase(Locale.ROOT) + ":" + noise.amount(),
                ranks, surrogate, data, samples, validation == null ? null : validation.toString(), 0, batch, lr,
                optimizer.name(), mom, nesterov, wd, schedule.toString(), clip, seed, 0, 0,
                stacked ? (noPretrain ? 0 : pretrainEpochs != null ? pretrainEpochs : epochs) : null,
                stacked ? (fineTuneEpochs != null ? fineTuneEpochs : epochs) : null, sparse);
    }

    /** Builds the model the settings name. A multi-layer model (several --hidden widths) plugs in here. */
    static Model buildModel(TrainSettings s, int inputs) {
        int width = s.hidden().getLast();
        if (s.model().equals("rank-ordered")) {
            RankOrdered r = Models.rankOrdered(inputs, width, s.ranks() != null ? s.ranks() : width, s.seed());
            return s.surrogate() != null ? r.surrogateGradient(true, s.surrogate()) : r;
        }
        Models.Builder b = Models.builder(s.model()).inputs(inputs).hidden(width).seed(s.seed());
        if (s.k() != null) {
            b.k(s.k());
        }
        if (s.l1() != null) {
            b.l1(s.l1());
        }
        if (s.rho() != null) {
            b.kl(s.rho(), s.beta());
        }
        if (s.noise() != null) {
            Noise noise = new Noise.Converter().convert(s.noise());
            b.noise(noise.kind(), noise.amount());
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new UserException("invalid model settings: " + e.getMessage());
        }
    }

    /** The sparse-aware TopK model with the configuration of the dense {@code topk} model {@code dense}. */
    private static SparseTopK sparseModel(Model dense, TrainSettings s) {
        try {
            return new SparseTopK(((Autoencoder) dense).config(), s.lr());
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new UserException("--sparse: " + e.getMessage());
        }
    }

    /**
     * Builds the stacked model the settings name: rectifier units, linear reconstructions, He init, the
     * {@code --noise} masking (default 0.25), and a softmax head of {@code classes} classes (0: none).
     */
    static Stacked buildStacked(TrainSettings s, int inputs, int classes) {
        StackedConfig.Builder b = StackedConfig.builder(inputs, s.hidden().stream().mapToInt(Integer::intValue).toArray())
                .classes(classes).seed(s.seed());
        if (s.noise() != null) {
            b.masking(new Noise.Converter().convert(s.noise()).amount());
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new UserException("invalid model settings: " + e.getMessage());
        }
    }

    static Optimizer optimizer(TrainSettings s) {
        return switch (s.optimizer()) {
            case "adam" -> new Adam(0.9f, 0.999f, 1e-8f, s.weightDecay(), false);
            case "adamw" -> new Adam(0.9f, 0.999f, 1e-8f, s.weightDecay(), true);
            default -> new Sgd(s.momentum(), s.nesterov(), s.weightDecay());
        };
    }

    private static String header(TrainSettings s, Dataset train, Dataset valid, long total, Checkpoint from) {
        List<String> widths = new ArrayList<>();
        widths.add(Integer.toString(train.d()));
        s.hidden().forEach(h -> widths.add(Integer.toString(h)));
        widths.add(Integer.toString(train.d()));
        return String.format(Locale.ROOT, "lanes train: %s %s on %s (%d samples%s), %d steps of %d%s, %s lr %s %s%s, "
                        + "%s, %d threads", s.model() + (s.sparse() ? " (sparse)" : ""), String.join("-", widths), train.name(), train.n(),
                valid == null ? "" : ", " + valid.n() + " held out for validation", total, s.batch(),
                from == null ? "" : ", resumed at step " + from.step(), s.optimizer(), s.lr(), s.schedule(),
                s.clip() > 0 ? ", clip " + s.clip() : "", dev.lanes.core.Lanes.implementation(), Lanes.threads());
    }

    /** A fingerprint of the training rows, so a resume on other data is refused instead of silently diverging. */
    private static String dataHash(Dataset train) {
        long h = 1125899906842597L;
        float[] x = train.features();
        for (float v : x) {
            h = 31 * h + Float.floatToRawIntBits(v);
        }
        return train.n() + "x" + train.d() + ":" + Long.toHexString(h);
    }

    /** For summary.json: the resolved settings. */
    static Map<String, Object> describe(TrainSettings s) {
        return Json.mapper().convertValue(s, Json.mapper().getTypeFactory().constructMapType(LinkedHashMap.class,
                String.class, Object.class));
    }
}
