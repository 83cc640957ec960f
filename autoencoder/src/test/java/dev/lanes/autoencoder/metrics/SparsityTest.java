package dev.lanes.autoencoder.metrics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SparsityTest {
    @Test
    void handComputed() {
        float[] codes = {
            0, 2, 0, 0,
            1, 0, 0, -0f,
            0, 3, 0, 0,
        };
        Sparsity.Stats s = Sparsity.of(codes, 3, 4);
        assertEquals(1.0, s.l0(), 1e-15, "three active values over three samples");
        assertEquals(9.0 / 12, s.zeroFraction(), 1e-15);
        assertEquals(2, s.dead(), "latents 2 and 3 never fire (-0 is zero)");
        assertEquals(0.5, s.deadFraction());
        assertEquals(6.0 / 12, s.meanActivation(), 1e-15);

        Sparsity.Accumulator a = new Sparsity.Accumulator(4);
        a.add(codes, 2);
        a.add(new float[] {0, 3, 0, 0}, 1);
        assertEquals(s, a.stats());
        assertArrayEquals(new long[] {1, 2, 0, 0}, a.activeCounts());
        assertArrayEquals(new double[] {1.0 / 3, 5.0 / 3, 0, 0}, a.rhoHat(), 1e-15);
    }

    @Test
    void nanIsActiveAndEmptySetIsAllDead() {
        Sparsity.Stats s = Sparsity.of(new float[] {Float.NaN, 0}, 1, 2);
        assertEquals(1, s.dead());
        assertEquals(1.0, s.l0());
        Sparsity.Stats e = Sparsity.of(new float[0], 0, 3);
        assertEquals(3, e.dead());
        assertEquals(Double.NaN, e.l0());
        assertThrows(IllegalArgumentException.class, () -> Sparsity.of(new float[5], 2, 3));
        assertThrows(IllegalArgumentException.class, () -> Sparsity.of(new float[5], 1, 0));
    }
}
