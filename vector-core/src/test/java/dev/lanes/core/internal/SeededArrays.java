package dev.lanes.core.internal;

import java.util.SplittableRandom;

/** Seeded input arrays shared by the tests that run every kernel on one input (allocation, reproducibility). */
final class SeededArrays {

    private SeededArrays() {
    }

    /** {@code n} draws of {@code scale} times a standard Gaussian. */
    static float[] gaussian(SplittableRandom rnd, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (scale * rnd.nextGaussian());
        }
        return a;
    }

    /** {@code n} uniform draws in [0, 1). */
    static float[] unit(SplittableRandom rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rnd.nextDouble();
        }
        return a;
    }
}
