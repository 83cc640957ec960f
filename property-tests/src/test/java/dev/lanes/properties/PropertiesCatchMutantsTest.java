package dev.lanes.properties;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lanes.core.internal.ActivationKernel;
import dev.lanes.core.internal.BlasKernel;
import dev.lanes.core.internal.FillKernel;
import dev.lanes.core.internal.GemmKernel;
import dev.lanes.core.internal.TopKKernel;
import dev.lanes.property.Property;
import dev.lanes.property.PropertyFailure;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The kernel properties have teeth: each one, run over a kernel with a planted fault (a scalar
 * reference with one method mutated), fails. Seeds are fixed, so the outcome is deterministic; a
 * property that stops catching its mutant has lost power, not just luck.
 */
class PropertiesCatchMutantsTest {

    private static final long SEED = 0x5EEDL;

    /** Replaces one method of a kernel; the others go to {@code base}. */
    @FunctionalInterface
    interface Replacement {
        Object call(Object[] args);
    }

    @SuppressWarnings("unchecked")
    static <T> T mutant(Class<T> family, T base, String method, Replacement replacement) {
        return (T) Proxy.newProxyInstance(family.getClassLoader(), new Class<?>[] {family}, (proxy, m, args) -> {
            if (m.getName().equals(method)) {
                return replacement.call(args);
            }
            return invoke(m, base, args);
        });
    }

    static Object invoke(Method m, Object target, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** The property fails, and on an assertion (not on an exception thrown by a broken mutant). */
    static void caught(Executable run) {
        PropertyFailure f = assertThrows(PropertyFailure.class, run);
        assertInstanceOf(AssertionError.class, f.getCause(), f.getMessage());
    }

    static Property mutantRun(String name) {
        return Property.named("mutant " + name).seed(SEED).tries(200).maxShrinks(0).quiet();
    }

    @Test
    void sgemmPropertiesCatchWrongProducts() {
        GemmKernel scalar = Cases.scalar(GemmKernel.class);
        // Drops the last term of every dot product.
        GemmKernel shortSum = mutant(GemmKernel.class, scalar, "sgemm", a -> {
            int k = (int) a[4];
            scalar.sgemm((boolean) a[0], (boolean) a[1], (int) a[2], (int) a[3], Math.max(0, k - 1), (float) a[5],
                    (float[]) a[6], (int) a[7], (int) a[8], (float[]) a[9], (int) a[10], (int) a[11],
                    (float) a[12], (float[]) a[13], (int) a[14], (int) a[15]);
            return null;
        });
        // Overwrites instead of accumulating when beta == 1.
        GemmKernel noAccumulate = mutant(GemmKernel.class, scalar, "sgemm", a -> {
            scalar.sgemm((boolean) a[0], (boolean) a[1], (int) a[2], (int) a[3], (int) a[4], (float) a[5],
                    (float[]) a[6], (int) a[7], (int) a[8], (float[]) a[9], (int) a[10], (int) a[11],
                    (float) a[12] == 1f ? 0f : (float) a[12], (float[]) a[13], (int) a[14], (int) a[15]);
            return null;
        });
        // Writes a zero just past the end of every row of C.
        GemmKernel pastTheRow = mutant(GemmKernel.class, scalar, "sgemm", a -> {
            float[] c = (float[]) a[13];
            int cOff = (int) a[14];
            int ldc = (int) a[15];
            scalar.sgemm((boolean) a[0], (boolean) a[1], (int) a[2], (int) a[3], (int) a[4], (float) a[5],
                    (float[]) a[6], (int) a[7], (int) a[8], (float[]) a[9], (int) a[10], (int) a[11],
                    (float) a[12], c, cOff, ldc);
            for (int i = 0; i < (int) a[2]; i++) {
                int past = cOff + i * ldc + (int) a[3];
                if (past < c.length) {
                    c[past] = 0f;
                }
            }
            return null;
        });
        for (GemmKernel m : List.of(shortSum, noAccumulate, pastTheRow)) {
            caught(() -> GemmPropertiesTest.matchesTheDoublePrecisionReference(
                    mutantRun("sgemm-vs-double"), List.of(new GemmPropertiesTest.Named("mutant", m))));
        }
        caught(() -> GemmPropertiesTest.betaAddsItsMultipleOfC(
                mutantRun("sgemm-beta-linear"), List.of(new GemmPropertiesTest.Named("mutant", noAccumulate))));
    }

    @Test
    void topKPropertyCatchesNaNRankedLowest() {
        TopKKernel scalar = Cases.scalar(TopKKernel.class);
        TopKKernel nanLowest = mutant(TopKKernel.class, scalar, "select", a -> {
            float[] x = ((float[]) a[0]).clone();
            for (int i = 0; i < x.length; i++) {
                if (Float.isNaN(x[i])) {
                    x[i] = Float.NEGATIVE_INFINITY;
                }
            }
            float[] values = (float[]) a[6];
            int[] indices = (int[]) a[7];
            int xOff = (int) a[1];
            int rows = (int) a[2];
            int ldx = (int) a[4];
            int k = (int) a[5];
            int outOff = (int) a[8];
            scalar.select(x, xOff, rows, (int) a[3], ldx, k, values, indices, outOff);
            for (int r = 0; r < rows; r++) {
                for (int q = 0; q < k; q++) {
                    values[outOff + r * k + q] = ((float[]) a[0])[xOff + r * ldx + indices[outOff + r * k + q]];
                }
            }
            return null;
        });
        caught(() -> TopKPropertiesTest.selectEqualsTheSortedAnswer(
                mutantRun("topk-select-vs-sort"), List.of(new TopKPropertiesTest.Named("mutant", nanLowest))));
    }

    @Test
    void argmaxPropertyCatchesTiesToTheLastIndex() {
        BlasKernel scalar = Cases.scalar(BlasKernel.class);
        BlasKernel lastTie = mutant(BlasKernel.class, scalar, "argmax", a -> {
            int n = (int) a[0];
            float[] x = (float[]) a[1];
            int off = (int) a[2];
            int best = 0;
            for (int i = 1; i < n; i++) {
                if (Float.compare(x[off + i], x[off + best]) >= 0) {
                    best = i;
                }
            }
            return best;
        });
        caught(() -> BlasPropertiesTest.argmaxIsTheFirstLargestByFloatCompare(
                mutantRun("blas-argmax"), List.of(new BlasPropertiesTest.Named("mutant", lastTie, false))));
    }

    @Test
    void splitPropertyCatchesAFillThatIgnoresIndex0() {
        FillKernel scalar = Cases.scalar(FillKernel.class);
        FillKernel fromZero = mutant(FillKernel.class, scalar, "uniform", a -> {
            scalar.uniform((long) a[0], 0L, (float) a[2], (float) a[3], (float[]) a[4], (int) a[5], (int) a[6]);
            return null;
        });
        caught(() -> FillPropertiesTest.anySplitGivesTheSameStream(
                mutantRun("fill-split"), List.of(new FillPropertiesTest.Named("mutant", fromZero))));
    }

    @Test
    void gradientPropertyCatchesWrongDerivatives() {
        ActivationKernel scalar = Cases.scalar(ActivationKernel.class);
        // The softplus derivative 1 % too large.
        ActivationKernel scaled = mutant(ActivationKernel.class, scalar, "softplusBackward", a -> {
            scalar.softplusBackward((float[]) a[0], (int) a[1], (float[]) a[2], (int) a[3], (float[]) a[4], (int) a[5], (int) a[6]);
            float[] dx = (float[]) a[4];
            for (int i = 0; i < (int) a[6]; i++) {
                dx[(int) a[5] + i] *= 1.01f;
            }
            return null;
        });
        // The ReLU mask taken from y >= 0: gradient flows where the unit is off.
        ActivationKernel leaky = mutant(ActivationKernel.class, scalar, "reluBackward", a -> {
            float[] y = (float[]) a[0];
            float[] dy = (float[]) a[2];
            float[] dx = (float[]) a[4];
            for (int i = 0; i < (int) a[6]; i++) {
                dx[(int) a[5] + i] = y[(int) a[1] + i] >= 0f ? dy[(int) a[3] + i] : 0f;
            }
            return null;
        });
        for (ActivationKernel m : List.of(scaled, leaky)) {
            caught(() -> ActivationPropertiesTest.backwardIsTheDerivativeOfForward(
                    mutantRun("activation-gradients"), List.of(new ActivationPropertiesTest.Named("mutant", m))));
        }
    }
}
