package dev.lanes.jmh.report;

import dev.lanes.jmh.training.Presets;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The results of one benchmark class, pivoted so that each row is one (method, parameters) case and
 * each candidate ({@code impl}) is a column, with the ratios and the allocation next to it.
 */
final class FamilyTable {

    private static final String PANAMA = "panama";
    private static final String SCALAR = "scalar";
    /** Parameters preferred as the x axis of a chart, in order: the problem size. */
    private static final List<String> SIZE_NAMES = List.of("n", "size", "cols", "m", "batch", "hidden", "k");
    /** A family with more sub-cases than this gets only the first charts per method. */
    private static final int MAX_CHARTS_PER_METHOD = 8;

    /** One row of the table: a method with the parameters other than {@code impl}. */
    private record Case(String method, Map<String, String> params) {
    }

    private final String family;
    private final Anchors anchors;
    private final List<String> impls = new ArrayList<>();
    private final List<String> methods = new ArrayList<>();
    private final List<String> varying = new ArrayList<>();
    private final Map<String, String> fixed = new LinkedHashMap<>();
    private final Map<Case, Map<String, JmhResult>> rows;
    private final Set<String> metrics = new LinkedHashSet<>();

    FamilyTable(String family, List<JmhResult> results, Anchors anchors) {
        this.family = family;
        this.anchors = anchors;
        Map<String, Set<String>> values = new LinkedHashMap<>();
        Set<String> seenImpls = new LinkedHashSet<>();
        for (JmhResult r : results) {
            seenImpls.add(r.impl());
            if (!methods.contains(r.method())) {
                methods.add(r.method());
            }
            r.params().forEach((k, v) -> values.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(v));
            // A counter that already counts GFLOPs per call is a GFLOP/s rate.
            metrics.add(r.metric().toLowerCase(Locale.ROOT).startsWith("gflop") && r.unit().equals("ops/s")
                    ? r.metric() + ", GFLOP/s" : r.metric() + ", " + r.unit());
        }
        for (String preferred : List.of(PANAMA, SCALAR)) {
            if (seenImpls.remove(preferred)) {
                impls.add(preferred);
            }
        }
        impls.addAll(seenImpls);
        values.forEach((k, v) -> {
            if (v.size() > 1) {
                varying.add(k);
            } else {
                fixed.put(k, v.iterator().next());
            }
        });
        rows = new TreeMap<>(caseOrder());
        for (JmhResult r : results) {
            Map<String, String> p = new LinkedHashMap<>();
            for (String k : varying) {
                p.put(k, r.params().getOrDefault(k, "-"));
            }
            rows.computeIfAbsent(new Case(r.method(), p), c -> new LinkedHashMap<>()).put(r.impl(), r);
        }
    }

    private Comparator<Case> caseOrder() {
        return (a, b) -> {
            int c = Integer.compare(methods.indexOf(a.method()), methods.indexOf(b.method()));
            for (int i = 0; c == 0 && i < varying.size(); i++) {
                String k = varying.get(i);
                c = Report.compareValues(a.params().get(k), b.params().get(k));
            }
            return c;
        };
    }

    void markdown(StringBuilder sb) {
        sb.append("## ").append(family).append("\n\n");
        sb.append("Throughput: ").append(String.join("; ", metrics)).append(". ");
        if (!fixed.isEmpty()) {
            sb.append("Fixed parameters: ");
            fixed.forEach((k, v) -> sb.append('`').append(k).append('=').append(v).append("` "));
        }
        sb.append("\n\n");

        List<String> others = impls.stream().filter(i -> !i.equals(PANAMA)).toList();
        boolean ratios = impls.contains(PANAMA) && !others.isEmpty();
        boolean blasColumn = rows.keySet().stream().anyMatch(c -> !Double.isNaN(openBlas(c)));
        boolean torchColumn = rows.keySet().stream().anyMatch(c -> !Double.isNaN(torch(c)));

        List<String> head = new ArrayList<>();
        List<String> align = new ArrayList<>();
        head.add("method");
        align.add("---");
        for (String k : varying) {
            head.add(k);
            align.add("---:");
        }
        for (String i : impls) {
            head.add(i);
            align.add("---:");
        }
        if (ratios) {
            for (String o : others) {
                head.add("panama/" + o);
                align.add("---:");
            }
        }
        if (blasColumn) {
            head.add("OpenBLAS best GFLOP/s");
            head.add("panama/OpenBLAS");
            align.add("---:");
            align.add("---:");
        }
        if (torchColumn) {
            head.add("PyTorch samples/s");
            head.add(best() + "/PyTorch");
            align.add("---:");
            align.add("---:");
        }
        for (String i : impls) {
            head.add("B/op " + i);
            align.add("---:");
        }
        sb.append("| ").append(String.join(" | ", head)).append(" |\n");
        sb.append("| ").append(String.join(" | ", align)).append(" |\n");

        for (Map.Entry<Case, Map<String, JmhResult>> e : rows.entrySet()) {
            Map<String, JmhResult> byImpl = e.getValue();
            List<String> cells = new ArrayList<>();
            cells.add(e.getKey().method());
            varying.forEach(k -> cells.add(e.getKey().params().get(k)));
            for (String i : impls) {
                JmhResult r = byImpl.get(i);
                cells.add(r == null ? "-" : Format.si(r.score()) + Format.relError(r.score(), r.error()));
            }
            if (ratios) {
                for (String o : others) {
                    cells.add(Format.ratio(ratio(byImpl.get(PANAMA), byImpl.get(o))));
                }
            }
            if (blasColumn) {
                double g = openBlas(e.getKey());
                JmhResult p = byImpl.get(best());
                cells.add(Double.isNaN(g) ? "-" : Format.sig3(g));
                cells.add(Double.isNaN(g) || p == null ? "-" : Format.ratio(p.score() * gflopScale() / g));
            }
            if (torchColumn) {
                double t = torch(e.getKey());
                JmhResult p = byImpl.get(best());
                cells.add(Format.si(t));
                cells.add(Double.isNaN(t) || p == null ? "-" : Format.ratio(p.score() / t));
            }
            for (String i : impls) {
                JmhResult r = byImpl.get(i);
                cells.add(r == null ? "-" : Format.bytes(r.allocBytes()));
            }
            sb.append("| ").append(String.join(" | ", cells)).append(" |\n");
        }
        sb.append('\n');
    }

    /** The candidate compared with the anchors: the SIMD kernel when there is one. */
    private String best() {
        return impls.contains(PANAMA) ? PANAMA : impls.get(0);
    }

    private static double ratio(JmhResult a, JmhResult b) {
        return a == null || b == null || b.score() == 0 ? Double.NaN : a.score() / b.score();
    }

    /**
     * The OpenBLAS {@code best} GFLOP/s for this case's shape, when the family counts FLOPs (a metric
     * whose name contains "flop") and names its shape by {@code m}, {@code n}, {@code k} (and
     * optionally {@code trans}="NT", or booleans {@code transA}/{@code transB}), or by a {@code shape}
     * parameter {@code MxNxK:TT}; {@code threads} (default 1) picks the OpenBLAS row.
     */
    private double openBlas(Case c) {
        if (anchors.blas().isEmpty() || Double.isNaN(gflopScale())) {
            return Double.NaN;
        }
        Map<String, String> p = all(c);
        try {
            int m;
            int n;
            int k;
            String trans;
            Shape shape = Shape.parse(p.get("shape"));
            if (shape != null) {
                m = shape.m();
                n = shape.n();
                k = shape.k();
                trans = shape.trans();
            } else {
                m = Integer.parseInt(p.get("m"));
                n = Integer.parseInt(p.get("n"));
                k = Integer.parseInt(p.get("k"));
                trans = p.containsKey("trans") ? p.get("trans").toUpperCase(Locale.ROOT)
                        : letter(p.get("transA")) + letter(p.get("transB"));
            }
            int threads = Integer.parseInt(p.getOrDefault("threads", "1"));
            return anchors.blasGflops("best", threads, m, n, k, trans);
        } catch (NumberFormatException | NullPointerException e) {
            return Double.NaN;
        }
    }

    /**
     * What to multiply a score by to get GFLOP/s: 1 for a counter named like {@code gflops}, 1e-9 for
     * one named like {@code flops}, NaN when the family does not count FLOPs.
     */
    private double gflopScale() {
        String all = String.join(" ", metrics).toLowerCase(Locale.ROOT);
        if (all.contains("gflop")) {
            return 1;
        }
        return all.contains("flop") ? 1e-9 : Double.NaN;
    }

    private static String letter(String bool) {
        return "true".equalsIgnoreCase(bool) || "T".equalsIgnoreCase(bool) ? "T" : "N";
    }

    /**
     * PyTorch samples/s for a case of a training-step family ({@code Training}, {@code ...Step}) with
     * {@code model} and {@code batch} parameters, at the case's
     * {@code hidden} parameter, else the preset's code width ({@link Presets#hidden}), else any.
     */
    private double torch(Case c) {
        Map<String, String> p = all(c);
        if (anchors.torch().isEmpty() || !trainingStep() || !p.containsKey("model") || !p.containsKey("batch")) {
            return Double.NaN;
        }
        String model = p.get("model");
        try {
            int hidden = p.containsKey("hidden") ? Integer.parseInt(p.get("hidden"))
                    : Presets.NAMES.contains(model) ? Presets.hidden(model) : -1;
            return anchors.torchSamples(model, hidden, Integer.parseInt(p.get("batch")));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** The PyTorch anchor times training steps: only a family named for them compares with it. */
    private boolean trainingStep() {
        return family.contains("Train") || family.contains("Step");
    }

    private Map<String, String> all(Case c) {
        Map<String, String> p = new LinkedHashMap<>(fixed);
        p.putAll(c.params());
        return p;
    }

    void summaryRows(StringBuilder sb) {
        for (String method : methods) {
            List<Double> r = new ArrayList<>();
            double maxAlloc = Double.NaN;
            for (Map.Entry<Case, Map<String, JmhResult>> e : rows.entrySet()) {
                if (!e.getKey().method().equals(method)) {
                    continue;
                }
                JmhResult p = e.getValue().get(PANAMA);
                double q = ratio(p, e.getValue().get(SCALAR));
                if (!Double.isNaN(q)) {
                    r.add(q);
                }
                if (p != null && !Double.isNaN(p.allocBytes())) {
                    maxAlloc = Double.isNaN(maxAlloc) ? p.allocBytes() : Math.max(maxAlloc, p.allocBytes());
                }
            }
            double logSum = 0;
            double min = Double.NaN;
            double max = Double.NaN;
            for (double q : r) {
                logSum += Math.log(q);
                min = Double.isNaN(min) ? q : Math.min(min, q);
                max = Double.isNaN(max) ? q : Math.max(max, q);
            }
            double geo = r.isEmpty() ? Double.NaN : Math.exp(logSum / r.size());
            sb.append("| [").append(family).append('.').append(method).append("](#")
                    .append(family.toLowerCase(Locale.ROOT)).append(") | ").append(r.size()).append(" | ")
                    .append(Format.ratio(geo)).append(" | ").append(Format.ratio(min)).append(" | ")
                    .append(Format.ratio(max)).append(" | ").append(Format.bytes(maxAlloc)).append(" |\n");
        }
    }

    /**
     * Draws throughput against the size parameter, one line per candidate, one chart per method and
     * combination of the other varying parameters; returns the file names written. A family without
     * a numeric size parameter that varies has no chart, nor has a combination with single points.
     */
    List<String> charts(Path dir) throws IOException {
        String x = sizeParameter();
        List<String> written = new ArrayList<>();
        if (x == null) {
            return written;
        }
        List<String> rest = varying.stream().filter(k -> !k.equals(x)).toList();
        for (String method : methods) {
            Map<Map<String, String>, Map<String, TreeMap<Double, Double>>> charts = new LinkedHashMap<>();
            for (Map.Entry<Case, Map<String, JmhResult>> e : rows.entrySet()) {
                if (!e.getKey().method().equals(method)) {
                    continue;
                }
                Map<String, String> sub = new LinkedHashMap<>();
                rest.forEach(k -> sub.put(k, e.getKey().params().get(k)));
                double xv = xValue(x, e.getKey().params().get(x));
                for (JmhResult r : e.getValue().values()) {
                    charts.computeIfAbsent(sub, s -> new LinkedHashMap<>())
                            .computeIfAbsent(r.impl(), i -> new TreeMap<>()).put(xv, r.score());
                }
            }
            int n = 0;
            for (Map.Entry<Map<String, String>, Map<String, TreeMap<Double, Double>>> c : charts.entrySet()) {
                if (n == MAX_CHARTS_PER_METHOD) {
                    break;
                }
                StringBuilder name = new StringBuilder(family + "-" + method);
                StringBuilder title = new StringBuilder(family + "." + method);
                c.getKey().forEach((k, v) -> {
                    name.append('-').append(k).append(v);
                    title.append(' ').append(k).append('=').append(v);
                });
                List<Charts.Series> series = new ArrayList<>();
                for (String impl : impls) {
                    TreeMap<Double, Double> pts = c.getValue().get(impl);
                    if (pts != null) {
                        series.add(Charts.series(impl, pts));
                    }
                }
                if (series.stream().allMatch(s -> s.x().length < 2)) {
                    continue;
                }
                String file = name.toString().replaceAll("[^A-Za-z0-9._=-]", "_") + ".png";
                Charts.line(dir.resolve(file), title.toString(),
                        x.equals("shape") ? "shape size (m*n*k)^(1/3)" : x, String.join("; ", metrics), series);
                written.add(file);
                n++;
            }
        }
        return written;
    }

    /**
     * The varying numeric parameter that best stands for the problem size, else a GEMM
     * {@code shape} parameter ({@code MxNxK[:TT]}, charted by its cube root of m*n*k), or null.
     */
    private String sizeParameter() {
        List<String> numeric = varying.stream().filter(this::numeric).toList();
        for (String s : SIZE_NAMES) {
            if (numeric.contains(s)) {
                return s;
            }
        }
        if (!numeric.isEmpty()) {
            return numeric.get(0);
        }
        return varying.contains("shape") && rows.keySet().stream().allMatch(c -> Shape.parse(c.params().get("shape")) != null)
                ? "shape" : null;
    }

    private static double xValue(String param, String value) {
        Shape s = param.equals("shape") ? Shape.parse(value) : null;
        return s != null ? s.size() : Double.parseDouble(value);
    }

    private boolean numeric(String param) {
        for (Case c : rows.keySet()) {
            try {
                Double.parseDouble(c.params().get(param));
            } catch (NumberFormatException | NullPointerException e) {
                return false;
            }
        }
        return true;
    }
}
