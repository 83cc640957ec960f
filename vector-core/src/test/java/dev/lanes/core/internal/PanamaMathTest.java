package dev.lanes.core.internal;

import static dev.lanes.core.internal.ActivationKernelTest.assertUlps;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The vector primitives against {@code Math} in double, over every 4099th float bit pattern of
 * their domain (zero, subnormals, normals and +Inf; NaN is checked to propagate), against bounds a
 * little above the maxima of a finer sweep (every 61st pattern): 1 - exp(-a) 0.97, log 1.88 ulps;
 * log1p(exp(-a)) carries the error of exp(-a) too.
 *
 * <p>The Vector API types live in {@link Sweeps} only, so that this class still loads (and skips)
 * in the build's run without {@code jdk.incubator.vector}.
 */
class PanamaMathTest {

    @BeforeAll
    static void needsPanama() {
        assumeTrue(Backends.panamaAvailable(), "Panama unavailable");
    }

    @Test
    void expNeg() {
        assertUlps("expNeg", Sweeps.block(Sweeps.EXP_NEG), a -> Math.exp(-a), true, 1.5);
    }

    @Test
    void oneMinusExpNeg() {
        assertUlps("oneMinusExpNeg", Sweeps.block(Sweeps.ONE_MINUS_EXP_NEG), a -> -Math.expm1(-a), true, 1.5);
    }

    @Test
    void log1pExp() {
        // The domain is v <= 0: the sweep of a >= 0 is fed as v = -a.
        assertUlps("log1pExp", Sweeps.block(Sweeps.LOG1P_OF_EXP_NEG), a -> Math.log1p(Math.exp(-a)), true, 3.0);
    }

    @Test
    void log() {
        // The domain is 0 < x < +Inf: the sweep's ends are moved inside it.
        assertUlps("log", Sweeps.block(Sweeps.LOG),
                a -> Math.log(Math.min(Math.max(a, Float.MIN_VALUE), Float.MAX_VALUE)), true, 2.5);
    }

    @Test
    void nanPropagates() {
        for (int f = 0; f < Sweeps.COUNT; f++) {
            if (f == Sweeps.LOG1P_OF_EXP_NEG) {
                continue; // log1pExp leaves NaN to its caller; the softplus corner tests check it
            }
            float[] out = new float[3];
            Sweeps.block(f).apply(new float[] {Float.NaN, Float.NaN, Float.NaN}, out, 3);
            for (float v : out) {
                assertTrue(Float.isNaN(v), "function " + f + " gave " + v + " for NaN");
            }
        }
    }

    /** Array adapters around the vector functions. */
    static final class Sweeps {
        static final int EXP_NEG = 0;
        static final int ONE_MINUS_EXP_NEG = 1;
        static final int LOG1P_OF_EXP_NEG = 2;
        static final int LOG = 3;
        static final int COUNT = 4;

        static ActivationKernelTest.Block block(int function) {
            var s = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED;
            return (in, out, n) -> {
                for (int i = 0; i < n; i += s.length()) {
                    var m = s.indexInRange(i, n);
                    var v = jdk.incubator.vector.FloatVector.fromArray(s, in, i, m);
                    var r = switch (function) {
                        case EXP_NEG -> PanamaMath.expNeg(v);
                        case ONE_MINUS_EXP_NEG -> PanamaMath.oneMinusExpNeg(v);
                        case LOG1P_OF_EXP_NEG -> PanamaMath.log1pExp(v.neg());
                        default -> PanamaMath.log(v.max(Float.MIN_VALUE).min(Float.MAX_VALUE));
                    };
                    r.intoArray(out, i, m);
                }
            };
        }
    }
}
