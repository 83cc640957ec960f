package dev.lanes.autoencoder.model;

import java.util.SplittableRandom;

/**
 * A tiny known-dictionary generator for tests: {@code features} random unit-norm directions in
 * {@code dim} dimensions; each sample fires each feature with probability {@code p} at a magnitude
 * uniform in [0.5, 1.5), and is the sum of the fired features.
 */
final class Synthetic {

    final int dim;
    final int features;
    final float[] dictionary; // (features, dim), unit rows
    final float[] data;       // (rows, dim)
    final int rows;

    Synthetic(long seed, int dim, int features, int rows, double p) {
        this.dim = dim;
        this.features = features;
        this.rows = rows;
        SplittableRandom r = new SplittableRandom(seed);
        dictionary = new float[features * dim];
        for (int f = 0; f < features; f++) {
            double norm = 0;
            for (int j = 0; j < dim; j++) {
                double g = r.nextGaussian();
                dictionary[f * dim + j] = (float) g;
                norm += g * g;
            }
            for (int j = 0; j < dim; j++) {
                dictionary[f * dim + j] /= (float) Math.sqrt(norm);
            }
        }
        data = new float[rows * dim];
        for (int i = 0; i < rows; i++) {
            for (int f = 0; f < features; f++) {
                if (r.nextDouble() < p) {
                    float c = (float) r.nextDouble(0.5, 1.5);
                    for (int j = 0; j < dim; j++) {
                        data[i * dim + j] += c * dictionary[f * dim + j];
                    }
                }
            }
        }
    }

    /** Mean over true features of the max |cos| to any decoder column ({@code decoder.weight [dim, hidden]}). */
    double mmcs(float[] w, int off, int hidden) {
        double total = 0;
        for (int f = 0; f < features; f++) {
            double best = 0;
            for (int c = 0; c < hidden; c++) {
                double dot = 0;
                double nn = 0;
                for (int j = 0; j < dim; j++) {
                    double v = w[off + j * hidden + c];
                    dot += v * dictionary[f * dim + j];
                    nn += v * v;
                }
                best = Math.max(best, Math.abs(dot) / Math.sqrt(Math.max(nn, 1e-30)));
            }
            total += best;
        }
        return total / features;
    }

    /** The data squashed into [0, 1] for cross-entropy models: 0.5 + 0.25 x, clamped. */
    float[] unitInterval() {
        float[] u = new float[data.length];
        for (int i = 0; i < u.length; i++) {
            u[i] = Math.min(1f, Math.max(0f, 0.5f + 0.25f * data[i]));
        }
        return u;
    }
}
