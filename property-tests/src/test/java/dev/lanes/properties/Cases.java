package dev.lanes.properties;

import dev.lanes.core.internal.Backends;
import dev.lanes.gradcheck.Differentiable;
import dev.lanes.property.Gen;
import dev.lanes.property.Gens;
import dev.lanes.property.MatrixCase;
import dev.lanes.property.Shrinkable;
import dev.lanes.property.Sized;
import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Generators and kernel handles shared by the kernel properties.
 *
 * <p>Vectors are {@link MatrixCase}s with one row, so every operand carries an offset and NaN
 * padding: a kernel that reads outside its range gets NaN (or an exception, the backing array
 * ends where the operand does) and one that writes outside it fails
 * {@link MatrixCase#paddingIntact}.
 */
final class Cases {

    /** The SIMD width the generated sizes aim their tails at (16 floats: AVX-512). */
    static final int LANES = Gens.DEFAULT_LANES;
    /**
     * Operands with more elements than this draw their values without per-element shrink trees
     * (their shape still shrinks): shrinking a 300 x 300 matrix element by element costs thousands
     * of evaluations and allocates a tree node per element on every try.
     */
    static final int SHRINK_ELEMENTS = 1024;

    private static final float[] TIES = {0f, -0f, 1f, -1f, 0.5f, Float.NaN, Float.POSITIVE_INFINITY,
        Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE};

    private Cases() {
    }

    /**
     * The tries for an expensive property: {@code -Dlanes.tries} when given (a long run asks for
     * more everywhere), else {@code fewer} instead of the harness's default.
     */
    static int tries(int fewer) {
        String s = System.getProperty("lanes.tries");
        return s == null || s.isBlank() ? fewer : Integer.parseInt(s.trim());
    }

    /** A seed for the gradient checker: not a size, so the runner's summary leaves it out. */
    record Seed(int value) {
    }

    /** Non-negative int seeds. */
    static Gen<Seed> seeds() {
        return Gens.ints(0, Integer.MAX_VALUE).map(Seed::new);
    }

    /**
     * Several generated values drawn together; its size for the runner's summary is the largest of
     * its matrices, arrays and ints (seeds and floats are not sizes).
     */
    record Parts(Object... values) implements Sized {
        Object get(int i) {
            return values[i];
        }

        @Override
        public int size() {
            int s = 0;
            for (Object v : values) {
                s = Math.max(s, switch (v) {
                    case MatrixCase m -> m.size();
                    case float[] a -> a.length;
                    case int[] a -> a.length;
                    case Integer i -> i;
                    case Parts p -> p.size();
                    default -> 0;
                });
            }
            return s;
        }

        @Override
        public String toString() {
            return Arrays.stream(values).map(v -> switch (v) {
                case float[] a -> Arrays.toString(a);
                case int[] a -> Arrays.toString(a);
                default -> String.valueOf(v);
            }).collect(java.util.stream.Collectors.joining(", ", "(", ")"));
        }
    }

    /** The scalar reference of a kernel family. */
    static <T> T scalar(Class<T> family) {
        return Backends.load(family, Backends.Kind.SCALAR);
    }

    /** The Panama kernels of a family; skips the calling test where the Vector API cannot run. */
    static <T> T panama(Class<T> family) {
        Assumptions.assumeTrue(Backends.panamaAvailable(), "Panama kernels unavailable on this JVM");
        return Backends.load(family, Backends.Kind.PANAMA);
    }

    /** Values for {@code n} elements: shrinkable element by element when small, else drawn plainly. */
    static Gen<float[]> values(int n, Gen<Float> elements) {
        if (n <= SHRINK_ELEMENTS) {
            return Gens.floatArrays(n, elements);
        }
        return (random, size) -> {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = elements.generate(random, size).value();
            }
            return Shrinkable.<float[]>of(v::clone, Stream::empty);
        };
    }

    /**
     * A {@code rows x cols} matrix with an offset in {@code [0, LANES+1]}, a leading dimension
     * {@code max(1, cols) + extra} (extra 0 in half of the draws, else up to LANES), NaN padding
     * and values from {@code elements}.
     */
    static Gen<MatrixCase> matrix(int rows, int cols, Gen<Float> elements) {
        Gen<Integer> extra = Gen.oneOf(Gen.constant(0), Gens.ints(0, LANES));
        return Gen.zip(Gens.ints(0, LANES + 1), extra, values(rows * cols, elements),
                (off, ex, v) -> place(rows, cols, off, Math.max(1, cols) + ex, v));
    }

    /** An output operand: a strided {@code rows x cols} layout whose every element, window included, is NaN. */
    static Gen<MatrixCase> output(int rows, int cols) {
        Gen<Integer> extra = Gen.oneOf(Gen.constant(0), Gens.ints(0, LANES));
        return Gen.zip(Gens.ints(0, LANES + 1), extra, (off, ex) -> {
            int ld = Math.max(1, cols) + ex;
            float[] data = new float[MatrixCase.requiredLength(rows, cols, off, ld)];
            Arrays.fill(data, MatrixCase.PAD);
            return new MatrixCase(rows, cols, off, ld, data);
        });
    }

    /** A vector of exactly {@code n} elements: a one-row matrix (offset, NaN padding before it). */
    static Gen<MatrixCase> vector(int n, Gen<Float> elements) {
        return Gens.ints(0, LANES + 1).flatMap(off -> values(n, elements).map(v -> place(1, n, off, Math.max(1, n), v)));
    }

    /** Vectors of a length from {@link Gens#simdSizes(int)}. */
    static Gen<MatrixCase> vectors(int max, Gen<Float> elements) {
        return Gens.simdSizes(max).flatMap(n -> vector(n, elements));
    }

    /** An output vector of {@code n} elements, all NaN (offset drawn). */
    static Gen<MatrixCase> outputVector(int n) {
        return Gens.ints(0, LANES + 1).map(off -> {
            float[] data = new float[off + n];
            Arrays.fill(data, MatrixCase.PAD);
            return new MatrixCase(1, n, off, Math.max(1, n), data);
        });
    }

    /** Lays the dense row-major {@code values} out at {@code off} with leading dimension {@code ld}, NaN elsewhere. */
    static MatrixCase place(int rows, int cols, int off, int ld, float[] values) {
        float[] data = new float[MatrixCase.requiredLength(rows, cols, off, ld)];
        Arrays.fill(data, MatrixCase.PAD);
        for (int r = 0; r < rows && cols > 0; r++) {
            System.arraycopy(values, r * cols, data, off + r * ld, cols);
        }
        return new MatrixCase(rows, cols, off, ld, data);
    }

    /**
     * Elements that make ties: one draw in two from a small set ({@code +-0}, {@code +-1}, 0.5, NaN,
     * {@code +-Inf}, {@code +-MIN_VALUE}), else any float (corners included).
     */
    static Gen<Float> ties() {
        return Gen.oneOf(Gen.elements(box(TIES)), Gens.floats());
    }

    /** Mostly {@code [-1, 1]} (corners in range included), one draw in {@code 1/rate} a NaN or an infinity. */
    static Gen<Float> unitWithRareNonFinite(int rate) {
        Gen<Float> nonFinite = Gen.elements(Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY);
        Gen<Float> unit = Gens.floats(-1f, 1f);
        // Not Gens.ints: its edge draws would pick the last value one time in forty.
        return (random, size) -> (random.nextInt(rate) == 0 ? nonFinite : unit).generate(random, size);
    }

    private static Float[] box(float[] a) {
        Float[] b = new Float[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = a[i];
        }
        return b;
    }


    /**
     * A scalar function of its input for the gradient checker, {@code y[0] = f(x)}: {@code gradient}
     * writes or adds dL/dx into a zeroed {@code dx}, which is then scaled by {@code dy[0]}; {@code state}
     * names the discrete choices (kinks) at {@code x}.
     */
    static Differentiable scalarFunction(String name, int n, Differentiable.Forward f,
                                         Differentiable.Backward gradient, Function<float[], long[]> state) {
        return new Differentiable() {
            @Override
            public int inputSize() {
                return n;
            }

            @Override
            public int outputSize() {
                return 1;
            }

            @Override
            public void forward(float[] x, float[] y) {
                f.forward(x, y);
            }

            @Override
            public void backward(float[] x, float[] y, float[] dy, float[] dx) {
                Arrays.fill(dx, 0f);
                gradient.backward(x, y, dy, dx);
                for (int i = 0; i < n; i++) {
                    dx[i] *= dy[0];
                }
            }

            @Override
            public long[] discreteState(float[] x, float[] y) {
                return state.apply(x);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }
}
