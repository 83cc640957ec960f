package dev.lanes.autoencoder.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress bar on stderr, redrawn at most five times a second, with loss, samples/s and ETA; it draws
 * nothing when stderr is not a terminal (the per-epoch lines on stdout are then the progress report).
 */
final class Progress {
    private static final int WIDTH = 30;
    private final boolean enabled;
    private final long total;
    private final long start = System.nanoTime();
    private final PrintStream err = System.err;
    private long lastDraw;
    private boolean drawn;

    Progress(boolean terminal, long totalSteps) {
        this.enabled = terminal;
        this.total = totalSteps;
    }

    void update(long epoch, long epochs, long step, float loss, double samplesPerSecond) {
        long now = System.nanoTime();
        if (!enabled || (now - lastDraw < 200_000_000L && step < total)) {
            return;
        }
        lastDraw = now;
        int filled = (int) (WIDTH * step / total);
        double elapsed = (now - start) / 1e9;
        double eta = elapsed / step * (total - step);
        err.printf(Locale.ROOT, "\r[%s%s] epoch %d/%d step %d/%d loss %.5g %.0f samples/s ETA %.0fs\033[K",
                "#".repeat(filled), ".".repeat(WIDTH - filled), epoch, epochs, step, total, loss, samplesPerSecond, eta);
        err.flush();
        drawn = true;
    }

    void clear() {
        if (drawn) {
            err.print("\r\033[K");
            err.flush();
            drawn = false;
        }
    }
}
