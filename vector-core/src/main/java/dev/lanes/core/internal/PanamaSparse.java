package dev.lanes.core.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API sparse products. {@link #productTopK} packs a block of {@link #BLOCK} latents of the weight
 * transposed into a panel ({@code n x BLOCK}), then, slice by slice of the inputs, broadcasts each input
 * value of four rows at once against its panel row; an input that is zero in all four rows costs nothing
 * (Fashion-MNIST is half zeros). Each latent's sum is the reference's chain of fused multiply-adds minus
 * exact zero terms, so the results are bit-identical for a finite weight. The block's sums get the bias
 * and are compared with the row's top-k bar; only the few that clear it go to the heap, so the dense
 * pre-activation matrix is never stored: {@code m x BLOCK} partial sums is all the state.
 */
final class PanamaSparse implements SparseKernel {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Latents per panel: four accumulators of L lanes, enough independent FMA chains to hide the latency. */
    private static final int BLOCK = 4 * L;
    /** Inputs per panel slice: DEPTH * BLOCK floats (16 KiB with 16 lanes) fit L1 next to the row data. */
    private static final int DEPTH = 4096 / BLOCK;
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** Per-thread buffers, grown on demand and reused. */
    private static final class Scratch {
        float[] panel = new float[0];
        float[] acc = new float[0];
        final float[] bias = new float[BLOCK];
        final float[] lanes = new float[L];

        void ensure(int m, int n) {
            if (panel.length < n * BLOCK) {
                panel = new float[n * BLOCK];
            }
            if (acc.length < m * BLOCK) {
                acc = new float[m * BLOCK];
            }
        }
    }

    @Override
    public void productTopK(int m, int n, int j0, int j1, float[] x, int xOff, int ldx, int[] order,
                            float[] w, int wOff, int ldw, float[] bias, int biasOff, int k,
                            float[] heapVal, int[] heapIdx, int heapOff) {
        Scratch sc = SCRATCH.get();
        sc.ensure(m, n);
        float[] panel = sc.panel;
        float[] acc = sc.acc;
        float[] b = sc.bias;
        for (int jb = j0; jb < j1; jb += BLOCK) {
            int width = Math.min(BLOCK, j1 - jb);
            pack(n, w, wOff + jb * ldw, ldw, width, panel);
            for (int jj = 0; jj < BLOCK; jj++) {
                b[jj] = jj < width ? bias[biasOff + jb + jj] : 0f;
            }
            // the panel slice of DEPTH inputs stays in L1 while every row passes over it; the partial sums
            // wait in acc between slices, so each latent's fma chain keeps the reference's order
            if (n == 0) {
                java.util.Arrays.fill(acc, 0, m * BLOCK, 0f);
            }
            for (int kb = 0; kb < n; kb += DEPTH) {
                int kEnd = Math.min(n, kb + DEPTH);
                boolean first = kb == 0;
                int i = 0;
                for (; i + 4 <= m; i += 4) {
                    quad(panel, x, xOff + order[i] * ldx, xOff + order[i + 1] * ldx, xOff + order[i + 2] * ldx,
                            xOff + order[i + 3] * ldx, kb, kEnd, acc, order[i] * BLOCK, order[i + 1] * BLOCK,
                            order[i + 2] * BLOCK, order[i + 3] * BLOCK, first);
                }
                for (; i < m; i++) {
                    single(panel, x, xOff + order[i] * ldx, kb, kEnd, acc, order[i] * BLOCK, first);
                }
            }
            for (int i = 0; i < m; i++) {
                int h = heapOff + i * k;
                for (int q = 0; q < BLOCK; q += L) {
                    FloatVector z = FloatVector.fromArray(S, acc, i * BLOCK + q).add(FloatVector.fromArray(S, b, q));
                    offer(z, jb + q, width - q, h, k, heapVal, heapIdx, sc.lanes);
                }
            }
        }
    }

    /**
     * Four rows against one panel slice: each panel row loaded is used by sixteen fmas (four rows times
     * four vectors), and an input is skipped only when it is zero in all four rows. Zero terms of the
     * other rows are still added (exactly, as the reference does).
     */
    private static void quad(float[] panel, float[] x, int x0, int x1, int x2, int x3, int k0, int k1, float[] acc,
                             int a, int b, int c, int d, boolean first) {
        FloatVector a0;
        FloatVector a1;
        FloatVector a2;
        FloatVector a3;
        FloatVector b0;
        FloatVector b1;
        FloatVector b2;
        FloatVector b3;
        FloatVector c0;
        FloatVector c1;
        FloatVector c2;
        FloatVector c3;
        FloatVector d0;
        FloatVector d1;
        FloatVector d2;
        FloatVector d3;
        if (first) {
            a0 = FloatVector.zero(S);
            a1 = a0;
            a2 = a0;
            a3 = a0;
            b0 = a0;
            b1 = a0;
            b2 = a0;
            b3 = a0;
            c0 = a0;
            c1 = a0;
            c2 = a0;
            c3 = a0;
            d0 = a0;
            d1 = a0;
            d2 = a0;
            d3 = a0;
        } else {
            a0 = FloatVector.fromArray(S, acc, a);
            a1 = FloatVector.fromArray(S, acc, a + L);
            a2 = FloatVector.fromArray(S, acc, a + 2 * L);
            a3 = FloatVector.fromArray(S, acc, a + 3 * L);
            b0 = FloatVector.fromArray(S, acc, b);
            b1 = FloatVector.fromArray(S, acc, b + L);
            b2 = FloatVector.fromArray(S, acc, b + 2 * L);
            b3 = FloatVector.fromArray(S, acc, b + 3 * L);
            c0 = FloatVector.fromArray(S, acc, c);
            c1 = FloatVector.fromArray(S, acc, c + L);
            c2 = FloatVector.fromArray(S, acc, c + 2 * L);
            c3 = FloatVector.fromArray(S, acc, c + 3 * L);
            d0 = FloatVector.fromArray(S, acc, d);
            d1 = FloatVector.fromArray(S, acc, d + L);
            d2 = FloatVector.fromArray(S, acc, d + 2 * L);
            d3 = FloatVector.fromArray(S, acc, d + 3 * L);
        }
        for (int q = k0; q < k1; q++) {
            float u0 = x[x0 + q];
            float u1 = x[x1 + q];
            float u2 = x[x2 + q];
            float u3 = x[x3 + q];
            if (u0 == 0f && u1 == 0f && u2 == 0f && u3 == 0f) {
                continue;
            }
            int p = q * BLOCK;
            FloatVector p0 = FloatVector.fromArray(S, panel, p);
            FloatVector p1 = FloatVector.fromArray(S, panel, p + L);
            FloatVector p2 = FloatVector.fromArray(S, panel, p + 2 * L);
            FloatVector p3 = FloatVector.fromArray(S, panel, p + 3 * L);
            FloatVector v = FloatVector.broadcast(S, u0);
            a0 = p0.fma(v, a0);
            a1 = p1.fma(v, a1);
            a2 = p2.fma(v, a2);
            a3 = p3.fma(v, a3);
            v = FloatVector.broadcast(S, u1);
            b0 = p0.fma(v, b0);
            b1 = p1.fma(v, b1);
            b2 = p2.fma(v, b2);
            b3 = p3.fma(v, b3);
            v = FloatVector.broadcast(S, u2);
            c0 = p0.fma(v, c0);
            c1 = p1.fma(v, c1);
            c2 = p2.fma(v, c2);
            c3 = p3.fma(v, c3);
            v = FloatVector.broadcast(S, u3);
            d0 = p0.fma(v, d0);
            d1 = p1.fma(v, d1);
            d2 = p2.fma(v, d2);
            d3 = p3.fma(v, d3);
        }
        a0.intoArray(acc, a);
        a1.intoArray(acc, a + L);
        a2.intoArray(acc, a + 2 * L);
        a3.intoArray(acc, a + 3 * L);
        b0.intoArray(acc, b);
        b1.intoArray(acc, b + L);
        b2.intoArray(acc, b + 2 * L);
        b3.intoArray(acc, b + 3 * L);
        c0.intoArray(acc, c);
        c1.intoArray(acc, c + L);
        c2.intoArray(acc, c + 2 * L);
        c3.intoArray(acc, c + 3 * L);
        d0.intoArray(acc, d);
        d1.intoArray(acc, d + L);
        d2.intoArray(acc, d + 2 * L);
        d3.intoArray(acc, d + 3 * L);
    }

    /** One row (the tail of {@link #quad}'s groups) against one panel slice, skipping its zero inputs. */
    private static void single(float[] panel, float[] x, int xr, int k0, int k1, float[] acc, int a, boolean first) {
        FloatVector a0;
        FloatVector a1;
        FloatVector a2;
        FloatVector a3;
        if (first) {
            a0 = FloatVector.zero(S);
            a1 = a0;
            a2 = a0;
            a3 = a0;
        } else {
            a0 = FloatVector.fromArray(S, acc, a);
            a1 = FloatVector.fromArray(S, acc, a + L);
            a2 = FloatVector.fromArray(S, acc, a + 2 * L);
            a3 = FloatVector.fromArray(S, acc, a + 3 * L);
        }
        for (int q = k0; q < k1; q++) {
            float u = x[xr + q];
            if (u == 0f) {
                continue;
            }
            FloatVector v = FloatVector.broadcast(S, u);
            int p = q * BLOCK;
            a0 = FloatVector.fromArray(S, panel, p).fma(v, a0);
            a1 = FloatVector.fromArray(S, panel, p + L).fma(v, a1);
            a2 = FloatVector.fromArray(S, panel, p + 2 * L).fma(v, a2);
            a3 = FloatVector.fromArray(S, panel, p + 3 * L).fma(v, a3);
        }
        a0.intoArray(acc, a);
        a1.intoArray(acc, a + L);
        a2.intoArray(acc, a + 2 * L);
        a3.intoArray(acc, a + 3 * L);
    }

    /** Offers the lanes {@code < valid} of {@code z} (latents {@code j, j+1, ...}) that are not below the bar. */
    private static void offer(FloatVector z, int j, int valid, int h, int k, float[] heapVal, int[] heapIdx,
                              float[] lanes) {
        if (valid <= 0) {
            return;
        }
        // "not below" rather than "above": equal values and NaNs go to the heap, which ranks them exactly
        VectorMask<Float> hit = z.compare(VectorOperators.LT, TopKHeap.bar(heapVal, h)).not();
        if (valid < L) {
            hit = hit.and(S.indexInRange(0, valid));
        }
        if (!hit.anyTrue()) {
            return;
        }
        z.intoArray(lanes, 0);
        long bits = hit.toLong();
        while (bits != 0) {
            int l = Long.numberOfTrailingZeros(bits);
            bits &= bits - 1;
            TopKHeap.offer(heapVal, heapIdx, h, k, lanes[l], j + l);
        }
    }

    /** panel[p*BLOCK + jj] = w[off + jj*ldw + p] for jj < width, zero for the padding latents. */
    private static void pack(int n, float[] w, int off, int ldw, int width, float[] panel) {
        for (int jj = 0; jj < width; jj++) {
            int row = off + jj * ldw;
            for (int p = 0; p < n; p++) {
                panel[p * BLOCK + jj] = w[row + p];
            }
        }
        for (int jj = width; jj < BLOCK; jj++) {
            for (int p = 0; p < n; p++) {
                panel[p * BLOCK + jj] = 0f;
            }
        }
    }

    @Override
    public void combineRows(int n, int count, float[] coef, int coefOff, int[] idx, int idxOff,
                            float[] src, int srcOff, int lds, float[] out, int outOff) {
        int bound = S.loopBound(n);
        int c = 0;
        // two vectors of out stay in registers across all count rows
        for (; c + 2 * L <= bound; c += 2 * L) {
            FloatVector o0 = FloatVector.fromArray(S, out, outOff + c);
            FloatVector o1 = FloatVector.fromArray(S, out, outOff + c + L);
            for (int t = 0; t < count; t++) {
                FloatVector a = FloatVector.broadcast(S, coef[coefOff + t]);
                int row = srcOff + idx[idxOff + t] * lds + c;
                o0 = FloatVector.fromArray(S, src, row).fma(a, o0);
                o1 = FloatVector.fromArray(S, src, row + L).fma(a, o1);
            }
            o0.intoArray(out, outOff + c);
            o1.intoArray(out, outOff + c + L);
        }
        for (; c < n; c += L) {
            VectorMask<Float> mask = S.indexInRange(c, n);
            FloatVector o = FloatVector.fromArray(S, out, outOff + c, mask);
            for (int t = 0; t < count; t++) {
                FloatVector a = FloatVector.broadcast(S, coef[coefOff + t]);
                o = FloatVector.fromArray(S, src, srcOff + idx[idxOff + t] * lds + c, mask).fma(a, o);
            }
            o.intoArray(out, outOff + c, mask);
        }
    }

    @Override
    public void dotRows(int n, int count, float[] x, int xOff, int[] idx, int idxOff,
                        float[] src, int srcOff, int lds, float[] out, int outOff) {
        int bound = S.loopBound(n);
        float[] lanes = SCRATCH.get().lanes;
        for (int t = 0; t < count; t++) {
            int row = srcOff + idx[idxOff + t] * lds;
            // two accumulators hide the FMA latency at the short rows of an autoencoder (n ~ 784)
            FloatVector s0 = FloatVector.zero(S);
            FloatVector s1 = FloatVector.zero(S);
            int c = 0;
            for (; c + 2 * L <= bound; c += 2 * L) {
                s0 = FloatVector.fromArray(S, x, xOff + c).fma(FloatVector.fromArray(S, src, row + c), s0);
                s1 = FloatVector.fromArray(S, x, xOff + c + L).fma(FloatVector.fromArray(S, src, row + c + L), s1);
            }
            for (; c < n; c += L) {
                VectorMask<Float> mask = S.indexInRange(c, n);
                s0 = FloatVector.fromArray(S, x, xOff + c, mask).fma(FloatVector.fromArray(S, src, row + c, mask), s0);
            }
            // reduceLanes(ADD) sums in a different order interpreted and JIT-compiled, so a result would
            // depend on when C2 compiled this loop: sum the lanes in a fixed order instead
            s0.add(s1).intoArray(lanes, 0);
            float sum = 0f;
            for (int l = 0; l < L; l++) {
                sum += lanes[l];
            }
            out[outOff + t] = sum;
        }
    }
}
