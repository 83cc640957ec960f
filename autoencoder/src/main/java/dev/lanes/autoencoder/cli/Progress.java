package dev.lanes.autoencoder.cli;

import dev.lanes.autoencoder.train.TrainingRun;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Training progress on stderr, with loss, samples/s and ETA: on a terminal a bar redrawn in place at most
 * five times a second; otherwise (a log file, a pipe, CI) a plain line at most every {@code plainInterval}
 * nanoseconds, so logs stay readable.
 */
final class Progress {
    /** The plain-line interval of the CLI: 10 seconds. */
    static final long PLAIN_INTERVAL = 10_000_000_000L;
    private static final long BAR_INTERVAL = 200_000_000L;
    private static final int WIDTH = 30;
    private final boolean terminal;
    private final long plainInterval;
    private final PrintStream err;
    private long lastDraw = System.nanoTime();
    private boolean drawn;

    Progress(boolean terminal, long plainInterval, PrintStream err) {
        this.terminal = terminal;
        this.plainInterval = plainInterval;
        this.err = err;
    }

    void update(TrainingRun.StepInfo s) {
        long now = System.nanoTime();
        if (s.step() == s.totalSteps() || now - lastDraw < (terminal ? BAR_INTERVAL : plainInterval)) {
            return;
        }
        lastDraw = now;
        String text = String.format(Locale.ROOT, "epoch %d/%d step %d/%d loss %.5g %.0f samples/s ETA %s",
                s.epoch(), s.epochs(), s.step(), s.totalSteps(), s.loss(), s.samplesPerSecond(), eta(s.etaSeconds()));
        if (terminal) {
            int filled = (int) (WIDTH * s.step() / s.totalSteps());
            err.print("\r[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + text + "\033[K");
            drawn = true;
        } else {
            err.println(text);
        }
        err.flush();
    }

    /** Removes the bar (before other output). */
    void clear() {
        if (drawn) {
            err.print("\r\033[K");
            err.flush();
            drawn = false;
        }
    }

    static String eta(double seconds) {
        long s = Math.round(seconds);
        return s < 60 ? s + "s" : s < 3600 ? (s / 60) + "m" + String.format(Locale.ROOT, "%02ds", s % 60)
                : (s / 3600) + "h" + String.format(Locale.ROOT, "%02dm", s % 3600 / 60);
    }
}
