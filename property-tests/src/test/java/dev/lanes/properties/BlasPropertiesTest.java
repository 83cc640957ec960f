package dev.lanes.properties;

import static dev.lanes.properties.Approx.U;

import dev.lanes.core.internal.BlasKernel;
import dev.lanes.property.Gen;
import dev.lanes.property.Gens;
import dev.lanes.property.MatrixCase;
import dev.lanes.property.Property;
import dev.lanes.property.Sized;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Properties of the BLAS-1 kernels on both implementations: the elementwise methods,
 * {@code columnSums} and the argmax methods equal the plain loops of their javadoc bit for bit
 * (documented: same IEEE operations in the same order, NaN payloads aside); the reductions
 * {@code dot}, {@code sum} and {@code sumOfSquares} stay within their documented error bound of
 * the exact sum; and identities between the methods hold.
 *
 * <p><b>Reduction bound</b> ({@code Blas} class comment): within {@code 1.01 n_eff u sum|t_i|}
 * (plus {@code n MIN_VALUE} for products that underflow) of the exact sum, {@code n_eff = n} for
 * the scalar reference and {@code ceil(n / (4 lanes)) + 5 + log2(lanes)} for SIMD. With 4 to 16
 * lanes that is at most {@code ceil(n / 16) + 9}, which is used for Panama so that the property
 * holds on any vector width. The exact sum is taken in double (products of floats are exact
 * there; the double sum's own error, {@code n 2^-53 sum|t|}, is added to the bound).
 */
class BlasPropertiesTest {

    record Named(String name, BlasKernel kernel, boolean simd) {
    }

    static BlasKernel scalar;
    static BlasKernel panama;
    static List<Named> kernels;

    @BeforeAll
    static void load() {
        scalar = Cases.scalar(BlasKernel.class);
        panama = Cases.panama(BlasKernel.class);
        kernels = List.of(new Named("scalar", scalar, false), new Named("panama", panama, true));
    }

    record Vectors(MatrixCase x, MatrixCase y, MatrixCase z, float alpha, float lo, float hi) implements Sized {
        @Override
        public int size() {
            return x.cols();
        }
    }

    /** x, y with corner values, an all-NaN output z, alpha, and clamp bounds lo <= hi (not NaN, maybe infinite). */
    static Gen<Vectors> vectors(int max, Gen<Float> elements) {
        Gen<Float> bound = Gens.floats().filter(f -> !Float.isNaN(f));
        return Gens.simdSizes(max).flatMap(n -> Gen.zip(
                Gen.zip(Cases.vector(n, elements), Cases.vector(n, elements), Cases.outputVector(n), (x, y, z) -> new MatrixCase[] {x, y, z}),
                Gens.floats(), bound, bound,
                (v, alpha, a, b) -> new Vectors(v[0], v[1], v[2], alpha, Math.min(a, b), Math.max(a, b))));
    }

    interface Binary {
        void run(BlasKernel k, int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff);
    }

    interface Op {
        float apply(float a, float b);
    }

    /**
     * axpy, scale, mul, add, sub and clamp equal their one-line loops bit for bit on both kernels,
     * out of place and in place (z = x or z = y; axpy with y = x), writing only their range.
     */
    @Test
    void elementwiseMethodsEqualTheirLoopsBitForBit() {
        Property.named("blas-elementwise").forAll(vectors(2000, Gens.floats()), v -> {
            int n = v.x.cols();
            float[] xs = v.x.data();
            float[] xBefore = xs.clone();
            float[] yBefore = v.y.data().clone();
            for (Named kn : kernels) {
                BlasKernel k = kn.kernel;
                MatrixCase y = v.y.copy();
                k.axpy(n, v.alpha, xs, v.x.offset(), y.data(), y.offset());
                MatrixCase self = v.x.copy();
                k.axpy(n, v.alpha, self.data(), self.offset(), self.data(), self.offset());
                MatrixCase scaled = v.x.copy();
                k.scale(n, v.alpha, scaled.data(), scaled.offset());
                MatrixCase clamped = v.z.copy();
                k.clamp(n, v.lo, v.hi, xs, v.x.offset(), clamped.data(), clamped.offset());
                MatrixCase clampedInPlace = v.x.copy();
                k.clamp(n, v.lo, v.hi, clampedInPlace.data(), clampedInPlace.offset(), clampedInPlace.data(), clampedInPlace.offset());
                for (MatrixCase m : new MatrixCase[] {y, self, scaled, clamped, clampedInPlace}) {
                    Approx.paddingIntact(kn.name, m);
                }
                for (int i = 0; i < n; i++) {
                    float xi = v.x.get(0, i);
                    float yi = v.y.get(0, i);
                    String at = kn.name + " i=" + i + " x=" + xi + " y=" + yi;
                    float prod = v.alpha * xi;
                    Approx.sameBits(at + " axpy alpha=" + v.alpha, yi + prod, y.get(0, i));
                    Approx.sameBits(at + " axpy in place", xi + prod, self.get(0, i));
                    Approx.sameBits(at + " scale", xi * v.alpha, scaled.get(0, i));
                    float c = Math.min(v.hi, Math.max(v.lo, xi));
                    Approx.sameBits(at + " clamp [" + v.lo + ", " + v.hi + "]", c, clamped.get(0, i));
                    Approx.sameBits(at + " clamp in place", c, clampedInPlace.get(0, i));
                }
                binary(kn, "mul", BlasKernel::mul, (a, b) -> a * b, v);
                binary(kn, "add", BlasKernel::add, (a, b) -> a + b, v);
                binary(kn, "sub", BlasKernel::sub, (a, b) -> a - b, v);
            }
            Approx.unchanged("x", xBefore, xs);
            Approx.unchanged("y", yBefore, v.y.data());
        });
    }

    static void binary(Named kn, String name, Binary f, Op op, Vectors v) {
        int n = v.x.cols();
        MatrixCase z = v.z.copy();
        f.run(kn.kernel, n, v.x.data(), v.x.offset(), v.y.data(), v.y.offset(), z.data(), z.offset());
        MatrixCase intoX = v.x.copy();
        f.run(kn.kernel, n, intoX.data(), intoX.offset(), v.y.data(), v.y.offset(), intoX.data(), intoX.offset());
        MatrixCase intoY = v.y.copy();
        f.run(kn.kernel, n, v.x.data(), v.x.offset(), intoY.data(), intoY.offset(), intoY.data(), intoY.offset());
        Approx.paddingIntact(kn.name + " " + name, z);
        for (int i = 0; i < n; i++) {
            float want = op.apply(v.x.get(0, i), v.y.get(0, i));
            String at = kn.name + " " + name + " i=" + i + " x=" + v.x.get(0, i) + " y=" + v.y.get(0, i);
            Approx.sameBits(at, want, z.get(0, i));
            Approx.sameBits(at + " (z = x)", want, intoX.get(0, i));
            Approx.sameBits(at + " (z = y)", want, intoY.get(0, i));
        }
    }

    /**
     * addRowVector, columnSums (fresh and accumulating, rows added in order) and rowArgmax equal
     * their loops bit for bit on both kernels, over strided matrices with ties, NaN, +-0 and +-Inf.
     */
    @Test
    void matrixMethodsEqualTheirLoopsBitForBit() {
        Gen<Cases.Parts> gen = Gen.zip(Gens.simdSizes(40), Gens.simdSizes(300), (r, c) -> new int[] {r, c})
                .flatMap(s -> Gen.zip(Cases.matrix(s[0], s[1], Cases.ties()), Cases.vector(s[1], Gens.floats()),
                        Cases.vector(s[1], Gens.floats()), Cases.Parts::new));
        Property.named("blas-matrix").forAll(gen, g -> {
            MatrixCase x = (MatrixCase) g.get(0);
            MatrixCase v = (MatrixCase) g.get(1);
            MatrixCase out = (MatrixCase) g.get(2);
            int rows = x.rows();
            int cols = x.cols();
            for (Named kn : kernels) {
                MatrixCase sum = x.copy();
                kn.kernel.addRowVector(rows, cols, v.data(), v.offset(), sum.data(), sum.offset(), sum.ld());
                Approx.paddingIntact(kn.name + " addRowVector", sum);
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < cols; j++) {
                        Approx.sameBits(kn.name + " addRowVector (" + r + ", " + j + ")", x.get(r, j) + v.get(0, j), sum.get(r, j));
                    }
                }
                for (boolean accumulate : new boolean[] {false, true}) {
                    MatrixCase o = out.copy();
                    kn.kernel.columnSums(rows, cols, x.data(), x.offset(), x.ld(), o.data(), o.offset(), accumulate);
                    Approx.paddingIntact(kn.name + " columnSums", o);
                    for (int j = 0; j < cols; j++) {
                        float s = accumulate ? out.get(0, j) : 0f;
                        for (int r = 0; r < rows; r++) {
                            s += x.get(r, j);
                        }
                        Approx.sameBits(kn.name + " columnSums accumulate=" + accumulate + " j=" + j, s, o.get(0, j));
                    }
                }
                if (cols >= 1) {
                    int[] idx = new int[rows + 2];
                    idx[0] = -5;
                    idx[rows + 1] = -5;
                    kn.kernel.rowArgmax(rows, cols, x.data(), x.offset(), x.ld(), idx, 1);
                    if (idx[0] != -5 || idx[rows + 1] != -5) {
                        throw new AssertionError(kn.name + " rowArgmax wrote outside its output");
                    }
                    for (int r = 0; r < rows; r++) {
                        int want = 0;
                        for (int j = 1; j < cols; j++) {
                            if (Float.compare(x.get(r, j), x.get(r, want)) > 0) {
                                want = j;
                            }
                        }
                        if (idx[1 + r] != want) {
                            throw new AssertionError(kn.name + " rowArgmax row " + r + ": " + idx[1 + r] + ", expected " + want);
                        }
                    }
                }
            }
        });
    }

    /** argmax is the first index of the largest element by Float.compare (a linear scan), both kernels. */
    @Test
    void argmaxIsTheFirstLargestByFloatCompare() {
        argmaxIsTheFirstLargestByFloatCompare(Property.named("blas-argmax"), kernels);
    }

    /** The property of {@link #argmaxIsTheFirstLargestByFloatCompare()} over the given kernels (the mutant tests pass others). */
    static void argmaxIsTheFirstLargestByFloatCompare(Property property, List<Named> kernels) {
        Gen<MatrixCase> gen = Gens.simdSizes(3000).map(n -> Math.max(1, n)).flatMap(n -> Cases.vector(n, Cases.ties()));
        property.forAll(gen, x -> {
            int want = 0;
            for (int i = 1; i < x.cols(); i++) {
                if (Float.compare(x.get(0, i), x.get(0, want)) > 0) {
                    want = i;
                }
            }
            for (Named kn : kernels) {
                int got = kn.kernel.argmax(x.cols(), x.data(), x.offset());
                if (got != want) {
                    throw new AssertionError(kn.name + " argmax n=" + x.cols() + ": " + got + " (" + x.get(0, got) + "), expected "
                            + want + " (" + x.get(0, want) + ")");
                }
            }
        });
    }

    /** Values whose sums of a few thousand products cannot overflow, with zeros, subnormals, NaN and infinities. */
    static Gen<Float> summable() {
        return Gen.oneOf(Gens.floats(-1f, 1f), Gens.floats(-1000f, 1000f), Gen.elements(0f, -0f, Float.MIN_VALUE,
                -Float.MIN_VALUE, Float.MIN_NORMAL * 0.3f, 1e-30f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY));
    }

    static double nEff(Named kn, int n) {
        return kn.simd ? Math.ceilDiv(n, 16) + 9 : n;
    }

    /** The documented bound for a reduction of n terms with sum|t| = abs, plus the double reference's own error. */
    static double bound(Named kn, int n, double abs) {
        return 1.01 * nEff(kn, n) * U * abs + n * (double) Float.MIN_VALUE + n * 0x1p-53 * abs;
    }

    /** dot, sum and sumOfSquares within the documented bound of the exact sum, both kernels. */
    @Test
    void reductionsStayWithinTheirDocumentedBound() {
        Property.named("blas-reductions").forAll(vectors(4000, summable()), v -> {
            int n = v.x.cols();
            double dot = 0;
            double dotAbs = 0;
            double sum = 0;
            double sumAbs = 0;
            double sq = 0;
            for (int i = 0; i < n; i++) {
                double x = v.x.get(0, i);
                double p = x * v.y.get(0, i);
                dot += p;
                dotAbs += Math.abs(p);
                sum += x;
                sumAbs += Math.abs(x);
                sq += x * x;
            }
            for (Named kn : kernels) {
                BlasKernel k = kn.kernel;
                Approx.within(kn.name + " dot n=" + n, dot, k.dot(n, v.x.data(), v.x.offset(), v.y.data(), v.y.offset()),
                        bound(kn, n, dotAbs));
                Approx.within(kn.name + " sum n=" + n, sum, k.sum(n, v.x.data(), v.x.offset()), bound(kn, n, sumAbs));
                Approx.within(kn.name + " sumOfSquares n=" + n, sq, k.sumOfSquares(n, v.x.data(), v.x.offset()), bound(kn, n, sq));
            }
        });
    }

    /**
     * Identities, both kernels: {@code dot(x, x) = sumOfSquares(x)} within twice the bound (each
     * is within one of the same exact sum); {@code sum(add(x, y)) = sum(x) + sum(y)} within the
     * bounds of the three sums, plus u per element for the additions and one final u.
     */
    @Test
    void reductionsAgreeWithEachOther() {
        Property.named("blas-identities").forAll(vectors(4000, summable()), v -> {
            int n = v.x.cols();
            float[] x = v.x.dense();
            float[] y = v.y.dense();
            double sq = 0;
            double absX = 0;
            double absY = 0;
            double absZ = 0;
            for (int i = 0; i < n; i++) {
                sq += (double) x[i] * x[i];
                absX += Math.abs(x[i]);
                absY += Math.abs(y[i]);
                absZ += Math.abs((double) x[i] + y[i]);
            }
            for (Named kn : kernels) {
                BlasKernel k = kn.kernel;
                Approx.within(kn.name + " dot(x, x) vs sumOfSquares(x) n=" + n, k.sumOfSquares(n, x, 0), k.dot(n, x, 0, x, 0),
                        2 * bound(kn, n, sq));
                float[] z = new float[n];
                k.add(n, x, 0, y, 0, z, 0);
                double sx = k.sum(n, x, 0);
                double sy = k.sum(n, y, 0);
                double tol = bound(kn, n, absX) + bound(kn, n, absY) + bound(kn, n, absZ) + 1.01 * U * (absZ + absX + absY);
                Approx.within(kn.name + " sum(x + y) vs sum(x) + sum(y) n=" + n, sx + sy, k.sum(n, z, 0), tol);
            }
        });
    }
}
