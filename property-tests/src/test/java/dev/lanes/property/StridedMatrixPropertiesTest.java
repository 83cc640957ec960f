package dev.lanes.property;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The harness in the shape the kernel properties will take, on a plain strided matrix-vector product
 * written here: laws over generated {@link MatrixCase}s with offsets, leading dimensions and SIMD tails.
 */
class StridedMatrixPropertiesTest {

    /** {@code y = A x}, A read at {@code a.data()[offset + r*ld + c]}, summed in float like a kernel would. */
    static float[] gemv(MatrixCase a, float[] x) {
        float[] y = new float[a.rows()];
        for (int r = 0; r < a.rows(); r++) {
            float s = 0f;
            for (int c = 0; c < a.cols(); c++) {
                s += a.data()[a.offset() + r * a.ld() + c] * x[c];
            }
            y[r] = s;
        }
        return y;
    }

    /** A matrix and two vectors of matching length. */
    static final Gen<Pair<MatrixCase, Pair<float[], float[]>>> CASES = Gens.matrices(40, 40).flatMap(a ->
            Gen.pairs(Gen.constant(a), Gen.pairs(Gens.floatArrays(a.cols(), Gens.floats(-1f, 1f)),
                    Gens.floatArrays(a.cols(), Gens.floats(-1f, 1f)))));

    @Test
    void gemvIsLinearInX() {
        Property.named("gemv-linearity").forAll(CASES, p -> {
            MatrixCase a = p.first();
            float[] x1 = p.second().first();
            float[] x2 = p.second().second();
            float[] sum = new float[x1.length];
            for (int i = 0; i < sum.length; i++) {
                sum[i] = x1[i] + x2[i];
            }
            float[] y = gemv(a, sum);
            float[] y1 = gemv(a, x1);
            float[] y2 = gemv(a, x2);
            for (int r = 0; r < y.length; r++) {
                float ref = y1[r] + y2[r];
                // k = cols terms of size <= 2 (|A| <= 1, |x1 + x2| <= 2): a float sum errs by at most
                // k * u * 2k (u = 2^-24); three sums (y, y1, y2) and one addition
                int k = a.cols();
                double tol = 3 * k * 0x1p-24 * 2 * k + Math.ulp(Math.abs(ref));
                assertTrue(Math.abs(y[r] - ref) <= tol, "r=" + r + " y=" + y[r] + " ref=" + ref + " tol=" + tol);
            }
        });
    }

    @Test
    void gemvNeitherReadsNorWritesThePadding() {
        Property.named("gemv-padding").forAll(CASES, p -> {
            MatrixCase a = p.first();
            float[] y = gemv(a, p.second().first());
            for (float v : y) {
                assertTrue(Float.isFinite(v), "read a NaN pad: " + a);
            }
            assertTrue(a.paddingIntact(a.data()));
            assertEquals(a.rows(), y.length);
        });
    }
}
