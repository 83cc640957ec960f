package dev.lanes.autoencoder.model;

import dev.lanes.autoencoder.nn.ActivationLayer;
import dev.lanes.autoencoder.nn.Corruption;
import dev.lanes.autoencoder.nn.Dense;
import dev.lanes.autoencoder.nn.Params;
import dev.lanes.autoencoder.nn.SoftmaxHead;
import dev.lanes.core.Activation;
import dev.lanes.core.Losses;
import java.util.Objects;

/**
 * A stack of hidden layers (Glorot, Bordes and Bengio 2011), each with its own decoder, and an
 * optional softmax head on the top code. Parameters, named as PyTorch's {@code nn.Linear} would:
 * {@code layers.N.encoder.weight [w(N+1), w(N)]}, {@code layers.N.encoder.bias},
 * {@code layers.N.decoder.weight [w(N), w(N+1)]}, {@code layers.N.decoder.bias}, and
 * {@code head.weight [classes, w(L)]}, {@code head.bias}, where {@code w(0)} is the input width.
 * <pre>
 * a_0 = x;  z_i = a_i W_i^T + b_i;  a_{i+1} = act(z_i)               encoder i, i &lt; L
 * r_i = out_i(a_{i+1} D_i^T + c_i)                                     decoder i reconstructs a_i
 * </pre>
 * What {@link #forward} computes is chosen by the objective:
 * <ul>
 * <li>{@link #pretraining(int) pretraining(l)}: layer {@code l} as a denoising autoencoder on the
 *     codes {@code a_l} of the (frozen) layers below: {@code loss_l(out_l(dec_l(act(enc_l(mask(a_l))))), a_l)};
 *     only layer {@code l}'s encoder and decoder receive gradients;</li>
 * <li>{@link #reconstruction()}: the whole stack without noise, decoded back through the mirrored
 *     decoders ({@code r_{L-1}} feeds decoder {@code L-2}, and so on), loss of layer 0's variant against
 *     {@code x}; every encoder and decoder receives gradients;</li>
 * <li>{@link #classification()}: the head on {@code a_L}, mean softmax cross-entropy (negative
 *     log-likelihood) against the {@link #labels(int[]) labels}; encoders and head receive gradients.</li>
 * </ul>
 * {@link #encode} writes {@code a_L}; {@link #reconstruct} decodes it through the mirrored decoders (a
 * cross-entropy reconstruction is passed through the sigmoid).
 */
public final class Stacked implements Model {

    /** What {@link #forward} computes. */
    public enum Objective { PRETRAINING, RECONSTRUCTION, CLASSIFICATION }

    private final StackedConfig cfg;
    private final Params params = new Params();
    private final int depth;
    private final int[] w;
    private final Dense[] encoders;
    private final Dense[] decoders;
    private final ActivationLayer[] acts;
    private final ActivationLayer[] outs;
    private final Corruption[] noise;
    private final SoftmaxHead head;

    private Objective objective = Objective.RECONSTRUCTION;
    private int layer;
    private int[] labels;

    private int cap;
    private int batch;
    private final float[][] z;      // z[i]: (B, w[i+1]) pre-activation of encoder i
    private final float[][] a;      // a[i]: (B, w[i]) code of layer i; a[0] is the input
    private final float[][] da;     // da[i]: (B, w[i]) dL/da[i], then dL/dz[i-1] in place
    private final float[][] rPre;   // rPre[i]: (B, w[i]) decoder i's affine output
    private final float[][] rOut;   // rOut[i]: out_i(rPre[i]), or rPre[i] itself when out_i is the identity
    private final float[][] dr;     // dr[i]: (B, w[i]) dL/drOut[i], then dL/drPre[i] in place
    private float[] noisy;          // (B, w[l]) the corrupted input of the pretrained layer
    private float[] logits;
    private float[] dLogits;
    private int decodedFrom;        // lowest decoder the last forward ran (depth: none)

    public Stacked(StackedConfig cfg) {
        this.cfg = Objects.requireNonNull(cfg, "stacked: config is null");
        this.depth = cfg.depth();
        this.w = new int[depth + 1];
        for (int i = 0; i <= depth; i++) {
            w[i] = cfg.width(i);
        }
        encoders = new Dense[depth];
        decoders = new Dense[depth];
        acts = new ActivationLayer[depth];
        outs = new ActivationLayer[depth];
        noise = new Corruption[depth];
        for (int i = 0; i < depth; i++) {
            encoders[i] = new Dense(params, "layers." + i + ".encoder", w[i], w[i + 1], cfg.init());
            decoders[i] = new Dense(params, "layers." + i + ".decoder", w[i + 1], w[i], cfg.init());
            acts[i] = new ActivationLayer(cfg.activation(), w[i + 1]);
            outs[i] = new ActivationLayer(cfg.reconstruction(i).output(), w[i]);
            noise[i] = Corruption.masking(cfg.masking(), w[i], cfg.seed() ^ (0xC0FFEEL + 0x100L * i));
        }
        head = cfg.classes() > 0 ? new SoftmaxHead(params, "head", w[depth], cfg.classes()) : null;
        params.allocate();
        for (int i = 0; i < depth; i++) {
            encoders[i].init(cfg.seed() + 2L * i);
            decoders[i].init(cfg.seed() + 2L * i + 1);
        }
        if (head != null) {
            head.dense().init(cfg.seed() + 2L * depth);
        }
        z = new float[depth][];
        a = new float[depth + 1][];
        da = new float[depth + 1][];
        rPre = new float[depth][];
        rOut = new float[depth][];
        dr = new float[depth][];
        decodedFrom = depth;
    }

    /** The configuration the model was built from. */
    public StackedConfig config() {
        return cfg;
    }

    @Override
    public String name() {
        return "stacked";
    }

    @Override
    public Params params() {
        return params;
    }

    @Override
    public int inputs() {
        return w[0];
    }

    @Override
    public int codes() {
        return w[depth];
    }

    /** Number of hidden layers. */
    public int depth() {
        return depth;
    }

    /** Layer {@code i}'s encoder, {@code layers.i.encoder}. */
    public Dense encoder(int i) {
        return encoders[i];
    }

    /** Layer {@code i}'s decoder, {@code layers.i.decoder}. */
    public Dense decoder(int i) {
        return decoders[i];
    }

    /** The softmax head, or null without classes. */
    public SoftmaxHead head() {
        return head;
    }

    /** What {@link #forward} currently computes. */
    public Objective objective() {
        return objective;
    }

    /** The layer being pretrained (meaningful under {@link Objective#PRETRAINING}). */
    public int layer() {
        return layer;
    }

    /** From now on {@link #forward} is layer {@code l}'s denoising reconstruction loss. */
    public Stacked pretraining(int l) {
        if (l < 0 || l >= depth) {
            throw new IllegalArgumentException("stacked: layer=" + l + " not in [0, depth=" + depth + ")");
        }
        objective = Objective.PRETRAINING;
        layer = l;
        return this;
    }

    /** From now on {@link #forward} is the reconstruction loss of the whole stack (no noise). */
    public Stacked reconstruction() {
        objective = Objective.RECONSTRUCTION;
        return this;
    }

    /** From now on {@link #forward} is the head's negative log-likelihood of the {@link #labels}. */
    public Stacked classification() {
        if (head == null) {
            throw new IllegalStateException("stacked: classification needs a softmax head (configure classes >= 2)");
        }
        objective = Objective.CLASSIFICATION;
        return this;
    }

    /** The labels of the rows of the next forward under {@link Objective#CLASSIFICATION}, from index 0 (kept, not copied). */
    public Stacked labels(int[] rowLabels) {
        this.labels = rowLabels;
        return this;
    }

    @Override
    public void setStep(long step) {
        for (Corruption c : noise) {
            c.setStep(step);
        }
    }

    /** Grows the activation buffers to {@code b} rows; a no-op at a batch size already seen. */
    private void ensure(int b) {
        if (b <= cap) {
            return;
        }
        cap = b;
        int widest = 0;
        for (int i = 0; i < depth; i++) {
            z[i] = new float[b * w[i + 1]];
            a[i + 1] = new float[b * w[i + 1]];
            da[i + 1] = new float[b * w[i + 1]];
            rPre[i] = new float[b * w[i]];
            rOut[i] = outs[i].function() == Activation.IDENTITY ? rPre[i] : new float[b * w[i]];
            dr[i] = new float[b * w[i]];
            widest = Math.max(widest, w[i]);
        }
        da[0] = null;
        noisy = new float[b * widest];
        if (head != null) {
            logits = new float[b * cfg.classes()];
            dLogits = new float[b * cfg.classes()];
        }
    }

    private void check(int b, float[] input) {
        if (b < 1 || input == null || input.length < (long) b * w[0]) {
            throw new IllegalArgumentException("stacked: batch=" + b + " needs " + (long) b * w[0] + " inputs, have "
                    + (input == null ? "null" : input.length));
        }
    }

    /** Runs encoders {@code 0..top-1} on the clean input (inference), filling {@code a[1..top]}. */
    private void encodeUpTo(int b, int top) {
        for (int i = 0; i < top; i++) {
            encoders[i].forward(b, a[i], z[i], false);
            acts[i].forward(b, z[i], a[i + 1], false);
        }
    }

    /** Decoders {@code top-1} down to {@code 0} from {@code a[top]}, filling {@code rOut[0..top-1]}. */
    private void decodeFrom(int b, int top) {
        float[] in = a[top];
        for (int i = top - 1; i >= 0; i--) {
            decoders[i].forward(b, in, rPre[i], false);
            if (rOut[i] != rPre[i]) {
                outs[i].forward(b, rPre[i], rOut[i], false);
            }
            in = rOut[i];
        }
    }

    @Override
    public float forward(int b, float[] input, boolean training) {
        check(b, input);
        ensure(b);
        batch = b;
        a[0] = input;
        return switch (objective) {
            case PRETRAINING -> pretrainForward(b, training);
            case RECONSTRUCTION -> {
                encodeUpTo(b, depth);
                decodeFrom(b, depth);
                decodedFrom = 0;
                yield cfg.reconstruction(0).loss().value(b * w[0], rOut[0], input, dr[0]);
            }
            case CLASSIFICATION -> {
                if (labels == null || labels.length < b) {
                    throw new IllegalStateException("stacked: classification of batch=" + b + " needs labels for "
                            + b + " rows, have " + (labels == null ? "none" : labels.length));
                }
                encodeUpTo(b, depth);
                decodedFrom = depth;
                head.forward(b, a[depth], logits);
                int c = cfg.classes();
                yield Losses.softmaxCrossEntropy(b, c, logits, 0, c, labels, 0, dLogits, 0, c);
            }
        };
    }

    // layer l: t = a[l] (clean, from the frozen layers below) -> noisy = mask(t) -> z[l] -> a[l+1] -> rPre[l] -> rOut[l]
    private float pretrainForward(int b, boolean training) {
        int l = layer;
        encodeUpTo(b, l);
        noise[l].forward(b, a[l], noisy, training);
        encoders[l].forward(b, noisy, z[l], training);
        acts[l].forward(b, z[l], a[l + 1], training);
        decoders[l].forward(b, a[l + 1], rPre[l], training);
        if (rOut[l] != rPre[l]) {
            outs[l].forward(b, rPre[l], rOut[l], training);
        }
        decodedFrom = l;
        return cfg.reconstruction(l).loss().value(b * w[l], rOut[l], a[l], dr[l]);
    }

    @Override
    public void backward() {
        int b = batch;
        switch (objective) {
            case PRETRAINING -> {
                int l = layer;
                decoderBackward(b, l, a[l + 1], da[l + 1]);
                acts[l].backward(b, z[l], a[l + 1], da[l + 1], da[l + 1]);
                encoders[l].backward(b, noisy, z[l], da[l + 1], null);
            }
            case RECONSTRUCTION -> {
                for (int i = 0; i < depth - 1; i++) {
                    decoderBackward(b, i, rOut[i + 1], dr[i + 1]);
                }
                decoderBackward(b, depth - 1, a[depth], da[depth]);
                encoderBackward(b);
            }
            case CLASSIFICATION -> {
                head.dense().backward(b, a[depth], logits, dLogits, da[depth]);
                encoderBackward(b);
            }
        }
    }

    /** dr[i] holds dL/drOut[i]: back through out_i and decoder i (input {@code in}), writing {@code dIn}. */
    private void decoderBackward(int b, int i, float[] in, float[] dIn) {
        if (rOut[i] != rPre[i]) {
            outs[i].backward(b, rPre[i], rOut[i], dr[i], dr[i]);
        }
        decoders[i].backward(b, in, rPre[i], dr[i], dIn);
    }

    /** da[depth] holds dL/da[depth]: back through every encoder (no input gradient). */
    private void encoderBackward(int b) {
        for (int i = depth - 1; i >= 0; i--) {
            acts[i].backward(b, z[i], a[i + 1], da[i + 1], da[i + 1]);
            encoders[i].backward(b, a[i], z[i], da[i + 1], i > 0 ? da[i] : null);
        }
    }

    @Override
    public void encode(int b, float[] input, float[] codes) {
        check(b, input);
        ensure(b);
        a[0] = input;
        encodeUpTo(b, depth);
        System.arraycopy(a[depth], 0, codes, 0, b * w[depth]);
    }

    @Override
    public void reconstruct(int b, float[] input, float[] out) {
        check(b, input);
        ensure(b);
        a[0] = input;
        encodeUpTo(b, depth);
        decodeFrom(b, depth);
        if (cfg.reconstruction(0) == StackedConfig.Reconstruction.SIGMOID_CROSS_ENTROPY) {
            Activation.SIGMOID.forward(rOut[0], 0, out, 0, b * w[0]);
        } else {
            System.arraycopy(rOut[0], 0, out, 0, b * w[0]);
        }
    }

    /** The head's predicted class of each row of {@code input}, inference mode. */
    public void predict(int b, float[] input, int[] classes) {
        if (head == null) {
            throw new IllegalStateException("stacked: predict needs a softmax head (configure classes >= 2)");
        }
        check(b, input);
        ensure(b);
        a[0] = input;
        encodeUpTo(b, depth);
        head.forward(b, a[depth], logits);
        head.predict(b, logits, classes);
    }

    /**
     * Layer {@code l}'s reconstruction loss of its clean input {@code a_l} (no noise), inference mode;
     * the objective is unchanged.
     */
    public float layerLoss(int l, int b, float[] input) {
        Objective saved = objective;
        int savedLayer = layer;
        try {
            pretraining(l);
            return forward(b, input, false);
        } finally {
            objective = saved;
            layer = savedLayer;
        }
    }

    /** The ReLU (or TReLU) patterns of every encoder, and of the decoders' outputs, the last forward ran. */
    @Override
    public long stateFingerprint() {
        int top = objective == Objective.PRETRAINING ? layer + 1 : depth;
        long f = 1469598103934665603L;
        for (int i = 0; i < top; i++) {
            f = f * 31 + acts[i].stateFingerprint(batch, z[i], a[i + 1]);
        }
        for (int i = decodedFrom; i < top; i++) {
            f = f * 31 + outs[i].stateFingerprint(batch, rPre[i], rOut[i]);
        }
        return f;
    }
}
