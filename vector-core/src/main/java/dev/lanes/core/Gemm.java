package dev.lanes.core;

import dev.lanes.core.internal.Backends;
import dev.lanes.core.internal.GemmKernel;

/** General matrix multiply, float32, row-major with leading dimensions. */
public final class Gemm {

    private static final String OP = "sgemm";
    private static final GemmKernel IMPL = Backends.load(GemmKernel.class);

    private Gemm() {
    }

    /**
     * {@code C := alpha*op(A)*op(B) + beta*C}.
     *
     * <p>{@code op(A)} is {@code m x k}: A is stored {@code m x k} with {@code lda >= k}, or, when
     * {@code transA}, {@code k x m} with {@code lda >= m}. Likewise {@code op(B)} is {@code k x n}: B is
     * stored {@code k x n} with {@code ldb >= n}, or, when {@code transB}, {@code n x k} with
     * {@code ldb >= k}. C is {@code m x n} with {@code ldc >= n}. Element {@code (i, j)} of a matrix
     * stored at {@code off} with leading dimension {@code ld} is {@code x[off + i*ld + j]}.
     *
     * <p>Reads A and B; reads C only when {@code beta != 0}, so with {@code beta == 0} a NaN or
     * infinity already in C does not propagate; writes exactly the {@code m x n} elements of C.
     * As in reference BLAS, when {@code alpha == 0} or {@code k == 0}, A and B are not read and
     * {@code C := beta*C} (zeros when {@code beta == 0}). {@code m}, {@code n} or {@code k} may be 0;
     * {@code alpha} and {@code beta} may be any float. A and B may alias each other but not C.
     *
     * <p>Uses up to {@link Lanes#threads()} threads. The result is bitwise independent of the thread
     * count: each element of C is reduced in the same order whatever the split. It may differ in the
     * last bits between the scalar and the SIMD implementation (different summation order).
     *
     * @throws IllegalArgumentException if a size is negative or a leading dimension is shorter than
     *         its row, e.g. {@code "sgemm: lda=100 < k=128"}
     * @throws IndexOutOfBoundsException if an offset is out of range or a matrix does not fit in its
     *         array
     * @throws NullPointerException if {@code a}, {@code b} or {@code c} is null
     */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        Args.nonNegative(OP, "m", m);
        Args.nonNegative(OP, "n", n);
        Args.nonNegative(OP, "k", k);
        if (transA) {
            Args.matrix(OP, "a", a, aOff, k, m, lda, "lda", "m");
        } else {
            Args.matrix(OP, "a", a, aOff, m, k, lda, "lda", "k");
        }
        if (transB) {
            Args.matrix(OP, "b", b, bOff, n, k, ldb, "ldb", "k");
        } else {
            Args.matrix(OP, "b", b, bOff, k, n, ldb, "ldb", "n");
        }
        Args.matrix(OP, "c", c, cOff, m, n, ldc, "ldc", "n");
        if (m == 0 || n == 0) {
            return;
        }
        IMPL.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }
}
