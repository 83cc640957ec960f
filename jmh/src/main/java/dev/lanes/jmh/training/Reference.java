package dev.lanes.jmh.training;

import dev.lanes.autoencoder.model.Autoencoder;
import dev.lanes.autoencoder.model.Config;
import dev.lanes.autoencoder.model.Model;
import dev.lanes.autoencoder.model.RankOrdered;
import dev.lanes.autoencoder.nn.Corruption;
import dev.lanes.autoencoder.nn.Loss;
import dev.lanes.autoencoder.nn.Params;
import dev.lanes.autoencoder.train.Trainer;
import dev.lanes.core.Activation;
import dev.lanes.core.Fill;
import java.util.Arrays;
import java.util.Locale;

/**
 * The checks the training and encode benchmarks run before timing: a straightforward forward pass in
 * double precision, plain loops over the model's parameters (no Lanes kernel), against which the
 * model's loss and codes must agree.
 *
 * <p>Tolerances. The model works in float with SIMD partial sums; each pre-activation is a sum of
 * {@value Presets#INPUTS} products, so its error is bounded by about {@code n * 2^-24 * sum|terms|}.
 * Codes are compared elementwise with {@code 1e-4 * sum|terms| + 1e-6} (a bound with room, as the
 * summation order differs). The loss is a mean of many such terms, compared relatively at
 * {@value #LOSS_RTOL}; the rank-ordered loss at {@value #RANK_LOSS_RTOL}, because a unit whose
 * pre-activation lies within rounding of the TReLU's bound 1 ranks differently among the saturated
 * units (ties at exactly 1 go to the lower index), which changes a few prefix terms of the mean.
 */
public final class Reference {

    private static final double LOSS_RTOL = 1e-4;
    private static final double RANK_LOSS_RTOL = 2e-3;
    private static final double CODE_RTOL = 1e-4;
    private static final double CODE_ATOL = 1e-6;

    private Reference() {
    }

    /**
     * Runs one training step of {@code trainer} on {@code x} and throws unless its loss equals the
     * reference loss of the parameters before the step, and the step changed the parameters and
     * left them finite.
     */
    public static void checkStep(Model model, Trainer trainer, int batch, float[] x) {
        double want = loss(model, batch, x, true, trainer.step());
        float[] before = model.params().data().clone();
        float got = trainer.trainStep(batch, x);
        double rtol = model instanceof RankOrdered ? RANK_LOSS_RTOL : LOSS_RTOL;
        if (!(Math.abs(got - want) <= rtol * Math.abs(want) + 1e-7)) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "%s batch=%d: training step loss %.8g differs from the reference %.8g (rtol %.0e)",
                    model.name(), batch, got, want, rtol));
        }
        float[] after = model.params().data();
        for (float v : after) {
            if (!Float.isFinite(v)) {
                throw new IllegalStateException(model.name() + " batch=" + batch + ": a parameter is not finite after a step");
            }
        }
        if (Arrays.equals(before, after)) {
            throw new IllegalStateException(model.name() + " batch=" + batch + ": the training step changed no parameter");
        }
    }

    /** Encodes {@code x} with the model and throws unless the codes agree with the reference. */
    public static void checkEncode(Model model, int batch, float[] x, float[] codes) {
        model.encode(batch, x, codes);
        Forward f = new Forward(model, batch, x, false, 0);
        int h = model.codes();
        int k = f.k;
        for (int r = 0; r < batch; r++) {
            int nonZero = 0;
            double gotSum = 0;
            double wantSum = 0;
            double maxTol = 0;
            double[] top = new double[h];
            for (int i = 0; i < h; i++) {
                int at = r * h + i;
                double tol = CODE_RTOL * f.terms[at] + CODE_ATOL;
                float c = codes[at];
                if (k > 0) {
                    // TopK: every kept code is its pre-activation; the kept set is compared through its sum
                    // so that a near-tie at the k-th place, decided by rounding, is not an error.
                    if (c != 0f) {
                        nonZero++;
                        gotSum += c;
                        if (!(Math.abs(c - f.z[at]) <= tol)) {
                            throw codeError(model, batch, r, i, c, f.z[at]);
                        }
                    }
                    top[i] = f.z[at];
                    maxTol = Math.max(maxTol, tol);
                } else if (!(Math.abs(c - f.a[at]) <= tol)) {
                    throw codeError(model, batch, r, i, c, f.a[at]);
                }
            }
            if (k > 0) {
                Arrays.sort(top);
                for (int j = h - 1; j >= h - k; j--) {
                    wantSum += Math.max(0, top[j]);
                }
                if (nonZero > k || !(Math.abs(gotSum - wantSum) <= 2 * k * maxTol)) {
                    throw new IllegalStateException(String.format(Locale.ROOT,
                            "%s batch=%d row=%d: %d codes kept (k=%d), their sum %.8g, reference top-k sum %.8g",
                            model.name(), batch, r, nonZero, k, gotSum, wantSum));
                }
            }
        }
    }

    private static IllegalStateException codeError(Model model, int batch, int row, int col, float got, double want) {
        return new IllegalStateException(String.format(Locale.ROOT,
                "%s batch=%d: code (%d, %d) = %.8g differs from the reference %.8g", model.name(), batch, row, col,
                got, want));
    }

    /** The loss of the model's current parameters on {@code x}, noise of step {@code step} in training. */
    public static double loss(Model model, int batch, float[] x, boolean training, long step) {
        return new Forward(model, batch, x, training, step).loss;
    }

    /** One forward pass in double; keeps z (pre-activations), a (codes) and the loss. */
    private static final class Forward {
        final double[] z;
        final double[] a;
        /** Per pre-activation: {@code |bias| + sum_j |xin_j W_ij|}, the scale of its rounding error. */
        final double[] terms;
        final int k;
        double loss;

        Forward(Model model, int b, float[] x, boolean training, long step) {
            int n = model.inputs();
            int h = model.codes();
            Params p = model.params();
            float[] w = p.data();
            int we = p.get("encoder.weight").offset();
            int be = p.get("encoder.bias").offset();
            int bd = p.get("decoder.bias").offset();
            z = new double[b * h];
            a = new double[b * h];
            terms = new double[b * h];
            if (model instanceof RankOrdered) {
                k = 0;
                double[] xin = toDouble(x, b * n);
                encoder(b, n, h, xin, w, we, be);
                for (int i = 0; i < b * h; i++) {
                    a[i] = Math.min(Math.max(z[i], 0), 1);
                }
                loss = rankOrderedLoss(b, n, h, Presets.RANKS, x, w, we, bd);
                return;
            }
            Config c = ((Autoencoder) model).config();
            if (c.loss() != Loss.MSE || c.output() != Activation.IDENTITY || c.tied()) {
                throw new IllegalArgumentException(model.name() + ": the reference covers linear MSE outputs, untied");
            }
            int wd = p.get("decoder.weight").offset();
            k = c.k();
            double[] xin = toDouble(x, b * n);
            if (c.preBias()) {
                for (int r = 0; r < b; r++) {
                    for (int j = 0; j < n; j++) {
                        xin[r * n + j] -= w[bd + j];
                    }
                }
            }
            if (training && c.noise() != null) {
                if (c.noise() != Corruption.Kind.MASKING) {
                    throw new IllegalArgumentException(model.name() + ": the reference covers masking noise only");
                }
                // Corruption's documented stream: the seed (config seed ^ 0xC0FFEE) mixed with the step,
                // then Fill.bernoulli with the keep probability. Fill is bit-identical on both backends.
                float[] mask = new float[b * n];
                Fill.bernoulli((c.seed() ^ 0xC0FFEEL) ^ (step * 0x9E3779B97F4A7C15L), 1f - c.noiseAmount(), mask, 0,
                        b * n);
                for (int i = 0; i < b * n; i++) {
                    xin[i] *= mask[i];
                }
            }
            encoder(b, n, h, xin, w, we, be);
            for (int r = 0; r < b; r++) {
                activate(c, r * h, h);
            }
            double mse = 0;
            double l1 = 0;
            double[] mean = new double[h];
            for (int r = 0; r < b; r++) {
                for (int j = 0; j < n; j++) {
                    double y = w[bd + j];
                    for (int i = 0; i < h; i++) {
                        y += a[r * h + i] * w[wd + j * h + i];
                    }
                    double d = y - x[r * n + j];
                    mse += d * d;
                }
                for (int i = 0; i < h; i++) {
                    l1 += Math.abs(a[r * h + i]);
                    mean[i] += a[r * h + i];
                }
            }
            loss = mse / ((double) b * n) + c.l1() / b * l1;
            if (c.beta() > 0) {
                double rho = c.rho();
                double eps = 1e-6;
                double kl = 0;
                for (int i = 0; i < h; i++) {
                    double r = Math.min(Math.max(mean[i] / b, eps), 1 - eps);
                    kl += rho * Math.log(rho / r) + (1 - rho) * Math.log((1 - rho) / (1 - r));
                }
                loss += c.beta() * kl;
            }
            if (c.weightDecay() > 0) {
                double sq = 0;
                for (int i = 0; i < n * h; i++) {
                    sq += (double) w[we + i] * w[we + i] + (double) w[wd + i] * w[wd + i];
                }
                loss += c.weightDecay() / 2 * sq;
            }
        }

        private void encoder(int b, int n, int h, double[] xin, float[] w, int we, int be) {
            for (int r = 0; r < b; r++) {
                for (int i = 0; i < h; i++) {
                    double s = w[be + i];
                    double t = Math.abs(s);
                    for (int j = 0; j < n; j++) {
                        double prod = xin[r * n + j] * w[we + i * n + j];
                        s += prod;
                        t += Math.abs(prod);
                    }
                    z[r * h + i] = s;
                    terms[r * h + i] = t;
                }
            }
        }

        private void activate(Config c, int o, int h) {
            if (c.k() > 0) {
                // the k largest, ties to the lower index, then ReLU
                Integer[] idx = new Integer[h];
                for (int i = 0; i < h; i++) {
                    idx[i] = i;
                }
                Arrays.sort(idx, (p, q) -> {
                    int cmp = Double.compare(z[o + q], z[o + p]);
                    return cmp != 0 ? cmp : Integer.compare(p, q);
                });
                for (int t = 0; t < c.k(); t++) {
                    int i = idx[t];
                    a[o + i] = Math.max(0, z[o + i]);
                }
                return;
            }
            for (int i = 0; i < h; i++) {
                double v = z[o + i];
                a[o + i] = switch (c.hiddenActivation()) {
                    case IDENTITY -> v;
                    case RELU -> Math.max(0, v);
                    case SIGMOID -> 1 / (1 + Math.exp(-v));
                    default -> throw new IllegalArgumentException(c.model() + ": the reference has no "
                            + c.hiddenActivation());
                };
            }
        }

        /** Mean over rows, prefixes and features of (R_t - x)^2, R_t built from the ranked units. */
        private double rankOrderedLoss(int b, int n, int h, int ranks, float[] x, float[] w, int we, int bd) {
            double sum = 0;
            double[] rec = new double[n];
            for (int r = 0; r < b; r++) {
                int o = r * h;
                Integer[] idx = new Integer[h];
                for (int i = 0; i < h; i++) {
                    idx[i] = i;
                }
                Arrays.sort(idx, (p, q) -> {
                    int cmp = Double.compare(a[o + q], a[o + p]);
                    return cmp != 0 ? cmp : Integer.compare(p, q);
                });
                for (int j = 0; j < n; j++) {
                    rec[j] = w[bd + j];
                }
                for (int t = 0; t < ranks; t++) {
                    int i = idx[t];
                    for (int j = 0; j < n; j++) {
                        rec[j] += a[o + i] * w[we + i * n + j];
                        double d = rec[j] - x[r * n + j];
                        sum += d * d;
                    }
                }
            }
            return sum / ((double) b * n * ranks);
        }
    }

    private static double[] toDouble(float[] x, int n) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = x[i];
        }
        return d;
    }
}
