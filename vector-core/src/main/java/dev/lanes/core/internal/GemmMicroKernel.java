package dev.lanes.core.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The sgemm micro-kernel: {@code C(mr x nr) := beta*C + alpha*Ap*Bp} for one register tile.
 *
 * <p>Contract of {@link #run}:
 * <ul>
 * <li>{@code Ap} is a packed A sliver: {@code kc} columns of {@link #MR} floats, element
 *     {@code (i, p)} at {@code ap[ao + p*MR + i]}; rows {@code i >= mr} are computed and dropped (the
 *     packing writes zeros there).</li>
 * <li>{@code Bp} is a packed B sliver: {@code kc} rows of {@link #NR} floats, element {@code (p, j)}
 *     at {@code bp[bo + p*NR + j]}; columns {@code j >= nr} likewise.</li>
 * <li>Writes exactly {@code C[i][j]} at {@code c[co + i*ldc + j]} for {@code i < mr}, {@code j < nr}, to
 *     {@code alpha*sum_p Ap(i,p)*Bp(p,j)} when {@code beta == 0} (C is not read) and otherwise to
 *     {@code fma(beta, C, alpha*sum)}. The sum runs over {@code p = 0..kc-1} in order, in one
 *     float accumulator per element, so the result depends only on the packed data.</li>
 * <li>{@code kc == 0} gives {@code C := beta*C}. No loop over m or n: a full tile is stored straight
 *     from the registers, an edge tile ({@code mr < MR} or {@code nr < NR}) goes through
 *     {@code tile} ({@code MR*NR} floats of scratch) and a scalar merge.</li>
 * </ul>
 * The {@code MR x NV} accumulators stay in vector registers only as plain locals, so the body is
 * written out for the fixed tile shape: {@code MR*NV} independent FMA chains hide the FMA latency
 * on two pipes, and each step loads {@code NV} B vectors and broadcasts {@code MR} A elements.
 */
final class GemmMicroKernel {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    /** Rows of the register tile. */
    static final int MR = 12;
    /** Vectors per row of the register tile. */
    static final int NV = 2;
    /** Columns of the register tile. */
    static final int NR = NV * L;

    static void run(int kc, float[] ap, int ao, float[] bp, int bo, float alpha, float beta,
                    float[] c, int co, int ldc, int mr, int nr, float[] tile) {
        assert kc >= 0 && mr >= 1 && mr <= MR && nr >= 1 && nr <= NR;
        assert ao >= 0 && ao + kc * MR <= ap.length && bo >= 0 && bo + kc * NR <= bp.length;
        FloatVector z = FloatVector.zero(S);
        FloatVector c0a = z, c0b = z;
        FloatVector c1a = z, c1b = z;
        FloatVector c2a = z, c2b = z;
        FloatVector c3a = z, c3b = z;
        FloatVector c4a = z, c4b = z;
        FloatVector c5a = z, c5b = z;
        FloatVector c6a = z, c6b = z;
        FloatVector c7a = z, c7b = z;
        FloatVector c8a = z, c8b = z;
        FloatVector c9a = z, c9b = z;
        FloatVector c10a = z, c10b = z;
        FloatVector c11a = z, c11b = z;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bo + p * NR);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + p * NR + 1 * L);
            FloatVector a0 = FloatVector.broadcast(S, ap[ao + p * MR]);
            c0a = a0.fma(b0, c0a);
            c0b = a0.fma(b1, c0b);
            FloatVector a1 = FloatVector.broadcast(S, ap[ao + p * MR + 1]);
            c1a = a1.fma(b0, c1a);
            c1b = a1.fma(b1, c1b);
            FloatVector a2 = FloatVector.broadcast(S, ap[ao + p * MR + 2]);
            c2a = a2.fma(b0, c2a);
            c2b = a2.fma(b1, c2b);
            FloatVector a3 = FloatVector.broadcast(S, ap[ao + p * MR + 3]);
            c3a = a3.fma(b0, c3a);
            c3b = a3.fma(b1, c3b);
            FloatVector a4 = FloatVector.broadcast(S, ap[ao + p * MR + 4]);
            c4a = a4.fma(b0, c4a);
            c4b = a4.fma(b1, c4b);
            FloatVector a5 = FloatVector.broadcast(S, ap[ao + p * MR + 5]);
            c5a = a5.fma(b0, c5a);
            c5b = a5.fma(b1, c5b);
            FloatVector a6 = FloatVector.broadcast(S, ap[ao + p * MR + 6]);
            c6a = a6.fma(b0, c6a);
            c6b = a6.fma(b1, c6b);
            FloatVector a7 = FloatVector.broadcast(S, ap[ao + p * MR + 7]);
            c7a = a7.fma(b0, c7a);
            c7b = a7.fma(b1, c7b);
            FloatVector a8 = FloatVector.broadcast(S, ap[ao + p * MR + 8]);
            c8a = a8.fma(b0, c8a);
            c8b = a8.fma(b1, c8b);
            FloatVector a9 = FloatVector.broadcast(S, ap[ao + p * MR + 9]);
            c9a = a9.fma(b0, c9a);
            c9b = a9.fma(b1, c9b);
            FloatVector a10 = FloatVector.broadcast(S, ap[ao + p * MR + 10]);
            c10a = a10.fma(b0, c10a);
            c10b = a10.fma(b1, c10b);
            FloatVector a11 = FloatVector.broadcast(S, ap[ao + p * MR + 11]);
            c11a = a11.fma(b0, c11a);
            c11b = a11.fma(b1, c11b);
        }
        if (mr == MR && nr == NR) {
            row(alpha, beta, c, co, c0a, c0b);
            row(alpha, beta, c, co + 1 * ldc, c1a, c1b);
            row(alpha, beta, c, co + 2 * ldc, c2a, c2b);
            row(alpha, beta, c, co + 3 * ldc, c3a, c3b);
            row(alpha, beta, c, co + 4 * ldc, c4a, c4b);
            row(alpha, beta, c, co + 5 * ldc, c5a, c5b);
            row(alpha, beta, c, co + 6 * ldc, c6a, c6b);
            row(alpha, beta, c, co + 7 * ldc, c7a, c7b);
            row(alpha, beta, c, co + 8 * ldc, c8a, c8b);
            row(alpha, beta, c, co + 9 * ldc, c9a, c9b);
            row(alpha, beta, c, co + 10 * ldc, c10a, c10b);
            row(alpha, beta, c, co + 11 * ldc, c11a, c11b);
        } else {
            row(alpha, 0f, tile, 0 * NR, c0a, c0b);
            row(alpha, 0f, tile, 1 * NR, c1a, c1b);
            row(alpha, 0f, tile, 2 * NR, c2a, c2b);
            row(alpha, 0f, tile, 3 * NR, c3a, c3b);
            row(alpha, 0f, tile, 4 * NR, c4a, c4b);
            row(alpha, 0f, tile, 5 * NR, c5a, c5b);
            row(alpha, 0f, tile, 6 * NR, c6a, c6b);
            row(alpha, 0f, tile, 7 * NR, c7a, c7b);
            row(alpha, 0f, tile, 8 * NR, c8a, c8b);
            row(alpha, 0f, tile, 9 * NR, c9a, c9b);
            row(alpha, 0f, tile, 10 * NR, c10a, c10b);
            row(alpha, 0f, tile, 11 * NR, c11a, c11b);
            merge(beta, c, co, ldc, mr, nr, tile);
        }
    }

    private static void row(float alpha, float beta, float[] c, int off, FloatVector v0, FloatVector v1) {
        if (beta == 0) {
            v0.mul(alpha).intoArray(c, off);
            v1.mul(alpha).intoArray(c, off + 1 * L);
        } else {
            FloatVector.fromArray(S, c, off).fma(FloatVector.broadcast(S, beta), v0.mul(alpha)).intoArray(c, off);
            FloatVector.fromArray(S, c, off + 1 * L).fma(FloatVector.broadcast(S, beta), v1.mul(alpha)).intoArray(c, off + 1 * L);
        }
    }

    private static void merge(float beta, float[] c, int co, int ldc, int mr, int nr, float[] tile) {
        for (int i = 0; i < mr; i++) {
            for (int j = 0; j < nr; j++) {
                int ci = co + i * ldc + j;
                float t = tile[i * NR + j];
                c[ci] = beta == 0 ? t : Math.fma(beta, c[ci], t);
            }
        }
    }

    private GemmMicroKernel() {
    }
}
