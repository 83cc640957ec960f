package dev.lanes.core.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API implementation of {@link BlasKernel}. Elementwise methods, {@code columnSums} and the
 * argmax methods do the same IEEE operations per element as {@link ScalarBlas}, so they are bit-exact
 * with it (up to NaN payloads). {@code dot}, {@code sum} and {@code sumOfSquares} add into
 * {@value #ACCUMULATORS} vector accumulators and then reduce in a fixed order, so their result depends
 * only on the input and the vector length, never on timing or on the compiler tier.
 *
 * <p>sameOffset: axpy, mul, add and sub, given one offset for all their operands (whole arrays, the
 * usual call), run a single-index plain loop instead of their Vector API loop. C2 vectorizes that loop
 * itself and peels it so that its stores are aligned to the 64-byte line, computed from the array's
 * address, which Java code cannot see; a Vector API loop's stores split lines wherever the array
 * happens to lie. Measured in one JVM at n = 65536 against the scalar reference called with literal
 * zero offsets (which C2 vectorizes the same way), the Vector API loops ran 0.94-0.99x (2026-11-23).
 * With distinct offsets C2 must assume the operands overlap and leaves a plain loop scalar, so the
 * Vector API loop stays for that case (it measured 3-4x the reference when C2 could not see the
 * offsets, BlasBenchmark, 2026-11-23). The scalar reference itself cannot check the offsets: it is
 * the plain specification.
 */
final class PanamaBlas implements BlasKernel {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = S.withLanes(int.class);
    private static final int L = S.length();
    private static final int ACCUMULATORS = 4;
    private static final int STEP = ACCUMULATORS * L;

    /**
     * For the few cases where the scalar loop is faster; see the call sites. Below {@code L} elements
     * the reductions and argmax use it: the masks and the horizontal reduction cost more than the
     * loop (measured 3x to 10x slower for n = 1).
     */
    private static final ScalarBlas SCALAR = new ScalarBlas();

    @Override
    public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        if (xOff == yOff) {
            // One index for both arrays: C2's own loop, its stores aligned (sameOffset in the class notes).
            for (int i = yOff, end = yOff + n; i < end; i++) {
                y[i] += alpha * x[i];
            }
            return;
        }
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
        // The scalar loop on purpose: C2 vectorises this one-array loop by itself and, unlike a Vector
        // API loop, peels it so that its 64-byte loads and stores are aligned (Java code cannot see array
        // addresses). Measured 1.5x faster than a Vector API loop for n = 65536.
        SCALAR.scale(n, alpha, x, xOff);
    }

    @Override
    public float dot(int n, float[] x, int xOff, float[] y, int yOff) {
        // kept small so that it inlines into the caller: short inputs pay no call
        return n < L ? SCALAR.dot(n, x, xOff, y, yOff) : dotVector(n, x, xOff, y, yOff);
    }

    private static float dotVector(int n, float[] x, int xOff, float[] y, int yOff) {
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
        FloatVector v = a0.add(a1).add(a2.add(a3));
        float lanes = 0f;
        for (int l = 0; l < L; l++) {
            lanes += v.lane(l);
        }
        return lanes;
    }

    @Override
    public float sum(int n, float[] x, int xOff) {
        // kept small so that it inlines into the caller: short inputs pay no call
        return n < L ? SCALAR.sum(n, x, xOff) : sumVector(n, x, xOff);
    }

    private static float sumVector(int n, float[] x, int xOff) {
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
        FloatVector v = a0.add(a1).add(a2.add(a3));
        float lanes = 0f;
        for (int l = 0; l < L; l++) {
            lanes += v.lane(l);
        }
        return lanes;
    }

    @Override
    public float sumOfSquares(int n, float[] x, int xOff) {
        // kept small so that it inlines into the caller: short inputs pay no call
        return n < L ? SCALAR.sumOfSquares(n, x, xOff) : sumOfSquaresVector(n, x, xOff);
    }

    private static float sumOfSquaresVector(int n, float[] x, int xOff) {
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
        FloatVector v = a0.add(a1).add(a2.add(a3));
        float lanes = 0f;
        for (int l = 0; l < L; l++) {
            lanes += v.lane(l);
        }
        return lanes;
    }

    // mul, add and sub are written out three times on purpose. One shared loop taking the operator
    // (lanewise(op, ...)) measured 0.44-0.47 G elem/s and 1.18 MB/op at n = 65536 instead of about 7 G elem/s
    // and 0 B/op: C2 did not fold the operator to a constant, so it boxed every vector.
    @Override
    public void mul(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
        if (xOff == zOff && yOff == zOff) {
            for (int i = zOff, end = zOff + n; i < end; i++) {
                z[i] = x[i] * y[i];
            }
            return;
        }
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
        if (xOff == zOff && yOff == zOff) {
            for (int i = zOff, end = zOff + n; i < end; i++) {
                z[i] = x[i] + y[i];
            }
            return;
        }
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
        if (xOff == zOff && yOff == zOff) {
            for (int i = zOff, end = zOff + n; i < end; i++) {
                z[i] = x[i] - y[i];
            }
            return;
        }
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
        // Compare and blend instead of MAX and MIN, which C2 has to emulate with several instructions
        // to get Math.max's NaN and signed-zero rules. NaN compares false, so it stays. The thresholds
        // give the signed zeros Math.max's order: with lo = +0.0, -0.0 < MIN_VALUE is replaced by +0.0;
        // with hi = -0.0, +0.0 > -MIN_VALUE is replaced by -0.0.
        float loBelow = Float.floatToRawIntBits(lo) == 0 ? Float.MIN_VALUE : lo;
        float hiAbove = Float.floatToRawIntBits(hi) == Integer.MIN_VALUE ? -Float.MIN_VALUE : hi;
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            clamp(FloatVector.fromArray(S, x, xOff + i), lo, hi, loBelow, hiAbove).intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            clamp(FloatVector.fromArray(S, x, xOff + i, m), lo, hi, loBelow, hiAbove).intoArray(y, yOff + i, m);
        }
    }

    private static FloatVector clamp(FloatVector v, float lo, float hi, float loBelow, float hiAbove) {
        v = v.blend(lo, v.compare(VectorOperators.LT, loBelow));
        return v.blend(hi, v.compare(VectorOperators.GT, hiAbove));
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
        // in the same order as the scalar reference, with one load and store of out per strip. The
        // starting values are written out, not taken from a helper returning a vector, which C2 may
        // decline to inline (it would then box the accumulators).
        int j = 0;
        for (; j + STEP <= cols; j += STEP) {
            FloatVector z = FloatVector.zero(S);
            FloatVector a0 = accumulate ? FloatVector.fromArray(S, out, outOff + j) : z;
            FloatVector a1 = accumulate ? FloatVector.fromArray(S, out, outOff + j + L) : z;
            FloatVector a2 = accumulate ? FloatVector.fromArray(S, out, outOff + j + 2 * L) : z;
            FloatVector a3 = accumulate ? FloatVector.fromArray(S, out, outOff + j + 3 * L) : z;
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

    @Override
    public int argmax(int n, float[] x, int xOff) {
        // kept small so that it inlines into the caller: short inputs pay no call
        return n < L ? SCALAR.argmax(n, x, xOff) : argmaxVector(n, x, xOff);
    }

    private static int argmaxVector(int n, float[] x, int xOff) {
        assert n >= 1;
        // Pass 1 finds the largest value with compare-and-blend: about twice as fast as MAX, which C2
        // emulates with several instructions to follow Math.max. A NaN never compares greater, so NaNs
        // show up in running sums instead (a sum is NaN if a NaN was added, and otherwise only if
        // infinities of both signs met, which the NaN search then rules out). +0.0 does not beat -0.0
        // either; pass 2 sorts that out while it looks for the first occurrence of the largest value.
        FloatVector m0 = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        FloatVector m1 = m0;
        FloatVector m2 = m0;
        FloatVector m3 = m0;
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        int i = 0;
        for (int bound = n - n % STEP; i < bound; i += STEP) {
            FloatVector v0 = FloatVector.fromArray(S, x, xOff + i);
            FloatVector v1 = FloatVector.fromArray(S, x, xOff + i + L);
            FloatVector v2 = FloatVector.fromArray(S, x, xOff + i + 2 * L);
            FloatVector v3 = FloatVector.fromArray(S, x, xOff + i + 3 * L);
            m0 = m0.blend(v0, v0.compare(VectorOperators.GT, m0));
            m1 = m1.blend(v1, v1.compare(VectorOperators.GT, m1));
            m2 = m2.blend(v2, v2.compare(VectorOperators.GT, m2));
            m3 = m3.blend(v3, v3.compare(VectorOperators.GT, m3));
            s0 = s0.add(v0);
            s1 = s1.add(v1);
            s2 = s2.add(v2);
            s3 = s3.add(v3);
        }
        for (; i < n; i += L) {
            VectorMask<Float> in = S.indexInRange(i, n);
            FloatVector v = FloatVector.fromArray(S, x, xOff + i, in);
            m0 = m0.blend(v, v.compare(VectorOperators.GT, m0, in));
            s0 = s0.add(v);
        }
        if (s0.add(s1).add(s2.add(s3)).test(VectorOperators.IS_NAN).anyTrue()) {
            int nan = firstNaN(n, x, xOff);
            if (nan >= 0) {
                return nan;
            }
        }
        // No NaN in the lanes (checked above): compare-and-blend them down to one vector, then one
        // integer reduction of their keys (negatives' low 31 bits flipped: signed order is float
        // order). Float MAX, which C2 emulates with several instructions per step, made this the
        // larger part of a 256-column row (rowArgmax).
        m0 = m0.blend(m1, m1.compare(VectorOperators.GT, m0));
        m2 = m2.blend(m3, m3.compare(VectorOperators.GT, m2));
        m0 = m0.blend(m2, m2.compare(VectorOperators.GT, m0));
        IntVector bits = m0.reinterpretAsInts();
        int key = bits.lanewise(VectorOperators.XOR, bits.lanewise(VectorOperators.ASHR, 31)
                .lanewise(VectorOperators.LSHR, 1)).reduceLanes(VectorOperators.MAX);
        float max = Float.intBitsToFloat(key ^ ((key >> 31) >>> 1));
        if (max == 0f) {
            int positive = firstBits(n, x, xOff, 0);
            return positive >= 0 ? positive : firstBits(n, x, xOff, Integer.MIN_VALUE);
        }
        return firstBits(n, x, xOff, Float.floatToRawIntBits(max));
    }

    /** First index whose bits equal {@code bits} (exact bits tell -0.0 from +0.0), or -1. */
    private static int firstBits(int n, float[] x, int xOff, int bits) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            VectorMask<Integer> hit = FloatVector.fromArray(S, x, xOff + i).reinterpretAsInts()
                    .compare(VectorOperators.EQ, bits);
            if (hit.anyTrue()) {
                return i + hit.firstTrue();
            }
        }
        if (i < n) {
            VectorMask<Integer> in = I.indexInRange(i, n);
            VectorMask<Integer> hit = FloatVector.fromArray(S, x, xOff + i, in.cast(S)).reinterpretAsInts()
                    .compare(VectorOperators.EQ, bits, in);
            if (hit.anyTrue()) {
                return i + hit.firstTrue();
            }
        }
        return -1;
    }

    /** First index of a NaN, or -1. */
    private static int firstNaN(int n, float[] x, int xOff) {
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> in = S.indexInRange(i, n);
            VectorMask<Float> hit = FloatVector.fromArray(S, x, xOff + i, in).test(VectorOperators.IS_NAN, in);
            if (hit.anyTrue()) {
                return i + hit.firstTrue();
            }
        }
        return -1;
    }

    @Override
    public void rowArgmax(int rows, int cols, float[] x, int xOff, int ldx, int[] out, int outOff) {
        int r = 0;
        if (cols < GATHER_COLS) {
            // Short rows: one lane per row, walking the columns with gathers, so no horizontal work per row.
            int[] rowStarts = ROW_STARTS.get();
            IntVector.zero(I).addIndex(ldx).intoArray(rowStarts, 0);
            for (; r + L <= rows; r += L) {
                narrowArgmax(cols, x, xOff + r * ldx, rowStarts, out, outOff + r);
            }
        }
        if (cols < 4 * L) {
            // Rows of fewer than 4 vectors: the fixed cost of the two vector passes and the horizontal
            // reduction outweighs the scalar loop (measured: 0.75x to 0.85x of it for 31 to 63 columns).
            for (; r < rows; r++) {
                out[outOff + r] = SCALAR.argmax(cols, x, xOff + r * ldx);
            }
        }
        for (; r < rows; r++) {
            out[outOff + r] = argmax(cols, x, xOff + r * ldx);
        }
    }

    /** Below this many columns rowArgmax gathers; measured faster than the scalar loop up to about 24 (L = 16). */
    private static final int GATHER_COLS = L + L / 2;

    /**
     * Argmax of the {@code L} rows starting at {@code x[base + rowStarts[l]]}. Floats map to ints
     * whose signed order is Float.compare's: flipping the 31 low bits of negatives puts -0.0 just below
     * +0.0, and every NaN becomes Integer.MAX_VALUE, above +Infinity. A strictly greater key moves the
     * index, so ties keep the lowest column.
     */
    private static void narrowArgmax(int cols, float[] x, int base, int[] rowStarts, int[] out, int outOff) {
        // Every key is above Integer.MIN_VALUE (whose bits would be a NaN), so column 0 always enters.
        // The key is written out here rather than in a helper: a helper taking a vector that C2
        // declines to inline boxes it on every column.
        IntVector best = IntVector.broadcast(I, Integer.MIN_VALUE);
        IntVector index = IntVector.zero(I);
        for (int j = 0; j < cols; j++) {
            FloatVector v = FloatVector.fromArray(S, x, base + j, rowStarts, 0);
            IntVector bits = v.reinterpretAsInts();
            IntVector key = bits.lanewise(VectorOperators.XOR, bits.lanewise(VectorOperators.ASHR, 31)
                    .lanewise(VectorOperators.LSHR, 1)).blend(Integer.MAX_VALUE, v.test(VectorOperators.IS_NAN).cast(I));
            VectorMask<Integer> greater = key.compare(VectorOperators.GT, best);
            best = best.blend(key, greater);
            index = index.blend(j, greater);
        }
        index.intoArray(out, outOff);
    }

    /** The gather offsets of narrowArgmax, per thread: a call allocates nothing. */
    private static final ThreadLocal<int[]> ROW_STARTS = ThreadLocal.withInitial(() -> new int[L]);
}
