package dev.lanes.core.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API lazy Adam: the scalar reference's operations lane by lane, in the same order and without
 * fused multiply-adds, so every element is bit-identical to {@link ScalarRowAdam}. The missed steps run
 * on registers: the row is read and written once however many steps it skipped.
 */
final class PanamaRowAdam implements RowAdamKernel {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    @Override
    public void update(int n, int from, int to, float beta1, float c1, float beta2, float c2, float eps,
                       float[] stepSize, float[] sqrtBc2, float[] g, int gOff, float[] p, float[] m, float[] v,
                       int off) {
        for (int i = 0; i < n; i += L) {
            // masked throughout: rows are short (n ~ 784) and the step is dominated by sqrt and division
            VectorMask<Float> k = S.indexInRange(i, n);
            FloatVector pv = FloatVector.fromArray(S, p, off + i, k);
            FloatVector mv = FloatVector.fromArray(S, m, off + i, k);
            FloatVector vv = FloatVector.fromArray(S, v, off + i, k);
            FloatVector zero = FloatVector.zero(S);
            for (int s = from; s < to; s++) {
                FloatVector gv = zero.mul(1f).add(pv.mul(0f));
                mv = mv.mul(beta1).add(gv.mul(c1));
                vv = vv.mul(beta2).add(gv.mul(c2).mul(gv));
                FloatVector denom = vv.lanewise(VectorOperators.SQRT).div(sqrtBc2[s]).add(eps);
                pv = pv.mul(1f).sub(mv.div(denom).mul(stepSize[s]));
            }
            if (g != null) {
                FloatVector gv = FloatVector.fromArray(S, g, gOff + i, k).mul(1f).add(pv.mul(0f));
                mv = mv.mul(beta1).add(gv.mul(c1));
                vv = vv.mul(beta2).add(gv.mul(c2).mul(gv));
                FloatVector denom = vv.lanewise(VectorOperators.SQRT).div(sqrtBc2[to]).add(eps);
                pv = pv.mul(1f).sub(mv.div(denom).mul(stepSize[to]));
            }
            pv.intoArray(p, off + i, k);
            mv.intoArray(m, off + i, k);
            vv.intoArray(v, off + i, k);
        }
    }
}
