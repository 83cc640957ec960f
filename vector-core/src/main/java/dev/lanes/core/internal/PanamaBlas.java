package dev.lanes.core.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API implementation of {@link BlasKernel}. Elementwise methods, {@code columnSums} and the
 * argmax methods do the same IEEE operations per element as {@link ScalarBlas}, so they are bit-exact
 * with it (up to NaN payloads). {@code dot}, {@code sum} and {@code sumOfSquares} add into
 * {@value #ACCUMULATORS} vector accumulators and then reduce in a fixed order, so their result depends
 * only on the input and the vector length, never on timing or on the compiler tier.
 */
final class PanamaBlas implements BlasKernel {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = S.withLanes(int.class);
    private static final int L = S.length();
    private static final int ACCUMULATORS = 4;
    private static final int STEP = ACCUMULATORS * L;

    /**
     * {@code HALVES[k]} swaps lanes {@code i} and {@code i ^ (L >> (k + 1))}. Adding a vector to its
     * rearrangement by each in turn is a fixed binary tree; {@code reduceLanes(ADD)} leaves the order
     * open, and the interpreter and C2 do use different orders.
     */
    private static final VectorShuffle<Float>[] HALVES = halves();

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] halves() {
        int levels = Integer.numberOfTrailingZeros(L);
        VectorShuffle<Float>[] h = new VectorShuffle[levels];
        for (int k = 0; k < levels; k++) {
            int d = L >> (k + 1);
            h[k] = VectorShuffle.fromOp(S, i -> i ^ d);
        }
        return h;
    }

    private static float horizontalSum(FloatVector v) {
        for (VectorShuffle<Float> h : HALVES) {
            v = v.add(v.rearrange(h));
        }
        return v.lane(0);
    }

    @Override
    public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector xv = FloatVector.fromArray(S, x, xOff + i);
            FloatVector yv = FloatVector.fromArray(S, y, yOff + i);
            // mul then add, not fma: bit-exact with the scalar reference
            yv.add(xv.mul(alpha)).intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector xv = FloatVector.fromArray(S, x, xOff + i, m);
            FloatVector yv = FloatVector.fromArray(S, y, yOff + i, m);
            yv.add(xv.mul(alpha)).intoArray(y, yOff + i, m);
        }
    }

    @Override
    public void scale(int n, float alpha, float[] x, int xOff) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xOff + i).mul(alpha).intoArray(x, xOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector.fromArray(S, x, xOff + i, m).mul(alpha).intoArray(x, xOff + i, m);
        }
    }

    @Override
    public float dot(int n, float[] x, int xOff, float[] y, int yOff) {
        // several accumulators hide the FMA latency
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        int i = 0;
        for (int bound = n - n % STEP; i < bound; i += STEP) {
            a0 = FloatVector.fromArray(S, x, xOff + i).fma(FloatVector.fromArray(S, y, yOff + i), a0);
            a1 = FloatVector.fromArray(S, x, xOff + i + L).fma(FloatVector.fromArray(S, y, yOff + i + L), a1);
            a2 = FloatVector.fromArray(S, x, xOff + i + 2 * L).fma(FloatVector.fromArray(S, y, yOff + i + 2 * L), a2);
            a3 = FloatVector.fromArray(S, x, xOff + i + 3 * L).fma(FloatVector.fromArray(S, y, yOff + i + 3 * L), a3);
        }
        for (int bound = S.loopBound(n); i < bound; i += L) {
            a0 = FloatVector.fromArray(S, x, xOff + i).fma(FloatVector.fromArray(S, y, yOff + i), a0);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            a1 = FloatVector.fromArray(S, x, xOff + i, m).fma(FloatVector.fromArray(S, y, yOff + i, m), a1);
        }
        return horizontalSum(a0.add(a1).add(a2.add(a3)));
    }

    @Override
    public float sum(int n, float[] x, int xOff) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        int i = 0;
        for (int bound = n - n % STEP; i < bound; i += STEP) {
            a0 = a0.add(FloatVector.fromArray(S, x, xOff + i));
            a1 = a1.add(FloatVector.fromArray(S, x, xOff + i + L));
            a2 = a2.add(FloatVector.fromArray(S, x, xOff + i + 2 * L));
            a3 = a3.add(FloatVector.fromArray(S, x, xOff + i + 3 * L));
        }
        for (int bound = S.loopBound(n); i < bound; i += L) {
            a0 = a0.add(FloatVector.fromArray(S, x, xOff + i));
        }
        if (i < n) {
            a1 = a1.add(FloatVector.fromArray(S, x, xOff + i, S.indexInRange(i, n)));
        }
        return horizontalSum(a0.add(a1).add(a2.add(a3)));
    }

    @Override
    public float sumOfSquares(int n, float[] x, int xOff) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        int i = 0;
        for (int bound = n - n % STEP; i < bound; i += STEP) {
            FloatVector v0 = FloatVector.fromArray(S, x, xOff + i);
            FloatVector v1 = FloatVector.fromArray(S, x, xOff + i + L);
            FloatVector v2 = FloatVector.fromArray(S, x, xOff + i + 2 * L);
            FloatVector v3 = FloatVector.fromArray(S, x, xOff + i + 3 * L);
            a0 = v0.fma(v0, a0);
            a1 = v1.fma(v1, a1);
            a2 = v2.fma(v2, a2);
            a3 = v3.fma(v3, a3);
        }
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            a0 = v.fma(v, a0);
        }
        if (i < n) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i, S.indexInRange(i, n));
            a1 = v.fma(v, a1);
        }
        return horizontalSum(a0.add(a1).add(a2.add(a3)));
    }

    @Override
    public void mul(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xOff + i).mul(FloatVector.fromArray(S, y, yOff + i)).intoArray(z, zOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector.fromArray(S, x, xOff + i, m).mul(FloatVector.fromArray(S, y, yOff + i, m)).intoArray(z, zOff + i, m);
        }
    }

    @Override
    public void add(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xOff + i).add(FloatVector.fromArray(S, y, yOff + i)).intoArray(z, zOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector.fromArray(S, x, xOff + i, m).add(FloatVector.fromArray(S, y, yOff + i, m)).intoArray(z, zOff + i, m);
        }
    }

    @Override
    public void sub(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xOff + i).sub(FloatVector.fromArray(S, y, yOff + i)).intoArray(z, zOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector.fromArray(S, x, xOff + i, m).sub(FloatVector.fromArray(S, y, yOff + i, m)).intoArray(z, zOff + i, m);
        }
    }

    @Override
    public void clamp(int n, float lo, float hi, float[] x, int xOff, float[] y, int yOff) {
        // MAX and MIN follow Math.max and Math.min: NaN propagates, -0.0 < +0.0
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xOff + i).max(lo).min(hi).intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector.fromArray(S, x, xOff + i, m).max(lo).min(hi).intoArray(y, yOff + i, m);
        }
    }

    @Override
    public void addRowVector(int rows, int cols, float[] v, int vOff, float[] x, int xOff, int ldx) {
        int bound = S.loopBound(cols);
        VectorMask<Float> tail = S.indexInRange(bound, cols);
        for (int r = 0; r < rows; r++) {
            int row = xOff + r * ldx;
            int j = 0;
            for (; j < bound; j += L) {
                FloatVector.fromArray(S, x, row + j).add(FloatVector.fromArray(S, v, vOff + j)).intoArray(x, row + j);
            }
            if (j < cols) {
                FloatVector.fromArray(S, x, row + j, tail).add(FloatVector.fromArray(S, v, vOff + j, tail))
                        .intoArray(x, row + j, tail);
            }
        }
    }

    @Override
    public void columnSums(int rows, int cols, float[] x, int xOff, int ldx, float[] out, int outOff,
                           boolean accumulate) {
        // A strip of columns stays in registers while the rows are added in order: the same additions
        // in the same order as the scalar reference, with one load and store of out per strip.
        int j = 0;
        for (; j + STEP <= cols; j += STEP) {
            FloatVector a0 = start(out, outOff + j, accumulate);
            FloatVector a1 = start(out, outOff + j + L, accumulate);
            FloatVector a2 = start(out, outOff + j + 2 * L, accumulate);
            FloatVector a3 = start(out, outOff + j + 3 * L, accumulate);
            for (int r = 0, p = xOff + j; r < rows; r++, p += ldx) {
                a0 = a0.add(FloatVector.fromArray(S, x, p));
                a1 = a1.add(FloatVector.fromArray(S, x, p + L));
                a2 = a2.add(FloatVector.fromArray(S, x, p + 2 * L));
                a3 = a3.add(FloatVector.fromArray(S, x, p + 3 * L));
            }
            a0.intoArray(out, outOff + j);
            a1.intoArray(out, outOff + j + L);
            a2.intoArray(out, outOff + j + 2 * L);
            a3.intoArray(out, outOff + j + 3 * L);
        }
        for (; j < cols; j += L) {
            VectorMask<Float> m = S.indexInRange(j, cols);
            FloatVector a = accumulate ? FloatVector.fromArray(S, out, outOff + j, m) : FloatVector.zero(S);
            for (int r = 0, p = xOff + j; r < rows; r++, p += ldx) {
                a = a.add(FloatVector.fromArray(S, x, p, m));
            }
            a.intoArray(out, outOff + j, m);
        }
    }

    private static FloatVector start(float[] out, int off, boolean accumulate) {
        return accumulate ? FloatVector.fromArray(S, out, off) : FloatVector.zero(S);
    }

    @Override
    public int argmax(int n, float[] x, int xOff) {
        assert n >= 1;
        // Pass 1 finds the largest value: MAX follows Math.max, which agrees with Float.compare
        // (NaN largest, -0.0 < +0.0) except that it does not rank NaNs, and all NaNs are equal here.
        // Pass 2 finds its first occurrence.
        FloatVector m0 = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        FloatVector m1 = m0;
        FloatVector m2 = m0;
        FloatVector m3 = m0;
        int i = 0;
        for (int bound = n - n % STEP; i < bound; i += STEP) {
            m0 = m0.max(FloatVector.fromArray(S, x, xOff + i));
            m1 = m1.max(FloatVector.fromArray(S, x, xOff + i + L));
            m2 = m2.max(FloatVector.fromArray(S, x, xOff + i + 2 * L));
            m3 = m3.max(FloatVector.fromArray(S, x, xOff + i + 3 * L));
        }
        for (int bound = S.loopBound(n); i < bound; i += L) {
            m0 = m0.max(FloatVector.fromArray(S, x, xOff + i));
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            m1 = m1.lanewise(VectorOperators.MAX, FloatVector.fromArray(S, x, xOff + i, m), m);
        }
        float max = m0.max(m1).max(m2.max(m3)).reduceLanes(VectorOperators.MAX);
        return Float.isNaN(max) ? firstNaN(n, x, xOff) : firstBits(n, x, xOff, Float.floatToRawIntBits(max));
    }

    /** First index whose bits equal {@code bits}; exact bits tell -0.0 from +0.0. */
    private static int firstBits(int n, float[] x, int xOff, int bits) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            VectorMask<Integer> hit = FloatVector.fromArray(S, x, xOff + i).reinterpretAsInts()
                    .compare(VectorOperators.EQ, bits);
            if (hit.anyTrue()) {
                return i + hit.firstTrue();
            }
        }
        VectorMask<Integer> hit = FloatVector.fromArray(S, x, xOff + i, S.indexInRange(i, n)).reinterpretAsInts()
                .compare(VectorOperators.EQ, bits, I.indexInRange(i, n));
        assert hit.anyTrue() : "the maximum was not found";
        return i + hit.firstTrue();
    }

    private static int firstNaN(int n, float[] x, int xOff) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            VectorMask<Float> hit = FloatVector.fromArray(S, x, xOff + i).test(VectorOperators.IS_NAN);
            if (hit.anyTrue()) {
                return i + hit.firstTrue();
            }
        }
        VectorMask<Float> m = S.indexInRange(i, n);
        VectorMask<Float> hit = FloatVector.fromArray(S, x, xOff + i, m).test(VectorOperators.IS_NAN, m);
        assert hit.anyTrue() : "no NaN found";
        return i + hit.firstTrue();
    }

    @Override
    public void rowArgmax(int rows, int cols, float[] x, int xOff, int ldx, int[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            out[outOff + r] = argmax(cols, x, xOff + r * ldx);
        }
    }
}
