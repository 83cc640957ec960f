package dev.lanes.autoencoder.experiments;

import dev.lanes.autoencoder.data.Dataset;
import dev.lanes.autoencoder.data.FashionMnist;
import dev.lanes.autoencoder.data.Patches;
import dev.lanes.autoencoder.io.AtomicFiles;
import dev.lanes.autoencoder.io.Json;
import dev.lanes.autoencoder.metrics.Pca;
import dev.lanes.autoencoder.model.Autoencoder;
import dev.lanes.autoencoder.model.Models;
import dev.lanes.autoencoder.model.RankOrdered;
import dev.lanes.autoencoder.pictures.LineChart;
import dev.lanes.autoencoder.pictures.Png;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Reconstruction error against the number of top-ranked units used, on 7 x 7 Fashion-MNIST patches: the
 * rank-ordered autoencoder (trained for exactly this), a plain ReLU autoencoder of the same width whose
 * units are ranked by activation per patch, and PCA with its first t components as the linear optimum.
 * Writes {@code rank-ordered-curve.png}, {@code .csv} and {@code .json} into {@code --out}, atomically.
 * <pre>java --add-modules jdk.incubator.vector -cp ... dev.lanes.autoencoder.experiments.RankOrderedCurve \
 *     [--patches 100000] [--hidden 64] [--epochs 5] [--out docs/img]</pre>
 */
@Command(name = "RankOrderedCurve", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Rank-ordered AE on 7x7 patches: reconstruction error against the number of top-ranked units.")
public final class RankOrderedCurve extends Experiment {

    static final String NAME = "rank-ordered-curve";

    @CommandLine.Mixin
    DataOptions input = new DataOptions();

    @CommandLine.Mixin
    TrainingOptions training = new TrainingOptions(5, 1e-3f);

    @Option(names = "--patches", paramLabel = "N", description = "training patches (default: ${DEFAULT-VALUE})")
    int patches = 100_000;

    @Option(names = "--test-patches", paramLabel = "N", description = "test patches, from the test images (default: ${DEFAULT-VALUE})")
    int testPatches = 10_000;

    @Option(names = "--size", paramLabel = "S", description = "patch side (default: ${DEFAULT-VALUE})")
    int size = Patches.DEFAULT_SIZE;

    @Option(names = "--hidden", paramLabel = "N", description = "units of both autoencoders (default: ${DEFAULT-VALUE})")
    int hidden = 64;

    @Option(names = "--out", paramLabel = "DIR", description = "output directory (default: ${DEFAULT-VALUE})")
    Path out = Path.of("docs/img");

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** @return the exit code: 0, 2 for a user error, 1 for a failure */
    public static int run(String... args) {
        return run(new RankOrderedCurve(), args);
    }

    @Override
    public Integer call() throws IOException {
        check(patches >= 2 && testPatches >= 1, "--patches=" + patches + " and --test-patches=" + testPatches
                + ": expected >= 2 and >= 1");
        check(size >= 1 && size <= 28, "--size=" + size + ": expected 1..28");
        check(hidden >= 1, "--hidden=" + hidden + ": expected >= 1");
        input.check(this);
        training.check(this);
        FashionMnist.Split split = Experiments.load(input.data, input.rows);
        Dataset train = Patches.random(split.train(), size, patches, training.seed);
        Dataset test = Patches.random(split.test(), size, testPatches, training.seed + 1);
        int d = train.d();
        System.out.println(Experiments.fmt("RankOrderedCurve: %d training and %d test %dx%d patches, %d-%d-%d, %d epochs",
                train.n(), test.n(), size, size, d, hidden, d, training.epochs));

        RankOrdered ro = Models.rankOrdered(d, hidden, hidden, training.seed).surrogateGradient(true, 0f);
        Experiments.Training roTraining = training.train(ro, train);
        double[] roCurve = new double[hidden];
        double[] part = new double[hidden];
        int cap = 1024;
        float[] x = new float[cap * d];
        for (int r = 0; r < test.n(); r += cap) {
            int b = Math.min(cap, test.n() - r);
            System.arraycopy(test.features(), r * d, x, 0, b * d);
            ro.prefixErrors(b, x, part);
            for (int t = 0; t < hidden; t++) {
                roCurve[t] += part[t] * b / test.n();
            }
        }
        System.out.println(Experiments.fmt("  rank-ordered: train loss %.5f, %.0f samples/s; error at 1, %d units: %.5f, %.5f",
                roTraining.loss(), roTraining.samplesPerSecond(), hidden, roCurve[0], roCurve[hidden - 1]));

        Autoencoder ae = Models.builder("ae").inputs(d).hidden(hidden).seed(training.seed).build();
        Experiments.Training aeTraining = training.train(ae, train);
        double[] aeCurve = rankedByActivation(ae, test);
        System.out.println(Experiments.fmt("  plain ae: train loss %.5f, %.0f samples/s; error at 1, %d units: %.5f, %.5f",
                aeTraining.loss(), aeTraining.samplesPerSecond(), hidden, aeCurve[0], aeCurve[hidden - 1]));

        int components = Math.min(d, hidden);
        double[] pcaCurve = pcaCurve(Pca.fit(train.features(), train.n(), d, components), test);

        Files.createDirectories(out);
        double[] units = new double[hidden];
        for (int t = 0; t < hidden; t++) {
            units[t] = t + 1;
        }
        // with all d components PCA is exact (error ~1e-15), a point that would only stretch the log axis
        int charted = components == d ? d - 1 : components;
        double[] pcaUnits = java.util.Arrays.copyOf(units, charted);
        Png.write(out.resolve(NAME + ".png"), new LineChart(
                Experiments.fmt("Fashion-MNIST %dx%d patches: error against units used (%d-%d-%d)", size, size, d, hidden, d),
                "top-ranked units used", "test MSE per pixel").logY(true)
                .add("rank-ordered AE", units, roCurve)
                .add("plain ReLU AE, units ranked by activation", units, aeCurve)
                .add("PCA, first components", pcaUnits, java.util.Arrays.copyOf(pcaCurve, charted))
                .render(900, 560));
        StringBuilder csv = new StringBuilder("units,rank_ordered_mse,plain_ae_mse,pca_mse\n");
        for (int t = 0; t < hidden; t++) {
            csv.append(t + 1).append(',').append(roCurve[t]).append(',').append(aeCurve[t]).append(',')
                    .append(t < components ? Double.toString(pcaCurve[t]) : "").append('\n');
        }
        AtomicFiles.writeString(out.resolve(NAME + ".csv"), csv.toString());
        Map<String, Object> doc = new LinkedHashMap<>(Experiments.environment(RankOrderedCurve.class.getName(), args));
        Map<String, Object> setup = new LinkedHashMap<>();
        setup.put("data", input.data.toString());
        setup.put("patch_size", size);
        setup.put("train_patches", train.n());
        setup.put("test_patches", test.n());
        setup.put("sizes", d + "-" + hidden + "-" + d);
        setup.putAll(training.record());
        setup.put("rank_ordered", "tied, TReLU, all units ranked, surrogate gradient");
        setup.put("plain_ae", "ae preset: ReLU code, linear output, MSE");
        doc.put("setup", setup);
        doc.put("rank_ordered_train", roTraining);
        doc.put("plain_ae_train", aeTraining);
        doc.put("rank_ordered_mse", roCurve);
        doc.put("plain_ae_mse", aeCurve);
        doc.put("pca_mse", pcaCurve);
        Json.write(out.resolve(NAME + ".json"), doc);
        System.out.println("RankOrderedCurve: wrote " + out.resolve(NAME + ".png") + ", .csv, .json");
        return 0;
    }

    /**
     * Per test sample, the plain AE's units sorted by activation (highest first, ties by index), and the
     * MSE per pixel of {@code b_dec + sum of the top t units' a_j W_dec[:, j]} for t = 1..h, averaged over
     * the samples. With a linear output, t = h is the model's own reconstruction.
     */
    static double[] rankedByActivation(Autoencoder ae, Dataset test) {
        int d = test.d();
        int h = ae.codes();
        float[] p = ae.params().data();
        int w = ae.decoder().weight().offset();
        int bias = ae.decoder().bias().offset();
        float[] codes = Experiments.codes(ae, test, test.n());
        double[] curve = new double[h];
        double[] r = new double[d];
        Integer[] order = new Integer[h];
        for (int i = 0; i < test.n(); i++) {
            int row = i * h;
            for (int j = 0; j < h; j++) {
                order[j] = j;
            }
            java.util.Arrays.sort(order, (u, v) -> {
                int c = Float.compare(codes[row + v], codes[row + u]);
                return c != 0 ? c : Integer.compare(u, v);
            });
            for (int k = 0; k < d; k++) {
                r[k] = p[bias + k];
            }
            for (int t = 0; t < h; t++) {
                int j = order[t];
                float a = codes[row + j];
                double err = 0;
                for (int k = 0; k < d; k++) {
                    r[k] += (double) a * p[w + k * h + j];
                    double e = r[k] - test.features()[i * d + k];
                    err += e * e;
                }
                curve[t] += err / d;
            }
        }
        for (int t = 0; t < h; t++) {
            curve[t] /= test.n();
        }
        return curve;
    }

    /** MSE per pixel of the test samples projected on the first t principal components, t = 1..r. */
    static double[] pcaCurve(Pca.Result pca, Dataset test) {
        int d = test.d();
        int r = pca.r();
        double[] curve = new double[r];
        double[] c = new double[d];
        double[] rec = new double[d];
        for (int i = 0; i < test.n(); i++) {
            for (int k = 0; k < d; k++) {
                c[k] = test.features()[i * d + k] - pca.mean()[k];
                rec[k] = 0;
            }
            for (int t = 0; t < r; t++) {
                double coef = 0;
                for (int k = 0; k < d; k++) {
                    coef += c[k] * pca.basis()[k * r + t];
                }
                double err = 0;
                for (int k = 0; k < d; k++) {
                    rec[k] += coef * pca.basis()[k * r + t];
                    double e = rec[k] - c[k];
                    err += e * e;
                }
                curve[t] += err / d;
            }
        }
        for (int t = 0; t < r; t++) {
            curve[t] /= test.n();
        }
        return curve;
    }
}
