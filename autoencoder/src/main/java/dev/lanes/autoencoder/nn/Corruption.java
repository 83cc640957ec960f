package dev.lanes.autoencoder.nn;

import dev.lanes.core.Blas;
import dev.lanes.core.Fill;

/**
 * Input noise, active only in training: masking noise (each element set to 0 with probability {@code p}),
 * inverted dropout (the same mask, kept elements scaled by {@code 1/(1-p)}), or additive Gaussian noise.
 * The noise of a step depends only on the seed and the step set by {@link #setStep} (counter-based
 * {@link Fill}), so a step can be replayed exactly (gradient checks, resume). Outside training the
 * layer is the identity.
 */
public final class Corruption implements Layer {

    /** The kind of noise. */
    public enum Kind { MASKING, DROPOUT, GAUSSIAN }

    private final Kind kind;
    private final float amount;
    private final int features;
    private final long seed;
    private long step;
    /** The mask (MASKING, DROPOUT) or the noise (GAUSSIAN) of the last training forward. */
    private float[] noise = new float[0];
    private boolean noisy;

    private Corruption(Kind kind, float amount, int features, long seed) {
        this.kind = kind;
        this.amount = amount;
        this.features = features;
        this.seed = seed;
    }

    /** Masking noise: each input set to 0 with probability {@code p} in [0, 1). */
    public static Corruption masking(float p, int features, long seed) {
        return new Corruption(Kind.MASKING, probability("masking", p), features, seed);
    }

    /** Inverted dropout: zero with probability {@code p} in [0, 1), survivors scaled by 1/(1-p). */
    public static Corruption dropout(float p, int features, long seed) {
        return new Corruption(Kind.DROPOUT, probability("dropout", p), features, seed);
    }

    /** Additive Gaussian noise with standard deviation {@code sigma >= 0}. */
    public static Corruption gaussian(float sigma, int features, long seed) {
        if (!(sigma >= 0f && Float.isFinite(sigma))) {
            throw new IllegalArgumentException("gaussian noise: sigma=" + sigma + " must be finite and >= 0");
        }
        return new Corruption(Kind.GAUSSIAN, sigma, features, seed);
    }

    private static float probability(String what, float p) {
        if (!(p >= 0f && p < 1f)) {
            throw new IllegalArgumentException(what + " noise: p=" + p + " not in [0, 1)");
        }
        return p;
    }

    public Kind kind() {
        return kind;
    }

    public float amount() {
        return amount;
    }

    /** Selects the noise of training step {@code step}. */
    public void setStep(long step) {
        this.step = step;
    }

    @Override
    public int inputs() {
        return features;
    }

    @Override
    public int outputs() {
        return features;
    }

    // x: (batch, features)  y = x * mask, or x + noise, in training; y = x otherwise
    @Override
    public void forward(int batch, float[] in, float[] out, boolean training) {
        int n = batch * features;
        noisy = training && amount > 0f;
        if (!noisy) {
            if (in != out) {
                System.arraycopy(in, 0, out, 0, n);
            }
            return;
        }
        if (noise.length < n) {
            noise = new float[n];
        }
        long s = seed ^ (step * 0x9E3779B97F4A7C15L);
        switch (kind) {
            case MASKING -> Fill.bernoulli(s, 1f - amount, noise, 0, n);
            case DROPOUT -> {
                Fill.bernoulli(s, 1f - amount, noise, 0, n);
                Blas.scale(n, 1f / (1f - amount), noise, 0);
            }
            case GAUSSIAN -> Fill.gaussian(s, 0f, amount, noise, 0, n);
        }
        if (kind == Kind.GAUSSIAN) {
            Blas.add(n, in, 0, noise, 0, out, 0);
        } else {
            Blas.mul(n, in, 0, noise, 0, out, 0);
        }
    }

    // dx = dy * mask (masking, dropout) or dy (Gaussian noise, inference); dx may alias dy
    @Override
    public void backward(int batch, float[] in, float[] out, float[] dOut, float[] dIn) {
        if (dIn == null) {
            return;
        }
        int n = batch * features;
        if (noisy && kind != Kind.GAUSSIAN) {
            Blas.mul(n, dOut, 0, noise, 0, dIn, 0);
        } else if (dIn != dOut) {
            System.arraycopy(dOut, 0, dIn, 0, n);
        }
    }
}
