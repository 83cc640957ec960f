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
    }
}
