package dev.lanes.properties;

import dev.lanes.core.Lanes;
import dev.lanes.core.TopK;
import dev.lanes.core.internal.TopKKernel;
import dev.lanes.property.Gen;
import dev.lanes.property.Gens;
import dev.lanes.property.MatrixCase;
import dev.lanes.property.Property;
import dev.lanes.property.Sized;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Top-k per row equals a sort-based answer, bit for bit (documented: the order of
 * {@link Float#compare}, ties to the lower column), on both kernels and the public facade, over
 * rows full of ties, NaN, signed zeros and infinities, with offsets and leading dimensions.
 */
class TopKPropertiesTest {

    record Named(String name, TopKKernel kernel) {
    }

    static List<Named> kernels;

    @BeforeAll
    static void load() {
        kernels = List.of(new Named("scalar", Cases.scalar(TopKKernel.class)), new Named("panama", Cases.panama(TopKKernel.class)));
    }

    record Case(MatrixCase x, int k, MatrixCase y) implements Sized {
        @Override
        public int size() {
            return x.size();
        }
    }

    /** Matrices up to 40 x 300 of tie-heavy values, k in [0, cols], and a NaN-filled output layout. */
    static Gen<Case> cases() {
        return Gen.zip(Gens.simdSizes(40), Gens.simdSizes(300), (r, c) -> new int[] {r, c})
                .flatMap(s -> Gen.zip(Cases.matrix(s[0], s[1], Cases.ties()), Gens.ints(0, s[1]), Cases.output(s[0], s[1]),
                        Case::new));
    }

    /** Row r's column indices sorted best first: Float.compare descending, then index ascending. */
    static int[] ranking(MatrixCase x, int r) {
        Integer[] idx = new Integer[x.cols()];
        Arrays.setAll(idx, j -> j);
        Arrays.sort(idx, (i, j) -> {
            int c = Float.compare(x.get(r, j), x.get(r, i));
            return c != 0 ? c : Integer.compare(i, j);
        });
        return Arrays.stream(idx).mapToInt(Integer::intValue).toArray();
    }

    /** select writes exactly rows*k (value, index) pairs at its output offset: the first k of the ranking. */
    @Test
    void selectEqualsTheSortedAnswer() {
        selectEqualsTheSortedAnswer(Property.named("topk-select-vs-sort"), kernels);
    }

    /** The property of {@link #selectEqualsTheSortedAnswer()} over the given kernels (the mutant tests pass others). */
    static void selectEqualsTheSortedAnswer(Property property, List<Named> kernels) {
        property.forAll(Gen.pairs(cases(), Gens.ints(0, 17)), t -> {
            MatrixCase x = t.first().x;
            int k = t.first().k;
            int outOff = t.second();
            int rows = x.rows();
            int len = outOff + rows * k + 3;
            float[] before = x.data().clone();
            for (int impl = 0; impl <= kernels.size(); impl++) {
                String name = impl < kernels.size() ? kernels.get(impl).name : "facade (" + Lanes.implementation() + ")";
                float[] values = new float[len];
                int[] indices = new int[len];
                Arrays.fill(values, MatrixCase.PAD);
                Arrays.fill(indices, -7);
                int off = impl < kernels.size() ? outOff : 0;
                if (impl < kernels.size() && rows * k > 0) { // the facade calls the kernels only then
                    kernels.get(impl).kernel.select(x.data(), x.offset(), rows, x.cols(), x.ld(), k, values, indices, off);
                } else if (impl == kernels.size()) {
                    TopK.select(x.data(), x.offset(), rows, x.cols(), x.ld(), k, values, indices);
                }
                Approx.unchanged(name + " x", before, x.data());
                for (int r = 0; r < rows; r++) {
                    int[] want = ranking(x, r);
                    for (int q = 0; q < k; q++) {
                        int at = off + r * k + q;
                        if (indices[at] != want[q]) {
                            throw new AssertionError(name + " row " + r + " rank " + q + " (k=" + k + "): index " + indices[at]
                                    + ", expected " + want[q] + " (row " + Arrays.toString(row(x, r)) + ")");
                        }
                        Approx.sameBits(name + " row " + r + " rank " + q + " value", x.get(r, want[q]), values[at]);
                    }
                }
                for (int i = 0; i < len; i++) {
                    boolean inside = i >= off && i < off + rows * k;
                    if (!inside && (indices[i] != -7 || !Float.isNaN(values[i]))) {
                        throw new AssertionError(name + " wrote outside its output at " + i);
                    }
                }
            }
        });
    }

    static float[] row(MatrixCase x, int r) {
        float[] a = new float[x.cols()];
        for (int j = 0; j < a.length; j++) {
            a[j] = x.get(r, j);
        }
        return a;
    }

    /**
     * selectSparse keeps exactly the selected entries (their bits) and writes +0 everywhere else in
     * the window, nothing outside it; in place (y = x) gives the same, on both kernels and the facade.
     */
    @Test
    void selectSparseKeepsExactlyTheSelectedEntries() {
        Property.named("topk-sparse-vs-sort").forAll(cases(), c -> {
            MatrixCase x = c.x;
            int rows = x.rows();
            int cols = x.cols();
            for (int impl = 0; impl <= kernels.size(); impl++) {
                String name = impl < kernels.size() ? kernels.get(impl).name : "facade (" + Lanes.implementation() + ")";
                MatrixCase y = c.y.copy();
                MatrixCase inPlace = x.copy();
                if (rows == 0 || cols == 0) {
                    continue; // nothing to write; the facade does not call the kernels then
                }
                if (impl < kernels.size()) {
                    TopKKernel k = kernels.get(impl).kernel;
                    k.selectSparse(x.data(), x.offset(), rows, cols, x.ld(), c.k, y.data(), y.offset(), y.ld());
                    k.selectSparse(inPlace.data(), inPlace.offset(), rows, cols, inPlace.ld(), c.k,
                            inPlace.data(), inPlace.offset(), inPlace.ld());
                } else {
                    TopK.selectSparse(x.data(), x.offset(), rows, cols, x.ld(), c.k, y.data(), y.offset(), y.ld());
                    TopK.selectSparse(inPlace.data(), inPlace.offset(), rows, cols, inPlace.ld(), c.k,
                            inPlace.data(), inPlace.offset(), inPlace.ld());
                }
                Approx.paddingIntact(name + " y", y);
                Approx.paddingIntact(name + " in place", inPlace);
                for (int r = 0; r < rows; r++) {
                    boolean[] kept = new boolean[cols];
                    int[] want = ranking(x, r);
                    for (int q = 0; q < c.k; q++) {
                        kept[want[q]] = true;
                    }
                    for (int j = 0; j < cols; j++) {
                        float expected = kept[j] ? x.get(r, j) : 0f;
                        Approx.sameBits(name + " k=" + c.k + " (" + r + ", " + j + ")", expected, y.get(r, j));
                        Approx.sameBits(name + " in place k=" + c.k + " (" + r + ", " + j + ")", expected, inPlace.get(r, j));
                    }
                }
            }
        });
    }

    /**
     * The facade splits problems of more than 2^16 elements into row blocks run in parallel; 1 and
     * 2 threads give the same bits. 50 tries: each ranks up to 120,000 elements four times.
     */
    @Test
    void oneAndTwoThreadsGiveTheSameBits() {
        Gen<Case> big = Gen.zip(Gens.ints(100, 400), Gens.ints(200, 300), (r, c) -> new int[] {r, c})
                .flatMap(s -> Gen.zip(Cases.matrix(s[0], s[1], Cases.ties()), Gens.ints(0, s[1]), Cases.output(s[0], s[1]),
                        Case::new));
        int before = Lanes.threads();
        try {
            Property.named("topk-threads").tries(Cases.tries(50)).forAll(big, c -> {
                MatrixCase x = c.x;
                int rows = x.rows();
                int cols = x.cols();
                float[][] values = new float[2][rows * c.k];
                int[][] indices = new int[2][rows * c.k];
                MatrixCase[] sparse = {c.y.copy(), c.y.copy()};
                for (int t = 0; t < 2; t++) {
                    Lanes.setThreads(t + 1);
                    TopK.select(x.data(), x.offset(), rows, cols, x.ld(), c.k, values[t], indices[t]);
                    TopK.selectSparse(x.data(), x.offset(), rows, cols, x.ld(), c.k, sparse[t].data(), sparse[t].offset(),
                            sparse[t].ld());
                }
                if (!Arrays.equals(indices[0], indices[1])) {
                    throw new AssertionError("indices differ between 1 and 2 threads");
                }
                Approx.sameBits("values 1 vs 2 threads", values[0], 0, values[1], 0, values[0].length);
                Approx.sameBits("selectSparse 1 vs 2 threads", sparse[0], sparse[1]);
            });
        } finally {
            Lanes.setThreads(before);
        }
    }
}
