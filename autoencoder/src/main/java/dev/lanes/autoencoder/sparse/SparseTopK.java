package dev.lanes.autoencoder.sparse;

import dev.lanes.autoencoder.model.Autoencoder;
import dev.lanes.autoencoder.model.Config;
import dev.lanes.autoencoder.model.Model;
import dev.lanes.autoencoder.model.Models;
import dev.lanes.autoencoder.nn.ParamSpec;
import dev.lanes.autoencoder.nn.Params;
import dev.lanes.autoencoder.nn.Tensor;
import dev.lanes.core.Blas;
import dev.lanes.core.Fill;
import dev.lanes.core.Gemm;
import dev.lanes.core.Losses;
import dev.lanes.core.Optimizers;
import dev.lanes.core.RowAdam;
import dev.lanes.core.Sparse;
import java.util.Arrays;

/**
 * A TopK sparse autoencoder trained sparsely: the model of {@code torch_sae.py --model topk} and of the
 * dense {@link Autoencoder} with {@code k > 0}, with or without AuxK ({@code cfg.kAux() > 0}: the dense
 * model's dead-latent rule and loss, computed on the dead encoder rows only), pre-bias (folded into the
 * encoder bias, {@code b_enc - W_enc b_dec}, so the encoder still skips the zeros of x; call
 * {@link #prepare} to start the decoder bias at the data mean) and unit-norm decoder (the parallel
 * component leaves each active row's gradient; every decoder row then takes its step and is renormalised
 * each step, so the decoder is not lazy in that mode), per-row TopK or {@link #batchTopK BatchTopK}:
 * <pre>
 * z = x W_enc^T + b_enc           (B, h)   only the top k per row are computed into memory
 * a = relu(topk_k(z))             (B, h)   k non-zeros per row, kept as (value, latent) pairs
 * y = a W_dec^T + b_dec           (B, n)   a gather of k decoder rows per sample
 * L = mean((y - x)^2)
 * </pre>
 * Both weights are stored one row per latent ({@code encoder.weight [h, n]} as in the dense model, the
 * decoder as {@code decoder.weight_t [h, n]}, the transpose of the dense {@code decoder.weight [n, h]};
 * {@link #toDense} converts). {@link #trainStep} is forward, backward and a row-wise Adam
 * ({@link RowAdam}) in one: each active latent's gradient rows are formed in L1 right before their
 * update and never stored; decoder rows of latents not in the batch are left behind and replayed (zero
 * gradient steps, in registers) just before a batch gathers them or at {@link #flush}; encoder rows,
 * which every forward reads, take their zero-gradient step at the end of each step, unless the
 * {@code lazyEncoder} approximation is chosen. The parameters are bit for bit those of dense Adam.
 *
 * <p>It also implements the ordinary {@link Model} contract ({@link #forward}, {@link #backward} into
 * {@code params().grad()}), so a dense optimizer and the existing trainer work on it too; do not mix the
 * two optimizers on one instance.
 */
public final class SparseTopK implements Model {

    private final Config cfg;
    private final int n;
    private final int h;
    private final int k;
    private final Params params = new Params();
    private final Tensor encW;
    private final Tensor encB;
    private final Tensor decW;
    private final Tensor decB;
    private final float lr;
    private final float beta1 = 0.9f;
    private final float beta2 = 0.999f;
    private final float eps = 1e-8f;
    private final Timing timing = new Timing();
    private final boolean lazyEncoder;
    private final boolean batchTopK;

    // BatchTopK: per-row candidates (a row's block may be moved to the end when recomputed longer)
    private static final int CANDIDATES = 2;
    private static final float THRESHOLD_DECAY = 0.99f;
    private float threshold = Float.NaN;
    private float[] candVal = new float[0];
    private int[] candIdx = new int[0];
    private int[] candOff = new int[0];
    private int[] candCnt = new int[0];
    private float[] sortBuf = new float[0];
    private int[] failing = new int[0];
    private long recomputedRows;

    // AuxK: dead-latent tracking as the dense model's, and the batch's aux (sample, dead latent) pairs
    private final int kAux;
    private final int[] sinceActive;
    private final int[] deadList;
    private int deadCount;
    private boolean auxActive;
    private int auxK;
    private int[] auxPtr = new int[1];
    private float[] auxVal = new float[0];
    private int[] auxLoc = new int[0];
    private int[] auxLat = new int[0];
    private float[] auxAct = new float[0];
    private float[] auxDz = new float[0];
    private float[] deadW = new float[0];
    private float[] deadB = new float[0];
    private float[] eHat;
    private float auxLoss;
    private int[] latSampleEnc;

    // pre-bias: z = W (x - b_dec) + b_enc = W x + (b_enc - W b_dec), so x keeps its zeros for the encoder;
    // zBias is the bias the encoder adds (b_enc itself without pre-bias); xc = x - b_dec for the gradients
    private float[] zBias;
    private int zBiasOff;
    private float[] effBias;
    private float[] xc;
    private float[] xGrad;

    // lazy Adam: the step count, per-row last step, the schedule
    private int t;
    private final int[] lastEnc;
    private final int[] lastDec;
    private float[] stepSize = new float[16];
    private float[] sqrtBc2 = new float[16];
    private int scheduled;

    // per-batch buffers, grown on demand
    private int cap;
    private int batch;
    private float[] x;
    private int[] ptrK;
    private float[] topVal;
    private int[] topIdx;
    private float[] act;
    private float[] y;
    private float[] dy;
    private float[] dz;
    private final int[] count;
    private int[] active;
    private int activeCount;
    private final int[] latPtr;
    private int[] latSample;
    private float[] latAct;
    private float[] latDz;
    private int[] slotOf;

    /**
     * A model for {@code cfg} ({@code k > 0}; pre-bias, unit norm, AuxK and noise off), trained at rate
     * {@code lr}, exact: every step's result equals dense Adam's.
     */
    public SparseTopK(Config cfg, float lr) {
        this(cfg, lr, false);
    }

    /**
     * As {@link #SparseTopK(Config, float)}; with {@code lazyEncoder} the encoder rows of latents not
     * active in a batch are not brought up to date every step but only when next active (or at a flush),
     * so the encoder forward reads them up to a few steps stale: the approximation of PyTorch's
     * {@code SparseAdam}, not equal to dense Adam, but with no per-step pass over the whole encoder state.
     */
    public SparseTopK(Config cfg, float lr, boolean lazyEncoder) {
        this(cfg, lr, lazyEncoder, false);
    }

    /**
     * BatchTopK (Bussmann et al. 2024) on the same kernels: a training batch of {@code B} rows keeps its
     * {@code k B} largest pre-activations over the whole batch (a row may keep more or fewer than
     * {@code k}), then ReLU. Each training forward also updates the inference threshold (see
     * {@link #threshold()}), which {@link #encode}, {@link #reconstruct} and {@code forward(.., false)}
     * use once set: a latent is kept where its pre-activation exceeds it. {@code cfg} as for
     * {@link #SparseTopK(Config, float)}; exact Adam (no lazy encoder).
     */
    public static SparseTopK batchTopK(Config cfg, float lr) {
        return new SparseTopK(cfg, lr, false, true);
    }

    private SparseTopK(Config cfg, float lr, boolean lazyEncoder, boolean batchTopK) {
        this.lazyEncoder = lazyEncoder;
        this.batchTopK = batchTopK;
        if (cfg.k() < 1 || cfg.noise() != null
                || cfg.tied() || cfg.l1() > 0f || cfg.beta() > 0f || cfg.weightDecay() > 0f
                || cfg.loss() != dev.lanes.autoencoder.nn.Loss.MSE || cfg.output() != dev.lanes.core.Activation.IDENTITY
                || cfg.init() != dev.lanes.autoencoder.nn.Init.PYTORCH) {
            throw new IllegalArgumentException("SparseTopK: supports TopK (k > 0) with MSE, a linear output and PyTorch "
                    + "init, AuxK, pre-bias and unit-norm decoder, without noise, tying or penalties; got " + cfg);
        }
        this.cfg = cfg;
        this.n = cfg.inputs();
        this.h = cfg.hidden();
        this.k = cfg.k();
        this.lr = lr;
        this.encW = params.add(new ParamSpec("encoder.weight", h, n));
        this.encB = params.add(new ParamSpec("encoder.bias", h));
        this.decW = params.add(new ParamSpec("decoder.weight_t", h, n));
        this.decB = params.add(new ParamSpec("decoder.bias", n));
        params.allocate();
        this.lastEnc = new int[h];
        this.lastDec = new int[h];
        this.count = new int[h];
        this.latPtr = new int[h + 1];
        this.kAux = cfg.kAux();
        this.sinceActive = new int[kAux > 0 ? h : 0];
        this.deadList = new int[kAux > 0 ? h : 0];
        this.effBias = cfg.preBias() ? new float[h] : null;
        init();
    }

    /** The TopK configuration this model trains: {@code torch_sae.py}'s ({@code topk} without its extras). */
    public static Config config(int inputs, int hidden, int k, long seed) {
        return Models.builder("topk").inputs(inputs).hidden(hidden).k(k).preBias(false).unitNormDecoder(false)
                .auxK(0, 0f).seed(seed).config();
    }

    /** Initialises exactly as the dense {@link Autoencoder} with the same config (PyTorch's uniform init). */
    private void init() {
        float[] p = params.data();
        long seed = cfg.seed();
        float ae = (float) (1 / Math.sqrt(n));
        Fill.uniform(seed, -ae, ae, p, encW.offset(), h * n);
        Fill.uniform(seed ^ 0xB1A5L, -ae, ae, p, encB.offset(), h);
        float ad = (float) (1 / Math.sqrt(h));
        float[] dense = new float[n * h];
        Fill.uniform(seed + 1, -ad, ad, dense, 0, n * h);
        transposeInto(dense, n, h, p, decW.offset());
        Fill.uniform((seed + 1) ^ 0xB1A5L, -ad, ad, p, decB.offset(), n);
        if (cfg.unitNormDecoder()) {
            // as the dense model: the decoder starts as the encoder's transpose (here: the same rows), unit rows
            System.arraycopy(p, encW.offset(), p, decW.offset(), h * n);
            normaliseDecoderRows();
            Arrays.fill(p, encB.offset(), encB.offset() + h, 0f);
            Arrays.fill(p, decB.offset(), decB.offset() + n, 0f);
        }
    }

    /** Each decoder row (a dense decoder column) to unit norm, with the dense model's operations and order. */
    private void normaliseDecoderRows() {
        float[] p = params.data();
        for (int j = 0; j < h; j++) {
            int row = decW.offset() + j * n;
            float ss = 0f;
            for (int c = 0; c < n; c++) {
                ss += p[row + c] * p[row + c];
            }
            float scale = ss > 0f ? (float) (1 / Math.sqrt(ss)) : 1f;
            for (int c = 0; c < n; c++) {
                p[row + c] *= scale;
            }
        }
    }

    /** g_j -= (p_j . g_j) p_j for decoder rows {@code rows[0..count)} of {@code g} (row r at gOff + r*n). */
    private void removeParallel(int count, int[] rows, float[] g, int gOff, boolean gByLatent) {
        float[] p = params.data();
        for (int r = 0; r < count; r++) {
            int row = decW.offset() + rows[r] * n;
            int gr = gOff + (gByLatent ? rows[r] : r) * n;
            float dot = 0f;
            for (int c = 0; c < n; c++) {
                dot += p[row + c] * g[gr + c];
            }
            for (int c = 0; c < n; c++) {
                g[gr + c] -= dot * p[row + c];
            }
        }
    }

    /** Unit-norm decoder, model path: the parallel component leaves each decoder row's gradient. */
    @Override
    public void beforeStep() {
        if (cfg.unitNormDecoder()) {
            int[] all = new int[h];
            for (int j = 0; j < h; j++) {
                all[j] = j;
            }
            removeParallel(h, all, params.grad(), decW.offset(), true);
        }
    }

    /** dst[off + j*rows + i] = src[i*cols + j]: a rows x cols matrix to its cols x rows transpose. */
    private static void transposeInto(float[] src, int rows, int cols, float[] dst, int off) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                dst[off + j * rows + i] = src[i * cols + j];
            }
        }
    }

    public Config config() {
        return cfg;
    }

    public int k() {
        return k;
    }

    /** Whether this model selects BatchTopK ({@link #batchTopK}) rather than per-row TopK. */
    public boolean isBatchTopK() {
        return batchTopK;
    }

    /**
     * BatchTopK's inference threshold: the exponential moving average (decay 0.99, started at the first
     * value) of each training batch's smallest positive kept activation; NaN before the first training
     * forward, and always for per-row TopK.
     */
    public float threshold() {
        return threshold;
    }

    /** BatchTopK: rows whose candidates had to be recomputed longer, summed over all forwards. */
    public long recomputedRows() {
        return recomputedRows;
    }

    /** Optimizer steps taken by {@link #trainStep}. */
    public int steps() {
        return t;
    }

    /** Per-phase time of the training steps since the last {@link Timing#reset}. */
    public Timing timing() {
        return timing;
    }

    @Override
    public String name() {
        return batchTopK ? "batchtopk" : "topk";
    }

    /** The parameters, in the internal layout (see the class comment), brought up to date first. */
    @Override
    public Params params() {
        flush();
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
        ptrK = new int[b + 1];
        for (int i = 0; i <= b; i++) {
            ptrK[i] = i * k;
        }
        topVal = new float[b * k];
        topIdx = new int[b * k];
        act = new float[b * k];
        y = new float[b * n];
        // with AuxK, dy holds the main gradient in its first b rows and the aux gradient dL/d(eHat) after
        dy = new float[(kAux > 0 ? 2 : 1) * b * n];
        eHat = kAux > 0 ? new float[b * n] : null;
        xc = cfg.preBias() ? new float[b * n] : null;
        dz = new float[b * k];
        int pairs = b * (k + (kAux > 0 ? Math.min(kAux, h) : 0));
        active = new int[Math.min(h, pairs)];
        latSample = new int[pairs];
        latSampleEnc = new int[pairs];
        latAct = new float[pairs];
        latDz = new float[pairs];
        slotOf = new int[pairs];
    }

    // x (B, n) -> selected (value, latent) pairs, rows delimited by ptrK -> act = relu
    private void encodeTopK(int b, float[] input, boolean training) {
        encoderBias();
        if (!batchTopK) {
            float[] p = params.data();
            Sparse.productTopK(b, h, n, input, 0, n, p, encW.offset(), n, zBias, zBiasOff, k, topVal, topIdx);
        } else if (training || Float.isNaN(threshold)) {
            selectBatch(b, input);
        } else {
            selectThreshold(b, input);
        }
        int pairs = ptrK[b];
        float minPositive = Float.POSITIVE_INFINITY;
        for (int u = 0; u < pairs; u++) {
            float a = Math.max(topVal[u], 0f);
            act[u] = a;
            if (a > 0f && a < minPositive) {
                minPositive = a;
            }
        }
        if (batchTopK && training && minPositive != Float.POSITIVE_INFINITY) {
            threshold = Float.isNaN(threshold) ? minPositive
                    : THRESHOLD_DECAY * threshold + (1 - THRESHOLD_DECAY) * minPositive;
        }
    }

    /** The bias the fused encoder adds: b_enc, or with pre-bias b_enc - W_enc b_dec (one mat-vec). */
    private void encoderBias() {
        float[] p = params.data();
        if (!cfg.preBias()) {
            zBias = p;
            zBiasOff = encB.offset();
            return;
        }
        Gemm.sgemm(false, true, 1, h, n, 1f, p, decB.offset(), n, p, encW.offset(), n, 0f, effBias, 0, h);
        for (int j = 0; j < h; j++) {
            effBias[j] = p[encB.offset() + j] - effBias[j];
        }
        zBias = effBias;
        zBiasOff = 0;
    }

    /** With pre-bias, the decoder bias also gets -sum_j s_j W_enc[j] (s_j: latent j's summed code gradient). */
    private void preBiasGradient(float[] s, int sOff, float[] g) {
        if (!cfg.preBias()) {
            return;
        }
        float[] col = new float[n];
        float[] coef = new float[activeCount];
        for (int r = 0; r < activeCount; r++) {
            coef[r] = -s[sOff + active[r]];
        }
        Sparse.gatherRows(1, n, new int[] {0, activeCount}, coef, active, params.data(), encW.offset(), n, h,
                col, 0, n);
        Blas.axpy(n, 1f, col, 0, g, decB.offset());
    }

    @Override
    public void prepare(float[] data, int rows) {
        if (!cfg.preBias() || rows < 1) {
            return;
        }
        // the decoder bias starts at the data mean, as the dense model's
        Autoencoder.columnMeans(data, rows, n, params.data(), decB.offset());
    }

    /**
     * The k B largest pre-activations of the batch, exactly. Each row first gets its top c = 2k candidates
     * from the fused encoder. Let tau be the (k B)-th largest candidate. A row whose smallest candidate is
     * below tau holds no other value that could be kept (everything it left out is at most that
     * candidate); a row whose smallest candidate is at least tau may hold more, so it is recomputed with
     * four times as many candidates (at most min(k B, h): a row with k B candidates alone fills the
     * batch) and tau is taken again, until no row is in doubt. tau only grows between rounds. Ties at tau
     * are kept in row order, then in the order of the row's candidates.
     */
    private void selectBatch(int b, float[] input) {
        float[] p = params.data();
        int kb = k * b;
        int full = Math.min(kb, h);
        int c0 = Math.min(h, CANDIDATES * k);
        if (candVal.length < b * c0) {
            candVal = new float[b * c0];
            candIdx = new int[b * c0];
        }
        if (candOff.length < b) {
            candOff = new int[b];
            candCnt = new int[b];
            failing = new int[b];
        }
        Sparse.productTopK(b, h, n, input, 0, n, p, encW.offset(), n, zBias, zBiasOff, c0, candVal, candIdx);
        for (int i = 0; i < b; i++) {
            candOff[i] = i * c0;
            candCnt[i] = c0;
        }
        int used = b * c0;
        float tau;
        while (true) {
            tau = kthLargest(b, kb);
            int doubt = 0;
            int grow = 0;
            for (int i = 0; i < b; i++) {
                if (candCnt[i] < full && !(candVal[candOff[i] + candCnt[i] - 1] < tau)) {
                    failing[doubt++] = i;
                    grow = Math.max(grow, Math.min(full, 4 * candCnt[i]));
                }
            }
            if (doubt == 0) {
                break;
            }
            used = recompute(doubt, grow, input, used);
        }
        int above = 0;
        for (int i = 0; i < b; i++) {
            for (int r = candOff[i], end = r + candCnt[i]; r < end && candVal[r] > tau; r++) {
                above++;
            }
        }
        int ties = kb - above;
        int u = 0;
        for (int i = 0; i < b; i++) {
            ptrK[i] = u;
            for (int r = candOff[i], end = r + candCnt[i]; r < end; r++) {
                float v = candVal[r];
                if (v > tau || (v == tau && ties-- > 0)) {
                    topVal[u] = v;
                    topIdx[u] = candIdx[r];
                    u++;
                } else if (!(v >= tau)) {
                    break;
                }
            }
        }
        ptrK[b] = u;
        assert u == kb : "kept " + u + " of " + kb;
    }

    /** The (kb)-th largest of all current candidates (candidates are at least kb: c0 >= k). */
    private float kthLargest(int b, int kb) {
        int total = 0;
        for (int i = 0; i < b; i++) {
            total += candCnt[i];
        }
        if (sortBuf.length < total) {
            sortBuf = new float[total];
        }
        int o = 0;
        for (int i = 0; i < b; i++) {
            System.arraycopy(candVal, candOff[i], sortBuf, o, candCnt[i]);
            o += candCnt[i];
        }
        Arrays.sort(sortBuf, 0, total);
        return sortBuf[total - kb];
    }

    /** Recomputes the rows failing[0..doubt) with {@code grow} candidates each, appended after {@code used}. */
    private int recompute(int doubt, int grow, float[] input, int used) {
        float[] p = params.data();
        float[] rows = new float[doubt * n];
        for (int q = 0; q < doubt; q++) {
            System.arraycopy(input, failing[q] * n, rows, q * n, n);
        }
        int need = used + doubt * grow;
        if (candVal.length < need) {
            candVal = Arrays.copyOf(candVal, need);
            candIdx = Arrays.copyOf(candIdx, need);
        }
        float[] val = new float[doubt * grow];
        int[] idx = new int[doubt * grow];
        Sparse.productTopK(doubt, h, n, rows, 0, n, p, encW.offset(), n, zBias, zBiasOff, grow, val, idx);
        System.arraycopy(val, 0, candVal, used, doubt * grow);
        System.arraycopy(idx, 0, candIdx, used, doubt * grow);
        for (int q = 0; q < doubt; q++) {
            candOff[failing[q]] = used + q * grow;
            candCnt[failing[q]] = grow;
        }
        recomputedRows += doubt;
        return need;
    }

    /** BatchTopK inference: every latent whose pre-activation exceeds the threshold (dense z, one GEMM). */
    private void selectThreshold(int b, float[] input) {
        float[] p = params.data();
        float[] z = new float[b * h];
        Gemm.sgemm(false, true, b, h, n, 1f, input, 0, n, p, encW.offset(), n, 0f, z, 0, h);
        int u = 0;
        for (int i = 0; i < b; i++) {
            ptrK[i] = u;
            for (int j = 0; j < h; j++) {
                float v = z[i * h + j] + zBias[zBiasOff + j];
                if (v > threshold) {
                    if (u == topVal.length) {
                        topVal = Arrays.copyOf(topVal, 2 * u);
                        topIdx = Arrays.copyOf(topIdx, 2 * u);
                        act = Arrays.copyOf(act, 2 * u);
                    }
                    topVal[u] = v;
                    topIdx[u] = j;
                    u++;
                }
            }
        }
        ptrK[b] = u;
    }

    private void decode(int b, float[] out) {
        float[] p = params.data();
        for (int i = 0; i < b; i++) {
            System.arraycopy(p, decB.offset(), out, i * n, n);
        }
        Sparse.gatherRows(b, n, ptrK, act, topIdx, p, decW.offset(), n, h, out, 0, n);
    }

    @Override
    public float forward(int b, float[] input, boolean training) {
        if (b < 1 || input.length < b * n) {
            throw new IllegalArgumentException("topk: batch=" + b + " needs " + b * n + " inputs, have " + input.length);
        }
        flush();
        return forwardLazy(b, input, training);
    }

    /** {@link #forward} without the flush: the lazy rows stay behind, which the sparse step never reads. */
    private float forwardLazy(int b, float[] input, boolean training) {
        ensure(b);
        batch = b;
        x = input;
        xGrad = input;
        if (cfg.preBias()) {
            float[] p = params.data();
            for (int i = 0; i < b; i++) {
                for (int c = 0; c < n; c++) {
                    xc[i * n + c] = input[i * n + c] - p[decB.offset() + c];
                }
            }
            xGrad = xc;
        }
        long t0 = System.nanoTime();
        encodeTopK(b, input, training);
        auxActive = training && kAux > 0 && deadCount > 0;
        if (auxActive) {
            auxSelect(b, input);
        }
        long t1 = System.nanoTime();
        if (ptrK[b] <= b * k) {
            // a BatchTopK inference selection may hold more pairs; it follows a full flush and no backward
            group(b);
            if (t > 0) {
                // the gathered decoder rows must be current: replay the steps they missed (k*B rows at most)
                RowAdam.flushRows(n, activeCount, active, beta1, beta2, eps, stepSize, sqrtBc2, t, lastDec,
                        params.data(), params.m(), params.v(), decW.offset(), n);
            }
        }
        decode(b, y);
        float loss = Losses.mse(b * n, y, 0, input, 0, dy, 0);
        if (auxActive) {
            loss += cfg.auxScale() * auxLoss(b, input);
        }
        long t2 = System.nanoTime();
        timing.encoder += t1 - t0;
        timing.decoder += t2 - t1;
        return loss;
    }

    // dz_u = relu'(a_u) * dot(dy_i, W_dec row j_u), also in the latent-grouped order; the same for AuxK
    private void codeGradient(int b) {
        float[] p = params.data();
        Sparse.dotGather(b, n, ptrK, topIdx, dy, 0, n, p, decW.offset(), n, h, dz);
        int main = ptrK[b];
        for (int u = 0; u < main; u++) {
            float d = act[u] > 0f ? dz[u] : 0f;
            dz[u] = d;
            latDz[slotOf[u]] = d;
        }
        if (auxActive) {
            Sparse.dotGather(b, n, auxPtr, auxLat, dy, b * n, n, p, decW.offset(), n, h, auxDz);
            for (int q = 0; q < b * auxK; q++) {
                latDz[slotOf[main + q]] = auxAct[q] > 0f ? auxDz[q] : 0f;
            }
        }
    }

    /**
     * AuxK selection (Gao et al. 2024), as the dense model's: per row the top min(kAux, dead) pre-activations
     * among the dead latents, ReLU. Only the dead encoder rows are multiplied: they are gathered into a
     * compact matrix and go through the same fused product + top-k as the main encoder.
     */
    private void auxSelect(int b, float[] input) {
        float[] p = params.data();
        int d = deadCount;
        auxK = Math.min(kAux, d);
        if (lazyEncoder) {
            RowAdam.flushRows(n, d, deadList, beta1, beta2, eps, stepSize, sqrtBc2, t, lastEnc, p, params.m(),
                    params.v(), encW.offset(), n);
        }
        if (deadW.length < d * n) {
            deadW = new float[d * n];
            deadB = new float[d];
        }
        for (int q = 0; q < d; q++) {
            System.arraycopy(p, encW.offset() + deadList[q] * n, deadW, q * n, n);
            deadB[q] = zBias[zBiasOff + deadList[q]];
        }
        int pairs = b * auxK;
        if (auxVal.length < pairs) {
            auxVal = new float[pairs];
            auxLoc = new int[pairs];
            auxLat = new int[pairs];
            auxAct = new float[pairs];
            auxDz = new float[pairs];
        }
        if (auxPtr.length < b + 1) {
            auxPtr = new int[b + 1];
        }
        Sparse.productTopK(b, d, n, input, 0, n, deadW, 0, n, deadB, 0, auxK, auxVal, auxLoc);
        for (int u = 0; u < pairs; u++) {
            auxLat[u] = deadList[auxLoc[u]];
            auxAct[u] = Math.max(auxVal[u], 0f);
        }
        for (int i = 0; i <= b; i++) {
            auxPtr[i] = i * auxK;
        }
    }

    /**
     * e = x - y (constant), eHat = sum of the aux pairs' decoder rows; returns mse(eHat, e) and leaves
     * auxScale * d mse / d eHat in dy's second half.
     */
    private float auxLoss(int b, float[] input) {
        float[] p = params.data();
        int e = b * n;
        for (int i = 0; i < e; i++) {
            dy[e + i] = input[i] - y[i];
        }
        Arrays.fill(eHat, 0, e, 0f);
        Sparse.gatherRows(b, n, auxPtr, auxAct, auxLat, p, decW.offset(), n, h, eHat, 0, n);
        auxLoss = Losses.mse(e, eHat, 0, dy, e, dy, e);
        Blas.scale(e, cfg.auxScale(), dy, e);
        return auxLoss;
    }

    /** AuxK's loss (unscaled) in the last training forward; 0 when no latent was dead. */
    public float auxLoss() {
        return auxActive ? auxLoss : 0f;
    }

    /** Latents not fired for {@code deadSteps} training steps, as of the last step (AuxK only). */
    public int deadLatents() {
        return deadCount;
    }

    // the dense model's rule: a latent fired in a step if one of its kept activations was positive
    private void trackDeadLatents() {
        if (kAux == 0) {
            return;
        }
        for (int u = 0; u < ptrK[batch]; u++) {
            if (act[u] > 0f) {
                sinceActive[topIdx[u]] = -1;
            }
        }
        deadCount = 0;
        for (int j = 0; j < h; j++) {
            sinceActive[j]++;
            if (sinceActive[j] >= cfg.deadSteps()) {
                deadList[deadCount++] = j;
            }
        }
    }

    @Override
    public void afterStep() {
        if (cfg.unitNormDecoder()) {
            normaliseDecoderRows();
        }
        trackDeadLatents();
    }

    /** The steps since each latent last fired (AuxK's dead-latent tracking); empty without AuxK. */
    @Override
    public int[] trainingState() {
        return sinceActive.clone();
    }

    @Override
    public void restoreTrainingState(int[] state) {
        if (state.length != sinceActive.length) {
            throw new IllegalArgumentException(name() + ": training state has " + state.length + " values, expected "
                    + sinceActive.length);
        }
        deadCount = 0;
        for (int j = 0; j < state.length; j++) {
            sinceActive[j] = state[j];
            if (state[j] >= cfg.deadSteps()) {
                deadList[deadCount++] = j;
            }
        }
    }

    // the (sample, latent) pairs of the batch grouped by latent, latents ascending, samples ascending
    private void group(int b) {
        Arrays.fill(count, 0);
        int main = ptrK[b];
        int aux = auxActive ? b * auxK : 0;
        for (int u = 0; u < main; u++) {
            count[topIdx[u]]++;
        }
        for (int q = 0; q < aux; q++) {
            count[auxLat[q]]++;
        }
        activeCount = 0;
        latPtr[0] = 0;
        for (int j = 0; j < h; j++) {
            if (count[j] > 0) {
                active[activeCount] = j;
                latPtr[activeCount + 1] = latPtr[activeCount] + count[j];
                count[j] = latPtr[activeCount]; // from here on: the next free slot of latent j
                activeCount++;
            }
        }
        for (int i = 0; i < b; i++) {
            for (int u = ptrK[i]; u < ptrK[i + 1]; u++) {
                int slot = count[topIdx[u]]++;
                slotOf[u] = slot;
                latSample[slot] = i;
                latSampleEnc[slot] = i;
                latAct[slot] = act[u];
            }
        }
        // AuxK pairs: the decoder's source row is the aux gradient (row b + i of dy), the encoder's is x_i
        for (int q = 0; q < aux; q++) {
            int i = q / auxK;
            int slot = count[auxLat[q]]++;
            slotOf[main + q] = slot;
            latSample[slot] = b + i;
            latSampleEnc[slot] = i;
            latAct[slot] = auxAct[q];
        }
    }

    /**
     * Accumulates the gradient of the last training {@link #forward} into {@code params().grad()} (dense layout
     * of this model's parameters): only the rows of latents active in the batch are non-zero.
     */
    @Override
    public void backward() {
        int b = batch;
        codeGradient(b);
        float[] g = params.grad();
        float[] row = new float[n];
        float[] sums = new float[h];
        for (int r = 0; r < activeCount; r++) {
            int j = active[r];
            int from = latPtr[r];
            int len = latPtr[r + 1] - from;
            int[] ptr = {0, len};
            int[] idx = Arrays.copyOfRange(latSample, from, from + len);
            Arrays.fill(row, 0f);
            Sparse.gatherRows(1, n, ptr, Arrays.copyOfRange(latAct, from, from + len), idx, dy, 0, n,
                    auxActive ? 2 * b : b, row, 0, n);
            Blas.axpy(n, 1f, row, 0, g, decW.offset() + j * n);
            Arrays.fill(row, 0f);
            idx = Arrays.copyOfRange(latSampleEnc, from, from + len);
            Sparse.gatherRows(1, n, ptr, Arrays.copyOfRange(latDz, from, from + len), idx, xGrad, 0, n, b, row, 0, n);
            Blas.axpy(n, 1f, row, 0, g, encW.offset() + j * n);
            float s = 0f;
            for (int u = from; u < from + len; u++) {
                s += latDz[u];
            }
            g[encB.offset() + j] += s;
            sums[j] = s;
        }
        Blas.columnSums(b, n, dy, 0, n, g, decB.offset(), true);
        preBiasGradient(sums, 0, g);
    }

    /**
     * One training step on {@code b} rows of {@code input}: forward, backward and the lazy Adam update,
     * fused. Returns the loss before the step.
     */
    public float trainStep(int b, float[] input) {
        if (b < 1 || input.length < b * n) {
            throw new IllegalArgumentException("topk: batch=" + b + " needs " + b * n + " inputs, have " + input.length);
        }
        float loss = forwardLazy(b, input, true);
        long t0 = System.nanoTime();
        codeGradient(b);
        float[] g = params.grad();
        Blas.columnSums(b, n, dy, 0, n, g, decB.offset(), false);
        int eb = encB.offset();
        for (int r = 0; r < activeCount; r++) {
            // summed per latent in sample order; the gradient of latents not in the batch stays zero
            float s = 0f;
            for (int u = latPtr[r]; u < latPtr[r + 1]; u++) {
                s += latDz[u];
            }
            g[eb + active[r]] = s;
        }
        preBiasGradient(g, eb, g);
        long t1 = System.nanoTime();
        t++;
        schedule(t);
        float[] p = params.data();
        float[] m = params.m();
        float[] v = params.v();
        if (cfg.unitNormDecoder()) {
            // the gradient rows are formed explicitly here: the parallel component must leave them first
            float[] gRows = new float[activeCount * n];
            for (int r = 0; r < activeCount; r++) {
                Sparse.gatherRows(1, n, new int[] {0, latPtr[r + 1] - latPtr[r]},
                        Arrays.copyOfRange(latAct, latPtr[r], latPtr[r + 1]),
                        Arrays.copyOfRange(latSample, latPtr[r], latPtr[r + 1]), dy, 0, n, auxActive ? 2 * b : b,
                        gRows, r * n, n);
            }
            removeParallel(activeCount, active, gRows, 0, false);
            int[] ptr = new int[activeCount + 1];
            int[] self = new int[activeCount];
            float[] one = new float[activeCount];
            for (int r = 0; r < activeCount; r++) {
                ptr[r + 1] = r + 1;
                self[r] = r;
                one[r] = 1f;
            }
            RowAdam.update(n, activeCount, active, ptr, one, self, gRows, 0, n, activeCount, beta1, beta2, eps,
                    stepSize, sqrtBc2, t, lastDec, p, m, v, decW.offset(), n);
            // every row moves (momentum) and is renormalised each step, as the dense model: no lazy decoder rows
            RowAdam.flush(n, beta1, beta2, eps, stepSize, sqrtBc2, t, lastDec, p, m, v, decW.offset(), n);
            normaliseDecoderRows();
        } else {
            RowAdam.update(n, activeCount, active, latPtr, latAct, latSample, dy, 0, n, auxActive ? 2 * b : b,
                    beta1, beta2, eps, stepSize, sqrtBc2, t, lastDec, p, m, v, decW.offset(), n);
        }
        RowAdam.update(n, activeCount, active, latPtr, latDz, latSampleEnc, xGrad, 0, n, b, beta1, beta2, eps,
                stepSize, sqrtBc2, t, lastEnc, p, m, v, encW.offset(), n);
        if (!lazyEncoder) {
            // the next forward reads every encoder row: bring the others to step t now (zero-gradient steps)
            RowAdam.flush(n, beta1, beta2, eps, stepSize, sqrtBc2, t, lastEnc, p, m, v, encW.offset(), n);
        }
        float bc1 = (float) (1 - Math.pow(beta1, t));
        float bc2 = (float) (1 - Math.pow(beta2, t));
        Optimizers.adamStep(h, lr, beta1, beta2, eps, 0f, false, bc1, bc2, 1f, true, p, eb, g, eb, m, eb, v, eb);
        int db = decB.offset();
        Optimizers.adamStep(n, lr, beta1, beta2, eps, 0f, false, bc1, bc2, 1f, true, p, db, g, db, m, db, v, db);
        trackDeadLatents();
        long t2 = System.nanoTime();
        timing.backward += t1 - t0;
        timing.optimizer += t2 - t1;
        timing.steps++;
        return loss;
    }

    /** stepSize[s] and sqrtBc2[s] for s <= step, derived as {@code Adam} and {@code Optimizers.adamStep} do. */
    private void schedule(int step) {
        if (step >= stepSize.length) {
            stepSize = Arrays.copyOf(stepSize, 2 * step);
            sqrtBc2 = Arrays.copyOf(sqrtBc2, 2 * step);
        }
        while (scheduled < step) {
            fillSchedule(++scheduled);
        }
    }

    private void fillSchedule(int s) {
        float bc1 = (float) (1 - Math.pow(beta1, s));
        float bc2 = (float) (1 - Math.pow(beta2, s));
        stepSize[s] = lr / bc1;
        sqrtBc2[s] = (float) Math.sqrt(bc2);
    }

    /** Brings every weight row up to the current step (needed before the parameters are read). */
    public void flush() {
        if (t == 0) {
            return;
        }
        float[] p = params.data();
        RowAdam.flush(n, beta1, beta2, eps, stepSize, sqrtBc2, t, lastDec, p, params.m(), params.v(), decW.offset(), n);
        RowAdam.flush(n, beta1, beta2, eps, stepSize, sqrtBc2, t, lastEnc, p, params.m(), params.v(), encW.offset(), n);
    }

    /**
     * The latents selected by the last forward, row by row, each row best first; row {@code i} is
     * {@code [selectedOffsets()[i], selectedOffsets()[i+1])} ({@code k} per row for TopK).
     */
    public int[] selectedLatents() {
        return Arrays.copyOf(topIdx, ptrK[batch]);
    }

    /** Row offsets into {@link #selectedLatents()}: {@code batch + 1} entries. */
    public int[] selectedOffsets() {
        return Arrays.copyOf(ptrK, batch + 1);
    }

    @Override
    public void encode(int b, float[] input, float[] codes) {
        flush();
        ensure(b);
        batch = b;
        encodeTopK(b, input, false);
        Arrays.fill(codes, 0, b * h, 0f);
        for (int i = 0; i < b; i++) {
            for (int u = ptrK[i]; u < ptrK[i + 1]; u++) {
                codes[i * h + topIdx[u]] = act[u];
            }
        }
    }

    @Override
    public void reconstruct(int b, float[] input, float[] out) {
        flush();
        ensure(b);
        batch = b;
        encodeTopK(b, input, false);
        decode(b, out);
    }

    /**
     * The dense model's fingerprint of the same selection: the pattern of positive codes, row by row, and
     * with AuxK active, combined with that of the aux codes.
     */
    @Override
    public long stateFingerprint() {
        long f = fingerprint(ptrK, topIdx, act);
        if (auxActive) {
            f = f * 31 + fingerprint(auxPtr, auxLat, auxAct);
        }
        return f;
    }

    private long fingerprint(int[] ptr, int[] idx, float[] val) {
        long f = 1469598103934665603L;
        boolean[] on = new boolean[h];
        for (int i = 0; i < batch; i++) {
            Arrays.fill(on, false);
            for (int u = ptr[i]; u < ptr[i + 1]; u++) {
                on[idx[u]] = val[u] > 0f;
            }
            for (int j = 0; j < h; j++) {
                f = (f ^ (on[j] ? 1 : 0)) * 1099511628211L;
            }
        }
        return f;
    }

    /** A dense {@link Autoencoder} with this model's configuration and current parameters and moments. */
    public Autoencoder toDense() {
        flush();
        Autoencoder d = new Autoencoder(cfg);
        copy(this.params, d.params(), false);
        return d;
    }

    /** Loads the parameters and moments of a dense model with the same configuration. */
    public void loadDense(Autoencoder d) {
        flush();
        copy(d.params(), this.params, true);
    }

    private void copy(Params from, Params to, boolean fromDense) {
        float[][] src = {from.data(), from.m(), from.v()};
        float[][] dst = {to.data(), to.m(), to.v()};
        for (int a = 0; a < 3; a++) {
            for (String name : new String[] {"encoder.weight", "encoder.bias", "decoder.bias"}) {
                Tensor s = from.get(name);
                System.arraycopy(src[a], s.offset(), dst[a], to.get(name).offset(), s.size());
            }
            if (fromDense) {
                float[] tmp = Arrays.copyOfRange(src[a], from.get("decoder.weight").offset(),
                        from.get("decoder.weight").offset() + n * h);
                transposeInto(tmp, n, h, dst[a], to.get("decoder.weight_t").offset());
            } else {
                float[] tmp = Arrays.copyOfRange(src[a], from.get("decoder.weight_t").offset(),
                        from.get("decoder.weight_t").offset() + n * h);
                transposeInto(tmp, h, n, dst[a], to.get("decoder.weight").offset());
            }
        }
    }

    /** Accumulated wall time per phase of {@link #trainStep}, in nanoseconds. */
    public static final class Timing {
        /** The fused encoder product, bias and top-k. */
        public long encoder;
        /** The decoder gather and the loss. */
        public long decoder;
        /** The code gradient and the grouping by latent. */
        public long backward;
        /** The fused weight gradients and lazy Adam, and the bias steps. */
        public long optimizer;
        public long steps;

        public void reset() {
            encoder = decoder = backward = optimizer = steps = 0;
        }
    }
}
