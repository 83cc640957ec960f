package dev.lanes.core.internal;

/**
 * The sgemm specification: one float dot product per element of C, summed in order of {@code p}.
 * Single-threaded.
 */
final class ScalarGemm implements GemmKernel {

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int ci = cOff + i * ldc + j;
                if (alpha == 0 || k == 0) {
                    c[ci] = beta == 0 ? 0f : beta * c[ci];
                    continue;
                }
                float s = 0f;
                for (int p = 0; p < k; p++) {
                    float aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    float bpj = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    s += aip * bpj;
                }
                c[ci] = beta == 0 ? alpha * s : alpha * s + beta * c[ci];
            }
        }
    }
}
