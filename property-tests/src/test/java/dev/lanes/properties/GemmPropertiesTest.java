package dev.lanes.properties;

import static dev.lanes.properties.Approx.U;

import dev.lanes.core.Gemm;
import dev.lanes.core.Lanes;
import dev.lanes.core.internal.GemmKernel;
import dev.lanes.property.Gen;
import dev.lanes.property.Gens;
import dev.lanes.property.MatrixCase;
import dev.lanes.property.Property;
import dev.lanes.property.Sized;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Laws of sgemm, {@code C := alpha*op(A)*op(B) + beta*C}, on both kernels, over generated shapes
 * (every dimension from {@link Gens#simdSizes} up to {@value #MAX_DIM}, so tails of the register
 * tile, 12 x 32 with 512-bit vectors, and the two depth blocks past kc = 192 both occur), offsets,
 * leading dimensions and NaN padding around every operand.
 *
 * <p><b>Tolerance.</b> A float dot product of length k, summed in any order, with or without fused
 * multiply-adds, is within {@code k u sum_p |a_ip b_pj|} of the exact one ({@code u = 2^-24}). Both
 * kernels add alpha's product, beta's product and, for each of at most two depth blocks, one more
 * rounding into C: at most {@code (k + 4) u (|alpha| sum_p |a_ip b_pj| + |beta c_ij|)} in all.
 * {@link #bound} doubles that, so the same bound also covers the difference of two computed results
 * (each within one bound of the exact value). Results in the subnormal range err by absolute
 * roundings of at most {@code Float.MIN_VALUE / 2} each, at most {@code 2(k + 4)} of them: the
 * atol {@code 2(k + 4)(1 + |alpha|) MIN_VALUE}.
 *
 * <p><b>Tries.</b> {@link #TRIES} for the properties that run the scalar kernel several times per
 * try and build the double reference (each try costs up to a few {@link #MAX_VOLUME} products,
 * tens of milliseconds on a loaded machine); the default 200 for the cheaper ones.
 */
class GemmPropertiesTest {

    static final int MAX_DIM = 300;
    /**
     * The largest m*n*k: 300 x 300 x 11, 60 x 60 x 290 or 300 x 11 x 300 still have every tile
     * edge, both depth blocks and several column slivers, at a 26th of the cost of 300^3 (the
     * scalar reference walks a transposed operand with a cache miss per product).
     */
    static final long MAX_VOLUME = 1L << 20;
    /** Tries of the expensive properties: see the class comment. */
    static final int TRIES = 100;

    static GemmKernel scalar;
    static GemmKernel panama;
    static List<Named> kernels;

    record Named(String name, GemmKernel kernel) {
    }

    @BeforeAll
    static void load() {
        scalar = Cases.scalar(GemmKernel.class);
        panama = Cases.panama(GemmKernel.class);
        kernels = List.of(new Named("scalar", scalar), new Named("panama", panama));
    }

    /** One sgemm problem: op(A) is m x k, op(B) k x n, C m x n; A and B stored as the flags say. */
    record Problem(boolean transA, boolean transB, int m, int n, int k, MatrixCase a, MatrixCase b, MatrixCase c)
            implements Sized {
        @Override
        public int size() {
            return Math.max(m, Math.max(n, k));
        }

        float[] run(GemmKernel kernel, float alpha, float beta) {
            return run(kernel, alpha, beta, c.data().clone());
        }

        float[] run(GemmKernel kernel, float alpha, float beta, float[] cData) {
            kernel.sgemm(transA, transB, m, n, k, alpha, a.data(), a.offset(), a.ld(), b.data(), b.offset(), b.ld(),
                    beta, cData, c.offset(), c.ld());
            return cData;
        }

        float a(int i, int p) {
            return transA ? a.get(p, i) : a.get(i, p);
        }

        float b(int p, int j) {
            return transB ? b.get(j, p) : b.get(p, j);
        }

        /**
         * {@code [sum_p a_ip b_pj, sum_p |a_ip b_pj|]} for every (i, j), row-major m x n each, in
         * double: each product is exact, and the double sum's own error (k 2^-53 relative) is far
         * below the float bounds it is compared with.
         */
        double[][] exact() {
            double[] opA = new double[m * k];
            double[] opB = new double[k * n];
            for (int i = 0; i < m; i++) {
                for (int p = 0; p < k; p++) {
                    opA[i * k + p] = a(i, p);
                }
            }
            for (int p = 0; p < k; p++) {
                for (int j = 0; j < n; j++) {
                    opB[p * n + j] = b(p, j);
                }
            }
            double[] s = new double[m * n];
            double[] abs = new double[m * n];
            for (int i = 0; i < m; i++) {
                for (int p = 0; p < k; p++) {
                    double aip = opA[i * k + p];
                    for (int j = 0; j < n; j++) {
                        double prod = aip * opB[p * n + j];
                        s[i * n + j] += prod;
                        abs[i * n + j] += Math.abs(prod);
                    }
                }
            }
            return new double[][] {s, abs};
        }

        MatrixCase cWith(float[] data) {
            return new MatrixCase(m, n, c.offset(), c.ld(), data);
        }
    }

    /** Problems with dimensions from the given generators and transpose flags from {@code flags} (bit 0: A, bit 1: B). */
    static Gen<Problem> problems(Gen<Integer> ms, Gen<Integer> ns, Gen<Integer> ks, Gen<Integer> flags, Gen<Float> elements) {
        return Gen.zip(ms, ns, ks, flags, (m, n, k, t) -> new int[] {m, n, k, t})
                .filter(d -> (long) d[0] * d[1] * d[2] <= MAX_VOLUME).flatMap(d -> {
            int m = d[0];
            int n = d[1];
            int k = d[2];
            boolean ta = (d[3] & 1) != 0;
            boolean tb = (d[3] & 2) != 0;
            return Gen.zip(ta ? Cases.matrix(k, m, elements) : Cases.matrix(m, k, elements),
                    tb ? Cases.matrix(n, k, elements) : Cases.matrix(k, n, elements),
                    Cases.matrix(m, n, elements),
                    (a, b, c) -> new Problem(ta, tb, m, n, k, a, b, c));
        });
    }

    static Gen<Problem> problems(Gen<Float> elements) {
        Gen<Integer> dim = Gens.simdSizes(MAX_DIM);
        return problems(dim, dim, dim, Gens.ints(0, 3), elements);
    }

    /** Twice the error bound of one computed element: see the class comment. */
    static double bound(int k, float alpha, double absProducts, double betaC) {
        return 2 * (k + 4) * U * (Math.abs(alpha) * absProducts + Math.abs(betaC))
                + 2 * (k + 4) * (1 + Math.abs(alpha)) * (double) Float.MIN_VALUE;
    }

    static final Gen<Float> ALPHAS = Gen.oneOf(Gen.elements(1f, -1f, 0.5f, 2.5f, 0f), Gens.floats(-2f, 2f));
    static final Gen<Float> BETAS = Gen.oneOf(Gen.elements(0f, 1f, -0.75f, 2f), Gens.floats(-2f, 2f));

    /**
     * Both kernels against a double-precision reference, within {@link #bound}; exactly
     * {@code beta*C} (zeros for beta = 0) when alpha = 0 or k = 0. Elements in [-1, 1] with corner
     * values and, one in 2048, a NaN or an infinity (propagated alike by both: NaN matches NaN, an
     * infinity the same infinity). A, B and the padding of C are never written.
     */
    @Test
    void matchesTheDoublePrecisionReference() {
        matchesTheDoublePrecisionReference(Property.named("sgemm-vs-double").tries(Cases.tries(TRIES)), kernels);
    }

    /** The property of {@link #matchesTheDoublePrecisionReference()} over the given kernels (the mutant tests pass others). */
    static void matchesTheDoublePrecisionReference(Property property, List<Named> kernels) {
        Gen<Float> elements = Cases.unitWithRareNonFinite(2048);
        property.forAll(Gen.zip(problems(elements), ALPHAS, BETAS, Args::new), t -> {
            Problem p = t.p;
            double[][] e = p.exact();
            for (Named kn : kernels) {
                float[] aBefore = p.a.data().clone();
                float[] bBefore = p.b.data().clone();
                MatrixCase c = p.cWith(p.run(kn.kernel, t.alpha, t.beta));
                Approx.unchanged(kn.name + " A", aBefore, p.a.data());
                Approx.unchanged(kn.name + " B", bBefore, p.b.data());
                Approx.paddingIntact(kn.name + " C", c);
                for (int i = 0; i < p.m; i++) {
                    for (int j = 0; j < p.n; j++) {
                        float c0 = p.c.get(i, j);
                        String where = kn.name + " alpha=" + t.alpha + " beta=" + t.beta + " (" + i + ", " + j + ")";
                        if (t.alpha == 0 || p.k == 0) {
                            Approx.sameBits(where + " (C := beta*C exactly)", t.beta == 0 ? 0f : t.beta * c0, c.get(i, j));
                            continue;
                        }
                        double betaC = t.beta == 0 ? 0 : (double) t.beta * c0;
                        Approx.within(where, t.alpha * e[0][i * p.n + j] + betaC, c.get(i, j),
                                bound(p.k, t.alpha, e[1][i * p.n + j], betaC));
                    }
                }
            }
        });
    }

    record Args(Problem p, float alpha, float beta) implements Sized {
        @Override
        public int size() {
            return p.size();
        }
    }

    /**
     * op(A) op(B) is the same product whichever way A and B are stored: the four transpose pairs,
     * fed explicitly transposed copies (with their own offsets and leading dimensions), agree
     * within {@link #bound}.
     */
    @Test
    void everyTransposePairComputesTheSameProduct() {
        Gen<Integer> dim = Gens.simdSizes(MAX_DIM);
        Gen<Problem> plain = problems(dim, dim, dim, Gen.constant(0), Gens.floats(-1f, 1f));
        Gen<Stored> stored = plain.flatMap(p -> Gen.zip(Gen.constant(p), Cases.output(p.k, p.m), Cases.output(p.n, p.k),
                Stored::new));
        Property.named("sgemm-transpose-pairs").tries(Cases.tries(TRIES)).forAll(stored, s -> {
            Problem p = s.p;
            MatrixCase at = transpose(p.a, s.atLayout);
            MatrixCase bt = transpose(p.b, s.btLayout);
            double[] abs = p.exact()[1];
            for (Named kn : kernels) {
                MatrixCase ref = p.cWith(p.run(kn.kernel, 1f, 0f));
                for (int flags = 1; flags < 4; flags++) {
                    boolean ta = (flags & 1) != 0;
                    boolean tb = (flags & 2) != 0;
                    Problem q = new Problem(ta, tb, p.m, p.n, p.k, ta ? at : p.a, tb ? bt : p.b, p.c);
                    MatrixCase c = q.cWith(q.run(kn.kernel, 1f, 0f));
                    Approx.paddingIntact(kn.name + " C", c);
                    for (int i = 0; i < p.m; i++) {
                        for (int j = 0; j < p.n; j++) {
                            Approx.within(kn.name + " transA=" + ta + " transB=" + tb + " (" + i + ", " + j + ")",
                                    ref.get(i, j), c.get(i, j), bound(p.k, 1f, abs[i * p.n + j], 0));
                        }
                    }
                }
            }
        });
    }

    record Stored(Problem p, MatrixCase atLayout, MatrixCase btLayout) implements Sized {
        @Override
        public int size() {
            return p.size();
        }
    }

    /** The transpose of {@code x}'s window, written into {@code layout}'s window (a copy). */
    static MatrixCase transpose(MatrixCase x, MatrixCase layout) {
        float[] d = layout.data().clone();
        for (int r = 0; r < x.rows(); r++) {
            for (int c = 0; c < x.cols(); c++) {
                d[layout.offset() + c * layout.ld() + r] = x.get(r, c);
            }
        }
        return new MatrixCase(layout.rows(), layout.cols(), layout.offset(), layout.ld(), d);
    }

    /**
     * {@code (AB)^T = B^T A^T}: with A (m x k) and B (k x n) stored plainly, sgemm(transA, transB)
     * of B and A gives the n x m transpose of AB, within {@link #bound}.
     */
    @Test
    void transposeOfAProductIsTheProductOfTransposesReversed() {
        Gen<Integer> dim = Gens.simdSizes(MAX_DIM);
        Gen<Problem> plain = problems(dim, dim, dim, Gen.constant(0), Gens.floats(-1f, 1f));
        Gen<Pair> gen = plain.flatMap(p -> Cases.output(p.n, p.m).map(ct -> new Pair(p, ct)));
        Property.named("sgemm-transpose-law").forAll(gen, g -> {
            Problem p = g.p;
            double[] abs = p.exact()[1];
            for (Named kn : kernels) {
                MatrixCase ab = p.cWith(p.run(kn.kernel, 1f, 0f));
                Problem reversed = new Problem(true, true, p.n, p.m, p.k, p.b, p.a, g.ct);
                MatrixCase bTaT = reversed.cWith(reversed.run(kn.kernel, 1f, 0f));
                Approx.paddingIntact(kn.name + " C^T", bTaT);
                for (int i = 0; i < p.m; i++) {
                    for (int j = 0; j < p.n; j++) {
                        Approx.within(kn.name + " (AB)^T(" + j + ", " + i + ")", ab.get(i, j), bTaT.get(j, i),
                                bound(p.k, 1f, abs[i * p.n + j], 0));
                    }
                }
            }
        });
    }

    record Pair(Problem p, MatrixCase ct) implements Sized {
        @Override
        public int size() {
            return p.size();
        }
    }

    /**
     * Linearity in alpha, bit for bit: sgemm with alpha = 2, -2, 4, 8 or -1 equals alpha times
     * sgemm with alpha = 1 (beta = 0). Exact because alpha multiplies a float sum that does not
     * depend on it (or scales every addend, which for a power of two commutes with rounding) and
     * |A|, |B| <= 1 with k <= 300 neither overflows nor, for |alpha| >= 1, underflows any further.
     * k = 0 is left out: there C := +0 whatever alpha's sign (see {@link #betaZeroIgnoresWhateverCHolds}).
     */
    @Test
    void alphaScalesTheResultExactlyByPowersOfTwo() {
        Gen<Float> alphas = Gen.elements(2f, -2f, 4f, 8f, -1f);
        Gen<Integer> dim = Gens.simdSizes(MAX_DIM);
        Gen<Problem> gen = problems(dim, dim, dim.map(k -> Math.max(1, k)), Gens.ints(0, 3), Gens.floats(-1f, 1f));
        Property.named("sgemm-alpha-linear").tries(Cases.tries(TRIES)).forAll(Gen.pairs(gen, alphas), t -> {
            Problem p = t.first();
            float alpha = t.second();
            for (Named kn : kernels) {
                MatrixCase one = p.cWith(p.run(kn.kernel, 1f, 0f));
                MatrixCase scaled = p.cWith(p.run(kn.kernel, alpha, 0f));
                for (int i = 0; i < p.m; i++) {
                    for (int j = 0; j < p.n; j++) {
                        Approx.sameBits(kn.name + " alpha=" + alpha + " (" + i + ", " + j + ")",
                                alpha * one.get(i, j), scaled.get(i, j));
                    }
                }
            }
        });
    }

    /**
     * beta = 0 does not read C: a C full of NaN and infinities gives the same bits as a C of
     * zeros, for any alpha (alpha = 0 included, which gives exact zeros without reading A or B).
     */
    @Test
    void betaZeroIgnoresWhateverCHolds() {
        Gen<Float> garbage = Gen.elements(Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MAX_VALUE);
        Gen<Problem> gen = problems(Gens.floats(-1f, 1f)).flatMap(p -> Cases.values(p.m * p.n, garbage)
                .map(v -> new Problem(p.transA, p.transB, p.m, p.n, p.k, p.a, p.b,
                        Cases.place(p.m, p.n, p.c.offset(), p.c.ld(), v))));
        Property.named("sgemm-beta-zero").forAll(Gen.pairs(gen, ALPHAS), t -> {
            Problem p = t.first();
            float alpha = t.second();
            float[] zeros = p.c.data().clone();
            for (int i = 0; i < p.m; i++) {
                for (int j = 0; j < p.n; j++) {
                    zeros[p.c.index(i, j)] = 0f;
                }
            }
            for (Named kn : kernels) {
                MatrixCase fromGarbage = p.cWith(p.run(kn.kernel, alpha, 0f));
                MatrixCase fromZeros = p.cWith(p.run(kn.kernel, alpha, 0f, zeros.clone()));
                Approx.paddingIntact(kn.name + " C", fromGarbage);
                Approx.sameBits(kn.name + " alpha=" + alpha, fromZeros, fromGarbage);
                for (int i = 0; i < p.m; i++) {
                    for (int j = 0; j < p.n; j++) {
                        float v = fromGarbage.get(i, j);
                        if (alpha == 0 || p.k == 0) {
                            Approx.sameBits(kn.name + " alpha=0 or k=0 gives +0 at (" + i + ", " + j + ")", 0f, v);
                        } else if (!Float.isFinite(v)) {
                            throw new AssertionError(kn.name + ": non-finite " + v + " at (" + i + ", " + j + ") from finite A, B");
                        }
                    }
                }
            }
        });
    }

    /**
     * Linearity in beta: sgemm(alpha, beta, C0) equals sgemm(alpha, 0) + beta*C0 (beta = 1
     * accumulates), within {@link #bound} with {@code |beta c0|} in it.
     */
    @Test
    void betaAddsItsMultipleOfC() {
        betaAddsItsMultipleOfC(Property.named("sgemm-beta-linear").tries(Cases.tries(TRIES)), kernels);
    }

    /** The property of {@link #betaAddsItsMultipleOfC()} over the given kernels (the mutant tests pass others). */
    static void betaAddsItsMultipleOfC(Property property, List<Named> kernels) {
        Gen<Float> betas = Gen.oneOf(Gen.elements(1f, 2f, -0.75f, 0.5f), Gens.floats(-2f, 2f));
        property.forAll(Gen.zip(problems(Gens.floats(-1f, 1f)), ALPHAS, betas, Args::new), t -> {
            Problem p = t.p;
            double[] abs = p.exact()[1];
            for (Named kn : kernels) {
                MatrixCase product = p.cWith(p.run(kn.kernel, t.alpha, 0f));
                MatrixCase accumulated = p.cWith(p.run(kn.kernel, t.alpha, t.beta));
                for (int i = 0; i < p.m; i++) {
                    for (int j = 0; j < p.n; j++) {
                        double betaC = (double) t.beta * p.c.get(i, j);
                        double expected = (double) product.get(i, j) + betaC;
                        Approx.within(kn.name + " alpha=" + t.alpha + " beta=" + t.beta + " (" + i + ", " + j + ")",
                                expected, accumulated.get(i, j), bound(p.k, t.alpha, abs[i * p.n + j], betaC));
                    }
                }
            }
        });
    }

    /**
     * The public sgemm gives the same bits on 1 and on 2 threads (as documented). Half of the
     * draws take n in [128, 300], where a band is split into two or more column parts, so the
     * split really happens; the thread count is restored afterwards.
     */
    @Test
    void oneAndTwoThreadsGiveTheSameBits() {
        Gen<Integer> dim = Gens.simdSizes(MAX_DIM);
        Gen<Integer> wide = Gen.oneOf(dim, Gens.ints(128, MAX_DIM));
        Gen<Problem> gen = problems(dim, wide, dim, Gens.ints(0, 3), Gens.floats(-1f, 1f));
        int before = Lanes.threads();
        try {
            Property.named("sgemm-threads").forAll(Gen.zip(gen, ALPHAS, BETAS, Args::new), t -> {
                Problem p = t.p;
                float[][] out = new float[2][];
                for (int threads = 1; threads <= 2; threads++) {
                    Lanes.setThreads(threads);
                    float[] c = p.c.data().clone();
                    Gemm.sgemm(p.transA, p.transB, p.m, p.n, p.k, t.alpha, p.a.data(), p.a.offset(), p.a.ld(),
                            p.b.data(), p.b.offset(), p.b.ld(), t.beta, c, p.c.offset(), p.c.ld());
                    out[threads - 1] = c;
                }
                Approx.paddingIntact("C", p.cWith(out[1]));
                Approx.sameBits(Lanes.implementation() + " 1 vs 2 threads", p.cWith(out[0]), p.cWith(out[1]));
            });
        } finally {
            Lanes.setThreads(before);
        }
    }
}
