package dev.lanes.autoencoder.model;

import dev.lanes.autoencoder.nn.Dense;
import dev.lanes.autoencoder.nn.Init;
import dev.lanes.autoencoder.nn.Params;
import dev.lanes.core.Activation;
import dev.lanes.core.Blas;
import dev.lanes.core.TopK;
import java.util.Arrays;

/**
 * The rank-ordered autoencoder (Bertens 2016), tied weights: {@code a = trelu(x W^T + b)} with
 * {@code W [hidden, n]} ({@code encoder.weight}); per sample the units are ranked by activation, highest
 * first, and the reconstruction is built cumulatively, {@code R_t = b_dec + sum_{s<=t} a_{pi(s)} W[pi(s)]},
 * for the first {@code ranks} ranks. The loss is the mean over the batch, the prefixes and the features of
 * {@code (R_t - x)^2}, so the top-ranked units carry most of the reconstruction.
 * <pre>
 * x: (B, n)  z, a: (B, h)  order: (B, ranks) unit indices  R_t: (n) per sample and prefix
 * dL/dR_t = 2 (R_t - x) / (B n ranks);  S_t = sum_{s>=t} dL/dR_s
 * da_{pi(t)} = W[pi(t)] . S_t;  dW[pi(t)] += a_{pi(t)} S_t;  db_dec += S_0
 * </pre>
 * {@link #surrogateGradient(boolean)} switches the TReLU derivative to Bertens' custom one: outside
 * (0, 1) the gradient still passes when it moves the unit back into (0, 1) (down from above 1, up from
 * below 0) and its magnitude exceeds {@code threshold}; otherwise the true derivative (0 there).
 */
public final class RankOrdered implements Model {

    private final int n;
    private final int h;
    private final int ranks;
    private final Params params = new Params();
    private final Dense encoder;
    private final int bDec;
    private boolean surrogate;
    private float threshold;

    private int cap;
    private int batch;
    private float[] x;
    private float[] z;
    private float[] a;
    private float[] da;
    private float[] topValues;
    private int[] order;
    private float[] finals;     // (B, n): R_{ranks-1} of each sample
    private final float[] r;
    private final float[] s;
    private final float[] diff;

    public RankOrdered(int inputs, int hidden, int ranks, long seed) {
        if (ranks < 1 || ranks > hidden) {
            throw new IllegalArgumentException("rank-ordered: ranks=" + ranks + " not in [1, hidden=" + hidden + "]");
        }
        this.n = inputs;
        this.h = hidden;
        this.ranks = ranks;
        this.encoder = new Dense(params, "encoder", inputs, hidden, Init.XAVIER);
        this.bDec = params.add(new dev.lanes.autoencoder.nn.ParamSpec("decoder.bias", inputs)).offset();
        params.allocate();
        encoder.init(seed);
        this.r = new float[n];
        this.s = new float[n];
        this.diff = new float[n];
    }

    /** Uses Bertens' custom TReLU derivative ({@code true}) or the true one (the default). */
    public RankOrdered surrogateGradient(boolean on, float minMagnitude) {
        this.surrogate = on;
        this.threshold = minMagnitude;
        return this;
    }

    @Override
    public String name() {
        return "rank-ordered";
    }

    @Override
    public Params params() {
        return params;
    }

    @Override
    public int inputs() {
        return n;
    }

    @Override
    public int codes() {
        return h;
    }

    private void ensure(int b) {
        if (b <= cap) {
            return;
        }
        cap = b;
        z = new float[b * h];
        a = new float[b * h];
        da = new float[b * h];
        topValues = new float[b * ranks];
        order = new int[b * ranks];
        finals = new float[b * n];
    }

    private void encodeInto(int b, float[] input) {
        encoder.forward(b, input, z, false);
        Activation.TRELU.forward(z, 0, a, 0, b * h);
        TopK.select(a, 0, b, h, h, ranks, topValues, order);
    }

    @Override
    public float forward(int b, float[] input, boolean training) {
        ensure(b);
        batch = b;
        x = input;
        encodeInto(b, input);
        float[] p = params.data();
        int w = encoder.weight().offset();
        double loss = 0;
        for (int i = 0; i < b; i++) {
            System.arraycopy(p, bDec, r, 0, n);
            for (int t = 0; t < ranks; t++) {
                int j = order[i * ranks + t];
                Blas.axpy(n, a[i * h + j], p, w + j * n, r, 0);
                Blas.sub(n, r, 0, input, i * n, diff, 0);
                loss += Blas.sumOfSquares(n, diff, 0);
            }
            System.arraycopy(r, 0, finals, i * n, n);
        }
        return (float) (loss / ((double) b * n * ranks));
    }

    @Override
    public void backward() {
        int b = batch;
        float[] p = params.data();
        float[] g = params.grad();
        int w = encoder.weight().offset();
        float c = 2f / ((float) b * n * ranks);
        Arrays.fill(da, 0, b * h, 0f);
        for (int i = 0; i < b; i++) {
            System.arraycopy(finals, i * n, r, 0, n);
            Arrays.fill(s, 0f);
            // walk the prefixes backwards: S_t accumulates dL/dR_s for s >= t, R_{t-1} = R_t - a_j W[j]
            for (int t = ranks - 1; t >= 0; t--) {
                int j = order[i * ranks + t];
                float aj = a[i * h + j];
                Blas.sub(n, r, 0, x, i * n, diff, 0);
                Blas.axpy(n, c, diff, 0, s, 0);
                da[i * h + j] = Blas.dot(n, p, w + j * n, s, 0);
                Blas.axpy(n, aj, s, 0, g, w + j * n);
                Blas.axpy(n, -aj, p, w + j * n, r, 0);
            }
            Blas.axpy(n, 1f, s, 0, g, bDec);
        }
        if (surrogate) {
            for (int i = 0; i < b * h; i++) {
                float d = da[i];
                boolean inside = a[i] > 0f && a[i] < 1f;
                boolean back = z[i] >= 1f ? d > threshold : z[i] <= 0f && d < -threshold;
                da[i] = inside || back ? d : 0f;
            }
        } else {
            Activation.TRELU.backward(z, 0, a, 0, da, 0, da, 0, b * h);
        }
        encoder.backward(b, x, z, da, null);
    }

    /** Mean squared error per feature of each prefix reconstruction: {@code errors[t]} for {@code t < ranks}. */
    public void prefixErrors(int b, float[] input, double[] errors) {
        ensure(b);
        encodeInto(b, input);
        Arrays.fill(errors, 0, ranks, 0.0);
        float[] p = params.data();
        int w = encoder.weight().offset();
        for (int i = 0; i < b; i++) {
            System.arraycopy(p, bDec, r, 0, n);
            for (int t = 0; t < ranks; t++) {
                int j = order[i * ranks + t];
                Blas.axpy(n, a[i * h + j], p, w + j * n, r, 0);
                Blas.sub(n, r, 0, input, i * n, diff, 0);
                errors[t] += Blas.sumOfSquares(n, diff, 0) / ((double) b * n);
            }
        }
    }

    @Override
    public void encode(int b, float[] input, float[] codes) {
        ensure(b);
        encodeInto(b, input);
        System.arraycopy(a, 0, codes, 0, b * h);
    }

    /** The reconstruction from all {@code ranks} ranks. */
    @Override
    public void reconstruct(int b, float[] input, float[] out) {
        forward(b, input, false);
        System.arraycopy(finals, 0, out, 0, b * n);
    }

    /** TReLU regions and the ranking of every sample. */
    @Override
    public long stateFingerprint() {
        long f = 1469598103934665603L;
        for (int i = 0; i < batch * h; i++) {
            f = (f ^ (z[i] <= 0f ? 0 : z[i] >= 1f ? 2 : 1)) * 1099511628211L;
        }
        for (int i = 0; i < batch * ranks; i++) {
            f = (f ^ order[i]) * 1099511628211L;
        }
        return f;
    }
}
