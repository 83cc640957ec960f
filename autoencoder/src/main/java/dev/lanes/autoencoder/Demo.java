package dev.lanes.autoencoder;

import dev.lanes.autoencoder.data.SyntheticDictionary;
import dev.lanes.autoencoder.metrics.FeatureRecovery;
import dev.lanes.autoencoder.metrics.Reconstruction;
import dev.lanes.autoencoder.metrics.Sparsity;
import dev.lanes.autoencoder.model.Autoencoder;
import dev.lanes.autoencoder.model.Models;
import dev.lanes.autoencoder.train.Adam;
import dev.lanes.autoencoder.train.LearningRate;
import dev.lanes.autoencoder.train.Trainer;
import dev.lanes.core.Activation;
import dev.lanes.core.Blas;
import dev.lanes.core.Fill;
import dev.lanes.core.Gemm;
import dev.lanes.core.Lanes;
import dev.lanes.core.TopK;
import java.util.Arrays;
import java.util.Locale;

/**
 * The main job until the autoencoder's command line lands: exercises every kernel family, checks
 * each result against a plain-Java computation, prints what it measured, then trains a TopK sparse
 * autoencoder on the embedded synthetic known-dictionary data and reports how well it recovered the
 * true features.
 *
 * <p>The timings are best-of-N wall clock in one JVM, a quick look only; the JMH suite in the
 * {@code jmh} module is where speed is measured.
 */
public final class Demo {

    private static final long SEED = 0x5EEDL;

    private Demo() {
    }

    public static void main(String[] args) {
        System.out.printf(Locale.ROOT, "Lanes demo: JDK %s, implementation %s (%s), %d threads%n",
                Runtime.version(), Lanes.implementation(), Lanes.implementationReason(), Lanes.threads());
        gemm(512);
        gemm(1024);
        activations(1 << 16);
        topK(256, 16384, 32);
        reductions(1 << 16);
        topKAutoencoder();
    }

    /** TopK SAE, hidden 512, k = 8, on the default synthetic dictionary (d = 128, m = 256 features). */
    private static void topKAutoencoder() {
        SyntheticDictionary.Result synth = SyntheticDictionary.generate(SyntheticDictionary.Config.DEFAULT);
        int n = synth.data().n();
        int d = synth.data().d();
        int m = synth.config().m();
        int hidden = 512;
        Autoencoder model = Models.builder("topk").inputs(d).hidden(hidden).k(8).seed(SEED).build();
        Trainer trainer = new Trainer(model, Adam.defaults(), LearningRate.constant(1e-3f), 256, SEED, 0f);
        int epochs = 5;
        long steps = (long) epochs * n / 256;
        long t0 = System.nanoTime();
        float loss = trainer.fit(synth.data().features(), n, steps);
        double seconds = (System.nanoTime() - t0) / 1e9;

        float[] x = synth.data().features();
        float[] codes = new float[n * hidden];
        float[] xhat = new float[n * d];
        model.encode(n, x, codes);
        model.reconstruct(n, x, xhat);
        Sparsity.Stats sparsity = Sparsity.of(codes, n, hidden);
        var w = model.decoder().weight(); // decoder.weight [d, hidden], a view into the flat buffer
        float[] decoder = Arrays.copyOfRange(w.data(), w.offset(), w.offset() + w.size());
        FeatureRecovery.Result rec = FeatureRecovery.evaluate(synth.features(), m, d, decoder, hidden);
        check("topk SAE recovery", rec.mmcs() >= 0.85, rec.mmcs());
        System.out.printf(Locale.ROOT, "  topk SAE %d-%d-%d k=8 on synthetic (%d features): %d steps in %.1f s"
                        + " (%.0f samples/s)%n", d, hidden, d, m, steps, seconds, steps * 256 / seconds);
        System.out.printf(Locale.ROOT, "    loss %.5f  FVU %.4f  L0 %.2f  dead %.1f %%  MMCS %.3f  matched %.3f%n",
                loss, Reconstruction.fvu(x, xhat, n, d), sparsity.l0(), 100 * sparsity.deadFraction(),
                rec.mmcs(), rec.matched());
    }

    private static void gemm(int size) {
        float[] a = new float[size * size];
        float[] b = new float[size * size];
        float[] c = new float[size * size];
        Fill.uniform(SEED, -1f, 1f, a, 0, a.length);
        Fill.uniform(SEED + 1, -1f, 1f, b, 0, b.length);
        long best = bestOf(5, () -> Gemm.sgemm(false, false, size, size, size, 1f, a, 0, size, b, 0, size,
                0f, c, 0, size));
        double worst = 0;
        for (int t = 0; t < 64; t++) {
            int i = (t * 37) % size;
            int j = (t * 101) % size;
            double ref = 0;
            double mag = 0;
            for (int p = 0; p < size; p++) {
                ref += (double) a[i * size + p] * b[p * size + j];
                mag += Math.abs((double) a[i * size + p] * b[p * size + j]);
            }
            worst = Math.max(worst, Math.abs(c[i * size + j] - ref) / mag);
        }
        check("sgemm " + size, worst < 1e-5, worst);
        double gflops = 2.0 * size * size * size / best;
        System.out.printf(Locale.ROOT, "  sgemm %4d^3 NN        %8.1f GFLOP/s   (worst error / sum|a*b| = %.1e)%n",
                size, gflops, worst);
    }

    private static void activations(int n) {
        float[] x = new float[n];
        float[] y = new float[n];
        Fill.gaussian(SEED, 0f, 3f, x, 0, n);
        for (Activation f : new Activation[] {Activation.RELU, Activation.SIGMOID, Activation.TANH,
                                              Activation.SOFTPLUS}) {
            long best = bestOf(50, () -> f.forward(x, 0, y, 0, n));
            double worst = 0;
            for (int i = 0; i < n; i += 97) {
                worst = Math.max(worst, Math.abs(y[i] - reference(f, x[i])));
            }
            check(f.name(), worst < 1e-5, worst);
            System.out.printf(Locale.ROOT, "  %-8s forward n=%d  %8.2f G elements/s (max abs error %.1e)%n",
                    f.name().toLowerCase(Locale.ROOT), n, (double) n / best, worst);
        }
    }

    private static double reference(Activation f, float x) {
        return switch (f) {
            case RELU -> Math.max(0, x);
            case SIGMOID -> 1 / (1 + Math.exp(-x));
            case TANH -> Math.tanh(x);
            case SOFTPLUS -> Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
            default -> throw new IllegalArgumentException(f.name());
        };
    }

    private static void topK(int rows, int cols, int k) {
        float[] x = new float[rows * cols];
        Fill.gaussian(SEED + 2, 0f, 1f, x, 0, x.length);
        float[] values = new float[rows * k];
        int[] indices = new int[rows * k];
        long best = bestOf(20, () -> TopK.select(x, 0, rows, cols, cols, k, values, indices));
        boolean ok = true;
        for (int i = 0; i < rows && ok; i++) {
            float kth = values[i * k + k - 1];
            int above = 0;
            for (int j = 0; j < cols; j++) {
                above += x[i * cols + j] > kth ? 1 : 0;
            }
            ok = above == k - 1 && x[i * cols + indices[i * k]] == values[i * k];
        }
        check("topk", ok, 0);
        System.out.printf(Locale.ROOT, "  topk %dx%d k=%d       %8.3f ms%n", rows, cols, k, best / 1e6);
    }

    private static void reductions(int n) {
        float[] x = new float[n];
        float[] y = new float[n];
        Fill.uniform(SEED + 3, -1f, 1f, x, 0, n);
        Fill.uniform(SEED + 4, -1f, 1f, y, 0, n);
        float[] out = new float[1];
        long best = bestOf(200, () -> out[0] = Blas.dot(n, x, 0, y, 0));
        double ref = 0;
        double mag = 0;
        for (int i = 0; i < n; i++) {
            ref += (double) x[i] * y[i];
            mag += Math.abs((double) x[i] * y[i]);
        }
        double err = Math.abs(out[0] - ref) / mag;
        check("dot", err < 1e-5, err);
        System.out.printf(Locale.ROOT, "  dot n=%d            %8.2f G elements/s%n", n, (double) n / best);
    }

    private static void check(String what, boolean ok, double error) {
        if (!ok) {
            throw new IllegalStateException("demo: " + what + " disagrees with its plain-Java check (error "
                    + error + ")");
        }
    }

    /**
     * Best single run, in nanoseconds. C2 compiles a Vector API kernel late (the first tiers run it
     * orders of magnitude slower), so this runs rounds of a quarter second until two rounds in a row
     * agree within 5 % (at least three rounds, at most sixteen), and reports the last round's best.
     */
    private static long bestOf(int reps, Runnable r) {
        long previous = Long.MAX_VALUE;
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 16; round++) {
            best = Long.MAX_VALUE;
            long until = System.nanoTime() + 250_000_000L;
            for (int i = 0; i < reps || System.nanoTime() < until; i++) {
                long t = System.nanoTime();
                r.run();
                best = Math.min(best, System.nanoTime() - t);
            }
            if (round >= 2 && Math.abs(best - previous) <= 0.05 * previous) {
                break;
            }
            previous = best;
        }
        return Math.max(best, 1);
    }
}
