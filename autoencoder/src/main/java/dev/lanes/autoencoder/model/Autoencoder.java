package dev.lanes.autoencoder.model;

import dev.lanes.autoencoder.nn.ActivationLayer;
import dev.lanes.autoencoder.nn.Corruption;
import dev.lanes.autoencoder.nn.Dense;
import dev.lanes.autoencoder.nn.Layer;
import dev.lanes.autoencoder.nn.Params;
import dev.lanes.autoencoder.nn.TopKLayer;
import dev.lanes.core.Activation;
import dev.lanes.core.Blas;
import dev.lanes.core.Gemm;
import dev.lanes.core.Losses;
import dev.lanes.core.Penalties;
import java.util.Arrays;

/**
 * A one-hidden-layer autoencoder covering {@code ae}, {@code linear}, {@code dae}, {@code sparse-l1},
 * {@code sparse-kl} and {@code topk} (see {@link Models}):
 * <pre>
 * xin = corrupt(x - (preBias ? b_dec : 0))     (B, n)
 * z   = xin W_enc^T + b_enc                     (B, h)   parameters encoder.weight [h, n], encoder.bias [h]
 * a   = act(z) or relu(topk(z))                 (B, h)   the code
 * yp  = a W_dec^T + b_dec                       (B, n)   decoder.weight [n, h] (or tied), decoder.bias [n]
 * y   = out(yp)                                 (B, n)
 * L   = loss(y, x) + (l1/B) sum|a| + KL(rho || mean_B a) + (wd/2)|W|^2 + auxScale * AuxK
 * </pre>
 * AuxK (Gao et al. 2024): the top {@code kAux} pre-activations among dead latents reconstruct the
 * residual {@code e = x - y} (held constant, as a detached target) through the decoder weight alone:
 * {@code AuxK = mse(relu(topk_dead(z)) W_dec^T, e)}.
 */
public final class Autoencoder implements Model {

    private final Config cfg;
    private final Params params = new Params();
    private final int n;
    private final int h;
    private final Corruption corruption;
    private final Dense encoder;
    private final Layer hidden;
    private final Dense decoder;
    private final ActivationLayer out;

    private int cap;
    private int batch;
    private float[] x;
    private float[] xc;     // x - b_dec (preBias)
    private float[] xn;     // corrupted input
    private float[] xin;    // the encoder's input: x, xc or xn
    private float[] z;
    private float[] a;
    private float[] yp;
    private float[] y;      // out(yp), or yp itself when the output is linear
    private float[] dy;
    private float[] dyp;
    private float[] da;     // dL/da, then dL/dz in place
    private float[] dxin;   // preBias: dL/dxin
    private final float[] negBias;
    private final float[] colTmp;
    private final float[] rhoHat;
    // AuxK
    private float[] masked;
    private float[] auxA;
    private float[] eHat;
    private float[] dEHat;
    private float[] dAux;
    private boolean auxActive;
    private final int[] sinceActive;
    private final boolean[] dead;
    private int deadCount;
    private final boolean[] fired;

    public Autoencoder(Config cfg) {
        this.cfg = cfg;
        this.n = cfg.inputs();
        this.h = cfg.hidden();
        this.corruption = cfg.noise() == null ? null : switch (cfg.noise()) {
            case MASKING -> Corruption.masking(cfg.noiseAmount(), n, cfg.seed() ^ 0xC0FFEEL);
            case DROPOUT -> Corruption.dropout(cfg.noiseAmount(), n, cfg.seed() ^ 0xC0FFEEL);
            case GAUSSIAN -> Corruption.gaussian(cfg.noiseAmount(), n, cfg.seed() ^ 0xC0FFEEL);
        };
        this.encoder = new Dense(params, "encoder", n, h, cfg.init());
        this.hidden = cfg.k() > 0 ? new TopKLayer(h, cfg.k()) : new ActivationLayer(cfg.hiddenActivation(), h);
        this.decoder = cfg.tied() ? Dense.tied(params, "decoder", encoder) : new Dense(params, "decoder", h, n, cfg.init());
        this.out = new ActivationLayer(cfg.output(), n);
        params.allocate();
        this.negBias = new float[n];
        this.colTmp = new float[Math.max(n, h)];
        this.rhoHat = new float[h];
        this.sinceActive = new int[h];
        this.dead = new boolean[h];
        this.fired = new boolean[h];
        init();
    }

    private void init() {
        encoder.init(cfg.seed());
        decoder.init(cfg.seed() + 1);
        if (cfg.unitNormDecoder()) {
            // Gao et al.: the decoder starts as the encoder's transpose, columns at unit norm
            float[] p = params.data();
            int we = encoder.weight().offset();
            int wd = decoder.weight().offset();
            for (int j = 0; j < h; j++) {
                for (int i = 0; i < n; i++) {
                    p[wd + i * h + j] = p[we + j * n + i];
                }
            }
            normaliseDecoderColumns();
            Arrays.fill(p, encoder.bias().offset(), encoder.bias().offset() + h, 0f);
            Arrays.fill(p, decoder.bias().offset(), decoder.bias().offset() + n, 0f);
        }
    }

    public Config config() {
        return cfg;
    }

    @Override
    public String name() {
        return cfg.model();
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

    public Dense encoder() {
        return encoder;
    }

    public Dense decoder() {
        return decoder;
    }

    /** Latents not active for {@code deadSteps} training steps, as of the last {@link #afterStep}. */
    public int deadLatents() {
        return deadCount;
    }

    @Override
    public void setStep(long step) {
        if (corruption != null) {
            corruption.setStep(step);
        }
    }

    /** Grows the activation buffers to {@code b} rows; a no-op at a batch size already seen. */
    private void ensure(int b) {
        if (b <= cap) {
            return;
        }
        cap = b;
        xc = cfg.preBias() ? new float[b * n] : null;
        dxin = cfg.preBias() ? new float[b * n] : null;
        xn = corruption != null ? new float[b * n] : null;
        z = new float[b * h];
        a = new float[b * h];
        da = new float[b * h];
        yp = new float[b * n];
        y = cfg.output() == Activation.IDENTITY ? yp : new float[b * n];
        dy = new float[b * n];
        dyp = cfg.output() == Activation.IDENTITY ? dy : new float[b * n];
        if (cfg.kAux() > 0) {
            masked = new float[b * h];
            auxA = new float[b * h];
            dAux = new float[b * h];
            eHat = new float[b * n];
            dEHat = new float[b * n];
        }
    }

    @Override
    public float forward(int b, float[] input, boolean training) {
        if (b < 1 || input.length < b * n) {
            throw new IllegalArgumentException(name() + ": batch=" + b + " needs " + b * n + " inputs, have " + input.length);
        }
        ensure(b);
        batch = b;
        x = input;
        encodeInto(b, input, training);
        decoder.forward(b, a, yp, training);
        if (y != yp) {
            out.forward(b, yp, y, training);
        }
        float loss = cfg.loss().value(b * n, y, x, dy);
        if (cfg.l1() > 0f) {
            loss += Penalties.l1(cfg.l1() / b, a, 0, b * h);
        }
        if (cfg.beta() > 0f) {
            Penalties.klRhoHat(b, h, a, 0, h, rhoHat, 0);
            loss += Penalties.kl(cfg.rho(), cfg.beta(), rhoHat, 0, h);
        }
        if (cfg.weightDecay() > 0f) {
            float[] p = params.data();
            loss += Penalties.l2(cfg.weightDecay(), p, encoder.weight().offset(), n * h);
            if (!decoder.isTied()) {
                loss += Penalties.l2(cfg.weightDecay(), p, decoder.weight().offset(), n * h);
            }
        }
        auxActive = training && cfg.kAux() > 0 && deadCount > 0;
        if (auxActive) {
            loss += cfg.auxScale() * auxForward(b);
        }
        return loss;
    }

    // xin: (B, n) -> z: (B, h) -> a: (B, h)
    private void encodeInto(int b, float[] input, boolean training) {
        xin = input;
        if (cfg.preBias()) {
            float[] p = params.data();
            int bo = decoder.bias().offset();
            for (int j = 0; j < n; j++) {
                negBias[j] = -p[bo + j];
            }
            System.arraycopy(input, 0, xc, 0, b * n);
            Blas.addRowVector(b, n, negBias, 0, xc, 0, n);
            xin = xc;
        }
        if (corruption != null && training) {
            corruption.forward(b, xin, xn, true);
            xin = xn;
        }
        encoder.forward(b, xin, z, training);
        hidden.forward(b, z, a, training);
    }

    // e = x - y (B, n), constant; auxA = relu(topk_dead(z)) (B, h); eHat = auxA W_dec^T (B, n)
    private float auxForward(int b) {
        ((TopKLayer) hidden).auxForward(b, z, dead, deadCount, cfg.kAux(), masked, auxA);
        Blas.sub(b * n, x, 0, y, 0, dEHat, 0);
        Gemm.sgemm(false, true, b, n, h, 1f, auxA, 0, h, params.data(), decoder.weight().offset(), h, 0f, eHat, 0, n);
        // dEHat holds e on entry and the gradient of mse(eHat, e) on return (in place is allowed)
        return Losses.mse(b * n, eHat, 0, dEHat, 0, dEHat, 0);
    }

    @Override
    public void backward() {
        int b = batch;
        if (y != yp) {
            out.backward(b, yp, y, dy, dyp);
        }
        decoder.backward(b, a, yp, dyp, da);
        if (cfg.l1() > 0f) {
            Penalties.l1Gradient(cfg.l1() / b, a, 0, da, 0, b * h);
        }
        if (cfg.beta() > 0f) {
            Penalties.klGradient(cfg.rho(), cfg.beta(), b, h, rhoHat, 0, da, 0, h);
        }
        hidden.backward(b, z, a, da, da);
        if (auxActive) {
            auxBackward(b);
        }
        encoder.backward(b, xin, z, da, cfg.preBias() ? dxin : null);
        if (cfg.preBias()) {
            // xc = x - b_dec: the decoder bias also receives -colsum(dL/dxc), through the corruption if any
            if (xin == xn) {
                corruption.backward(b, xc, xn, dxin, dxin);
            }
            Blas.columnSums(b, n, dxin, 0, n, colTmp, 0, false);
            // A plain loop rather than Blas.axpy: a Vector API kernel called once per step on n floats
            // stays in C1 code for hundreds of steps (C2 wants ~600 calls), and there every vector
            // operation allocates its result (~24 KB per step at n = 784).
            float[] g = params.grad();
            int bo = decoder.bias().offset();
            for (int j = 0; j < n; j++) {
                g[bo + j] -= colTmp[j];
            }
        }
        if (cfg.weightDecay() > 0f) {
            float[] p = params.data();
            float[] g = params.grad();
            int we = encoder.weight().offset();
            Penalties.l2Gradient(cfg.weightDecay(), p, we, g, we, n * h);
            if (!decoder.isTied()) {
                int wd = decoder.weight().offset();
                Penalties.l2Gradient(cfg.weightDecay(), p, wd, g, wd, n * h);
            }
        }
    }

    // dEHat: (B, n) -> dW_dec += dEHat^T auxA (n, h); dz += relu'(auxA) * (dEHat W_dec) (B, h)
    private void auxBackward(int b) {
        Blas.scale(b * n, cfg.auxScale(), dEHat, 0);
        Gemm.sgemm(true, false, n, h, b, 1f, dEHat, 0, n, auxA, 0, h, 1f, params.grad(), decoder.weight().offset(), h);
        Gemm.sgemm(false, false, b, h, n, 1f, dEHat, 0, n, params.data(), decoder.weight().offset(), h, 0f, dAux, 0, h);
        Activation.RELU.backward(auxA, 0, auxA, 0, dAux, 0, dAux, 0, b * h);
        Blas.add(b * h, da, 0, dAux, 0, da, 0);
    }

    @Override
    public void prepare(float[] data, int rows) {
        if (!cfg.preBias() || rows < 1) {
            return;
        }
        // the decoder bias starts at the data mean (Gao et al.)
        columnMeans(data, rows, n, params.data(), decoder.bias().offset());
    }

    /**
     * Writes the mean of each of the {@code n} columns of {@code data (rows x n)} to
     * {@code out[outOff .. outOff+n)}, summed in double for long datasets.
     */
    public static void columnMeans(float[] data, int rows, int n, float[] out, int outOff) {
        double[] sum = new double[n];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < n; j++) {
                sum[j] += data[r * n + j];
            }
        }
        for (int j = 0; j < n; j++) {
            out[outOff + j] = (float) (sum[j] / rows);
        }
    }

    /** Removes from each decoder column's gradient its component parallel to the (unit) column. */
    @Override
    public void beforeStep() {
        if (!cfg.unitNormDecoder()) {
            return;
        }
        float[] p = params.data();
        float[] g = params.grad();
        int wd = decoder.weight().offset();
        Arrays.fill(colTmp, 0, h, 0f);
        for (int i = 0; i < n; i++) {
            int row = wd + i * h;
            for (int j = 0; j < h; j++) {
                colTmp[j] += p[row + j] * g[row + j];
            }
        }
        for (int i = 0; i < n; i++) {
            int row = wd + i * h;
            for (int j = 0; j < h; j++) {
                g[row + j] -= colTmp[j] * p[row + j];
            }
        }
    }

    @Override
    public void afterStep() {
        if (cfg.unitNormDecoder()) {
            normaliseDecoderColumns();
        }
        if (cfg.kAux() > 0) {
            trackDeadLatents();
        }
    }

    private void normaliseDecoderColumns() {
        float[] p = params.data();
        int wd = decoder.weight().offset();
        Arrays.fill(colTmp, 0, h, 0f);
        for (int i = 0; i < n; i++) {
            int row = wd + i * h;
            for (int j = 0; j < h; j++) {
                colTmp[j] += p[row + j] * p[row + j];
            }
        }
        for (int j = 0; j < h; j++) {
            colTmp[j] = colTmp[j] > 0f ? (float) (1 / Math.sqrt(colTmp[j])) : 1f;
        }
        for (int i = 0; i < n; i++) {
            int row = wd + i * h;
            for (int j = 0; j < h; j++) {
                p[row + j] *= colTmp[j];
            }
        }
    }

    /** The steps since each latent last fired (AuxK's dead-latent tracking); empty without AuxK. */
    @Override
    public int[] trainingState() {
        return cfg.kAux() > 0 ? sinceActive.clone() : new int[0];
    }

    @Override
    public void restoreTrainingState(int[] state) {
        int expected = cfg.kAux() > 0 ? h : 0;
        if (state.length != expected) {
            throw new IllegalArgumentException(name() + ": training state has " + state.length + " values, expected "
                    + expected);
        }
        deadCount = 0;
        for (int j = 0; j < state.length; j++) {
            sinceActive[j] = state[j];
            dead[j] = sinceActive[j] >= cfg.deadSteps();
            deadCount += dead[j] ? 1 : 0;
        }
    }

    private void trackDeadLatents() {
        Arrays.fill(fired, false);
        for (int r = 0; r < batch; r++) {
            int o = r * h;
            for (int j = 0; j < h; j++) {
                fired[j] |= a[o + j] > 0f;
            }
        }
        deadCount = 0;
        for (int j = 0; j < h; j++) {
            sinceActive[j] = fired[j] ? 0 : sinceActive[j] + 1;
            dead[j] = sinceActive[j] >= cfg.deadSteps();
            deadCount += dead[j] ? 1 : 0;
        }
    }

    @Override
    public void encode(int b, float[] input, float[] codes) {
        ensure(b);
        encodeInto(b, input, false);
        System.arraycopy(a, 0, codes, 0, b * h);
    }

    @Override
    public void reconstruct(int b, float[] input, float[] result) {
        ensure(b);
        encodeInto(b, input, false);
        decoder.forward(b, a, yp, false);
        if (cfg.loss() == dev.lanes.autoencoder.nn.Loss.SIGMOID_CROSS_ENTROPY) {
            Activation.SIGMOID.forward(yp, 0, result, 0, b * n);
        } else if (y != yp) {
            out.forward(b, yp, result, false);
        } else {
            System.arraycopy(yp, 0, result, 0, b * n);
        }
    }

    @Override
    public long stateFingerprint() {
        long f = hidden.stateFingerprint(batch, z, a);
        if (auxActive) {
            f = f * 31 + hidden.stateFingerprint(batch, masked, auxA);
        }
        return f;
    }
}
