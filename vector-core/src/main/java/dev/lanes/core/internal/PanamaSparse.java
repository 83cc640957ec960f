package dev.lanes.core.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/** Vector API gathers over selected rows of a dense matrix. */
final class PanamaSparse implements SparseKernel {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Per-thread lanes of one dot product, summed in a fixed order. */
    private static final ThreadLocal<float[]> LANES = ThreadLocal.withInitial(() -> new float[L]);

    @Override
    public void combineRows(int n, int count, float[] coef, int coefOff, int[] idx, int idxOff,
                            float[] src, int srcOff, int lds, float[] out, int outOff) {
        int bound = S.loopBound(n);
        int c = 0;
        // two vectors of out stay in registers across all count rows
        for (; c + 2 * L <= bound; c += 2 * L) {
            FloatVector o0 = FloatVector.fromArray(S, out, outOff + c);
            FloatVector o1 = FloatVector.fromArray(S, out, outOff + c + L);
            for (int t = 0; t < count; t++) {
                FloatVector a = FloatVector.broadcast(S, coef[coefOff + t]);
                int row = srcOff + idx[idxOff + t] * lds + c;
                o0 = FloatVector.fromArray(S, src, row).fma(a, o0);
                o1 = FloatVector.fromArray(S, src, row + L).fma(a, o1);
            }
            o0.intoArray(out, outOff + c);
            o1.intoArray(out, outOff + c + L);
        }
        for (; c < n; c += L) {
            VectorMask<Float> mask = S.indexInRange(c, n);
            FloatVector o = FloatVector.fromArray(S, out, outOff + c, mask);
            for (int t = 0; t < count; t++) {
                FloatVector a = FloatVector.broadcast(S, coef[coefOff + t]);
                o = FloatVector.fromArray(S, src, srcOff + idx[idxOff + t] * lds + c, mask).fma(a, o);
            }
            o.intoArray(out, outOff + c, mask);
        }
    }

    @Override
    public void dotRows(int n, int count, float[] x, int xOff, int[] idx, int idxOff,
                        float[] src, int srcOff, int lds, float[] out, int outOff) {
        int bound = S.loopBound(n);
        float[] lanes = LANES.get();
        for (int t = 0; t < count; t++) {
            int row = srcOff + idx[idxOff + t] * lds;
            // two accumulators hide the FMA latency at the short rows of an autoencoder (n ~ 784)
            FloatVector s0 = FloatVector.zero(S);
            FloatVector s1 = FloatVector.zero(S);
            int c = 0;
            for (; c + 2 * L <= bound; c += 2 * L) {
                s0 = FloatVector.fromArray(S, x, xOff + c).fma(FloatVector.fromArray(S, src, row + c), s0);
                s1 = FloatVector.fromArray(S, x, xOff + c + L).fma(FloatVector.fromArray(S, src, row + c + L), s1);
            }
            for (; c < n; c += L) {
                VectorMask<Float> mask = S.indexInRange(c, n);
                s0 = FloatVector.fromArray(S, x, xOff + c, mask).fma(FloatVector.fromArray(S, src, row + c, mask), s0);
            }
            // reduceLanes(ADD) sums in a different order interpreted and JIT-compiled, so a result would
            // depend on when C2 compiled this loop: sum the lanes in a fixed order instead
            s0.add(s1).intoArray(lanes, 0);
            float sum = 0f;
            for (int l = 0; l < L; l++) {
                sum += lanes[l];
            }
            out[outOff + t] = sum;
        }
    }
}
