package dev.lanes.autoencoder.model;

import dev.lanes.autoencoder.data.Dataset;
import dev.lanes.autoencoder.data.FashionMnist;
import dev.lanes.core.Lanes;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The paper's comparison on Fashion-MNIST: a stack of rectifier layers (784-1000-1000-1000 by default),
 * each pretrained as a denoising autoencoder with 25 % masking noise, then fine-tuned with the softmax
 * head; and the same network, same seed and same fine-tuning epochs, without pretraining. Prints the test
 * accuracy of both and the timings.
 * <pre>
 * java --add-modules jdk.incubator.vector -cp ... dev.lanes.autoencoder.model.StackedExperiment \
 *     [--data DIR] [--hidden 1000,1000,1000] [--pretrain-epochs 1] [--finetune-epochs 3] [--rows 60000]
 *     [--test-rows 10000] [--labelled N] [--batch 128] [--lr 1e-3] [--pretrain-lr LR] [--masking 0.25] [--reconstruction linear|softplus|
 *     sigmoid-cross-entropy|rectifier] [--seed 1] [--threads T]
 * </pre>
 * {@code --labelled N} fine-tunes on the labels of the first N training rows only (pretraining still sees
 * all of them): the semi-supervised setting. A smoke run:
 * {@code --hidden 64,64 --rows 2000 --test-rows 1000 --finetune-epochs 1}.
 */
public final class StackedExperiment {

    private StackedExperiment() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = FashionMnist.DEFAULT_DIR;
        int[] hidden = {1000, 1000, 1000};
        int pretrainEpochs = 1;
        int fineTuneEpochs = 3;
        int rows = Integer.MAX_VALUE;
        int testRows = Integer.MAX_VALUE;
        int labelled = Integer.MAX_VALUE;
        int batch = 128;
        float lr = 1e-3f;
        float pretrainLr = Float.NaN;
        float masking = 0.25f;
        StackedConfig.Reconstruction reconstruction = StackedConfig.Reconstruction.LINEAR;
        long seed = 1;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                System.out.println("options: --data DIR --hidden W,W,... --pretrain-epochs E --finetune-epochs E"
                        + " --rows N --test-rows N --labelled N --batch B --lr LR --pretrain-lr LR --masking P --reconstruction "
                        + "linear|softplus|sigmoid-cross-entropy|rectifier --seed S --threads T");
                return;
            }
            if (i + 1 >= args.length) {
                usage("option " + a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--data" -> dir = Path.of(v);
                case "--hidden" -> hidden = Arrays.stream(v.split(",")).mapToInt(s -> parseInt(a, s.trim())).toArray();
                case "--pretrain-epochs" -> pretrainEpochs = parseInt(a, v);
                case "--finetune-epochs" -> fineTuneEpochs = parseInt(a, v);
                case "--rows" -> rows = parseInt(a, v);
                case "--test-rows" -> testRows = parseInt(a, v);
                case "--labelled" -> labelled = parseInt(a, v);
                case "--batch" -> batch = parseInt(a, v);
                case "--lr" -> lr = parseFloat(a, v);
                case "--pretrain-lr" -> pretrainLr = parseFloat(a, v);
                case "--masking" -> masking = parseFloat(a, v);
                case "--reconstruction" -> reconstruction = reconstruction(v);
                case "--seed" -> seed = Long.parseLong(v);
                case "--threads" -> Lanes.setThreads(parseInt(a, v));
                default -> usage("unknown option " + a);
            }
        }
        PrintStream out = System.out;
        long t0 = System.nanoTime();
        FashionMnist.Split split = FashionMnist.load(dir);
        Dataset train = split.train().slice(0, Math.min(rows, split.train().n()), "train");
        Dataset test = split.test().slice(0, Math.min(testRows, split.test().n()), "test");
        out.printf(Locale.ROOT, "data: %d train rows, %d test rows, %d features (loaded in %.1f s); threads=%d%n",
                train.n(), test.n(), train.d(), (System.nanoTime() - t0) / 1e9, Lanes.threads());
        StackedConfig cfg;
        StackedTraining.Settings settings;
        try {
            // cross-entropy needs targets in [0, 1]: the pixels are, the rectifier codes above them are not
            cfg = StackedConfig.builder(train.d(), hidden).classes(10).masking(masking)
                    .inputReconstruction(reconstruction)
                    .codeReconstruction(reconstruction == StackedConfig.Reconstruction.SIGMOID_CROSS_ENTROPY
                            ? StackedConfig.Reconstruction.LINEAR : reconstruction)
                    .seed(seed).config();
            settings = StackedTraining.Settings.defaults().withBatch(batch).withLr(lr).withSeed(seed)
                    .withFineTuneEpochs(fineTuneEpochs).withPretrainEpochs(pretrainEpochs)
                    .withPretrainLr(Float.isNaN(pretrainLr) ? lr : pretrainLr);
        } catch (IllegalArgumentException e) {
            usage(e.getMessage());
            return;
        }
        int labelledRows = Math.max(1, Math.min(labelled, train.n()));
        out.println("model: " + cfg);
        out.printf(Locale.ROOT, "fine-tuning on the labels of %d of the %d training rows%n", labelledRows, train.n());
        StackedTraining.Listener progress = (phase, epoch, epochs, loss, seconds) ->
                out.printf(Locale.ROOT, "  %-16s epoch %d/%d  loss %.5f  %.1f s%n", phase, epoch, epochs, loss, seconds);

        out.printf(Locale.ROOT, "with pretraining (%d epoch(s) per layer, masking %.2f), then %d fine-tuning epoch(s):%n",
                pretrainEpochs, masking, fineTuneEpochs);
        Stacked pretrained = new Stacked(cfg);
        StackedTraining.Report a = new StackedTraining(settings.withPretrainEpochs(pretrainEpochs)).listener(progress)
                .run(pretrained, train.features(), train.labels(), train.n(), labelledRows);
        for (int l = 0; l < cfg.depth(); l++) {
            out.printf(Locale.ROOT, "  layer %d clean reconstruction loss %.5f -> %.5f%n", l, a.layerLossBefore()[l],
                    a.layerLossAfter()[l]);
        }
        double accA = StackedTraining.accuracy(pretrained, test);

        out.printf(Locale.ROOT, "without pretraining, %d fine-tuning epoch(s):%n", fineTuneEpochs);
        Stacked scratch = new Stacked(cfg);
        StackedTraining.Report b = new StackedTraining(settings.withPretrainEpochs(0)).listener(progress)
                .run(scratch, train.features(), train.labels(), train.n(), labelledRows);
        double accB = StackedTraining.accuracy(scratch, test);

        out.printf(Locale.ROOT, "%-22s %10s %14s %14s %12s%n", "", "test acc", "pretrain s", "fine-tune s", "rows/s");
        out.printf(Locale.ROOT, "%-22s %10.4f %14.1f %14.1f %12.0f%n", "pretrained", accA, a.pretrainSeconds(),
                a.fineTuneSeconds(), a.rowsPerSecond());
        out.printf(Locale.ROOT, "%-22s %10.4f %14.1f %14.1f %12.0f%n", "no pretraining", accB, b.pretrainSeconds(),
                b.fineTuneSeconds(), b.rowsPerSecond());
        out.printf(Locale.ROOT, "total %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    private static StackedConfig.Reconstruction reconstruction(String v) {
        return switch (v) {
            case "linear" -> StackedConfig.Reconstruction.LINEAR;
            case "softplus" -> StackedConfig.Reconstruction.SOFTPLUS;
            case "sigmoid-cross-entropy" -> StackedConfig.Reconstruction.SIGMOID_CROSS_ENTROPY;
            case "rectifier" -> StackedConfig.Reconstruction.RECTIFIER;
            default -> {
                usage("--reconstruction: unknown variant '" + v + "'");
                yield null;
            }
        };
    }

    private static int parseInt(String option, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            usage(option + ": '" + v + "' is not an integer");
            return 0;
        }
    }

    private static float parseFloat(String option, String v) {
        try {
            return Float.parseFloat(v);
        } catch (NumberFormatException e) {
            usage(option + ": '" + v + "' is not a number");
            return 0;
        }
    }

    private static void usage(String message) {
        System.err.println("StackedExperiment: " + message + " (try --help)");
        System.exit(2);
    }
}
