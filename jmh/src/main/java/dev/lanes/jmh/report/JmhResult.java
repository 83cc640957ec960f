package dev.lanes.jmh.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of JMH's JSON output ({@code -rf json}), reduced to what the report shows.
 *
 * @param family     the benchmark class without its {@code Benchmark} suffix, e.g. {@code TopK}
 * @param method     the benchmark method, e.g. {@code select}
 * @param impl       the {@code impl} parameter (panama, scalar, ...), or {@code "score"} if there is none
 * @param params     every other parameter, in JMH's order
 * @param metric     the name of the throughput shown: {@code "score"} for the primary metric, or the
 *                   name of a user counter ({@code @AuxCounters}, e.g. {@code elements}) when the
 *                   benchmark reports one, since that is the figure its author chose to count
 * @param score      the throughput in {@code unit}; a time per operation ({@code -bm avgt}) is read as
 *                   its inverse, in ops/s
 * @param error      JMH's 99.9% half-width of {@code score}, NaN with a single iteration
 * @param unit       the score unit as JMH wrote it, e.g. {@code ops/s}
 * @param allocBytes bytes allocated per JMH operation ({@code gc.alloc.rate.norm} of {@code -prof gc}),
 *                   NaN when the run had no gc profiler
 * @param jdk        JDK version and VM of the fork
 * @param settings   forks, warm-up and measurement iterations, e.g. {@code 1 fork, warm-up 3 x 1 s, measurement 5 x 1 s}
 */
public record JmhResult(String family, String method, String impl, Map<String, String> params,
                        String metric, double score, double error, String unit, double allocBytes,
                        String jdk, String settings) {

    static final String ALLOC = "gc.alloc.rate.norm";

    /** Reads every row of a JMH JSON result file. */
    public static List<JmhResult> read(Path json) throws IOException {
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        if (!root.isArray()) {
            throw new IOException(json + ": not a JMH JSON result (expected a top-level array)");
        }
        List<JmhResult> out = new ArrayList<>();
        for (JsonNode row : root) {
            out.add(of(row));
        }
        return out;
    }

    private static JmhResult of(JsonNode row) {
        String fqn = row.path("benchmark").asText();
        String[] parts = fqn.split("\\.");
        String cls = parts.length >= 2 ? parts[parts.length - 2] : fqn;
        String family = cls.endsWith("Benchmark") ? cls.substring(0, cls.length() - "Benchmark".length()) : cls;
        String method = parts[parts.length - 1];

        Map<String, String> params = new LinkedHashMap<>();
        String impl = "score";
        for (Iterator<Map.Entry<String, JsonNode>> it = row.path("params").properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("impl")) {
                impl = e.getValue().asText();
            } else {
                params.put(e.getKey(), e.getValue().asText());
            }
        }

        JsonNode metricNode = row.path("primaryMetric");
        String metric = "score";
        JsonNode secondary = row.path("secondaryMetrics");
        for (Iterator<Map.Entry<String, JsonNode>> it = secondary.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (isUserCounter(e.getKey(), e.getValue().path("scoreUnit").asText())) {
                metric = e.getKey();
                metricNode = e.getValue();
                break;
            }
        }
        double alloc = secondary.has(ALLOC) ? number(secondary.get(ALLOC).path("score")) : Double.NaN;
        String jdk = row.path("jdkVersion").asText("?") + " (" + row.path("vmName").asText("?") + " "
                + row.path("vmVersion").asText("?") + ")";
        String settings = row.path("forks").asInt() + " fork(s), warm-up " + row.path("warmupIterations").asInt()
                + " x " + row.path("warmupTime").asText("?") + ", measurement " + row.path("measurementIterations").asInt()
                + " x " + row.path("measurementTime").asText("?") + ", " + row.path("threads").asInt() + " thread(s)";
        double score = number(metricNode.path("score"));
        double error = number(metricNode.path("scoreError"));
        String unit = metricNode.path("scoreUnit").asText("?");
        double secondsPerUnit = secondsPer(unit);
        if (!Double.isNaN(secondsPerUnit) && score > 0) {
            // A time per operation (-bm avgt, sample, ss): turned into operations per second, so that
            // every ratio and "faster" in the report reads the same way. The error by the first-order
            // rule: d(1/t) = dt / t^2.
            double t = score * secondsPerUnit;
            error = error * secondsPerUnit / (t * t);
            score = 1 / t;
            unit = "ops/s";
        }
        return new JmhResult(family, method, impl, params, metric, score, error, unit, alloc, jdk, settings);
    }

    /** Seconds in the time of a per-operation unit ({@code ms/op}: 1e-3), NaN for any other unit. */
    static double secondsPer(String unit) {
        return switch (unit) {
            case "s/op" -> 1;
            case "ms/op" -> 1e-3;
            case "us/op" -> 1e-6;
            case "ns/op" -> 1e-9;
            default -> Double.NaN;
        };
    }

    /** A counter from {@code @AuxCounters}: a rate, and not one of the profilers' metrics. */
    private static boolean isUserCounter(String name, String unit) {
        return unit.endsWith("/s") && !name.startsWith("gc.") && !name.startsWith("·") && !name.contains(":");
    }

    /** JMH writes NaN as the string "NaN" and numbers as numbers. */
    private static double number(JsonNode n) {
        if (n.isNumber()) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(n.asText());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** The score with its unit rescaled to a readable prefix, e.g. {@code 2.20 G/s}. */
    public String formattedScore() {
        return Format.rate(score, unit);
    }
}
