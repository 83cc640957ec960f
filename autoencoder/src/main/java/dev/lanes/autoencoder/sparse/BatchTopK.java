package dev.lanes.autoencoder.sparse;

import dev.lanes.core.Gemm;
import dev.lanes.core.Sparse;
import java.util.Arrays;

/**
 * BatchTopK's selection for {@link SparseTopK}: in training, the {@code k B} largest pre-activations of
 * the whole batch, exactly, from the fused encoder's per-row candidates (never a dense {@code B x h} z);
 * the inference threshold (a moving average of each training batch's smallest positive kept activation)
 * and the threshold selection that uses it.
 */
final class BatchTopK {

    /** Per-row candidates of the first round, in multiples of k. */
    private static final int CANDIDATES = 2;
    private static final float THRESHOLD_DECAY = 0.99f;

    private final int n;
    private final int h;
    private final int k;
    private float threshold = Float.NaN;
    // per-row candidates (a row's block may be moved to the end when recomputed longer)
    private float[] candVal = new float[0];
    private int[] candIdx = new int[0];
    private int[] candOff = new int[0];
    private int[] candCnt = new int[0];
    private float[] sortBuf = new float[0];
    private int[] failing = new int[0];
    private long recomputedRows;

    BatchTopK(int n, int h, int k) {
        this.n = n;
        this.h = h;
        this.k = k;
    }

    /** The inference threshold; NaN before the first training forward. */
    float threshold() {
        return threshold;
    }

    /** Rows whose candidates had to be recomputed longer, summed over all forwards. */
    long recomputedRows() {
        return recomputedRows;
    }

    /** A training batch's smallest positive kept activation enters the threshold's moving average. */
    void track(float minPositive) {
        threshold = Float.isNaN(threshold) ? minPositive
                : THRESHOLD_DECAY * threshold + (1 - THRESHOLD_DECAY) * minPositive;
    }

    /**
     * The k B largest pre-activations of the batch, exactly, into {@code sel} ({@code z = input W^T + bias},
     * {@code W} at {@code wOff} of {@code p}). Each row first gets its top c = 2k candidates
     * from the fused encoder. Let tau be the (k B)-th largest candidate. A row whose smallest candidate is
     * below tau holds no other value that could be kept (everything it left out is at most that
     * candidate); a row whose smallest candidate is at least tau may hold more, so it is recomputed with
     * four times as many candidates (at most min(k B, h): a row with k B candidates alone fills the
     * batch) and tau is taken again, until no row is in doubt. tau only grows between rounds. Ties at tau
     * are kept in row order, then in the order of the row's candidates.
     */
    void select(int b, float[] input, float[] p, int wOff, float[] bias, int biasOff, Selection sel) {
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
        Sparse.productTopK(b, h, n, input, 0, n, p, wOff, n, bias, biasOff, c0, candVal, candIdx);
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
            used = recompute(doubt, grow, input, p, wOff, bias, biasOff, used);
        }
        int above = 0;
        for (int i = 0; i < b; i++) {
            for (int r = candOff[i], end = r + candCnt[i]; r < end && candVal[r] > tau; r++) {
                above++;
            }
        }
        int ties = kb - above;
        int[] ptr = sel.ptr;
        float[] topVal = sel.val;
        int[] topIdx = sel.idx;
        int u = 0;
        for (int i = 0; i < b; i++) {
            ptr[i] = u;
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
        ptr[b] = u;
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
    private int recompute(int doubt, int grow, float[] input, float[] p, int wOff, float[] bias, int biasOff, int used) {
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
        Sparse.productTopK(doubt, h, n, rows, 0, n, p, wOff, n, bias, biasOff, grow, val, idx);
        System.arraycopy(val, 0, candVal, used, doubt * grow);
        System.arraycopy(idx, 0, candIdx, used, doubt * grow);
        for (int q = 0; q < doubt; q++) {
            candOff[failing[q]] = used + q * grow;
            candCnt[failing[q]] = grow;
        }
        recomputedRows += doubt;
        return need;
    }

    /** Inference: every latent whose pre-activation exceeds the threshold (dense z, one GEMM), into {@code sel}. */
    void selectThreshold(int b, float[] input, float[] p, int wOff, float[] bias, int biasOff, Selection sel) {
        float[] z = new float[b * h];
        Gemm.sgemm(false, true, b, h, n, 1f, input, 0, n, p, wOff, n, 0f, z, 0, h);
        int u = 0;
        for (int i = 0; i < b; i++) {
            sel.ptr[i] = u;
            for (int j = 0; j < h; j++) {
                float v = z[i * h + j] + bias[biasOff + j];
                if (v > threshold) {
                    if (u == sel.val.length) {
                        sel.grow();
                    }
                    sel.val[u] = v;
                    sel.idx[u] = j;
                    u++;
                }
            }
        }
        sel.ptr[b] = u;
    }
}
