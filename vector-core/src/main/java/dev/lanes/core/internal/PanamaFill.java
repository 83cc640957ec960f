package dev.lanes.core.internal;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fills on the Vector API: {@link CounterRng} on 64-bit lanes (two 64-bit multiplies per
 * element, vpmullq on AVX-512DQ), then converted to floats, one float per 64-bit lane, into the
 * first half of a preferred-width float vector (see FS). Uniform and bernoulli repeat {@link ScalarFill}'s float operations in the same order
 * (no FMA contraction), so they are bit-exact; gaussian works in double with its own log and sin,
 * within about 1e-10 relative of {@code Math.log}/{@code Math.cos} before the final rounding to float.
 */
final class PanamaFill implements FillKernel {

    private static final VectorSpecies<Long> LS = LongVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    /**
     * The preferred float species, of which each step fills the first {@code L} lanes (LOW). Not the
     * half-width species the L floats would fit: FloatVector's own code is shared by every shape, and
     * a second float shape in its type profiles made C2 compile other kernels' FloatVector calls as
     * calls, boxing each vector (80 B per vector in AllocationTest; a training step allocated 128 MB
     * in one JMH fork).
     */
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final int L = LS.length();
    private static final VectorMask<Float> LOW = FS.indexInRange(0, L);
    /**
     * Each thread's 2 L floats: the last {@code n mod 2L} elements (gaussian: those its loop leaves,
     * L at a time) are filled there by the same loop, element i from counter {@code index0 + i} as
     * always, and copied out; a masked partial store in the loop left a mask object behind per call.
     */
    private static final ThreadLocal<float[]> TAIL = ThreadLocal.withInitial(() -> new float[2 * L]);

    private static final double LN2 = Math.log(2);
    private static final double SQRT2 = Math.sqrt(2);
    /** sin(2 pi w) = w * sum_k Sk w^(2k) for |w| <= 1/4: Taylor to degree 15, error below 1e-11. */
    private static final double S0 = sinCoefficient(0);
    private static final double S1 = sinCoefficient(1);
    private static final double S2 = sinCoefficient(2);
    private static final double S3 = sinCoefficient(3);
    private static final double S4 = sinCoefficient(4);
    private static final double S5 = sinCoefficient(5);
    private static final double S6 = sinCoefficient(6);
    private static final double S7 = sinCoefficient(7);

    /** (-1)^k (2 pi)^(2k+1) / (2k+1)! */
    private static double sinCoefficient(int k) {
        double c = 1;
        for (int j = 1; j <= 2 * k + 1; j++) {
            c *= 2 * Math.PI / j;
        }
        return k % 2 == 0 ? c : -c;
    }

    static {
        assert FS.length() >= L && DS.length() == L;
    }

    // uniform and bernoulli write the counter start, the mix and the store out rather than calling
    // the helpers below: a helper taking or returning a vector that C2 does not inline boxes it, and
    // through the loop's counter every iteration (AllocationTest saw 8 KB per call of each, n = 1003).

    @Override
    public void uniform(long seed, long index0, float lo, float hi, float[] x, int off, int n) {
        float range = hi - lo;
        float below = Math.nextDown(hi);
        // Two long vectors per float vector: elements i..i+L-1 from z, i+L..i+2L-1 from z + L GAMMA,
        // converted into the low and the high half (disjoint lanes, zeros elsewhere, so the sum is exact).
        LongVector z = start(seed, index0);
        LongVector half = LongVector.broadcast(LS, CounterRng.GAMMA * L);
        LongVector step = LongVector.broadcast(LS, CounterRng.GAMMA * 2 * L);
        int i = 0;
        for (; i + 2 * L <= n; i += 2 * L) {
            LongVector b = mix(z);
            LongVector c = mix(z.add(half));
            FloatVector u = ((FloatVector) b.lanewise(VectorOperators.LSHR, 40).convertShape(VectorOperators.L2F, FS, 0))
                    .add((FloatVector) c.lanewise(VectorOperators.LSHR, 40).convertShape(VectorOperators.L2F, FS, -1))
                    .mul(0x1p-24f);
            u.mul(range).add(lo).min(below).intoArray(x, off + i);
            z = z.add(step);
        }
        if (i < n) {
            float[] buf = TAIL.get();
            uniform(seed, index0 + i, lo, hi, buf, 0, 2 * L);
            System.arraycopy(buf, 0, x, off + i, n - i);
        }
    }

    @Override
    public void bernoulli(long seed, long index0, float p, float[] x, int off, int n) {
        // u < p  <=>  k * 2^-24 < p  <=>  k < ceil(p * 2^24) for the integer k = bits >>> 40.
        long threshold = (long) Math.ceil(p * 0x1p24f);
        // Two long vectors per float vector, as uniform.
        LongVector z = start(seed, index0);
        LongVector half = LongVector.broadcast(LS, CounterRng.GAMMA * L);
        LongVector step = LongVector.broadcast(LS, CounterRng.GAMMA * 2 * L);
        int i = 0;
        for (; i + 2 * L <= n; i += 2 * L) {
            LongVector b = mix(z);
            LongVector c = mix(z.add(half));
            // k - threshold is negative exactly when k < threshold: its sign bit is the 0/1 result.
            LongVector hit0 = b.lanewise(VectorOperators.LSHR, 40).sub(threshold).lanewise(VectorOperators.LSHR, 63);
            LongVector hit1 = c.lanewise(VectorOperators.LSHR, 40).sub(threshold).lanewise(VectorOperators.LSHR, 63);
            ((FloatVector) hit0.convertShape(VectorOperators.L2F, FS, 0))
                    .add((FloatVector) hit1.convertShape(VectorOperators.L2F, FS, -1)).intoArray(x, off + i);
            z = z.add(step);
        }
        if (i < n) {
            float[] buf = TAIL.get();
            bernoulli(seed, index0 + i, p, buf, 0, 2 * L);
            System.arraycopy(buf, 0, x, off + i, n - i);
        }
    }

    @Override
    public void gaussian(long seed, long index0, float mean, float std, float[] x, int off, int n) {
        LongVector z = start(seed, index0);
        LongVector step = LongVector.broadcast(LS, CounterRng.GAMMA * L);
        // The sine polynomial and the store are written out, not helpers: this body is near C2's
        // inlining node limit, and a vector passed to a call that is not inlined is boxed.
        int i = 0;
        // The masked store writes L of 2L lanes: the loop stops where 2L would run past x, since a
        // masked store beyond the array's end takes a path C2 may leave a mask object on.
        for (; i + L <= n && off + i + 2 * L <= x.length; i += L) {
            LongVector b = mix(z);
            DoubleVector u1 = toDouble(b.and(0xFFFFFFFFL)).add(0.5).mul(0x1p-32);
            DoubleVector radius = log(u1).mul(-2).lanewise(VectorOperators.SQRT);
            DoubleVector u2 = ((DoubleVector) b.lanewise(VectorOperators.LSHR, 32).convert(VectorOperators.L2D, 0))
                    .mul(0x1p-32);
            // cos(2 pi u2) = sin(2 pi w) with w = |u2 - 1/2| - 1/4 in [-1/4, 1/4], all exact.
            DoubleVector w = u2.sub(0.5).abs().sub(0.25);
            DoubleVector v = w.mul(w);
            DoubleVector p = DoubleVector.broadcast(DS, S7);
            p = p.lanewise(VectorOperators.FMA, v, DoubleVector.broadcast(DS, S6));
            p = p.lanewise(VectorOperators.FMA, v, DoubleVector.broadcast(DS, S5));
            p = p.lanewise(VectorOperators.FMA, v, DoubleVector.broadcast(DS, S4));
            p = p.lanewise(VectorOperators.FMA, v, DoubleVector.broadcast(DS, S3));
            p = p.lanewise(VectorOperators.FMA, v, DoubleVector.broadcast(DS, S2));
            p = p.lanewise(VectorOperators.FMA, v, DoubleVector.broadcast(DS, S1));
            p = p.lanewise(VectorOperators.FMA, v, DoubleVector.broadcast(DS, S0));
            DoubleVector g = radius.mul(w.mul(p)).mul(std).add(mean);
            ((FloatVector) g.convertShape(VectorOperators.D2F, FS, 0)).intoArray(x, off + i, LOW);
            z = z.add(step);
        }
        for (; i < n; i += L) {
            float[] buf = TAIL.get();
            gaussian(seed, index0 + i, mean, std, buf, 0, L); // one full step in the loop above
            System.arraycopy(buf, 0, x, off + i, Math.min(L, n - i));
        }
    }

    /** The pre-mix counters key + GAMMA * (index0 + lane) of the first L elements. */
    private static LongVector start(long seed, long index0) {
        long base = CounterRng.key(seed) + CounterRng.GAMMA * index0;
        return LongVector.broadcast(LS, CounterRng.GAMMA).mul(LongVector.zero(LS).addIndex(1)).add(base);
    }

    private static LongVector mix(LongVector z) {
        z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 30)).mul(CounterRng.M1);
        z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 27)).mul(CounterRng.M2);
        return z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 31));
    }

    private static DoubleVector toDouble(LongVector v) {
        return (DoubleVector) v.convert(VectorOperators.L2D, 0);
    }

    /**
     * Natural log of positive normal doubles: u = 2^e * m with m in [sqrt(1/2), sqrt(2)), then
     * log(m) = 2 atanh(s), s = (m-1)/(m+1), |s| < 0.172; the odd series to s^11 leaves a relative
     * error below s^12/13 < 5e-11.
     */
    private static DoubleVector log(DoubleVector u) {
        LongVector bits = u.reinterpretAsLongs();
        DoubleVector e = toDouble(bits.lanewise(VectorOperators.LSHR, 52).sub(1023));
        DoubleVector m = bits.and(0x000FFFFFFFFFFFFFL).or(0x3FF0000000000000L).reinterpretAsDoubles();
        VectorMask<Double> big = m.compare(VectorOperators.GT, SQRT2);
        m = m.blend(m.mul(0.5), big);
        e = e.add(1.0, big);
        DoubleVector s = m.sub(1).div(m.add(1));
        DoubleVector w = s.mul(s);
        DoubleVector q = DoubleVector.broadcast(DS, 2.0 / 11);
        q = q.lanewise(VectorOperators.FMA, w, DoubleVector.broadcast(DS, 2.0 / 9));
        q = q.lanewise(VectorOperators.FMA, w, DoubleVector.broadcast(DS, 2.0 / 7));
        q = q.lanewise(VectorOperators.FMA, w, DoubleVector.broadcast(DS, 2.0 / 5));
        q = q.lanewise(VectorOperators.FMA, w, DoubleVector.broadcast(DS, 2.0 / 3));
        q = q.lanewise(VectorOperators.FMA, w, DoubleVector.broadcast(DS, 2.0));
        return e.lanewise(VectorOperators.FMA, DoubleVector.broadcast(DS, LN2), s.mul(q));
    }
}
