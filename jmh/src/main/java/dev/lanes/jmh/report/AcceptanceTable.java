package dev.lanes.jmh.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The acceptance lines of vector-core's kernel issue that a run of the suite can check, each with its
 * target and this run's figure, so that the first screen of a report says whether the claims hold on
 * the machine it ran on. A line whose benchmarks the run did not include reads "not measured" (the
 * {@code smoke} profile measures none of them at their size).
 *
 * <p>The lines: sigmoid, tanh and softplus forward at n = 65536 each at least 2.5 G elements/s;
 * {@code TopK.select} on 256 x 16384, k = 32 within 1 ms; at least 4x the scalar reference where the
 * JIT cannot vectorize the plain loop (the float reductions, the transcendental activations, top-k);
 * no kernel slower than its scalar reference.
 *
 * <p>"Slower" is read against JMH's error: a kernel is slower when its score's 99.9% interval lies wholly
 * below the reference's, or, for a result without an interval (a single iteration), when its score is
 * lower. Several kernels run the very loop of their reference (identity and scale are the same copy or
 * loop; the sigmoid and tanh derivatives and the L2 gradient are C2's own loop when their offsets agree,
 * as in the benchmarks), and their point ratios fall either side of 1 with the arrays' placement in
 * each fork; the lowest point ratio is shown all the same.
 */
final class AcceptanceTable {

    static final double ACTIVATION_FLOOR = 2.5e9;
    static final double TOPK_CEILING_MS = 1.0;
    static final double UNVECTORIZED_FACTOR = 4.0;

    private AcceptanceTable() {
    }

    /** A SIMD result and the scalar reference's at the same parameters. */
    private record Pair(JmhResult panama, JmhResult scalar) {
        double ratio() {
            return panama.score() / scalar.score();
        }

        boolean slowerBeyondError() {
            if (Double.isNaN(panama.error()) || Double.isNaN(scalar.error())) {
                return ratio() < 1.0;
            }
            return panama.score() + panama.error() < scalar.score() - scalar.error();
        }

        String name() {
            StringBuilder sb = new StringBuilder(panama.family()).append('.').append(panama.method());
            panama.params().forEach((k, v) -> {
                if (!k.equals("n")) {
                    sb.append(' ').append(v);
                }
            });
            return sb.toString();
        }
    }

    static void markdown(StringBuilder sb, List<JmhResult> results) {
        sb.append("## Acceptance lines of the kernel issue, in this run\n\n");
        sb.append("| line | target | this run | holds |\n| --- | --- | --- | --- |\n");
        for (String activation : List.of("SOFTPLUS", "SIGMOID", "TANH")) {
            JmhResult r = find(results, "Activation", "run", "panama",
                    Map.of("activation", activation, "direction", "forward", "n", "65536"));
            line(sb, "`Activation." + activation + "` forward, n = 65536", ">= 2.5 G elements/s",
                    r == null ? null : Format.si(r.score()) + "/s" + relError(r),
                    r == null ? null : r.score() >= ACTIVATION_FLOOR);
        }
        JmhResult topk = find(results, "TopK", "select", "panama", Map.of("rows", "256", "cols", "16384", "k", "32"));
        // Elements per second, or calls per second (the primary score, -bm avgt read as its inverse).
        Double ms = topk == null ? null
                : topk.metric().equals("elements") ? 256.0 * 16384 / topk.score() * 1e3
                : topk.metric().equals("score") && topk.unit().equals("ops/s") ? 1e3 / topk.score() : null;
        line(sb, "`TopK.select` 256 x 16384, k = 32", "<= 1 ms per call",
                ms == null ? null : String.format(Locale.ROOT, "%.3f ms", ms) + relError(topk), ms == null ? null : ms <= TOPK_CEILING_MS);

        List<Pair> pairs = pairs(results);
        List<Pair> unvectorized = pairs.stream().filter(AcceptanceTable::jitCannotVectorize).toList();
        Pair worst = worst(unvectorized);
        line(sb, "SIMD against scalar where the JIT cannot vectorize the plain loop (float reductions, "
                        + "transcendental activations, top-k; " + unvectorized.size() + " kernels)", ">= 4x each",
                worst == null ? null : "lowest " + Format.ratio(worst.ratio()) + " (" + worst.name() + ")",
                worst == null ? null : worst.ratio() >= UNVECTORIZED_FACTOR);
        Pair slowest = worst(pairs);
        List<Pair> slower = pairs.stream().filter(Pair::slowerBeyondError).toList();
        String measured = null;
        if (slowest != null) {
            measured = "lowest " + Format.ratio(slowest.ratio()) + " (" + slowest.name() + ")";
            if (!slower.isEmpty()) {
                measured += "; slower beyond the intervals: " + String.join(", ", slower.stream().map(Pair::name).toList());
            } else if (slowest.ratio() < 1.0) {
                measured += ", within the 99.9% intervals";
            }
        }
        line(sb, "No kernel slower than its scalar reference (" + pairs.size() + " kernels)",
                ">= 1x each, beyond JMH's 99.9% intervals", measured, slowest == null ? null : slower.isEmpty());
        sb.append("\nOne run's figures move with the machine's load (a shared VM's can drift by a third from one "
                + "minute to the next); the kernel issue's own figures come from sittings of several forks.\n\n");
    }

    private static void line(StringBuilder sb, String claim, String target, String measured, Boolean holds) {
        sb.append("| ").append(claim).append(" | ").append(target).append(" | ")
                .append(measured == null ? "not measured" : measured).append(" | ")
                .append(holds == null ? "-" : holds ? "yes" : "**no**").append(" |\n");
    }

    private static String relError(JmhResult r) {
        return Double.isNaN(r.error()) ? "" : " " + Format.relError(r.score(), r.error());
    }

    private static JmhResult find(List<JmhResult> results, String family, String method, String impl,
                                  Map<String, String> params) {
        Predicate<JmhResult> match = r -> r.family().equals(family) && r.method().equals(method)
                && r.impl().equals(impl) && params.entrySet().stream()
                .allMatch(e -> e.getValue().equals(r.params().get(e.getKey())));
        return results.stream().filter(match).findFirst().orElse(null);
    }

    /** Every panama result at n = 65536 (or without n) with a scalar one at the same parameters. */
    private static List<Pair> pairs(List<JmhResult> results) {
        Map<String, JmhResult> scalar = new HashMap<>();
        for (JmhResult r : results) {
            if (r.impl().equals("scalar")) {
                scalar.put(key(r), r);
            }
        }
        List<Pair> out = new ArrayList<>();
        for (JmhResult r : results) {
            String n = r.params().get("n");
            JmhResult s = scalar.get(key(r));
            if (r.impl().equals("panama") && s != null && (n == null || n.equals("65536"))
                    && r.score() > 0 && s.score() > 0) {
                out.add(new Pair(r, s));
            }
        }
        return out;
    }

    private static String key(JmhResult r) {
        return r.family() + '.' + r.method() + ' ' + r.params() + ' ' + r.metric();
    }

    private static boolean jitCannotVectorize(Pair p) {
        JmhResult r = p.panama();
        Map<String, String> q = r.params();
        return switch (r.family()) {
            case "Blas" -> List.of("dot", "sum", "sumOfSquares").contains(r.method());
            case "Penalty" -> List.of("l1", "l2").contains(q.get("op"));
            case "Activation" -> List.of("SOFTPLUS", "SIGMOID", "TANH").contains(q.get("activation"))
                    && ("forward".equals(q.get("direction")) || "SOFTPLUS".equals(q.get("activation")));
            case "TopK" -> r.method().equals("select");
            default -> false;
        };
    }

    private static Pair worst(List<Pair> pairs) {
        Pair worst = null;
        for (Pair p : pairs) {
            if (worst == null || p.ratio() < worst.ratio()) {
                worst = p;
            }
        }
        return worst;
    }
}
