package dev.lanes.core.internal;

/**
 * The sgemm kernel family: {@code C := alpha*op(A)*op(B) + beta*C}, row-major, float32.
 *
 * <p>The caller ({@code dev.lanes.core.Gemm}) has validated every argument: sizes are non-negative,
 * leading dimensions cover a row, and every matrix lies inside its array. Implementations only
 * {@code assert} this.
 */
public interface GemmKernel {

    /**
     * {@code C := alpha*op(A)*op(B) + beta*C}. {@code op(A)} is {@code m x k} (A stored {@code m x k},
     * or {@code k x m} when {@code transA}), {@code op(B)} is {@code k x n} (B stored {@code k x n}, or
     * {@code n x k} when {@code transB}), C is {@code m x n}. Reads A and B, reads C only when
     * {@code beta != 0}, writes the {@code m x n} elements of C and nothing else. When
     * {@code alpha == 0} or {@code k == 0}, A and B are not read and {@code C := beta*C}
     * (zeros when {@code beta == 0}).
     */
    void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
               float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
               float beta, float[] c, int cOff, int ldc);
}
