package dev.lanes.properties;

import dev.lanes.core.internal.FillKernel;
import dev.lanes.property.Gen;
import dev.lanes.property.Gens;
import dev.lanes.property.MatrixCase;
import dev.lanes.property.Property;
import dev.lanes.property.Sized;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Properties of the counter-based fills on both implementations: element i depends only on
 * {@code (seed, index0 + i)}, so any split of a range gives the same values; uniform and bernoulli
 * are bit-identical between the kernels (documented), gaussian within one ulp plus
 * {@code 1e-8 * std} (documented: Box-Muller through different log, sqrt and cos); values lie in
 * their documented ranges; nothing outside {@code [off, off + n)} is written.
 */
class FillPropertiesTest {

    record Named(String name, FillKernel kernel) {
    }

    static FillKernel scalar;
    static FillKernel panama;
    static List<Named> kernels;

    @BeforeAll
    static void load() {
        scalar = Cases.scalar(FillKernel.class);
        panama = Cases.panama(FillKernel.class);
        kernels = List.of(new Named("scalar", scalar), new Named("panama", panama));
    }

    /** Any long: uniform bits half the time, else a corner (0, -1, near the ends, so index0 + i wraps). */
    static Gen<Long> longs() {
        Gen<Long> bits = Gen.zip(Gens.ints(Integer.MIN_VALUE, Integer.MAX_VALUE), Gens.ints(Integer.MIN_VALUE, Integer.MAX_VALUE),
                (h, l) -> ((long) h << 32) ^ (l & 0xFFFFFFFFL));
        return Gen.oneOf(bits, Gen.elements(0L, 1L, -1L, Long.MAX_VALUE - 100, Long.MIN_VALUE, -3000L));
    }

    record Case(long seed, long index0, int n, int a, int b, MatrixCase out, float lo, float hi, float p, float std)
            implements Sized {
        @Override
        public int size() {
            return n;
        }
    }

    /** A range [lo, hi) with finite width: ordinary, tiny (a few ulps) or huge. */
    static Gen<float[]> ranges() {
        Gen<float[]> ordinary = Gen.pairs(Gens.floats(-1e6f, 1e6f), Gens.floats(-1e6f, 1e6f))
                .map(t -> new float[] {Math.min(t.first(), t.second()), Math.max(t.first(), t.second())});
        Gen<float[]> tiny = Gens.floats(-10f, 10f).map(lo -> new float[] {lo, Math.nextUp(Math.nextUp(lo))});
        return Gen.oneOf(ordinary, tiny, Gen.constant(new float[] {-1e38f, 1e38f}), Gen.constant(new float[] {0f, 1f}))
                .filter(r -> r[0] < r[1]);
    }

    static Gen<Case> cases() {
        return Gens.simdSizes(3000).flatMap(n -> Gen.zip(
                Gen.zip(longs(), longs(), (s, i) -> new long[] {s, i}),
                Gen.zip(Gens.ints(0, n), Gens.ints(0, n), (x, y) -> new int[] {Math.min(x, y), Math.max(x, y)}),
                Gen.zip(Cases.outputVector(n), ranges(), (o, r) -> new Cases.Parts(o, r)),
                Gen.zip(Gen.oneOf(Gen.elements(0f, 1f, 0.5f, 0x1p-24f), Gens.floats(0f, 1f)), Gens.floats(0f, 100f),
                        (p, std) -> new float[] {p, std}),
                (sk, ab, or, ps) -> new Case(sk[0], sk[1], n, ab[0], ab[1], (MatrixCase) or.get(0), ((float[]) or.get(1))[0],
                        ((float[]) or.get(1))[1], ps[0], ps[1])));
    }

    interface Filler {
        void fill(FillKernel k, long seed, long index0, float[] x, int off, int n);
    }

    static List<Filler> fillers(Case c) {
        return List.of((k, s, i0, x, off, n) -> k.uniform(s, i0, c.lo, c.hi, x, off, n),
                (k, s, i0, x, off, n) -> k.bernoulli(s, i0, c.p, x, off, n),
                (k, s, i0, x, off, n) -> k.gaussian(s, i0, 0.25f, c.std, x, off, n));
    }

    static final String[] NAMES = {"uniform", "bernoulli", "gaussian"};

    /**
     * Filling [0, n) at once equals filling [0, a), [a, b) and [b, n) with index0 advanced by a and
     * b, bit for bit, for every fill and both kernels; only [off, off + n) is written.
     */
    @Test
    void anySplitGivesTheSameStream() {
        anySplitGivesTheSameStream(Property.named("fill-split"), kernels);
    }

    /** The property of {@link #anySplitGivesTheSameStream()} over the given kernels (the mutant tests pass others). */
    static void anySplitGivesTheSameStream(Property property, List<Named> kernels) {
        property.forAll(cases(), c -> {
            List<Filler> fs = fillers(c);
            for (Named kn : kernels) {
                for (int f = 0; f < fs.size(); f++) {
                    String what = kn.name + " " + NAMES[f] + " seed=" + c.seed + " index0=" + c.index0 + " split at " + c.a + ", " + c.b;
                    MatrixCase whole = c.out.copy();
                    fs.get(f).fill(kn.kernel, c.seed, c.index0, whole.data(), whole.offset(), c.n);
                    MatrixCase parts = c.out.copy();
                    int off = parts.offset();
                    fs.get(f).fill(kn.kernel, c.seed, c.index0, parts.data(), off, c.a);
                    fs.get(f).fill(kn.kernel, c.seed, c.index0 + c.a, parts.data(), off + c.a, c.b - c.a);
                    fs.get(f).fill(kn.kernel, c.seed, c.index0 + c.b, parts.data(), off + c.b, c.n - c.b);
                    Approx.paddingIntact(what, whole);
                    Approx.sameBits(what, whole, parts);
                }
            }
        });
    }

    /**
     * Panama equals the scalar reference: bit for bit for uniform and bernoulli, within one ulp
     * plus {@code 1e-8 * std} for gaussian (both documented in {@code Fill}).
     */
    @Test
    void panamaMatchesScalar() {
        Property.named("fill-panama-vs-scalar").forAll(cases(), c -> {
            List<Filler> fs = fillers(c);
            for (int f = 0; f < fs.size(); f++) {
                MatrixCase s = c.out.copy();
                MatrixCase p = c.out.copy();
                fs.get(f).fill(scalar, c.seed, c.index0, s.data(), s.offset(), c.n);
                fs.get(f).fill(panama, c.seed, c.index0, p.data(), p.offset(), c.n);
                Approx.paddingIntact("panama " + NAMES[f], p);
                for (int i = 0; i < c.n; i++) {
                    String what = NAMES[f] + " seed=" + c.seed + " index0=" + c.index0 + " i=" + i;
                    if (f < 2) {
                        Approx.sameBits(what, s.get(0, i), p.get(0, i));
                    } else {
                        Approx.within(what + " std=" + c.std, s.get(0, i), p.get(0, i), Math.ulp(s.get(0, i)) + 1e-8 * c.std);
                    }
                }
            }
        });
    }

    /**
     * Values lie in their documented ranges, both kernels: uniform in [lo, hi) (tiny and huge
     * ranges included), bernoulli in {0, 1} with p = 0 all zeros and p = 1 all ones, gaussian
     * within {@code 0.25 +- 6.77 std} (|z| <= 6.77 by construction) plus its rounding.
     */
    @Test
    void valuesStayInTheirRanges() {
        Property.named("fill-ranges").forAll(cases(), c -> {
            float[] x = new float[c.n];
            for (Named kn : kernels) {
                kn.kernel.uniform(c.seed, c.index0, c.lo, c.hi, x, 0, c.n);
                for (int i = 0; i < c.n; i++) {
                    if (!(x[i] >= c.lo && x[i] < c.hi)) {
                        throw new AssertionError(kn.name + " uniform [" + c.lo + ", " + c.hi + ") gave " + x[i] + " at i=" + i);
                    }
                }
                for (float p : new float[] {c.p, 0f, 1f}) {
                    kn.kernel.bernoulli(c.seed, c.index0, p, x, 0, c.n);
                    for (int i = 0; i < c.n; i++) {
                        boolean ok = p == 0f ? Approx.bits(x[i]) == Approx.bits(0f)
                                : p == 1f ? x[i] == 1f : Approx.bits(x[i]) == Approx.bits(0f) || x[i] == 1f;
                        if (!ok) {
                            throw new AssertionError(kn.name + " bernoulli p=" + p + " gave " + x[i] + " at i=" + i);
                        }
                    }
                }
                kn.kernel.gaussian(c.seed, c.index0, 0.25f, c.std, x, 0, c.n);
                double reach = 6.77 * c.std * (1 + 1e-6) + Math.ulp(0.25f + 6.77f * c.std);
                for (int i = 0; i < c.n; i++) {
                    if (!(Math.abs(x[i] - 0.25) <= reach)) {
                        throw new AssertionError(kn.name + " gaussian(0.25, " + c.std + ") gave " + x[i] + " at i=" + i);
                    }
                }
            }
        });
    }
}
