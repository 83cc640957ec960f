package dev.lanes.jmh.latency;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness's mechanics on a synthetic operation (a 20 us spin that stalls 20 ms on every 100th
 * call), so that the test is fast: the stalls must show in the corrected latencies, which are
 * never below the service times. The real operations are too slow
 * before C2 has compiled the Vector API code to time in a unit test; the bench script runs them.
 */
class LatencyHarnessTest {

    @TempDir
    Path tmp;

    private static Operations.Op spin() {
        return new Operations.Op() {
            private int calls;

            @Override
            public String name() {
                return "spin";
            }

            @Override
            public String description() {
                return "20 us spin, 20 ms on every 100th call";
            }

            @Override
            public void run() {
                long until = System.nanoTime() + (++calls % 100 == 0 ? 20_000_000 : 20_000);
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
            }
        };
    }

    @Test
    void stallsShowInCorrectedLatencyAndAsOutliers() throws Exception {
        String summary = LatencyHarness.measure(spin(), 1000, 0.1, 0.5, tmp);
        for (String f : new String[] {"spin.hgrm", "spin-service.hgrm", "spin-warmup.hgrm", "spin.png",
                "spin.summary.txt"}) {
            assertTrue(Files.size(tmp.resolve(f)) > 0, f);
        }
        assertTrue(summary.contains("EXCLUDED from the percentiles"), summary);
        assertTrue(summary.contains("slow call #"), summary);
        assertTrue(Files.readString(tmp.resolve("spin.hgrm")).contains("Percentile"));

        // Measured from the intended start, a latency is never below the service time, and the 20 ms
        // stalls are in the max. Nothing tighter: the machine may be shared, so the backlog varies.
        double[] corrected = figures(summary, 0);
        double[] service = figures(summary, 1);
        for (int i = 0; i < corrected.length; i++) {
            assertTrue(corrected[i] >= service[i], "percentile " + i + "\n" + summary);
        }
        assertTrue(corrected[4] >= 20, summary);
        assertTrue(summary.contains("outliers:"), summary);
        assertTrue(summary.contains("first second of the paced part"), summary);
        assertTrue(summary.contains("steady state after it"), summary);
    }

    /** A collection during the measured part is listed with its cause and matched to the call it stalled. */
    @Test
    void gcPausesAreListedAndMatchedToTheSlowCall() throws Exception {
        Operations.Op gc = new Operations.Op() {
            private long first;
            private boolean collected;

            @Override
            public String name() {
                return "gc";
            }

            @Override
            public String description() {
                return "20 us spin, one System.gc() 0.2 s after the first call (inside the measured part)";
            }

            @Override
            public void run() {
                long now = System.nanoTime();
                first = first == 0 ? now : first;
                if (!collected && now - first > 200_000_000L) {
                    collected = true;
                    System.gc();
                    return;
                }
                long until = now + 20_000;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
            }
        };
        String summary = LatencyHarness.measure(gc, 1000, 0.02, 0.4, tmp);
        assertTrue(summary.contains("System.gc()"), summary);
        assertTrue(summary.contains("overlapped GC pause"), summary);
    }

    /** p50, p90, p99, p99.9 and max of the {@code which}-th figures line of the summary, in ms. */
    private static double[] figures(String summary, int which) {
        Matcher m = Pattern.compile("p50 ([0-9.]+) ms  p90 ([0-9.]+) ms  p99 ([0-9.]+) ms  p99.9 ([0-9.]+) ms  max ([0-9.]+) ms")
                .matcher(summary);
        for (int i = 0; i <= which; i++) {
            assertTrue(m.find(), summary);
        }
        double[] v = new double[5];
        for (int i = 0; i < 5; i++) {
            v[i] = Double.parseDouble(m.group(i + 1));
        }
        return v;
    }

    @Test
    void unknownOperationIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Operations.byName("decode", "topk", 256));
        assertTrue(e.getMessage().contains("decode"));
        IllegalArgumentException m = assertThrows(IllegalArgumentException.class,
                () -> Operations.byName("encode", "gelu", 1));
        assertTrue(m.getMessage().contains("gelu"), m.getMessage());
    }
}
