package dev.lanes.autoencoder.experiments;

import dev.lanes.autoencoder.data.Dataset;
import dev.lanes.autoencoder.io.AtomicFiles;
import dev.lanes.autoencoder.io.Json;
import dev.lanes.autoencoder.metrics.Pca;
import dev.lanes.autoencoder.model.Autoencoder;
import dev.lanes.autoencoder.model.Models;
import dev.lanes.autoencoder.pictures.FilterGrid;
import dev.lanes.autoencoder.pictures.LineChart;
import dev.lanes.autoencoder.pictures.Png;
import dev.lanes.autoencoder.train.LearningRate;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code linear} autoencoder against PCA on Fashion-MNIST: the cosines of the principal angles between
 * the span of the decoder columns and the top-r principal subspace of the training images (acceptance: mean
 * cosine {@code >= 0.99}), a chart of the cosines, and a picture of the first principal components beside
 * their projections on the decoder's span and the raw decoder columns. Writes {@code linear-vs-pca-rR.json},
 * {@code .csv}, {@code -cosines.png} and {@code -filters.png} into {@code --out}, atomically (R the code width).
 * The learning rate follows a cosine decay to 0: a constant rate leaves the weakest directions jittering
 * around the subspace, whose last eigenvalue gaps are small.
 * <pre>java --add-modules jdk.incubator.vector -cp ... dev.lanes.autoencoder.experiments.LinearVsPca \
 *     [--hidden 32] [--epochs 60] [--out docs/img]</pre>
 */
@Command(name = "LinearVsPca", mixinStandardHelpOptions = true, sortOptions = false,
        description = "The linear autoencoder's decoder subspace against PCA's: principal-angle cosines and pictures.")
public final class LinearVsPca extends Experiment {

    static final String NAME = "linear-vs-pca";

    @CommandLine.Mixin
    DataOptions input = new DataOptions();

    /**
     * {@code --lr} is the peak of a warm-up-then-cosine schedule. 60 epochs: at 784-32 the last principal
     * directions of Fashion-MNIST are nearly degenerate (lambda_32 = 0.181, lambda_33 about 0.175), and
     * directions that close cost almost nothing in the loss, so they separate slowly (20 epochs: mean cosine
     * 0.977 with the training loss already within 0.2 % of PCA's; 60 epochs: 0.998).
     */
    @CommandLine.Mixin
    TrainingOptions training = new TrainingOptions(60, 2e-3f);

    @Option(names = "--hidden", paramLabel = "R", description = "code width = PCA components (default: ${DEFAULT-VALUE})")
    int hidden = 32;

    @Option(names = "--out", paramLabel = "DIR", description = "output directory (default: ${DEFAULT-VALUE})")
    Path out = Path.of("docs/img");

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** @return the exit code: 0, 2 for a user error, 1 for a failure */
    public static int run(String... args) {
        return run(new LinearVsPca(), args);
    }

    @Override
    public Integer call() throws IOException {
        check(hidden >= 1 && hidden <= 784, "--hidden=" + hidden + ": expected 1..784");
        input.check(this);
        training.check(this);
        int epochs = training.epochs;
        int batch = training.batch;
        float lr = training.lr;
        long seed = training.seed;
        Dataset train = Experiments.load(input.data, input.rows).train();
        check(train.n() >= 2, "--rows=" + input.rows + ": PCA needs at least 2 images");
        int d = train.d();
        Autoencoder linear = Models.builder("linear").inputs(d).hidden(hidden).seed(seed).build();
        long steps = (long) epochs * ((train.n() + batch - 1) / batch);
        LearningRate schedule = steps > 1 ? LearningRate.warmupCosine(lr, Math.min(100, steps / 10), steps, 0f)
                : LearningRate.constant(lr);
        Experiments.Training t = Experiments.train(linear, train, epochs, batch, schedule, seed);
        Pca.Result pca = Pca.fit(train.features(), train.n(), d, hidden);
        float[] decoder = new float[d * hidden];
        System.arraycopy(linear.params().data(), linear.decoder().weight().offset(), decoder, 0, d * hidden);
        double[] dec = new double[d * hidden];
        for (int i = 0; i < dec.length; i++) {
            dec[i] = decoder[i];
        }
        double[] cosines = Pca.principalCosines(dec, hidden, pca.basis(), hidden, d);
        double mean = Pca.mean(cosines);
        System.out.println(Experiments.fmt("LinearVsPca: %d-%d-%d on %d images, %d epochs: train loss %.5f, "
                        + "mean principal-angle cosine %.5f (min %.5f), %.0f samples/s",
                d, hidden, d, train.n(), epochs, t.loss(), mean, cosines[cosines.length - 1], t.samplesPerSecond()));

        Files.createDirectories(out);
        String name = NAME + "-r" + hidden;
        double[] index = new double[hidden];
        for (int i = 0; i < hidden; i++) {
            index[i] = i + 1;
        }
        Png.write(out.resolve(name + "-cosines.png"), new LineChart(
                Experiments.fmt("linear AE %d-%d-%d vs PCA on Fashion-MNIST: mean cosine %.4f", d, hidden, d, mean),
                "principal angle (largest cosine first)", "cosine").add("cos(principal angle)", index, cosines)
                .render(800, 500));
        Png.write(out.resolve(name + "-filters.png"), filters(pca, dec, decoder, d, hidden, train));
        Map<String, Object> doc = new LinkedHashMap<>(Experiments.environment(LinearVsPca.class.getName(), args));
        Map<String, Object> setup = new LinkedHashMap<>();
        setup.put("data", input.data.toString());
        setup.put("train_samples", train.n());
        setup.put("sizes", d + "-" + hidden + "-" + d);
        setup.putAll(training.record());
        setup.put("steps", steps);
        setup.put("lr", "warm-up then cosine decay from " + lr + " to 0");
        doc.put("setup", setup);
        doc.put("training", t);
        doc.put("mean_cosine", mean);
        doc.put("cosines", cosines);
        doc.put("pca_variances", pca.variances());
        doc.put("pca_total_variance", pca.totalVariance());
        Json.write(out.resolve(name + ".json"), doc);
        StringBuilder csv = new StringBuilder("angle,cosine\n");
        for (int i = 0; i < hidden; i++) {
            csv.append(i + 1).append(',').append(cosines[i]).append('\n');
        }
        AtomicFiles.writeString(out.resolve(name + ".csv"), csv.toString());
        System.out.println("LinearVsPca: wrote " + out.resolve(name + "-cosines.png") + ", -filters.png, .json, .csv");
        return 0;
    }

    /**
     * Three labelled rows of up to 16 filters: the principal components, each one's orthogonal projection on
     * the span of the decoder columns (equal to it when the subspaces agree), and the raw decoder columns
     * (an arbitrary basis of that span: the linear AE is only determined up to an invertible map).
     */
    static BufferedImage filters(Pca.Result pca, double[] decoder, float[] decoderF, int d, int r, Dataset images) {
        int show = Math.min(16, r);
        double[] q = Pca.orthonormalColumns(decoder, d, r);
        float[] components = new float[d * show];
        float[] projected = new float[d * show];
        for (int c = 0; c < show; c++) {
            double[] coef = new double[r];
            for (int k = 0; k < d; k++) {
                double v = pca.basis()[k * r + c];
                components[k * show + c] = (float) v;
                for (int j = 0; j < r; j++) {
                    coef[j] += q[k * r + j] * v;
                }
            }
            for (int k = 0; k < d; k++) {
                double s = 0;
                for (int j = 0; j < r; j++) {
                    s += q[k * r + j] * coef[j];
                }
                projected[k * show + c] = (float) s;
            }
        }
        // one filter per grid row: a strip of `show` tiles
        int height = images.isImages() ? images.height() : 1;
        int width = d / height;
        String[] labels = {"PCA components 1-" + show, "their projections on the decoder's span",
            "decoder columns 1-" + show};
        BufferedImage[] strips = {strip(components, d, show, height, width), strip(projected, d, show, height, width),
            strip(decoderF, d, r, show, height, width)};
        int labelH = 22;
        int w = 0;
        int h = 0;
        for (BufferedImage s : strips) {
            w = Math.max(w, s.getWidth());
            h += s.getHeight() + labelH;
        }
        BufferedImage img = new BufferedImage(w + 20, h + 10, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
            int y = 0;
            for (int i = 0; i < strips.length; i++) {
                g.setColor(Color.BLACK);
                g.drawString(labels[i], 10, y + 16);
                y += labelH;
                g.drawImage(strips[i], 10, y, null);
                y += strips[i].getHeight();
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    private static BufferedImage strip(float[] columns, int d, int count, int height, int width) {
        return strip(columns, d, count, count, height, width);
    }

    /** The first {@code show} of the {@code count} columns of a d x count matrix, in one row of tiles. */
    private static BufferedImage strip(float[] columns, int d, int count, int show, int height, int width) {
        float[] rows = new float[show * d];
        for (int c = 0; c < show; c++) {
            for (int k = 0; k < d; k++) {
                rows[c * d + k] = columns[k * count + c];
            }
        }
        // a 1 x show grid: FilterGrid lays out a near-square grid, so draw each tile and place them in a row
        int scale = 3;
        BufferedImage[] tiles = new BufferedImage[show];
        int w = 0;
        int h = 0;
        for (int c = 0; c < show; c++) {
            float[] one = new float[d];
            System.arraycopy(rows, c * d, one, 0, d);
            tiles[c] = FilterGrid.render(one, FilterGrid.Layout.ROWS, d, 1, height, width, 1, scale);
            w += tiles[c].getWidth() + 4;
            h = Math.max(h, tiles[c].getHeight());
        }
        BufferedImage img = new BufferedImage(Math.max(1, w), Math.max(1, h), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            int x = 0;
            for (BufferedImage t : tiles) {
                g.drawImage(t, x, 0, null);
                x += t.getWidth() + 4;
            }
        } finally {
            g.dispose();
        }
        return img;
    }
}
