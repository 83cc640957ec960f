package dev.lanes.autoencoder.train;

import java.util.SplittableRandom;

/**
 * Which rows make up the mini-batch of each step: epoch {@code e = step / stepsPerEpoch} visits the rows
 * in a permutation drawn from {@code (seed, e)} alone, batch {@code step % stepsPerEpoch} takes the next
 * {@code batch} of them, and the last batch of an epoch may be partial. The batch of any step is a pure
 * function of the step, so a run resumed at step {@code s} sees exactly the batches an uninterrupted run
 * would have seen.
 */
public final class Batches {

    private final int rows;
    private final int batch;
    private final long seed;
    private final int[] order;
    private long orderEpoch = -1;

    /**
     * @param rows the number of training rows, {@code >= 1}
     * @param batch rows per step, {@code >= 1}
     * @param seed the shuffling seed
     */
    public Batches(int rows, int batch, long seed) {
        if (rows < 1 || batch < 1) {
            throw new IllegalArgumentException("Batches: rows=" + rows + " and batch=" + batch + " must be >= 1");
        }
        this.rows = rows;
        this.batch = batch;
        this.seed = seed;
        this.order = new int[rows];
    }

    /** Steps in one pass over the rows, the last one possibly partial. */
    public long stepsPerEpoch() {
        return (rows + batch - 1) / batch;
    }

    /** The epoch (from 0) that step {@code step} belongs to. */
    public long epochOf(long step) {
        return step / stepsPerEpoch();
    }

    /**
     * Copies the rows of step {@code step} from {@code data} ({@code rows x d}) into {@code buffer} (from 0).
     *
     * @return the number of rows copied
     */
    public int fill(long step, float[] data, int d, float[] buffer) {
        long epoch = epochOf(step);
        if (epoch != orderEpoch) {
            shuffle(order, new SplittableRandom(seed ^ (epoch * 0x9E3779B97F4A7C15L)));
            orderEpoch = epoch;
        }
        int pos = (int) (step % stepsPerEpoch()) * batch;
        int b = Math.min(batch, rows - pos);
        for (int r = 0; r < b; r++) {
            System.arraycopy(data, order[pos + r] * d, buffer, r * d, d);
        }
        return b;
    }

    /** Rows of step {@code step}'s batch in the epoch's order (a copy), for tests and logs. */
    int[] rowsOf(long step) {
        float[] probe = new float[rows];
        for (int i = 0; i < rows; i++) {
            probe[i] = i;
        }
        float[] got = new float[batch];
        int b = fill(step, probe, 1, got);
        int[] out = new int[b];
        for (int i = 0; i < b; i++) {
            out[i] = (int) got[i];
        }
        return out;
    }

    private static void shuffle(int[] order, SplittableRandom r) {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }
}
