package dev.lanes.core.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Packing of sgemm operands into the layouts {@link PanamaGemmMicroKernel} reads; the four transpose
 * cases of sgemm differ only here. Used by {@link PanamaGemm} only.
 *
 * <p>A block ({@code mc x kc} of {@code op(A)}): slivers of {@code MR} rows, sliver {@code s} at
 * {@code s*MR*kc}, element {@code (i, p)} of a sliver at {@code p*MR + i}. B panel ({@code kc x nc} of
 * {@code op(B)}): slivers of {@code NR} columns, sliver {@code s} at {@code s*NR*kc}, element
 * {@code (p, j)} at {@code p*NR + j}. Rows or columns past the edge of the matrix are zero.
 *
 * <p>Where the source runs along the sliver (A transposed, B not) each step is a vector copy.
 * Where it runs across it (A not transposed, B transposed) the source is read as {@code L x L}
 * tiles of {@code L} row vectors and transposed in registers by {@code log2(L)} butterfly stages of
 * two-vector permutes ({@code selectFrom}, one {@code vpermi2ps} each on AVX-512), in registers
 * for L = 16 and through an L1 scratch tile otherwise: on a 784 x 512 block of a transposed B
 * with ldb = 4096 it packs 3.0 elements/ns against 1.05 for the per-column gathers it replaced
 * (2.9 against 0.8 for A; a plain copy runs at 6). The last {@code kc mod L} columns of such a block are copied one by one.
 */
final class PanamaGemmPacking {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int MR = PanamaGemmMicroKernel.MR;
    private static final int NR = PanamaGemmMicroKernel.NR;

    /** Lanes of each L-wide chunk of an A (B) sliver row that lie inside MR (NR); built once, no allocation per call. */
    private static final VectorMask<Float>[] A_CHUNKS = chunks(MR);
    private static final VectorMask<Float>[] B_CHUNKS = chunks(NR);

    @SuppressWarnings("unchecked")
    private static VectorMask<Float>[] chunks(int width) {
        VectorMask<Float>[] m = new VectorMask[(width + L - 1) / L];
        for (int i = 0; i < m.length; i++) {
            m[i] = S.indexInRange(i * L, width);
        }
        return m;
    }

    /**
     * Stage {@code t} of the transpose pairs rows {@code i} and {@code i + h}, {@code h = L >> (t+1)},
     * and swaps the off-diagonal {@code h x h} blocks of each {@code 2h x 2h} diagonal block:
     * {@code LOW[t*L ..]} selects the new row {@code i}, {@code HIGH[t*L ..]} the new row {@code i + h},
     * lanes {@code >= L} of an index meaning the second operand. Plain int tables, loaded with
     * {@code IntVector.fromArray}: an {@code IntVector} read from an object array has no exact class
     * for C2, and every use then carried a type guard whose deoptimisation state held all 16 live
     * vectors (see {@link #transpose16}).
     */
    private static final int STAGES = Integer.numberOfTrailingZeros(L);
    private static final VectorSpecies<Integer> IS = S.vectorShape().withLanes(int.class);
    private static final int[] LOW = new int[STAGES * L];
    private static final int[] HIGH = new int[STAGES * L];

    static {
        for (int t = 0; t < STAGES; t++) {
            int h = L >> (t + 1);
            for (int j = 0; j < L; j++) {
                LOW[t * L + j] = (j & h) == 0 ? j : L + j - h;
                HIGH[t * L + j] = (j & h) == 0 ? j + h : L + j;
            }
        }
    }

    /** Scratch tile of the transposes, one per packing thread. */
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[L * L]);

    private PanamaGemmPacking() {
    }

    /**
     * Transposes the {@code rows x L} block at {@code src[off + r*ld + q]} ({@code rows <= L}; missing
     * rows read as zero) into {@code dst[d + q*dstStride + r]} for {@code q < L} and {@code r < width}.
     * Bit-exact: permutes only move bits.
     */
    static void transpose(float[] src, int off, int ld, int rows, float[] dst, int d, int dstStride,
                          int width, float[] t) {
        assert rows >= 1 && rows <= L && width >= 1 && width <= L;
        if (L == 16) {
            transpose16(src, off, ld, rows, dst, d, dstStride, width);
        } else {
            transposeStaged(src, off, ld, rows, dst, d, dstStride, width, t);
        }
    }

    /** {@link #transpose} for any L, stage by stage through the scratch tile {@code t} (L*L floats). */
    static void transposeStaged(float[] src, int off, int ld, int rows, float[] dst, int d, int dstStride,
                                int width, float[] t) {
        VectorMask<Float> lanes = S.indexInRange(0, width);
        for (int st = 0; st < STAGES; st++) {
            int h = L >> (st + 1);
            IntVector lo = IntVector.fromArray(IS, LOW, st * L);
            IntVector hi = IntVector.fromArray(IS, HIGH, st * L);
            boolean last = st == STAGES - 1;
            for (int i = 0; i < L; i++) {
                if ((i & h) != 0) {
                    continue;
                }
                IntVector x = st == 0 ? row(src, off, ld, i, rows) : FloatVector.fromArray(S, t, i * L).reinterpretAsInts();
                IntVector y = st == 0 ? row(src, off, ld, i + h, rows) : FloatVector.fromArray(S, t, (i + h) * L).reinterpretAsInts();
                FloatVector u = lo.selectFrom(x, y).reinterpretAsFloats();
                FloatVector v = hi.selectFrom(x, y).reinterpretAsFloats();
                if (last) {
                    u.intoArray(dst, d + i * dstStride, lanes);
                    v.intoArray(dst, d + (i + h) * dstStride, lanes);
                } else {
                    u.intoArray(t, i * L);
                    v.intoArray(t, (i + h) * L);
                }
            }
        }
    }

    /**
     * {@link #transpose} for L = 16 with the four stages in registers (written out: vectors in an
     * array or passed to a helper would be boxed). Measured 4.5-6 elements/ns on L1-resident
     * tiles, against 1.1-1.7 for the same stages looped through the scratch tile.
     *
     * <p>Every vector here, the index vectors and the store mask included, comes from an intrinsic, so
     * C2 knows its exact class. With index vectors read from an {@code IntVector[]} and a mask passed
     * in as a {@code VectorMask}, each use needed a type guard, and each guard's deoptimisation state
     * the 16 live vectors: once other kernels had run (shared profiles inside the Vector API), C2 took
     * 10-21 s to compile this method (351 KB of code) on its only compiler thread on a 2-core machine,
     * 3-5 s since, and sgemm runs its packing interpreted, allocating, until then. (Permuting the float
     * rows directly, with float-valued indexes and no reinterpretation, compiled faster still, but C2
     * then left the permutes to the Java fallback: 11.8 MB per 512^3 sgemm.)
     */
    private static void transpose16(float[] src, int off, int ld, int rows, float[] dst, int d, int dstStride,
                                    int width) {
        VectorMask<Float> lanes = S.indexInRange(0, width);
        IntVector r0 = row(src, off, ld, 0, rows); IntVector r1 = row(src, off, ld, 1, rows); IntVector r2 = row(src, off, ld, 2, rows); IntVector r3 = row(src, off, ld, 3, rows);
        IntVector r4 = row(src, off, ld, 4, rows); IntVector r5 = row(src, off, ld, 5, rows); IntVector r6 = row(src, off, ld, 6, rows); IntVector r7 = row(src, off, ld, 7, rows);
        IntVector r8 = row(src, off, ld, 8, rows); IntVector r9 = row(src, off, ld, 9, rows); IntVector r10 = row(src, off, ld, 10, rows); IntVector r11 = row(src, off, ld, 11, rows);
        IntVector r12 = row(src, off, ld, 12, rows); IntVector r13 = row(src, off, ld, 13, rows); IntVector r14 = row(src, off, ld, 14, rows); IntVector r15 = row(src, off, ld, 15, rows);
        IntVector lo = IntVector.fromArray(IS, LOW, 0);
        IntVector hi = IntVector.fromArray(IS, HIGH, 0);
        IntVector x;
        x = lo.selectFrom(r0, r8); r8 = hi.selectFrom(r0, r8); r0 = x;
        x = lo.selectFrom(r1, r9); r9 = hi.selectFrom(r1, r9); r1 = x;
        x = lo.selectFrom(r2, r10); r10 = hi.selectFrom(r2, r10); r2 = x;
        x = lo.selectFrom(r3, r11); r11 = hi.selectFrom(r3, r11); r3 = x;
        x = lo.selectFrom(r4, r12); r12 = hi.selectFrom(r4, r12); r4 = x;
        x = lo.selectFrom(r5, r13); r13 = hi.selectFrom(r5, r13); r5 = x;
        x = lo.selectFrom(r6, r14); r14 = hi.selectFrom(r6, r14); r6 = x;
        x = lo.selectFrom(r7, r15); r15 = hi.selectFrom(r7, r15); r7 = x;
        lo = IntVector.fromArray(IS, LOW, 1 * L);
        hi = IntVector.fromArray(IS, HIGH, 1 * L);
        x = lo.selectFrom(r0, r4); r4 = hi.selectFrom(r0, r4); r0 = x;
        x = lo.selectFrom(r1, r5); r5 = hi.selectFrom(r1, r5); r1 = x;
        x = lo.selectFrom(r2, r6); r6 = hi.selectFrom(r2, r6); r2 = x;
        x = lo.selectFrom(r3, r7); r7 = hi.selectFrom(r3, r7); r3 = x;
        x = lo.selectFrom(r8, r12); r12 = hi.selectFrom(r8, r12); r8 = x;
        x = lo.selectFrom(r9, r13); r13 = hi.selectFrom(r9, r13); r9 = x;
        x = lo.selectFrom(r10, r14); r14 = hi.selectFrom(r10, r14); r10 = x;
        x = lo.selectFrom(r11, r15); r15 = hi.selectFrom(r11, r15); r11 = x;
        lo = IntVector.fromArray(IS, LOW, 2 * L);
        hi = IntVector.fromArray(IS, HIGH, 2 * L);
        x = lo.selectFrom(r0, r2); r2 = hi.selectFrom(r0, r2); r0 = x;
        x = lo.selectFrom(r1, r3); r3 = hi.selectFrom(r1, r3); r1 = x;
        x = lo.selectFrom(r4, r6); r6 = hi.selectFrom(r4, r6); r4 = x;
        x = lo.selectFrom(r5, r7); r7 = hi.selectFrom(r5, r7); r5 = x;
        x = lo.selectFrom(r8, r10); r10 = hi.selectFrom(r8, r10); r8 = x;
        x = lo.selectFrom(r9, r11); r11 = hi.selectFrom(r9, r11); r9 = x;
        x = lo.selectFrom(r12, r14); r14 = hi.selectFrom(r12, r14); r12 = x;
        x = lo.selectFrom(r13, r15); r15 = hi.selectFrom(r13, r15); r13 = x;
        lo = IntVector.fromArray(IS, LOW, 3 * L);
        hi = IntVector.fromArray(IS, HIGH, 3 * L);
        x = lo.selectFrom(r0, r1); r1 = hi.selectFrom(r0, r1); r0 = x;
        x = lo.selectFrom(r2, r3); r3 = hi.selectFrom(r2, r3); r2 = x;
        x = lo.selectFrom(r4, r5); r5 = hi.selectFrom(r4, r5); r4 = x;
        x = lo.selectFrom(r6, r7); r7 = hi.selectFrom(r6, r7); r6 = x;
        x = lo.selectFrom(r8, r9); r9 = hi.selectFrom(r8, r9); r8 = x;
        x = lo.selectFrom(r10, r11); r11 = hi.selectFrom(r10, r11); r10 = x;
        x = lo.selectFrom(r12, r13); r13 = hi.selectFrom(r12, r13); r12 = x;
        x = lo.selectFrom(r14, r15); r15 = hi.selectFrom(r14, r15); r14 = x;
        r0.reinterpretAsFloats().intoArray(dst, d + 0 * dstStride, lanes);
        r1.reinterpretAsFloats().intoArray(dst, d + 1 * dstStride, lanes);
        r2.reinterpretAsFloats().intoArray(dst, d + 2 * dstStride, lanes);
        r3.reinterpretAsFloats().intoArray(dst, d + 3 * dstStride, lanes);
        r4.reinterpretAsFloats().intoArray(dst, d + 4 * dstStride, lanes);
        r5.reinterpretAsFloats().intoArray(dst, d + 5 * dstStride, lanes);
        r6.reinterpretAsFloats().intoArray(dst, d + 6 * dstStride, lanes);
        r7.reinterpretAsFloats().intoArray(dst, d + 7 * dstStride, lanes);
        r8.reinterpretAsFloats().intoArray(dst, d + 8 * dstStride, lanes);
        r9.reinterpretAsFloats().intoArray(dst, d + 9 * dstStride, lanes);
        r10.reinterpretAsFloats().intoArray(dst, d + 10 * dstStride, lanes);
        r11.reinterpretAsFloats().intoArray(dst, d + 11 * dstStride, lanes);
        r12.reinterpretAsFloats().intoArray(dst, d + 12 * dstStride, lanes);
        r13.reinterpretAsFloats().intoArray(dst, d + 13 * dstStride, lanes);
        r14.reinterpretAsFloats().intoArray(dst, d + 14 * dstStride, lanes);
        r15.reinterpretAsFloats().intoArray(dst, d + 15 * dstStride, lanes);
    }

    private static IntVector row(float[] src, int off, int ld, int r, int rows) {
        return r < rows ? FloatVector.fromArray(S, src, off + r * ld).reinterpretAsInts() : IntVector.zero(IS);
    }

    /**
     * Packs rows {@code [i0, i0+mc)} and columns {@code [p0, p0+kc)} of {@code op(A)} into
     * {@code dst[dstOff .. dstOff + ceil(mc/MR)*MR*kc)}.
     */
    static void packA(boolean transA, float[] a, int aOff, int lda, int i0, int mc, int p0, int kc,
                      float[] dst, int dstOff) {
        for (int s = 0; s * MR < mc; s++) {
            int rows = Math.min(MR, mc - s * MR);
            int d = dstOff + s * MR * kc;
            if (transA) {
                // A is k x m: op(A)(i, p) = a[p*lda + i], MR contiguous floats per p.
                packAlong(a, aOff + p0 * lda + i0 + s * MR, lda, rows, MR, A_CHUNKS, kc, dst, d);
            } else {
                // A is m x k: op(A)(i, p) = a[i*lda + p], one element from each of MR rows per p.
                packAcross(a, aOff + (i0 + s * MR) * lda + p0, lda, rows, MR, A_CHUNKS, kc, dst, d);
            }
        }
    }

    /**
     * Packs slivers {@code [s0, s1)} of the panel with rows {@code [p0, p0+kc)} and columns
     * {@code [j0, j0+nc)} of {@code op(B)} into {@code dst}, sliver {@code s} at {@code s*NR*kc}.
     */
    static void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int nc,
                      int s0, int s1, float[] dst) {
        if (!transB) {
            packRows(b, bOff + p0 * ldb + j0, ldb, kc, nc, s0, s1, dst);
            return;
        }
        for (int s = s0; s < s1; s++) {
            int cols = Math.min(NR, nc - s * NR);
            // B is n x k: op(B)(p, j) = b[j*ldb + p], one element from each of NR rows per p.
            packAcross(b, bOff + (j0 + s * NR) * ldb + p0, ldb, cols, NR, B_CHUNKS, kc, dst, s * NR * kc);
        }
    }

    /**
     * B not transposed ({@code k x n}): slivers {@code [s0, s1)} of the block at {@code src[off]}, walked
     * row by row across the slivers, so the source is read as one forward stream (a contiguous one
     * when the block spans the rows of B) that the hardware prefetchers follow; a sliver at a time
     * reads each 64-byte line L floats at a time in {@code NR / L} strided passes, and packed a cold
     * 392 x 4096 block at ~1.4 elements/ns.
     */
    private static void packRows(float[] src, int off, int ld, int kc, int nc, int s0, int s1, float[] dst) {
        int full = Math.max(s0, Math.min(s1, nc / NR));
        for (int p = 0; p < kc; p++) {
            int row = off + p * ld;
            for (int s = s0; s < full; s++) {
                int from = row + s * NR;
                int to = s * NR * kc + p * NR;
                for (int c0 = 0; c0 < NR; c0 += L) {
                    FloatVector.fromArray(S, src, from + c0).intoArray(dst, to + c0);
                }
            }
            for (int s = full; s < s1; s++) {
                int cols = nc - s * NR;
                int from = row + s * NR;
                int to = s * NR * kc + p * NR;
                for (int c0 = 0; c0 < NR; c0 += L) {
                    FloatVector.fromArray(S, src, from + c0, S.indexInRange(c0, cols)).intoArray(dst, to + c0);
                }
            }
        }
    }

    /**
     * {@code dst[d + p*width + r] = src[off + p*ld + r]} for {@code r < count}, zero for
     * {@code count <= r < width}, {@code p < kc}: vector copies, masked at the edge.
     */
    private static void packAlong(float[] src, int off, int ld, int count, int width, VectorMask<Float>[] chunks,
                                  int kc, float[] dst, int d) {
        for (int c0 = 0; c0 < width; c0 += L) {
            VectorMask<Float> lanes = chunks[c0 / L];
            if (count >= c0 + L) {
                for (int p = 0; p < kc; p++) {
                    FloatVector.fromArray(S, src, off + p * ld + c0).intoArray(dst, d + p * width + c0, lanes);
                }
            } else {
                VectorMask<Float> in = S.indexInRange(c0, count);
                for (int p = 0; p < kc; p++) {
                    FloatVector.fromArray(S, src, off + p * ld + c0, in).intoArray(dst, d + p * width + c0, lanes);
                }
            }
        }
    }

    /**
     * {@code dst[d + p*width + r] = src[off + r*ld + p]} for {@code r < count}, zero for
     * {@code count <= r < width}, {@code p < kc}: {@code L x L} register transposes, scalar for the
     * last {@code kc mod L} columns.
     */
    private static void packAcross(float[] src, int off, int ld, int count, int width, VectorMask<Float>[] chunks,
                                   int kc, float[] dst, int d) {
        int full = kc / L * L;
        float[] t = SCRATCH.get();
        for (int c0 = 0; c0 < width; c0 += L) {
            VectorMask<Float> lanes = chunks[c0 / L];
            int rows = Math.min(L, count - c0);
            if (rows <= 0) {
                FloatVector z = FloatVector.zero(S);
                for (int p = 0; p < kc; p++) {
                    z.intoArray(dst, d + p * width + c0, lanes);
                }
                continue;
            }
            int o = off + c0 * ld;
            for (int p = 0; p < full; p += L) {
                transpose(src, o + p, ld, rows, dst, d + p * width + c0, width, Math.min(L, width - c0), t);
            }
            int lim = Math.min(L, width - c0);
            for (int p = full; p < kc; p++) {
                for (int r = 0; r < lim; r++) {
                    dst[d + p * width + c0 + r] = r < rows ? src[o + r * ld + p] : 0f;
                }
            }
        }
    }
}
