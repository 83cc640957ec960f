package dev.lanes.autoencoder.metrics;

import java.util.Objects;

/** Argument checks shared by the metrics; messages name the metric, the operand and the values. */
final class Checks {
    private Checks() {
    }

    static void matrix(String op, String name, float[] a, int rows, int cols) {
        Objects.requireNonNull(a, () -> op + ": " + name + " is null");
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException(op + ": " + name + " shape " + rows + "x" + cols + " is negative");
        }
        if ((long) rows * cols > a.length) {
            throw new IllegalArgumentException(op + ": " + name + ".length=" + a.length + " < " + rows + "*" + cols
                    + "=" + (long) rows * cols);
        }
    }

    static void labels(String op, String name, int[] y, int n, int classes) {
        Objects.requireNonNull(y, () -> op + ": " + name + " is null");
        if (y.length < n) {
            throw new IllegalArgumentException(op + ": " + name + ".length=" + y.length + " < n=" + n);
        }
        for (int i = 0; i < n; i++) {
            if (y[i] < 0 || y[i] >= classes) {
                throw new IllegalArgumentException(op + ": " + name + "[" + i + "]=" + y[i] + " not in [0, " + classes + ")");
            }
        }
    }

    static void positive(String op, String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(op + ": " + name + "=" + v + " < 1");
        }
    }
}
