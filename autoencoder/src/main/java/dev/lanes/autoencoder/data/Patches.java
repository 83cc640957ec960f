package dev.lanes.autoencoder.data;

import java.util.SplittableRandom;

/**
 * Square patches cut from image data sets, as the rank-ordered autoencoder (Bertens 2016) trains on
 * 7 x 7 patches. Each patch is a sample of size*size features with image shape (size, size) and the
 * label of the image it came from.
 */
public final class Patches {
    /** The patch size of the rank-ordered autoencoder. */
    public static final int DEFAULT_SIZE = 7;

    private Patches() {
    }

    /**
     * Patches at uniformly random positions in uniformly random images.
     *
     * @param images a data set with an image shape; read only
     * @param size patch side, in [1, min(height, width)]
     * @param count number of patches, {@code >= 0}
     * @param seed seed of the positions; the same arguments give the same patches
     * @return {@code count} patches
     */
    public static Dataset random(Dataset images, int size, int count, long seed) {
        check(images, size, 1);
        if (count < 0 || (long) count * size * size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("patches: count=" + count + " is negative or too large for size=" + size);
        }
        if (images.n() == 0 && count > 0) {
            throw new IllegalArgumentException("patches: " + images.name() + " has no images to cut " + count + " patches from");
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int d = size * size;
        float[] out = new float[count * d];
        int[] labels = images.hasLabels() ? new int[count] : null;
        for (int p = 0; p < count; p++) {
            int img = rng.nextInt(images.n());
            int y = rng.nextInt(images.height() - size + 1);
            int x = rng.nextInt(images.width() - size + 1);
            cut(images, img, y, x, size, out, p * d);
            if (labels != null) {
                labels[p] = images.labels()[img];
            }
        }
        return new Dataset(images.name() + "/patches" + size, count, d, out, labels, size, size);
    }

    /**
     * Every patch on a grid: positions 0, stride, 2*stride, ... in both directions, for every image,
     * in order (image, row, column).
     *
     * @param images a data set with an image shape; read only
     * @param size patch side, in [1, min(height, width)]
     * @param stride step between patches, {@code >= 1}
     * @return all patches
     */
    public static Dataset grid(Dataset images, int size, int stride) {
        check(images, size, stride);
        int py = (images.height() - size) / stride + 1;
        int px = (images.width() - size) / stride + 1;
        int d = size * size;
        long count = (long) images.n() * py * px;
        if (count * d > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("patches: " + count + " patches of " + size + "x" + size
                    + " exceed the largest array; use a larger stride or random()");
        }
        float[] out = new float[(int) count * d];
        int[] labels = images.hasLabels() ? new int[(int) count] : null;
        int p = 0;
        for (int img = 0; img < images.n(); img++) {
            for (int y = 0; y < py; y++) {
                for (int x = 0; x < px; x++) {
                    cut(images, img, y * stride, x * stride, size, out, p * d);
                    if (labels != null) {
                        labels[p] = images.labels()[img];
                    }
                    p++;
                }
            }
        }
        return new Dataset(images.name() + "/patches" + size, (int) count, d, out, labels, size, size);
    }

    private static void cut(Dataset images, int img, int y, int x, int size, float[] out, int off) {
        int w = images.width();
        int base = img * images.d();
        for (int r = 0; r < size; r++) {
            System.arraycopy(images.features(), base + (y + r) * w + x, out, off + r * size, size);
        }
    }

    private static void check(Dataset images, int size, int stride) {
        if (!images.isImages()) {
            throw new IllegalArgumentException("patches: " + images.name() + " has no image shape");
        }
        if (size < 1 || size > Math.min(images.height(), images.width())) {
            throw new IllegalArgumentException("patches: size=" + size + " not in [1, " + Math.min(images.height(),
                    images.width()) + "] for " + images.height() + "x" + images.width() + " images");
        }
        if (stride < 1) {
            throw new IllegalArgumentException("patches: stride=" + stride + " < 1");
        }
    }
}
