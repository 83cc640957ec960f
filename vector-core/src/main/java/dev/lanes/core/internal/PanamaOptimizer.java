package dev.lanes.core.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API optimizer steps: the scalar reference's operations lane by lane, in the same order and
 * without fused multiply-adds, so every element is bit-identical to {@link ScalarOptimizer}. The step is
 * memory-bound (four streams read, three or four written), so one pass with a masked tail is all it needs.
 */
final class PanamaOptimizer implements OptimizerKernel {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    @Override
    public void adam(int n, float beta1, float c1, float beta2, float c2, float eps, float l2, float decay,
                     float stepSize, float sqrtBc2, float gradScale, boolean clearGrad,
                     float[] p, int pOff, float[] g, int gOff, float[] m, int mOff, float[] v, int vOff) {
        FloatVector zero = FloatVector.zero(S);
        for (int i = 0; i < n; i += L) {
            // One masked body, as in sgd: a second, tail copy of this body made the method large enough
            // that C2 sometimes left a vector operation out of line and boxed it (192-448 B per call in
            // the allocation test). The step is memory-bound, so the mask costs nothing measurable.
            VectorMask<Float> k = S.indexInRange(i, n);
            FloatVector pv = FloatVector.fromArray(S, p, pOff + i, k);
            FloatVector gv = FloatVector.fromArray(S, g, gOff + i, k).mul(gradScale).add(pv.mul(l2));
            FloatVector mv = FloatVector.fromArray(S, m, mOff + i, k).mul(beta1).add(gv.mul(c1));
            FloatVector vv = FloatVector.fromArray(S, v, vOff + i, k).mul(beta2).add(gv.mul(c2).mul(gv));
            mv.intoArray(m, mOff + i, k);
            vv.intoArray(v, vOff + i, k);
            FloatVector denom = vv.lanewise(VectorOperators.SQRT).div(sqrtBc2).add(eps);
            pv.mul(decay).sub(mv.div(denom).mul(stepSize)).intoArray(p, pOff + i, k);
            if (clearGrad) {
                zero.intoArray(g, gOff + i, k);
            }
        }
    }

    @Override
    public void sgd(int n, float lr, float momentum, boolean nesterov, float l2, float gradScale, boolean clearGrad,
                    float[] p, int pOff, float[] g, int gOff, float[] buf, int bufOff) {
        boolean heavy = momentum != 0f;
        FloatVector zero = FloatVector.zero(S);
        for (int i = 0; i < n; i += L) {
            // the masked form throughout: SGD is memory-bound, so the mask costs nothing measurable
            VectorMask<Float> k = S.indexInRange(i, n);
            FloatVector pv = FloatVector.fromArray(S, p, pOff + i, k);
            FloatVector gv = FloatVector.fromArray(S, g, gOff + i, k).mul(gradScale).add(pv.mul(l2));
            FloatVector d = gv;
            if (heavy) {
                FloatVector b = FloatVector.fromArray(S, buf, bufOff + i, k).mul(momentum).add(gv);
                b.intoArray(buf, bufOff + i, k);
                d = nesterov ? gv.add(b.mul(momentum)) : b;
            }
            pv.sub(d.mul(lr)).intoArray(p, pOff + i, k);
            if (clearGrad) {
                zero.intoArray(g, gOff + i, k);
            }
        }
    }
}
