package dev.lanes.autoencoder.train;

/** Training produced a NaN or infinite loss or gradient; the parameters are those before that step. */
public final class DivergedException extends RuntimeException {

    private final long step;

    public DivergedException(long step, String what) {
        super("training diverged at step " + step + ": " + what);
        this.step = step;
    }

    public long step() {
        return step;
    }
}
