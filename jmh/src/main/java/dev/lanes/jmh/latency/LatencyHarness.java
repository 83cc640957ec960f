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
 *      [--op encode|train|all] [--activation topk|relu] [--rate PER_SECOND] [--seconds S] [--warmup S] [--out DIR]
 * </pre>
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
 * prints the max, how many calls took more than 10x the median (corrected and service time), and
 * for the slowest calls by service time when they were due and the GC count and JIT compilation
 * time of that second.
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

    private LatencyHarness() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> opt = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                System.err.println("usage: LatencyHarness [--op encode|train|all] [--activation topk|relu] "
                        + "[--rate N] [--seconds S] [--warmup S] [--out DIR]");
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
        for (String name : names) {
            Operations.Op op = Operations.byName(name, opt.getOrDefault("activation", "topk"));
            // The training step is ~8 GFLOP: a few calls per second is what it can sustain.
            double rate = Double.parseDouble(opt.getOrDefault("rate", name.equals("train") ? "4" : "1000"));
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
        long interval = Math.max(1, Math.round(1e9 / rate));
        int calls = (int) Math.round(seconds * rate);
        Histogram corrected = new Histogram(HIGHEST_NS, 3);
        Histogram service = new Histogram(HIGHEST_NS, 3);
        Histogram warm = new Histogram(HIGHEST_NS, 3);
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
            service.recordValue(Math.min(end - began, HIGHEST_NS));
            serviceNs[measured] = end - began;
            beganAt[measured] = began - start;
            latency[measured++] = fromDue;
        }
        long elapsed = System.nanoTime() - start;
        long[] gcAfter = gc();
        long jitAfter = jitMillis(jit);
        perSecond.add(new Second(gcAfter[0], gcAfter[1], jitAfter));

        String summary = summary(op, rate, warmupElapsed, warmupCalls, calls, elapsed, corrected, service, warm,
                Arrays.copyOf(latency, measured), Arrays.copyOf(serviceNs, measured), beganAt, interval, perSecond, gcAfter[0] - gcBefore[0], gcAfter[1] - gcBefore[1],
                jitAfter - jitBefore);
        Files.createDirectories(out);
        Files.writeString(out.resolve(op.name() + ".summary.txt"), summary);
        hgrm(out.resolve(op.name() + ".hgrm"), corrected);
        hgrm(out.resolve(op.name() + "-service.hgrm"), service);
        hgrm(out.resolve(op.name() + "-warmup.hgrm"), warm);
        chart(out.resolve(op.name() + ".png"), op, rate, corrected, service, warm);
        return summary;
    }

    private static String summary(Operations.Op op, double rate, double warmupSeconds, int warmupCalls, int calls,
                                  long elapsedNs, Histogram h, Histogram service, Histogram warm, long[] latency,
                                  long[] serviceNs, long[] beganAt,
                                  long interval, List<Second> perSecond, long gcCount, long gcMillis,
                                  long jitMillis) {
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
