package dev.lanes.autoencoder.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lanes.autoencoder.io.AtomicFiles;
import dev.lanes.autoencoder.io.JsonLines;
import dev.lanes.autoencoder.train.TrainingRun;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code lanes train} reports while it trains: every metrics line appended to {@code metrics.jsonl},
 * a line on stdout per epoch, and the {@link Progress} on stderr.
 */
final class RunReport implements TrainingRun.Listener, Closeable {
    private final JsonLines log;
    private final Progress progress;
    private final PrintWriter stdout;
    private final long epochs;

    /**
     * @param metrics the metrics file to write
     * @param resumedFrom the metrics file of the run being resumed (may be {@code metrics}), or null for a fresh run
     * @param checkpointStep the resumed checkpoint's step: its lines up to that step are kept, later ones
     *     (written after the checkpoint by the interrupted process) dropped, since they will be written again
     * @param epochs the run's epochs, for the per-epoch lines
     */
    RunReport(Path metrics, Path resumedFrom, long checkpointStep, Progress progress, PrintWriter stdout, long epochs)
            throws IOException {
        if (resumedFrom != null && Files.isRegularFile(resumedFrom)) {
            StringBuilder kept = new StringBuilder();
            for (JsonNode line : JsonLines.read(resumedFrom)) {
                if (line.path("step").asLong(Long.MAX_VALUE) <= checkpointStep) {
                    kept.append(line).append('\n');
                }
            }
            AtomicFiles.writeString(metrics, kept.toString());
        }
        this.log = JsonLines.open(metrics, resumedFrom != null);
        this.progress = progress;
        this.stdout = stdout;
        this.epochs = epochs;
    }

    @Override
    public void stepDone(TrainingRun.StepInfo info) {
        progress.update(info);
    }

    @Override
    public void metrics(Map<String, Object> line) {
        try {
            log.append(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if ("epoch".equals(line.get("type"))) {
            progress.clear();
            stdout.println(epochLine(line));
            stdout.flush();
        }
    }

    /** Prints a line that is not part of the metrics (the bar is cleared first). */
    void say(String text) {
        progress.clear();
        stdout.println(text);
        stdout.flush();
    }

    @SuppressWarnings("unchecked")
    private String epochLine(Map<String, Object> line) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "epoch %d/%d  step %d  loss %.5g  %.0f samples/s",
                (Long) line.get("epoch"), epochs, (Long) line.get("step"), (Double) line.get("loss"),
                (Double) line.get("samples_per_s")));
        Map<String, Object> ev = (Map<String, Object>) line.get("eval");
        if (ev != null) {
            s.append(String.format(Locale.ROOT, "  on %s (%d rows): fvu %.4f  L0 %.2f  dead %d", ev.get("set"),
                    (Integer) ev.get("samples"), (Double) ev.get("fvu"), (Double) ev.get("l0"),
                    (Integer) ev.get("dead_latents")));
            if (ev.containsKey("mmcs")) {
                s.append(String.format(Locale.ROOT, "  mmcs %.3f", (Double) ev.get("mmcs")));
            }
        }
        return s.toString();
    }

    @Override
    public void close() throws IOException {
        progress.clear();
        log.close();
    }
}
