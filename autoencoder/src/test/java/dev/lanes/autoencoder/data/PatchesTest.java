package dev.lanes.autoencoder.data;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PatchesTest {
    /** Two 9x8 images whose pixel value encodes (image, row, column). */
    private static Dataset images() {
        int h = 9;
        int w = 8;
        float[] x = new float[2 * h * w];
        for (int i = 0; i < 2; i++) {
            for (int r = 0; r < h; r++) {
                for (int c = 0; c < w; c++) {
                    x[i * h * w + r * w + c] = i * 1000 + r * 10 + c;
                }
            }
        }
        return new Dataset("img", 2, h * w, x, new int[] {4, 7}, h, w);
    }

    @Test
    void gridCutsEveryPatchInOrder() {
        Dataset p = Patches.grid(images(), 7, 1);
        assertEquals(2 * 3 * 2, p.n());
        assertEquals(49, p.d());
        assertEquals(7, p.height());
        // Patch 3 of image 0: row offset 1, column offset 1.
        float[] patch = p.row(3);
        for (int r = 0; r < 7; r++) {
            for (int c = 0; c < 7; c++) {
                assertEquals((1 + r) * 10 + 1 + c, patch[r * 7 + c]);
            }
        }
        assertEquals(4, p.labels()[5]);
        assertEquals(7, p.labels()[6]);
        assertEquals(1000f, p.row(6)[0]);
        // Stride 2 on 9x8: rows 0 and 2, column 0 only.
        assertEquals(4, Patches.grid(images(), 7, 2).n());
        assertEquals("img/patches7", p.name());
    }

    @Test
    void randomPatchesAreGridPatchesAndSeeded() {
        long seed = 0xAB_CDL;
        Dataset all = Patches.grid(images(), 3, 1);
        Set<String> known = new HashSet<>();
        for (int i = 0; i < all.n(); i++) {
            known.add(Arrays.toString(all.row(i)));
        }
        Dataset r = Patches.random(images(), 3, 500, seed);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < r.n(); i++) {
            String s = Arrays.toString(r.row(i));
            assertTrue(known.contains(s), "seed=" + seed + " patch " + i + " " + s);
            seen.add(s);
            assertEquals(r.row(i)[0] >= 1000 ? 7 : 4, r.labels()[i]);
        }
        assertTrue(seen.size() > all.n() / 2, "seed=" + seed + " only " + seen.size() + " distinct patches");
        assertArrayEquals(r.features(), Patches.random(images(), 3, 500, seed).features());
    }

    @Test
    void badArguments() {
        Dataset plain = Dataset.of("plain", 1, 49, new float[49]);
        assertThrows(IllegalArgumentException.class, () -> Patches.grid(plain, 7, 1));
        assertThrows(IllegalArgumentException.class, () -> Patches.grid(images(), 9, 1));
        assertThrows(IllegalArgumentException.class, () -> Patches.grid(images(), 0, 1));
        assertThrows(IllegalArgumentException.class, () -> Patches.grid(images(), 3, 0));
        assertThrows(IllegalArgumentException.class, () -> Patches.random(images(), 3, -1, 1));
        Dataset none = new Dataset("none", 0, 4, new float[0], null, 2, 2);
        assertThrows(IllegalArgumentException.class, () -> Patches.random(none, 2, 1, 1));
        assertEquals(0, Patches.random(none, 2, 0, 1).n());
    }
}
