package dev.lanes.jmh.latency;

import dev.lanes.core.Lanes;
import dev.lanes.jmh.report.Charts;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * Calls an operation at a fixed rate and records the latency of every call with HdrHistogram.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp jmh/target/benchmarks.jar dev.lanes.jmh.latency.LatencyHarness \
 *      [--op encode|train|all] [--model PRESET] [--batch N] [--threads N] [--rate PER_SECOND] [--seconds S]
 *      [--warmup S] [--out DIR]
 * </pre>
 *
 * <p>The operations are the real ones ({@link Operations}): a preset model's single-sample
 * {@code encode} and its training step at {@code --batch} (default {@code topk}, 784-4096-784, batch
 * 256), checked against the double-precision reference before timing. {@code --threads} (default 1)
 * sets {@code Lanes.setThreads}.
 *
 * <p><b>Coordinated omission.</b> Call {@code i} is due at {@code start + i/rate}. Its latency is
 * measured from that intended time, not from when it actually began, so a stall (GC, JIT, a slow
 * call) also counts against the calls that queued behind it, as it would for a caller that sends
 * requests at that rate. The plain service time (actual start to end) is kept in a second
 * histogram, so the two can be compared: a large gap means the operation could not keep the rate.
 *
 * <p><b>Warm-up and outliers.</b> First the operation runs back to back (not paced) for
 * {@code --warmup} seconds, so that the JIT compiles it; those calls are excluded from the main
 * histogram, and this is printed, but their service times go to their own {@code -warmup.hgrm} with
 * their own max, so the JIT's first compilations stay visible. Then the measured part runs at the
 * fixed rate (times are from its start). In the measured part nothing is dropped: the summary
 * prints the max, the percentiles of the first second of the paced part apart from the steady state
 * after it (late JIT compilations land there), how many calls took more than 10x the median
 * (corrected and service time), every GC the JVM reported during the measured part (from
 * {@code GarbageCollectorMXBean} notifications: when, how long, which collector, why), and for the
 * slowest calls by service time when they were due, the GC count and JIT compilation time of that
 * second, and the GC that overlapped the call, if any.
 *
 * <p>Files written per operation to {@code --out}: {@code NAME.hgrm} (corrected, ms),
 * {@code NAME-service.hgrm}, {@code NAME-warmup.hgrm}, {@code NAME.summary.txt} (what is printed) and
 * {@code NAME.png} (percentile curves).
 */
public final class LatencyHarness {

    /** Histograms track up to a minute per call with 3 significant digits. */
    private static final long HIGHEST_NS = 60_000_000_000L;
    private static final int OUTLIER_FACTOR = 10;
    private static final int WORST_SHOWN = 5;
    private static final int GC_SHOWN = 10;
    /** The paced part's first second is reported apart: late JIT compilations and their deoptimisations land there. */
    private static final long FIRST_NS = 1_000_000_000L;

    private LatencyHarness() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> opt = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                System.err.println("usage: LatencyHarness [--op encode|train|all] [--model PRESET] [--batch N] "
                        + "[--threads N] [--rate N] [--seconds S] [--warmup S] [--out DIR]");
                System.exit(2);
            }
            opt.put(args[i].substring(2), args[++i]);
        }
        String ops = opt.getOrDefault("op", "all");
        Path out = Path.of(opt.getOrDefault("out", "latency"));
        Files.createDirectories(out);
        double seconds = Double.parseDouble(opt.getOrDefault("seconds", "30"));
        double warmup = Double.parseDouble(opt.getOrDefault("warmup", "10"));
        List<String> names = ops.equals("all") ? List.of("encode", "train") : List.of(ops.split(","));
        Lanes.setThreads(Integer.parseInt(opt.getOrDefault("threads", "1")));
        String model = opt.getOrDefault("model", "topk");
        int batch = Integer.parseInt(opt.getOrDefault("batch", "256"));
        for (String name : names) {
            Operations.Op op = Operations.byName(name, model, batch);
            // A batch-256 step of the 784-4096-784 model is ~8 GFLOP, ~0.1-0.2 s on one core: 2 calls per
            // second leave it room on a shared machine. A single-sample encode reads the 12.5 MB encoder
            // weight once, ~0.5 ms: 200 per second.
            double rate = Double.parseDouble(opt.getOrDefault("rate", name.equals("train") ? "2" : "200"));
            System.out.print(measure(op, rate, warmup, seconds, out));
        }
    }

    /** Per-second samples of the JVM's GC count and cumulative JIT time, to explain outliers. */
    private record Second(long gcCount, long gcMillis, long jitMillis) {
    }

    /**
     * Runs {@code op} back to back for {@code warmupSeconds}, then at {@code rate} calls per second for {@code seconds},
     * writes the files to {@code out} and returns the summary (also written to NAME.summary.txt).
     */
    static String measure(Operations.Op op, double rate, double warmupSeconds, double seconds, Path out)
            throws IOException {
        try (GcLog gcLog = new GcLog()) {
            return measure(op, rate, warmupSeconds, seconds, out, gcLog);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("latency: interrupted while waiting for the GC notifications", e);
        }
    }

    private static String measure(Operations.Op op, double rate, double warmupSeconds, double seconds, Path out,
                                  GcLog gcLog) throws IOException, InterruptedException {
        long interval = Math.max(1, Math.round(1e9 / rate));
        int calls = (int) Math.round(seconds * rate);
        Histogram corrected = new Histogram(HIGHEST_NS, 3);
        Histogram service = new Histogram(HIGHEST_NS, 3);
        Histogram warm = new Histogram(HIGHEST_NS, 3);
        Histogram first = new Histogram(HIGHEST_NS, 3);
        Histogram steady = new Histogram(HIGHEST_NS, 3);
        long[] latency = new long[calls];
        long[] serviceNs = new long[calls];
        long[] beganAt = new long[calls];
        List<Second> perSecond = new ArrayList<>();
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();

        // Warm-up back to back, not paced: the JIT needs calls, not wall time, and a paced warm-up
        // of a still-interpreted Vector API kernel would leave the measured part hopelessly behind.
        long warmStart = System.nanoTime();
        long warmEnd = warmStart + (long) (warmupSeconds * 1e9);
        int warmupCalls = 0;
        do {
            long began = System.nanoTime();
            op.run();
            warm.recordValue(Math.min(System.nanoTime() - began, HIGHEST_NS));
            warmupCalls++;
        } while (System.nanoTime() < warmEnd);
        double warmupElapsed = (System.nanoTime() - warmStart) / 1e9;

        long jitBefore = jitMillis(jit);
        long[] gcBefore = gc();
        // An operation slower than the rate would make the run last forever: stop at twice the
        // planned time plus 5 s, and say so.
        long budget = (long) (2e9 * seconds) + 5_000_000_000L;
        int measured = 0;
        long start = System.nanoTime();
        long nextSecond = start;
        for (int i = 0; i < calls; i++) {
            if (System.nanoTime() - start > budget) {
                break;
            }
            long due = start + i * interval;
            waitUntil(due);
            // Sampled on the wall clock (not the schedule), so that a slow call can be matched with
            // the GC and JIT activity of the second it ran in.
            while (System.nanoTime() >= nextSecond) {
                long[] g = gc();
                perSecond.add(new Second(g[0], g[1], jitMillis(jit)));
                nextSecond += 1_000_000_000L;
            }
            long began = System.nanoTime();
            op.run();
            long end = System.nanoTime();
            long fromDue = Math.min(end - due, HIGHEST_NS);
            corrected.recordValue(fromDue);
            (due - start < FIRST_NS ? first : steady).recordValue(fromDue);
            service.recordValue(Math.min(end - began, HIGHEST_NS));
            serviceNs[measured] = end - began;
            beganAt[measured] = began - start;
            latency[measured++] = fromDue;
        }
        long elapsed = System.nanoTime() - start;
        long[] gcAfter = gc();
        long jitAfter = jitMillis(jit);
        perSecond.add(new Second(gcAfter[0], gcAfter[1], jitAfter));
        long measuredEnd = System.nanoTime();
        List<GcLog.Event> gcs = gcLog.await(gcAfter[0] - gcBefore[0], 1000).stream()
                .filter(e -> e.overlaps(start, measuredEnd)).toList();

        String summary = summary(op, rate, warmupElapsed, warmupCalls, calls, elapsed, corrected, service, warm,
                first, steady, Arrays.copyOf(latency, measured), Arrays.copyOf(serviceNs, measured), beganAt, start,
                interval, perSecond, gcs, gcAfter[0] - gcBefore[0], gcAfter[1] - gcBefore[1], jitAfter - jitBefore);
        Files.createDirectories(out);
        Files.writeString(out.resolve(op.name() + ".summary.txt"), summary);
        hgrm(out.resolve(op.name() + ".hgrm"), corrected);
        hgrm(out.resolve(op.name() + "-service.hgrm"), service);
        hgrm(out.resolve(op.name() + "-warmup.hgrm"), warm);
        chart(out.resolve(op.name() + ".png"), op, rate, corrected, service, warm);
        return summary;
    }

    private static String summary(Operations.Op op, double rate, double warmupSeconds, int warmupCalls, int calls,
                                  long elapsedNs, Histogram h, Histogram service, Histogram warm, Histogram first,
                                  Histogram steady, long[] latency, long[] serviceNs, long[] beganAt, long start,
                                  long interval, List<Second> perSecond, List<GcLog.Event> gcs, long gcCount,
                                  long gcMillis, long jitMillis) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "latency %s: %s%n", op.name(), op.description()));
        sb.append(String.format(Locale.ROOT, "  rate %.0f/s, %d of %d planned calls measured, threads=%d, %s; "
                        + "warm-up %.1f s (%d calls back to back) EXCLUDED from the percentiles below "
                        + "(its service time: p50 %s, max %s)%n",
                rate, latency.length, calls, Lanes.threads(), Lanes.implementation(), warmupSeconds, warmupCalls,
                ms(warm.getValueAtPercentile(50)), ms(warm.getMaxValue())));
        if (latency.length < calls) {
            sb.append(String.format(Locale.ROOT, "  STOPPED EARLY after %.1f s: the calls fell too far behind the rate%n",
                    elapsedNs / 1e9));
        }
        sb.append(String.format(Locale.ROOT, "  corrected for coordinated omission (from the intended start):%n"));
        sb.append(String.format(Locale.ROOT, "    p50 %s  p90 %s  p99 %s  p99.9 %s  max %s%n",
                ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)),
                ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue())));
        sb.append(String.format(Locale.ROOT, "  service time (actual start to end), for comparison:%n"));
        sb.append(String.format(Locale.ROOT, "    p50 %s  p90 %s  p99 %s  p99.9 %s  max %s%n",
                ms(service.getValueAtPercentile(50)), ms(service.getValueAtPercentile(90)),
                ms(service.getValueAtPercentile(99)), ms(service.getValueAtPercentile(99.9)),
                ms(service.getMaxValue())));
        sb.append(String.format(Locale.ROOT, "  corrected, first second of the paced part (%d calls; late JIT compilations "
                        + "land here): p50 %s, p99 %s, max %s%n", first.getTotalCount(),
                ms(first.getValueAtPercentile(50)), ms(first.getValueAtPercentile(99)), ms(first.getMaxValue())));
        sb.append(String.format(Locale.ROOT, "  corrected, steady state after it (%d calls): p50 %s, p90 %s, p99 %s, "
                        + "p99.9 %s, max %s%n", steady.getTotalCount(), ms(steady.getValueAtPercentile(50)),
                ms(steady.getValueAtPercentile(90)), ms(steady.getValueAtPercentile(99)),
                ms(steady.getValueAtPercentile(99.9)), ms(steady.getMaxValue())));
        double achieved = latency.length / (elapsedNs / 1e9);
        if (achieved < 0.95 * rate) {
            sb.append(String.format(Locale.ROOT, "  WARNING: achieved %.1f calls/s < the %.0f/s asked: the operation "
                    + "cannot keep this rate, so the corrected latencies grow with the run's length%n", achieved, rate));
        }

        long p50 = h.getValueAtPercentile(50);
        long serviceP50 = service.getValueAtPercentile(50);
        sb.append(String.format(Locale.ROOT, "  outliers: %d of %d calls above %dx p50 corrected (%s), %d above %dx p50 "
                        + "service time (%s); during the measured part %d GC(s) took %d ms, the JIT compiled for %d ms%n",
                countAbove(latency, OUTLIER_FACTOR * p50), latency.length, OUTLIER_FACTOR, ms(OUTLIER_FACTOR * p50),
                countAbove(serviceNs, OUTLIER_FACTOR * serviceP50), OUTLIER_FACTOR, ms(OUTLIER_FACTOR * serviceP50),
                gcCount, gcMillis, jitMillis));
        sb.append(String.format(Locale.ROOT, "  GC events reported during the measured part (GarbageCollectorMXBean "
                + "notifications): %d%n", gcs.size()));
        for (int i = 0; i < Math.min(GC_SHOWN, gcs.size()); i++) {
            GcLog.Event e = gcs.get(i);
            sb.append(String.format(Locale.ROOT, "    GC at t=%.3f s: %s, %s (%s), %d ms%s%n", (e.startNs() - start) / 1e9,
                    e.collector(), e.action(), e.cause(), e.durationNs() / 1_000_000,
                    e.concurrent() ? " concurrent, not a pause" : " pause"));
        }
        if (gcs.size() > GC_SHOWN) {
            sb.append(String.format(Locale.ROOT, "    ... and %d more%n", gcs.size() - GC_SHOWN));
        }
        // The slowest calls by service time: these are the stalls (GC, JIT, the machine); by corrected
        // latency they would only be the calls queued behind them.
        for (int idx : worst(serviceNs, WORST_SHOWN)) {
            double due = idx * (double) interval / 1e9;
            double at = beganAt[idx] / 1e9;
            int sec = (int) at;
            String cause = "";
            if (sec + 1 < perSecond.size()) {
                Second a = perSecond.get(sec);
                Second b = perSecond.get(sec + 1);
                cause = String.format(Locale.ROOT, "; that second: %d GC(s) %d ms, JIT %d ms",
                        b.gcCount() - a.gcCount(), b.gcMillis() - a.gcMillis(), b.jitMillis() - a.jitMillis());
            }
            long began = start + beganAt[idx];
            for (GcLog.Event e : gcs) {
                if (!e.concurrent() && e.overlaps(began, began + serviceNs[idx])) {
                    cause += String.format(Locale.ROOT, "; overlapped GC pause %s (%s) %d ms", e.collector(),
                            e.cause(), e.durationNs() / 1_000_000);
                }
            }
            sb.append(String.format(Locale.ROOT, "    slow call #%d due at t=%.3f s, ran at %.3f s: service %s, "
                    + "from intended start %s%s%n", idx, due, at, ms(serviceNs[idx]), ms(latency[idx]), cause));
        }
        return sb.toString();
    }

    private static int countAbove(long[] v, long threshold) {
        int n = 0;
        for (long x : v) {
            if (x > threshold) {
                n++;
            }
        }
        return n;
    }

    /** Indices of the {@code n} largest values, largest first. */
    private static int[] worst(long[] v, int n) {
        int[] idx = new int[Math.min(n, v.length)];
        boolean[] taken = new boolean[v.length];
        for (int j = 0; j < idx.length; j++) {
            int best = -1;
            for (int i = 0; i < v.length; i++) {
                if (!taken[i] && (best < 0 || v[i] > v[best])) {
                    best = i;
                }
            }
            taken[best] = true;
            idx[j] = best;
        }
        return idx;
    }

    /** Parks while far from the due time, then spins: parking alone overshoots by tens of microseconds. */
    private static void waitUntil(long due) {
        long left;
        while ((left = due - System.nanoTime()) > 0) {
            if (left > 200_000) {
                LockSupport.parkNanos(left - 100_000);
            } else {
                Thread.onSpinWait();
            }
        }
    }

    private static long[] gc() {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, b.getCollectionCount());
            millis += Math.max(0, b.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    private static long jitMillis(CompilationMXBean jit) {
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    }

    private static String ms(long ns) {
        return String.format(Locale.ROOT, "%.3f ms", ns / 1e6);
    }

    private static void hgrm(Path file, Histogram h) throws IOException {
        try (PrintStream ps = new PrintStream(Files.newOutputStream(file), false, "UTF-8")) {
            h.outputPercentileDistribution(ps, 5, 1e6);
        }
    }

    private static void chart(Path file, Operations.Op op, double rate, Histogram corrected, Histogram service,
                              Histogram warm) throws IOException {
        List<Charts.Series> series = new ArrayList<>();
        series.add(curve("corrected", corrected));
        series.add(curve("service time", service));
        if (warm.getTotalCount() > 0) {
            series.add(curve("warm-up (service time)", warm));
        }
        Charts.line(file, String.format(Locale.ROOT, "%s at %.0f/s", op.name(), rate),
                "1 / (1 - percentile)   [10 = p90, 100 = p99, 1000 = p99.9]", "latency (ms)", series);
    }

    /** A percentile curve on the usual HdrHistogram axis: x = 1/(1-p), so the tail gets the room. */
    private static Charts.Series curve(String name, Histogram h) {
        List<double[]> pts = new ArrayList<>();
        for (HistogramIterationValue v : h.percentiles(5)) {
            double p = v.getPercentileLevelIteratedTo() / 100;
            if (p >= 1) {
                break;
            }
            pts.add(new double[] {1 / (1 - p), v.getValueIteratedTo() / 1e6});
        }
        pts.add(new double[] {pts.isEmpty() ? 1 : 2 * pts.get(pts.size() - 1)[0], h.getMaxValue() / 1e6});
        double[] x = new double[pts.size()];
        double[] y = new double[pts.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = pts.get(i)[0];
            y[i] = Math.max(pts.get(i)[1], 1e-6);
        }
        return new Charts.Series(name, x, y);
    }
}
