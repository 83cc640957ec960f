package dev.lanes.core.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API optimizer steps: the scalar reference's operations lane by lane, in the same order and
 * without fused multiply-adds, so every element is bit-identical to {@link ScalarOptimizer}. The step is
 * memory-bound (four streams read, three or four written), so one plain pass is all it needs.
 */
final class PanamaOptimizer implements OptimizerKernel {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final ScalarOptimizer TAIL = new ScalarOptimizer();

    @Override
    public void adam(int n, float beta1, float c1, float beta2, float c2, float eps, float l2, float decay,
                     float stepSize, float sqrtBc2, float gradScale, boolean clearGrad,
                     float[] p, int pOff, float[] g, int gOff, float[] m, int mOff, float[] v, int vOff) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector pv = FloatVector.fromArray(S, p, pOff + i);
            FloatVector gv = FloatVector.fromArray(S, g, gOff + i).mul(gradScale).add(pv.mul(l2));
            FloatVector mv = FloatVector.fromArray(S, m, mOff + i).mul(beta1).add(gv.mul(c1));
            FloatVector vv = FloatVector.fromArray(S, v, vOff + i).mul(beta2).add(gv.mul(c2).mul(gv));
            mv.intoArray(m, mOff + i);
            vv.intoArray(v, vOff + i);
            FloatVector denom = vv.lanewise(VectorOperators.SQRT).div(sqrtBc2).add(eps);
            pv.mul(decay).sub(mv.div(denom).mul(stepSize)).intoArray(p, pOff + i);
            if (clearGrad) {
                FloatVector.zero(S).intoArray(g, gOff + i);
            }
        }
        if (i < n) {
            // The tail is the reference itself, bit-identical by construction. A masked vector tail
            // (and, in another run, one masked body for the whole loop) allocated 32-448 B per call
            // in the allocation test: its masked accesses past an array's end took a path C2 did
            // not always compile without boxes.
            TAIL.adam(n - i, beta1, c1, beta2, c2, eps, l2, decay, stepSize, sqrtBc2, gradScale, clearGrad,
                    p, pOff + i, g, gOff + i, m, mOff + i, v, vOff + i);
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
