package dev.lanes.autoencoder.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetTest {
    @Test
    void shapesAreChecked() {
        float[] x = {1, 2, 3, 4, 5, 6};
        Dataset ds = new Dataset("x", 3, 2, x, new int[] {0, 2, 1}, 1, 2);
        assertEquals(3, ds.classes());
        assertArrayEquals(new float[] {3, 4}, ds.row(1));
        Dataset s = ds.slice(1, 3, "tail");
        assertArrayEquals(new float[] {3, 4, 5, 6}, s.features());
        assertArrayEquals(new int[] {2, 1}, s.labels());
        assertTrue(ds.toString().contains("1x2"));
        assertThrows(IllegalArgumentException.class, () -> Dataset.of("x", 4, 2, x));
        assertThrows(IllegalArgumentException.class, () -> Dataset.of("x", 6, 0, x));
        assertThrows(IllegalArgumentException.class, () -> new Dataset("x", 3, 2, x, new int[2], 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Dataset("x", 3, 2, x, null, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> new Dataset("x", 3, 2, x, null, 2, 0));
        assertThrows(NullPointerException.class, () -> Dataset.of(null, 3, 2, x));
        assertThrows(IndexOutOfBoundsException.class, () -> ds.row(3));
        assertEquals(0, Dataset.of("x", 3, 2, x).classes());
        assertArrayEquals(new float[] {3, 4}, ds.featureMean());
        assertArrayEquals(new float[] {0, 0}, Dataset.of("e", 0, 2, new float[0]).featureMean());
    }

    @Test
    void seededSplitIsDisjointAndComplete() {
        long seed = 0x5B117L;
        int n = 50;
        float[] x = new float[n * 2];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = -i;
            y[i] = i % 3;
        }
        Dataset ds = new Dataset("s", n, 2, x, y, 1, 2);
        Dataset[] parts = ds.split(12, seed);
        assertEquals(38, parts[0].n());
        assertEquals(12, parts[1].n());
        assertEquals("s/validation", parts[1].name());
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (Dataset p : parts) {
            float last = -1;
            for (int i = 0; i < p.n(); i++) {
                int id = (int) p.features()[2 * i];
                assertEquals(-id, p.features()[2 * i + 1], "seed=" + seed);
                assertEquals(id % 3, p.labels()[i], "seed=" + seed);
                assertTrue(id > last, "seed=" + seed + ": original order kept");
                last = id;
                assertTrue(seen.add(id), "seed=" + seed + " sample " + id + " in both parts");
            }
        }
        assertEquals(n, seen.size());
        assertArrayEquals(parts[1].features(), ds.split(12, seed)[1].features(), "same seed, same split");
        assertEquals(0, ds.split(0, seed)[1].n());
        assertThrows(IllegalArgumentException.class, () -> ds.split(51, seed));
    }
}
