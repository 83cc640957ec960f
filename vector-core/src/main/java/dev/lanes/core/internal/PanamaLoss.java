package dev.lanes.core.internal;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The losses on the Vector API, with their own exp ({@link #expNonPositive}) and log1p (in
 * {@link #sigmoidCrossEntropy}): on JDK 25 and AVX-512 the Vector API's lanewise EXP measured 3-7x slower than
 * this exp, and its LOG1P alone (0.3 G elements/s) slower than this whole sigmoid cross-entropy.
 *
 * <p>Sums: each lane of a float accumulator takes at most {@link #FLUSH} terms, then the accumulators
 * are joined (up to 2 adds), reduced across lanes (at most 15 adds, lane by lane in index order, see
 * {@link PanamaBlas}) and added to a double. For non-negative terms (every loss here) a flushed block
 * is thus within about {@code (FLUSH + 2 + 15) * 2^-24} relative, whatever {@code n} is; the tests'
 * tolerances come from that bound. Every sum is reproducible bit for bit: the order of its
 * additions depends on {@code n} and the vector length only, not on the thread or the compiler tier
 * ({@code reduceLanes(ADD)}, whose order is left open, summed differently once C2 had compiled it).
 */
final class PanamaLoss implements LossKernel {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int FLUSH = 16;
    /** Each thread's 3 L floats for sigmoidCrossEntropy's last vector: logits, targets, gradient. */
    private static final ThreadLocal<float[]> TAIL = ThreadLocal.withInitial(() -> new float[3 * L]);

    // exp: x = k*ln2 + r, |r| <= ln2/2; ln2 split so that k*LN2_HI is exact for |k| <= 126.
    private static final float LOG2E = 1.44269504f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5 * 2^23: adding it rounds a float of magnitude below 2^22 to an integer held in the low bits. */
    private static final float ROUND = 0x1.8p23f;
    /** Below this, k = round(x log2 e) < -126 and 2^k is not a normal float. */
    private static final float EXP_FLUSH_BELOW = -87.68f;

    @Override
    public float mse(int n, float[] yhat, int yhatOff, float[] y, int yOff, float[] grad, int gOff) {
        assert n > 0;
        // Scaling the difference by 1/sqrt(n) before squaring keeps every partial sum below the mean
        // times a small factor: no float overflow unless the mean itself overflows.
        float r = (float) (1 / Math.sqrt(n));
        // Two methods, not one loop testing grad: a compiled loop that had only seen a gradient hit an
        // uncommon trap on the first null one, and the recompiled code boxed a vector (240 B per call
        // in the allocation test, after the other kernels had run).
        double total = grad == null
                ? squaredSum(n, yhat, yhatOff, y, yOff, r)
                : squaredSumAndGradient(n, yhat, yhatOff, y, yOff, r, grad, gOff, (float) (2.0 / n));
        return (float) total;
    }

    /**
     * {@code sum((r*(yhat-y))^2)}, in blocks of {@link #FLUSH} terms per lane. The differences are
     * written out, not in a helper returning a vector: one that C2 declined to inline boxed its result.
     * The tail (under {@code 4L} elements) is scalar: masked vector accesses past an array's end took a
     * path that C2 did not always compile without boxes.
     */
    private static double squaredSum(int n, float[] yhat, int yhatOff, float[] y, int yOff, float r) {
        double total = 0;
        int i = 0;
        int bound4 = n - n % (4 * L);
        while (i < bound4) {
            int end = Math.min(bound4, i + FLUSH * 4 * L);
            // 4 accumulators hide the FMA latency; the loop is otherwise load-bound.
            FloatVector a0 = FloatVector.zero(S);
            FloatVector a1 = FloatVector.zero(S);
            FloatVector a2 = FloatVector.zero(S);
            FloatVector a3 = FloatVector.zero(S);
            for (; i < end; i += 4 * L) {
                FloatVector d0 = FloatVector.fromArray(S, yhat, yhatOff + i).sub(FloatVector.fromArray(S, y, yOff + i)).mul(r);
                FloatVector d1 = FloatVector.fromArray(S, yhat, yhatOff + i + L).sub(FloatVector.fromArray(S, y, yOff + i + L)).mul(r);
                FloatVector d2 = FloatVector.fromArray(S, yhat, yhatOff + i + 2 * L).sub(FloatVector.fromArray(S, y, yOff + i + 2 * L)).mul(r);
                FloatVector d3 = FloatVector.fromArray(S, yhat, yhatOff + i + 3 * L).sub(FloatVector.fromArray(S, y, yOff + i + 3 * L)).mul(r);
                a0 = d0.fma(d0, a0);
                a1 = d1.fma(d1, a1);
                a2 = d2.fma(d2, a2);
                a3 = d3.fma(d3, a3);
            }
            FloatVector v = a0.add(a1).add(a2.add(a3));
            float lanes = 0f;
            for (int l = 0; l < L; l++) {
                lanes += v.lane(l);
            }
            total += lanes;
        }
        double tail = 0;
        for (; i < n; i++) {
            float d = (yhat[yhatOff + i] - y[yOff + i]) * r;
            tail += d * d;
        }
        return total + tail;
    }

    /** {@link #squaredSum}, also writing {@code grad = twoOverN*(yhat-y)}. */
    private static double squaredSumAndGradient(int n, float[] yhat, int yhatOff, float[] y, int yOff, float r,
                                                float[] grad, int gOff, float twoOverN) {
        double total = 0;
        int i = 0;
        int bound4 = n - n % (4 * L);
        while (i < bound4) {
            int end = Math.min(bound4, i + FLUSH * 4 * L);
            FloatVector a0 = FloatVector.zero(S);
            FloatVector a1 = FloatVector.zero(S);
            FloatVector a2 = FloatVector.zero(S);
            FloatVector a3 = FloatVector.zero(S);
            for (; i < end; i += 4 * L) {
                FloatVector d0 = FloatVector.fromArray(S, yhat, yhatOff + i).sub(FloatVector.fromArray(S, y, yOff + i));
                FloatVector d1 = FloatVector.fromArray(S, yhat, yhatOff + i + L).sub(FloatVector.fromArray(S, y, yOff + i + L));
                FloatVector d2 = FloatVector.fromArray(S, yhat, yhatOff + i + 2 * L).sub(FloatVector.fromArray(S, y, yOff + i + 2 * L));
                FloatVector d3 = FloatVector.fromArray(S, yhat, yhatOff + i + 3 * L).sub(FloatVector.fromArray(S, y, yOff + i + 3 * L));
                d0.mul(twoOverN).intoArray(grad, gOff + i);
                d1.mul(twoOverN).intoArray(grad, gOff + i + L);
                d2.mul(twoOverN).intoArray(grad, gOff + i + 2 * L);
                d3.mul(twoOverN).intoArray(grad, gOff + i + 3 * L);
                d0 = d0.mul(r);
                d1 = d1.mul(r);
                d2 = d2.mul(r);
                d3 = d3.mul(r);
                a0 = d0.fma(d0, a0);
                a1 = d1.fma(d1, a1);
                a2 = d2.fma(d2, a2);
                a3 = d3.fma(d3, a3);
            }
            FloatVector v = a0.add(a1).add(a2.add(a3));
            float lanes = 0f;
            for (int l = 0; l < L; l++) {
                lanes += v.lane(l);
            }
            total += lanes;
        }
        double tail = 0;
        for (; i < n; i++) {
            float d = yhat[yhatOff + i] - y[yOff + i];
            grad[gOff + i] = d * twoOverN;
            d *= r;
            tail += d * d;
        }
        return total + tail;
    }

    @Override
    public void softmax(int rows, int cols, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
        for (int row = 0; row < rows; row++) {
            int xr = xOff + row * ldx;
            int yr = yOff + row * ldy;
            float m = rowMax(cols, x, xr);
            double s = expShiftedSum(cols, x, xr, m, y, yr);
            scale(cols, y, yr, (float) (1 / s));
        }
    }

    @Override
    public float softmaxCrossEntropy(int rows, int cols, float[] logits, int lOff, int ldl, int[] labels,
                                     int labOff, float[] grad, int gOff, int ldg) {
        assert rows > 0 && cols > 0;
        double total = 0;
        float oneOverRows = (float) (1.0 / rows);
        for (int row = 0; row < rows; row++) {
            int lr = lOff + row * ldl;
            int label = labels[labOff + row];
            assert label >= 0 && label < cols;
            // Read before grad (which may be logits itself) is written.
            float xl = logits[lr + label];
            float m = rowMax(cols, logits, lr);
            int gr = gOff + row * ldg;
            double s = expShiftedSum(cols, logits, lr, m, grad, gr);
            // (m - x_label) in double cannot overflow; log(s) with s in [1, cols] is small.
            total += ((double) m - xl) + Math.log(s);
            if (grad != null) {
                scale(cols, grad, gr, (float) (1 / (s * rows)));
                grad[gr + label] -= oneOverRows;
            }
        }
        return (float) (total / rows);
    }

    /**
     * Max of a row, ignoring NaN (a compare and a blend are cheaper than Math.max semantics); a NaN
     * in the row still makes the whole row NaN, through x_j - max in the sum of exponentials.
     */
    private static float rowMax(int cols, float[] x, int off) {
        FloatVector mx = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        int j = 0;
        for (int bound = S.loopBound(cols); j < bound; j += L) {
            FloatVector v = FloatVector.fromArray(S, x, off + j);
            mx = mx.blend(v, v.compare(VectorOperators.GT, mx));
        }
        if (j < cols) {
            VectorMask<Float> m = S.indexInRange(j, cols);
            FloatVector v = FloatVector.fromArray(S, x, off + j, m);
            mx = mx.blend(v, v.compare(VectorOperators.GT, mx).and(m));
        }
        return mx.reduceLanes(VectorOperators.MAX);
    }

    /** Sum of exp(x_j - m); stores the terms into {@code out} unless it is null. */
    private static double expShiftedSum(int cols, float[] x, int off, float m, float[] out, int outOff) {
        FloatVector mv = FloatVector.broadcast(S, m);
        double s = 0;
        int j = 0;
        int bound = S.loopBound(cols);
        while (j < bound) {
            int end = Math.min(bound, j + FLUSH * L);
            FloatVector acc = FloatVector.zero(S);
            for (; j < end; j += L) {
                FloatVector e = expNonPositive(FloatVector.fromArray(S, x, off + j).sub(mv));
                if (out != null) {
                    e.intoArray(out, outOff + j);
                }
                acc = acc.add(e);
            }
            float lanes = 0f;
            for (int l = 0; l < L; l++) {
                lanes += acc.lane(l);
            }
            s += lanes;
        }
        if (j < cols) {
            VectorMask<Float> mask = S.indexInRange(j, cols);
            FloatVector e = expNonPositive(FloatVector.fromArray(S, x, off + j, mask).sub(mv));
            if (out != null) {
                e.intoArray(out, outOff + j, mask);
            }
            // The lanes past cols hold exp(0 - m), not 0: only the masked ones are summed.
            FloatVector acc = FloatVector.zero(S).add(e, mask);
            float lanes = 0f;
            for (int l = 0; l < L; l++) {
                lanes += acc.lane(l);
            }
            s += lanes;
        }
        return s;
    }

    private static void scale(int n, float[] a, int off, float factor) {
        int j = 0;
        for (int bound = S.loopBound(n); j < bound; j += L) {
            FloatVector.fromArray(S, a, off + j).mul(factor).intoArray(a, off + j);
        }
        if (j < n) {
            VectorMask<Float> m = S.indexInRange(j, n);
            FloatVector.fromArray(S, a, off + j, m).mul(factor).intoArray(a, off + j, m);
        }
    }

    @Override
    public float sigmoidCrossEntropy(int n, float[] logits, int lOff, float[] targets, int tOff,
                                     float[] grad, int gOff) {
        assert n > 0;
        // Terms are at most Float.MAX_VALUE; scaled by 1/n before summing, no partial sum overflows.
        float invN = (float) (1.0 / n);
        double total = 0;
        // Two parts through one loop body: the whole vectors in place, then the last n mod L
        // elements copied into a per-thread scratch padded with zeros (masked off). A masked load
        // whose vector runs past the end of its array takes the Vector API's out-of-range path, which
        // C2 did not inline in this body: a mask object per call (AllocationTest).
        int full = S.loopBound(n);
        float[] lg = logits;
        float[] tg = targets;
        float[] gr = grad;
        int lo = lOff;
        int to = tOff;
        int go = gOff;
        int len = full;
        float[] buf = null;
        for (int part = 0; part < 2; part++) {
            if (part == 1) {
                if (full == n) {
                    break;
                }
                buf = TAIL.get();
                int r = n - full;
                System.arraycopy(logits, lOff + full, buf, 0, r);
                Arrays.fill(buf, r, L, 0f);
                System.arraycopy(targets, tOff + full, buf, L, r);
                Arrays.fill(buf, L + r, 2 * L, 0f);
                lg = buf;
                tg = buf;
                gr = grad == null ? null : buf;
                lo = 0;
                to = L;
                go = 2 * L;
                len = r;
            }
            int i = 0;
            while (i < len) {
                int end = Math.min(len, i + FLUSH * L);
                FloatVector acc = FloatVector.zero(S);
                // One masked body, with the sigmoid, the loss term and its log1p written out rather than
                // in helpers: C2 stops inlining ordinary methods past a node count that this body nearly
                // reaches, and a vector passed to a call that is not inlined is boxed (4x slower; the
                // allocation test saw 12 KB per call). expNonPositive is the one helper left.
                for (; i < end; i += L) {
                    VectorMask<Float> m = S.indexInRange(i, end);
                    FloatVector z = FloatVector.fromArray(S, lg, lo + i, m);
                    FloatVector t = FloatVector.fromArray(S, tg, to + i, m);
                    FloatVector a = z.abs();
                    FloatVector e = expNonPositive(a.neg());
                    VectorMask<Float> pos = z.compare(VectorOperators.GE, 0f);
                    // |z| * (z >= 0 ? 1 - t : t) + log1p(e): the stable form with no cancellation (every
                    // term >= 0 for t in [0,1]), so its float error stays relative even for |z| near
                    // Float.MAX_VALUE. log1p(e) = 2 atanh(s), s = e / (2 + e) in [0, 1/3]: no
                    // cancellation near 0; the odd series up to s^13 leaves a truncation error below
                    // s^14/15 < 1.4e-8 relative, within about 2 ulp in all.
                    FloatVector s = e.div(e.add(2f));
                    FloatVector w = s.mul(s);
                    FloatVector series = w.fma(2f / 13f, 2f / 11f).fma(w, FloatVector.broadcast(S, 2f / 9f))
                            .fma(w, FloatVector.broadcast(S, 2f / 7f)).fma(w, FloatVector.broadcast(S, 2f / 5f))
                            .fma(w, FloatVector.broadcast(S, 2f / 3f)).fma(w, FloatVector.broadcast(S, 2f));
                    FloatVector bce = a.fma(t.blend(t.neg().add(1f), pos), s.mul(series));
                    acc = acc.add(bce.mul(invN), m);
                    if (gr != null) {
                        // sigmoid(z) - t without cancellation against t = 1: with q = e/(1+e), it is
                        // (1 - t) - q for z >= 0 (sigmoid = 1 - q) and q - t below (sigmoid = q).
                        FloatVector q = e.div(e.add(1f));
                        FloatVector c = t.neg().add(1f, pos);
                        c.add(q.blend(q.neg(), pos)).mul(invN).intoArray(gr, go + i, m);
                    }
                }
                float lanes = 0f;
                for (int l = 0; l < L; l++) {
                    lanes += acc.lane(l);
                }
                total += lanes;
            }
            if (part == 1 && grad != null) {
                System.arraycopy(buf, 2 * L, grad, gOff + full, n - full);
            }
        }
        return (float) total;
    }

    /**
     * exp(x) for x <= 0 (or NaN), within about 2 ulp down to the subnormal range.
     *
     * <p>x = k*ln2 + r with |r| <= ln2/2 (plus a rounding hair); exp(r) by its Taylor polynomial of
     * degree 7, whose truncation error r^8/8! < 5.2e-9 is below 0.1 ulp; times 2^k built in the
     * exponent field. For x below -87.68 (k < -126, where 2^k is no longer a normal float) the result
     * is flushed to 0; the exact value there is below 8.4e-39, so that is the absolute error.
     */
    static FloatVector expNonPositive(FloatVector x) {
        FloatVector t = x.fma(LOG2E, ROUND);
        FloatVector k = t.sub(ROUND);
        FloatVector r = k.lanewise(VectorOperators.FMA, FloatVector.broadcast(S, -LN2_HI), x);
        r = k.lanewise(VectorOperators.FMA, FloatVector.broadcast(S, -LN2_LO), r);
        FloatVector p = FloatVector.broadcast(S, 1f / 5040f);
        p = p.lanewise(VectorOperators.FMA, r, FloatVector.broadcast(S, 1f / 720f));
        p = p.lanewise(VectorOperators.FMA, r, FloatVector.broadcast(S, 1f / 120f));
        p = p.lanewise(VectorOperators.FMA, r, FloatVector.broadcast(S, 1f / 24f));
        p = p.lanewise(VectorOperators.FMA, r, FloatVector.broadcast(S, 1f / 6f));
        p = p.lanewise(VectorOperators.FMA, r, FloatVector.broadcast(S, 0.5f));
        p = p.lanewise(VectorOperators.FMA, r, FloatVector.broadcast(S, 1f));
        p = p.lanewise(VectorOperators.FMA, r, FloatVector.broadcast(S, 1f));
        // t's low bits hold k (|k| < 2^22), and ROUND's low 9 bits are 0: bits(t) << 23 == k << 23.
        FloatVector scale = t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).add(127 << 23)
                .reinterpretAsFloats();
        return p.mul(scale).blend(0f, x.compare(VectorOperators.LT, EXP_FLUSH_BELOW));
    }

    @Override
    public int firstOutsideUnitInterval(int n, float[] a, int off) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, a, off + i);
            VectorMask<Float> bad = v.compare(VectorOperators.GE, 0f).and(v.compare(VectorOperators.LE, 1f)).not();
            if (bad.anyTrue()) {
                return i + bad.firstTrue();
            }
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector v = FloatVector.fromArray(S, a, off + i, m);
            VectorMask<Float> bad = v.compare(VectorOperators.GE, 0f).and(v.compare(VectorOperators.LE, 1f))
                    .not().and(m);
            if (bad.anyTrue()) {
                return i + bad.firstTrue();
            }
        }
        return -1;
    }
}
