package dev.lanes.autoencoder.sparse;

import dev.lanes.autoencoder.model.Autoencoder;
import dev.lanes.autoencoder.model.Config;
import dev.lanes.autoencoder.model.Model;
import dev.lanes.autoencoder.model.Models;
import dev.lanes.autoencoder.nn.Params;
import dev.lanes.autoencoder.train.DivergedException;
import dev.lanes.core.Blas;
import dev.lanes.core.Losses;
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
 * ({@link dev.lanes.core.RowAdam}) in one: each active latent's gradient rows are formed in L1 right before their
 * update and never stored; decoder rows of latents not in the batch are left behind and replayed (zero
 * gradient steps, in registers) just before a batch gathers them or at {@link #flush}; encoder rows,
 * which every forward reads, take their zero-gradient step at the end of each step, unless the
 * {@code lazyEncoder} approximation is chosen. The parameters are bit for bit those of dense Adam.
 *
 * <p>It also implements the ordinary {@link Model} contract ({@link #forward}, {@link #backward} into
 * {@code params().grad()}), so a dense optimizer and the existing trainer work on it too; do not mix the
 * two optimizers on one instance.
 *
 * <p>The parts: {@link SparseParams} (the tensors, their initialisation and the dense layout),
 * {@link LazyAdam} (the row-wise optimizer's bookkeeping), {@link PreBias}, {@link Selection} and {@link BatchTopK} (the
 * kept pairs and the batch-wide selection), {@link AuxK} (dead latents), {@link LatentGroups} (the pairs by
 * latent); this class holds the step that ties them together.
 */
public final class SparseTopK implements Model {

    private final Config cfg;
    private final int n;
    private final int h;
    private final int k;
    private final SparseParams sp;
    private final Params params;
    private final int encW;
    private final int encB;
    private final int decW;
    private final int decB;
    private final LazyAdam adam;
    private final Timing timing = new Timing();
    private final boolean lazyEncoder;
    /** BatchTopK's selection and threshold; null for per-row TopK. */
    private final BatchTopK batchTopK;
    private final AuxK aux;
    private final LatentGroups groups;
    private final Selection sel = new Selection();

    private final PreBias preBias;

    // per-batch buffers, grown on demand
    private int cap;
    private int batch;
    private float[] y;
    private float[] dy;
    private float[] dz;

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
        this.sp = new SparseParams(cfg);
        this.params = sp.params;
        this.encW = sp.encW;
        this.encB = sp.encB;
        this.decW = sp.decW;
        this.decB = sp.decB;
        this.adam = new LazyAdam(lr, n, h, params, encW, decW);
        this.batchTopK = batchTopK ? new BatchTopK(n, h, k) : null;
        this.aux = new AuxK(cfg);
        this.groups = new LatentGroups(h);
        this.preBias = new PreBias(cfg.preBias(), n, h, params, encW, decB);
    }

    /** The TopK configuration this model trains: {@code torch_sae.py}'s ({@code topk} without its extras). */
    public static Config config(int inputs, int hidden, int k, long seed) {
        return Models.builder("topk").inputs(inputs).hidden(hidden).k(k).preBias(false).unitNormDecoder(false)
                .auxK(0, 0f).seed(seed).config();
    }

    /** Unit-norm decoder, model path: the parallel component leaves each decoder row's gradient. */
    @Override
    public void beforeStep() {
        if (cfg.unitNormDecoder()) {
            int[] all = new int[h];
            for (int j = 0; j < h; j++) {
                all[j] = j;
            }
            sp.removeParallel(h, all, params.grad(), decW, true);
        }
    }

    public Config config() {
        return cfg;
    }

    public int k() {
        return k;
    }

    /** The learning rate of the fused step. */
    public float learningRate() {
        return adam.lr();
    }

    /** Whether this model selects BatchTopK ({@link #batchTopK}) rather than per-row TopK. */
    public boolean isBatchTopK() {
        return batchTopK != null;
    }

    /**
     * BatchTopK's inference threshold: the exponential moving average (decay 0.99, started at the first
     * value) of each training batch's smallest positive kept activation; NaN before the first training
     * forward, and always for per-row TopK.
     */
    public float threshold() {
        return batchTopK != null ? batchTopK.threshold() : Float.NaN;
    }

    /** BatchTopK: rows whose candidates had to be recomputed longer, summed over all forwards. */
    public long recomputedRows() {
        return batchTopK != null ? batchTopK.recomputedRows() : 0;
    }

    /** Optimizer steps taken by {@link #trainStep}. */
    public int steps() {
        return adam.steps();
    }

    /** Per-phase time of the training steps since the last {@link Timing#reset}. */
    public Timing timing() {
        return timing;
    }

    @Override
    public String name() {
        return batchTopK != null ? "batchtopk" : "topk";
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
        sel.allocate(b, k);
        y = new float[b * n];
        // with AuxK, dy holds the main gradient in its first b rows and the aux gradient dL/d(eHat) after
        dy = new float[(aux.enabled() ? 2 : 1) * b * n];
        aux.allocate(b);
        preBias.allocate(b);
        dz = new float[b * k];
        groups.allocate(b * (k + aux.maxK()));
    }

    // x (B, n) -> selected (value, latent) pairs, rows delimited by sel.ptr -> act = relu
    private void encodeTopK(int b, float[] input, boolean training) {
        preBias.center(b, input);
        float[] p = params.data();
        float[] x = preBias.xGrad;
        if (batchTopK == null) {
            Sparse.productTopK(b, h, n, x, 0, n, p, encW, n, p, encB, k, sel.val, sel.idx);
        } else if (training || Float.isNaN(batchTopK.threshold())) {
            batchTopK.select(b, x, p, encW, p, encB, sel);
        } else {
            batchTopK.selectThreshold(b, x, p, encW, p, encB, sel);
        }
        int pairs = sel.ptr[b];
        float[] topVal = sel.val;
        float[] act = sel.act;
        float minPositive = Float.POSITIVE_INFINITY;
        for (int u = 0; u < pairs; u++) {
            float a = Math.max(topVal[u], 0f);
            act[u] = a;
            if (a > 0f && a < minPositive) {
                minPositive = a;
            }
        }
        if (batchTopK != null && training && minPositive != Float.POSITIVE_INFINITY) {
            batchTopK.track(minPositive);
        }
    }

    @Override
    public void prepare(float[] data, int rows) {
        if (!cfg.preBias() || rows < 1) {
            return;
        }
        // the decoder bias starts at the data mean, as the dense model's
        Autoencoder.columnMeans(data, rows, n, params.data(), decB);
    }

    private void decode(int b, float[] out) {
        float[] p = params.data();
        for (int i = 0; i < b; i++) {
            System.arraycopy(p, decB, out, i * n, n);
        }
        Sparse.gatherRows(b, n, sel.ptr, sel.act, sel.idx, p, decW, n, h, out, 0, n);
    }

    @Override
    public float forward(int b, float[] input, boolean training) {
        checkBatch(b, input);
        flush();
        return forwardLazy(b, input, training);
    }

    private void checkBatch(int b, float[] input) {
        if (b < 1 || input.length < b * n) {
            throw new IllegalArgumentException("topk: batch=" + b + " needs " + b * n + " inputs, have " + input.length);
        }
    }

    /** {@link #forward} without the flush: the lazy rows stay behind, which the sparse step never reads. */
    private float forwardLazy(int b, float[] input, boolean training) {
        ensure(b);
        batch = b;
        long t0 = System.nanoTime();
        encodeTopK(b, input, training);
        if (aux.begin(training)) {
            aux.select(b, preBias.xGrad, params.data(), encW, params.data(), encB, lazyEncoder ? adam : null);
        }
        long t1 = System.nanoTime();
        if (sel.ptr[b] <= b * k) {
            // a BatchTopK inference selection may hold more pairs; it follows a full flush and no backward
            groups.group(b, sel, aux);
            if (adam.steps() > 0) {
                // the gathered decoder rows must be current: replay the steps they missed (k*B rows at most)
                adam.catchUpDecoder(groups.activeCount, groups.active);
            }
        }
        decode(b, y);
        float loss = Losses.mse(b * n, y, 0, input, 0, dy, 0);
        if (aux.active) {
            loss += cfg.auxScale() * aux.loss(b, input, y, dy, params.data(), decW);
        }
        long t2 = System.nanoTime();
        timing.encoder += t1 - t0;
        timing.decoder += t2 - t1;
        return loss;
    }

    // dz_u = relu'(a_u) * dot(dy_i, W_dec row j_u), also in the latent-grouped order; the same for AuxK
    private void codeGradient(int b) {
        float[] p = params.data();
        Sparse.dotGather(b, n, sel.ptr, sel.idx, dy, 0, n, p, decW, n, h, dz);
        int main = sel.ptr[b];
        float[] act = sel.act;
        float[] latDz = groups.dz;
        int[] slotOf = groups.slotOf;
        for (int u = 0; u < main; u++) {
            float d = act[u] > 0f ? dz[u] : 0f;
            dz[u] = d;
            latDz[slotOf[u]] = d;
        }
        if (aux.active) {
            aux.codeGradient(b, dy, p, decW, latDz, slotOf, main);
        }
    }

    /** AuxK's loss (unscaled) in the last training forward; 0 when no latent was dead. */
    public float auxLoss() {
        return aux.lastLoss();
    }

    /** Latents not fired for {@code deadSteps} training steps, as of the last step (AuxK only). */
    public int deadLatents() {
        return aux.deadCount();
    }

    @Override
    public void afterStep() {
        if (cfg.unitNormDecoder()) {
            sp.normaliseDecoderRows();
        }
        aux.track(sel, batch);
    }

    /** The steps since each latent last fired (AuxK's dead-latent tracking); empty without AuxK. */
    @Override
    public int[] trainingState() {
        return aux.state();
    }

    @Override
    public void restoreTrainingState(int[] state) {
        aux.restore(name(), state);
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
        int[] latSample = groups.sample;
        int[] latSampleEnc = groups.sampleEnc;
        float[] latAct = groups.act;
        float[] latDz = groups.dz;
        for (int r = 0; r < groups.activeCount; r++) {
            int j = groups.active[r];
            int from = groups.ptr[r];
            int len = groups.ptr[r + 1] - from;
            int[] ptr = {0, len};
            int[] idx = Arrays.copyOfRange(latSample, from, from + len);
            Arrays.fill(row, 0f);
            Sparse.gatherRows(1, n, ptr, Arrays.copyOfRange(latAct, from, from + len), idx, dy, 0, n,
                    aux.active ? 2 * b : b, row, 0, n);
            Blas.axpy(n, 1f, row, 0, g, decW + j * n);
            Arrays.fill(row, 0f);
            idx = Arrays.copyOfRange(latSampleEnc, from, from + len);
            Sparse.gatherRows(1, n, ptr, Arrays.copyOfRange(latDz, from, from + len), idx, preBias.xGrad, 0, n, b, row, 0, n);
            Blas.axpy(n, 1f, row, 0, g, encW + j * n);
            float s = 0f;
            for (int u = from; u < from + len; u++) {
                s += latDz[u];
            }
            g[encB + j] += s;
            sums[j] = s;
        }
        Blas.columnSums(b, n, dy, 0, n, g, decB, true);
        preBias.gradient(sums, 0, g, groups.activeCount, groups.active);
    }

    /**
     * One training step on {@code b} rows of {@code input}: forward, backward and the lazy Adam update,
     * fused. Returns the loss before the step.
     */
    public float trainStep(int b, float[] input) {
        return trainStep(b, input, steps());
    }

    /**
     * {@link #trainStep}, naming {@code step} in a {@link DivergedException}: a non-finite loss, or a
     * non-finite bias gradient (the column sums of the output gradient, the per-latent sums of the code
     * gradient), stops the step before any parameter, moment or step count changes.
     */
    float trainStep(int b, float[] input, long step) {
        checkBatch(b, input);
        float loss = forwardLazy(b, input, true);
        if (!Float.isFinite(loss)) {
            throw new DivergedException(step, "loss=" + loss);
        }
        update(b, step);
        return loss;
    }

    /** The backward and the optimizer step of {@link #trainStep}, after its forward. */
    private void update(int b, long step) {
        long t0 = System.nanoTime();
        codeGradient(b);
        float[] g = params.grad();
        Blas.columnSums(b, n, dy, 0, n, g, decB, false);
        int activeCount = groups.activeCount;
        int[] active = groups.active;
        int[] latPtr = groups.ptr;
        float[] latDz = groups.dz;
        for (int r = 0; r < activeCount; r++) {
            // summed per latent in sample order; the gradient of latents not in the batch stays zero
            float s = 0f;
            for (int u = latPtr[r]; u < latPtr[r + 1]; u++) {
                s += latDz[u];
            }
            g[encB + active[r]] = s;
        }
        preBias.gradient(g, encB, g, activeCount, active);
        checkBiasGradients(g, step);
        long t1 = System.nanoTime();
        adam.next();
        int dySamples = aux.active ? 2 * b : b;
        if (cfg.unitNormDecoder()) {
            unitNormDecoderStep(dySamples);
        } else {
            adam.updateDecoder(activeCount, active, latPtr, groups.act, groups.sample, dy, dySamples);
        }
        adam.updateEncoder(activeCount, active, latPtr, latDz, groups.sampleEnc, preBias.xGrad, b);
        if (!lazyEncoder) {
            // the next forward reads every encoder row: bring the others to step t now (zero-gradient steps)
            adam.flushEncoder();
        }
        adam.denseStep(h, encB);
        adam.denseStep(n, decB);
        aux.track(sel, batch);
        long t2 = System.nanoTime();
        timing.backward += t1 - t0;
        timing.optimizer += t2 - t1;
        timing.steps++;
    }

    private void checkBiasGradients(float[] g, long step) {
        float sumSq = Blas.sumOfSquares(h, g, encB) + Blas.sumOfSquares(n, g, decB);
        if (!Float.isFinite(sumSq)) {
            Arrays.fill(g, encB, encB + h, 0f);
            Arrays.fill(g, decB, decB + n, 0f);
            throw new DivergedException(step, "bias gradient norm^2=" + sumSq);
        }
    }

    /**
     * Continues a run from a checkpoint taken after {@link #flush} (as {@link #params()} does): the
     * parameters and moments are already in place, every row at step {@code steps}.
     */
    void restoreSteps(int steps) {
        adam.restore(steps);
    }

    /**
     * The decoder's step with unit-norm rows: the gradient rows are formed explicitly (the parallel component
     * must leave them first), applied, then every row moves (momentum) and is renormalised, as the dense model.
     */
    private void unitNormDecoderStep(int dySamples) {
        int activeCount = groups.activeCount;
        int[] active = groups.active;
        int[] latPtr = groups.ptr;
        float[] gRows = new float[activeCount * n];
        for (int r = 0; r < activeCount; r++) {
            Sparse.gatherRows(1, n, new int[] {0, latPtr[r + 1] - latPtr[r]},
                    Arrays.copyOfRange(groups.act, latPtr[r], latPtr[r + 1]),
                    Arrays.copyOfRange(groups.sample, latPtr[r], latPtr[r + 1]), dy, 0, n, dySamples,
                    gRows, r * n, n);
        }
        sp.removeParallel(activeCount, active, gRows, 0, false);
        int[] ptr = new int[activeCount + 1];
        int[] self = new int[activeCount];
        float[] one = new float[activeCount];
        for (int r = 0; r < activeCount; r++) {
            ptr[r + 1] = r + 1;
            self[r] = r;
            one[r] = 1f;
        }
        adam.updateDecoder(activeCount, active, ptr, one, self, gRows, activeCount);
        adam.flushDecoder();
        sp.normaliseDecoderRows();
    }

    /** Brings every weight row up to the current step (needed before the parameters are read). */
    public void flush() {
        adam.flush();
    }

    /**
     * The latents selected by the last forward, row by row, each row best first; row {@code i} is
     * {@code [selectedOffsets()[i], selectedOffsets()[i+1])} ({@code k} per row for TopK).
     */
    public int[] selectedLatents() {
        return Arrays.copyOf(sel.idx, sel.ptr[batch]);
    }

    /** Row offsets into {@link #selectedLatents()}: {@code batch + 1} entries. */
    public int[] selectedOffsets() {
        return Arrays.copyOf(sel.ptr, batch + 1);
    }

    @Override
    public void encode(int b, float[] input, float[] codes) {
        flush();
        ensure(b);
        batch = b;
        encodeTopK(b, input, false);
        Arrays.fill(codes, 0, b * h, 0f);
        for (int i = 0; i < b; i++) {
            for (int u = sel.ptr[i]; u < sel.ptr[i + 1]; u++) {
                codes[i * h + sel.idx[u]] = sel.act[u];
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
        long f = fingerprint(sel.ptr, sel.idx, sel.act);
        if (aux.active) {
            f = f * 31 + fingerprint(aux.ptr, aux.lat, aux.act);
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
        sp.copyTo(d.params());
        return d;
    }

    /** Loads the parameters and moments of a dense model with the same configuration. */
    public void loadDense(Autoencoder d) {
        flush();
        sp.copyFrom(d.params());
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
