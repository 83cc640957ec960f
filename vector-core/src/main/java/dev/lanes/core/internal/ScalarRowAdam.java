package dev.lanes.core.internal;

/** The scalar reference for {@link RowAdamKernel}: element by element, step by step. */
final class ScalarRowAdam implements RowAdamKernel {

    @Override
    public void update(int n, int from, int to, float beta1, float c1, float beta2, float c2, float eps,
                       float[] stepSize, float[] sqrtBc2, float[] g, int gOff, float[] p, float[] m, float[] v,
                       int off) {
        for (int i = 0; i < n; i++) {
            float pi = p[off + i];
            float mi = m[off + i];
            float vi = v[off + i];
            for (int s = from; s < to; s++) {
                float gi = 0f * 1f + 0f * pi;
                mi = beta1 * mi + c1 * gi;
                vi = beta2 * vi + c2 * gi * gi;
                pi = pi * 1f - stepSize[s] * (mi / ((float) Math.sqrt(vi) / sqrtBc2[s] + eps));
            }
            if (g != null) {
                float gi = g[gOff + i] * 1f + 0f * pi;
                mi = beta1 * mi + c1 * gi;
                vi = beta2 * vi + c2 * gi * gi;
                pi = pi * 1f - stepSize[to] * (mi / ((float) Math.sqrt(vi) / sqrtBc2[to] + eps));
            }
            p[off + i] = pi;
            m[off + i] = mi;
            v[off + i] = vi;
        }
    }
}
