package dev.lanes.autoencoder.data;

import dev.lanes.autoencoder.io.FileFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class FashionMnistTest {

    @Test
    void loadsTheInstalledDataSet() throws IOException {
        assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_DIR), "Fashion-MNIST not installed at "
                + FashionMnist.DEFAULT_DIR + " (apt-get install dataset-fashion-mnist)");
        FashionMnist.Split s = FashionMnist.load(FashionMnist.DEFAULT_DIR);
        check(s.train(), 60_000, 6_000);
        check(s.test(), 10_000, 1_000);
    }

    private static void check(Dataset ds, int n, int perClass) {
        assertEquals(n, ds.n());
        assertEquals(784, ds.d());
        assertEquals(28, ds.height());
        assertEquals(28, ds.width());
        assertEquals(10, ds.classes());
        int[] counts = new int[10];
        for (int y : ds.labels()) {
            counts[y]++;
        }
        for (int c = 0; c < 10; c++) {
            assertEquals(perClass, counts[c], ds.name() + " class " + c);
        }
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        double sum = 0;
        for (float v : ds.features()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
        }
        assertEquals(0f, min);
        assertEquals(1f, max);
        double mean = sum / ds.features().length;
        // Fashion-MNIST's mean pixel is about 0.286 (72.94 / 255).
        assertTrue(mean > 0.27 && mean < 0.30, ds.name() + " mean pixel " + mean);
    }

    @Test
    void missingFilesAndMismatchedCounts(@TempDir Path dir) throws IOException {
        FileFormatException e = assertThrows(FileFormatException.class, () -> FashionMnist.load(dir));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz"), e.getMessage());
        assertThrows(FileFormatException.class, () -> FashionMnist.load(dir.resolve("absent")));

        for (String prefix : new String[] {"train", "t10k"}) {
            Files.write(dir.resolve(prefix + "-images-idx3-ubyte"),
                    IdxTest.idx(Idx.IMAGES_MAGIC, new int[] {2, 2, 2}, new byte[8]));
            Files.write(dir.resolve(prefix + "-labels-idx1-ubyte.gz"),
                    IdxTest.gzip(IdxTest.idx(Idx.LABELS_MAGIC, new int[] {2}, new byte[] {3, 1})));
        }
        FashionMnist.Split s = FashionMnist.load(dir);
        assertEquals(2, s.train().n());
        assertEquals(4, s.test().classes());
        assertEquals(dir.getFileName() + "/test", s.test().name());

        Files.write(dir.resolve("t10k-labels-idx1-ubyte.gz"),
                IdxTest.gzip(IdxTest.idx(Idx.LABELS_MAGIC, new int[] {3}, new byte[3])));
        e = assertThrows(FileFormatException.class, () -> FashionMnist.load(dir));
        assertTrue(e.getMessage().contains("has 3 labels, expected 2"), e.getMessage());
    }
}
