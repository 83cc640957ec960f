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
 * <li>{@code kc == 0} gives {@code C := beta*C}. No loop over m or n in the FMA loop; the
 *     accumulators are spilled once to {@code tile} ({@code MR*NR} floats of scratch) and merged
 *     into C from there, with vectors for full rows and scalars at the right edge. (Passing vectors
 *     to a helper that C2 does not inline would box them; a detour through L1 costs 2*MR*NV memory
 *     operations against MR*NV*kc FMAs.)</li>
 * </ul>
 * The {@code MR x NV} accumulators stay in vector registers only as plain locals, so the body is
 * written out for the fixed tile shape: {@code MR*NV} independent FMA chains hide the FMA latency
 * on two pipes, and each step loads {@code NV} B vectors and broadcasts {@code MR} A elements.
 * Tile shape: 12 x 2 vectors (24 accumulators of the 32 AVX-512 registers). 14 x 2, 8 x 3 and 6 x 4
 * measured the same within the noise of a shared machine on 1024^3, 2048^3 and the autoencoder
 * shapes; 12 x 2 (32 columns) wastes least at n = 784. On a 16-register AVX2 machine this tile
 * spills; it stays correct, but a 6 x 2 tile would suit it better.
 *
 * <p>Edge tiles that fill at most one vector of columns ({@code nr <= L}, e.g. the last 16 of
 * n = 784) or at most 4 rows (the last 4 of m = 256) run a narrower body with 12 x 1 or 4 x 2
 * accumulators instead of computing the zero padding; the arithmetic per element is the same
 * FMA chain, so the result is bitwise the same as the full tile's. Measured on the 256 x 784 tile grid
 * of one 512-deep block (1 thread, best CPU time): 112 against 107.5 GFLOP/s.
 */
final class PanamaGemmMicroKernel {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    /** Rows of the register tile. */
    static final int MR = 12;
    /** Vectors per row of the register tile. */
    static final int NV = 2;
    /** Columns of the register tile. */
    static final int NR = NV * L;
    /** Rows up to which an edge tile runs the 4-row kernel. */
    private static final int SHORT = 4;

    static void run(int kc, float[] ap, int ao, float[] bp, int bo, float alpha, float beta,
                    float[] c, int co, int ldc, int mr, int nr, float[] tile) {
        assert kc >= 0 && mr >= 1 && mr <= MR && nr >= 1 && nr <= NR;
        assert ao >= 0 && ao + kc * MR <= ap.length && bo >= 0 && bo + kc * NR <= bp.length;
        if (nr <= L) {
            runNarrow(kc, ap, ao, bp, bo, alpha, beta, c, co, ldc, mr, nr, tile);
            return;
        }
        if (mr <= SHORT) {
            runShort(kc, ap, ao, bp, bo, alpha, beta, c, co, ldc, mr, nr, tile);
            return;
        }
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
        c0a.intoArray(tile, 0 * L);
        c0b.intoArray(tile, 1 * L);
        c1a.intoArray(tile, 2 * L);
        c1b.intoArray(tile, 3 * L);
        c2a.intoArray(tile, 4 * L);
        c2b.intoArray(tile, 5 * L);
        c3a.intoArray(tile, 6 * L);
        c3b.intoArray(tile, 7 * L);
        c4a.intoArray(tile, 8 * L);
        c4b.intoArray(tile, 9 * L);
        c5a.intoArray(tile, 10 * L);
        c5b.intoArray(tile, 11 * L);
        c6a.intoArray(tile, 12 * L);
        c6b.intoArray(tile, 13 * L);
        c7a.intoArray(tile, 14 * L);
        c7b.intoArray(tile, 15 * L);
        c8a.intoArray(tile, 16 * L);
        c8b.intoArray(tile, 17 * L);
        c9a.intoArray(tile, 18 * L);
        c9b.intoArray(tile, 19 * L);
        c10a.intoArray(tile, 20 * L);
        c10b.intoArray(tile, 21 * L);
        c11a.intoArray(tile, 22 * L);
        c11b.intoArray(tile, 23 * L);
        update(alpha, beta, c, co, ldc, mr, nr, tile);
    }

    /** The tile for {@code nr <= L}: one vector per row, 12 chains. */
    private static void runNarrow(int kc, float[] ap, int ao, float[] bp, int bo, float alpha, float beta,
            float[] c, int co, int ldc, int mr, int nr, float[] tile) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c0a = z;
        FloatVector c1a = z;
        FloatVector c2a = z;
        FloatVector c3a = z;
        FloatVector c4a = z;
        FloatVector c5a = z;
        FloatVector c6a = z;
        FloatVector c7a = z;
        FloatVector c8a = z;
        FloatVector c9a = z;
        FloatVector c10a = z;
        FloatVector c11a = z;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bo + p * NR);
            FloatVector a0 = FloatVector.broadcast(S, ap[ao + p * MR]);
            c0a = a0.fma(b0, c0a);
            FloatVector a1 = FloatVector.broadcast(S, ap[ao + p * MR + 1]);
            c1a = a1.fma(b0, c1a);
            FloatVector a2 = FloatVector.broadcast(S, ap[ao + p * MR + 2]);
            c2a = a2.fma(b0, c2a);
            FloatVector a3 = FloatVector.broadcast(S, ap[ao + p * MR + 3]);
            c3a = a3.fma(b0, c3a);
            FloatVector a4 = FloatVector.broadcast(S, ap[ao + p * MR + 4]);
            c4a = a4.fma(b0, c4a);
            FloatVector a5 = FloatVector.broadcast(S, ap[ao + p * MR + 5]);
            c5a = a5.fma(b0, c5a);
            FloatVector a6 = FloatVector.broadcast(S, ap[ao + p * MR + 6]);
            c6a = a6.fma(b0, c6a);
            FloatVector a7 = FloatVector.broadcast(S, ap[ao + p * MR + 7]);
            c7a = a7.fma(b0, c7a);
            FloatVector a8 = FloatVector.broadcast(S, ap[ao + p * MR + 8]);
            c8a = a8.fma(b0, c8a);
            FloatVector a9 = FloatVector.broadcast(S, ap[ao + p * MR + 9]);
            c9a = a9.fma(b0, c9a);
            FloatVector a10 = FloatVector.broadcast(S, ap[ao + p * MR + 10]);
            c10a = a10.fma(b0, c10a);
            FloatVector a11 = FloatVector.broadcast(S, ap[ao + p * MR + 11]);
            c11a = a11.fma(b0, c11a);
        }
        c0a.intoArray(tile, 0 * L);
        c1a.intoArray(tile, 2 * L);
        c2a.intoArray(tile, 4 * L);
        c3a.intoArray(tile, 6 * L);
        c4a.intoArray(tile, 8 * L);
        c5a.intoArray(tile, 10 * L);
        c6a.intoArray(tile, 12 * L);
        c7a.intoArray(tile, 14 * L);
        c8a.intoArray(tile, 16 * L);
        c9a.intoArray(tile, 18 * L);
        c10a.intoArray(tile, 20 * L);
        c11a.intoArray(tile, 22 * L);
        update(alpha, beta, c, co, ldc, mr, nr, tile);
    }

    /** The tile for {@code mr <= 4}: four rows, 8 chains. */
    private static void runShort(int kc, float[] ap, int ao, float[] bp, int bo, float alpha, float beta,
            float[] c, int co, int ldc, int mr, int nr, float[] tile) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c0a = z, c0b = z;
        FloatVector c1a = z, c1b = z;
        FloatVector c2a = z, c2b = z;
        FloatVector c3a = z, c3b = z;
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
        }
        c0a.intoArray(tile, 0 * L);
        c0b.intoArray(tile, 1 * L);
        c1a.intoArray(tile, 2 * L);
        c1b.intoArray(tile, 3 * L);
        c2a.intoArray(tile, 4 * L);
        c2b.intoArray(tile, 5 * L);
        c3a.intoArray(tile, 6 * L);
        c3b.intoArray(tile, 7 * L);
        update(alpha, beta, c, co, ldc, mr, nr, tile);
    }

    /** {@code C := alpha*tile + beta*C} on the {@code mr x nr} corner; C is not read when beta == 0. */
    private static void update(float alpha, float beta, float[] c, int co, int ldc, int mr, int nr, float[] tile) {
        FloatVector va = FloatVector.broadcast(S, alpha);
        FloatVector vb = FloatVector.broadcast(S, beta);
        for (int i = 0; i < mr; i++) {
            int row = co + i * ldc;
            int t = i * NR;
            int j = 0;
            if (nr == NR) {
                for (; j < NR; j += L) {
                    FloatVector v = FloatVector.fromArray(S, tile, t + j).mul(va);
                    if (beta != 0) {
                        v = FloatVector.fromArray(S, c, row + j).fma(vb, v);
                    }
                    v.intoArray(c, row + j);
                }
            }
            for (; j < nr; j++) {
                float v = alpha * tile[t + j];
                c[row + j] = beta == 0 ? v : Math.fma(beta, c[row + j], v);
            }
        }
    }

    private PanamaGemmMicroKernel() {
    }
}
