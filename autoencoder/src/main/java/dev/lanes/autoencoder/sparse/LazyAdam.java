package dev.lanes.autoencoder.sparse;

import dev.lanes.autoencoder.nn.Params;
import dev.lanes.core.Optimizers;
import dev.lanes.core.RowAdam;
import java.util.Arrays;

/**
 * The optimizer bookkeeping of {@link SparseTopK}: Adam (beta 0.9, 0.999, eps 1e-8, constant rate) whose
 * weight rows are updated row by row ({@link RowAdam}): the step count, the step each encoder and decoder
 * row was last brought to, and the per-step schedule (step size and square root of the second bias
 * correction, derived as {@code Adam} and {@code Optimizers.adamStep} do). A row that missed steps is
 * replayed with zero gradients before it is read; every float operation is dense Adam's, so the
 * parameters are bit for bit those of dense Adam. The biases take dense steps.
 */
final class LazyAdam {

    static final float BETA1 = 0.9f;
    static final float BETA2 = 0.999f;
    static final float EPS = 1e-8f;

    private final float lr;
    private final int n;
    private final Params params;
    private final int encW;
    private final int decW;
    private int t;
    private final int[] lastEnc;
    private final int[] lastDec;
    private float[] stepSize = new float[16];
    private float[] sqrtBc2 = new float[16];
    private int scheduled;

    /** Rows of {@code n} floats, {@code h} of them at {@code encW} and at {@code decW} of {@code params}. */
    LazyAdam(float lr, int n, int h, Params params, int encW, int decW) {
        this.lr = lr;
        this.n = n;
        this.params = params;
        this.encW = encW;
        this.decW = decW;
        this.lastEnc = new int[h];
        this.lastDec = new int[h];
    }

    float lr() {
        return lr;
    }

    /** Steps taken. */
    int steps() {
        return t;
    }

    /** Starts the next step: the step count and its schedule. */
    void next() {
        t++;
        schedule(t);
    }

    /**
     * Continues at step {@code steps} with every row current (a checkpoint is taken after {@link #flush}, so
     * its rows are all at its step).
     */
    void restore(int steps) {
        t = steps;
        Arrays.fill(lastEnc, steps);
        Arrays.fill(lastDec, steps);
        schedule(steps);
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
        float bc1 = (float) (1 - Math.pow(BETA1, s));
        float bc2 = (float) (1 - Math.pow(BETA2, s));
        stepSize[s] = lr / bc1;
        sqrtBc2[s] = (float) Math.sqrt(bc2);
    }

    /** Replays the steps the decoder rows {@code rows[0..count)} missed. */
    void catchUpDecoder(int count, int[] rows) {
        RowAdam.flushRows(n, count, rows, BETA1, BETA2, EPS, stepSize, sqrtBc2, t, lastDec, params.data(),
                params.m(), params.v(), decW, n);
    }

    /** Replays the steps the encoder rows {@code rows[0..count)} missed. */
    void catchUpEncoder(int count, int[] rows) {
        RowAdam.flushRows(n, count, rows, BETA1, BETA2, EPS, stepSize, sqrtBc2, t, lastEnc, params.data(),
                params.m(), params.v(), encW, n);
    }

    /**
     * The current step on decoder rows {@code rows[0..count)}: row r's gradient is
     * {@code sum_u coef[u] src[idx[u]]} over {@code u} in {@code [ptr[r], ptr[r+1])} ({@code src}: rows of
     * {@code n} from index 0, {@code srcRows} of them).
     */
    void updateDecoder(int count, int[] rows, int[] ptr, float[] coef, int[] idx, float[] src, int srcRows) {
        RowAdam.update(n, count, rows, ptr, coef, idx, src, 0, n, srcRows, BETA1, BETA2, EPS, stepSize, sqrtBc2, t,
                lastDec, params.data(), params.m(), params.v(), decW, n);
    }

    /** As {@link #updateDecoder}, on encoder rows. */
    void updateEncoder(int count, int[] rows, int[] ptr, float[] coef, int[] idx, float[] src, int srcRows) {
        RowAdam.update(n, count, rows, ptr, coef, idx, src, 0, n, srcRows, BETA1, BETA2, EPS, stepSize, sqrtBc2, t,
                lastEnc, params.data(), params.m(), params.v(), encW, n);
    }

    /** Brings every decoder row to the current step. */
    void flushDecoder() {
        RowAdam.flush(n, BETA1, BETA2, EPS, stepSize, sqrtBc2, t, lastDec, params.data(), params.m(), params.v(), decW, n);
    }

    /** Brings every encoder row to the current step. */
    void flushEncoder() {
        RowAdam.flush(n, BETA1, BETA2, EPS, stepSize, sqrtBc2, t, lastEnc, params.data(), params.m(), params.v(), encW, n);
    }

    /** Brings every weight row to the current step (needed before the parameters are read). */
    void flush() {
        if (t == 0) {
            return;
        }
        flushDecoder();
        flushEncoder();
    }

    /** The current step, dense, on {@code len} parameters at {@code off} with their gradient in {@code grad()}. */
    void denseStep(int len, int off) {
        float bc1 = (float) (1 - Math.pow(BETA1, t));
        float bc2 = (float) (1 - Math.pow(BETA2, t));
        float[] g = params.grad();
        Optimizers.adamStep(len, lr, BETA1, BETA2, EPS, 0f, false, bc1, bc2, 1f, true, params.data(), off, g, off,
                params.m(), off, params.v(), off);
    }
}
