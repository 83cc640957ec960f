package dev.lanes.jmh.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Turns one sitting's results into {@code benchmarks.md} plus PNG charts: JMH's JSON, the anchors'
 * captured output and the latency harness's output.
 *
 * <pre>
 * java -cp jmh/target/benchmarks.jar dev.lanes.jmh.report.Report --jmh DIR/jmh.json[,DIR/more.json] \
 *      [--anchors DIR/anchors] [--latency DIR/latency] [--command "./jmh/bench quick"] [--out DIR]
 * </pre>
 *
 * Only what is in the inputs is reported: a family absent from the JSON has no table, a missing
 * anchor has no column. The Markdown goes to {@code OUT/benchmarks.md}, the charts to
 * {@code OUT/charts/}.
 */
public final class Report {

    private Report() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> opt = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                System.err.println("usage: Report --jmh FILE [--anchors DIR] [--latency DIR] [--command STR] [--out DIR]");
                System.exit(2);
            }
            opt.put(args[i].substring(2), args[++i]);
        }
        if (!opt.containsKey("jmh")) {
            System.err.println("Report: --jmh FILE is required");
            System.exit(2);
        }
        Path out = Path.of(opt.getOrDefault("out", "."));
        List<Path> jsons = new ArrayList<>();
        for (String f : opt.get("jmh").split(",")) {
            jsons.add(Path.of(f));
        }
        Path md = write(jsons, opt.containsKey("anchors") ? Path.of(opt.get("anchors")) : null,
                opt.containsKey("latency") ? Path.of(opt.get("latency")) : null,
                opt.getOrDefault("command", "(not given)"), out);
        System.out.println("Report: wrote " + md);
    }

    /** Writes {@code out/benchmarks.md} and {@code out/charts/*.png}; returns the Markdown path. */
    public static Path write(Path jmhJson, Path anchorDir, Path latencyDir, String command, Path out)
            throws IOException {
        return write(List.of(jmhJson), anchorDir, latencyDir, command, out);
    }

    /** The same from several JMH result files of one sitting (e.g. the kernels and the training runs). */
    public static Path write(List<Path> jmhJsons, Path anchorDir, Path latencyDir, String command, Path out)
            throws IOException {
        List<JmhResult> results = new ArrayList<>();
        for (Path json : jmhJsons) {
            results.addAll(JmhResult.read(json));
        }
        Anchors anchors = Anchors.read(anchorDir);
        Files.createDirectories(out.resolve("charts"));

        StringBuilder sb = new StringBuilder();
        header(sb, results, command, anchorDir, anchors);

        Map<String, List<JmhResult>> families = new LinkedHashMap<>();
        for (JmhResult r : results) {
            families.computeIfAbsent(r.family(), f -> new ArrayList<>()).add(r);
        }
        List<FamilyTable> tables = new ArrayList<>();
        for (Map.Entry<String, List<JmhResult>> e : families.entrySet()) {
            tables.add(new FamilyTable(e.getKey(), e.getValue(), anchors));
        }

        AcceptanceTable.markdown(sb, results);
        summary(sb, tables);
        for (FamilyTable t : tables) {
            t.markdown(sb);
            for (String chart : t.charts(out.resolve("charts"))) {
                sb.append("![").append(chart).append("](charts/").append(chart).append(")\n\n");
            }
        }
        anchorSection(sb, anchors, anchorDir);
        latencySection(sb, latencyDir, out);

        Path md = out.resolve("benchmarks.md");
        Files.writeString(md, sb.toString());
        return md;
    }

    private static void header(StringBuilder sb, List<JmhResult> results, String command, Path anchorDir,
                               Anchors anchors) throws IOException {
        sb.append("# Lanes benchmarks\n\n");
        sb.append("| | |\n| --- | --- |\n");
        sb.append("| machine | ").append(Machine.cpuModel()).append(", ").append(Machine.logicalCpus())
                .append(" logical CPUs, ").append(System.getProperty("os.name")).append(' ')
                .append(System.getProperty("os.arch")).append(" |\n");
        Set<String> jdks = new LinkedHashSet<>();
        results.forEach(r -> jdks.add(r.jdk()));
        sb.append("| JDK | ").append(jdks.isEmpty() ? "-" : String.join("; ", jdks)).append(" |\n");
        sb.append("| date | ").append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_LOCAL_DATE))
                .append(' ').append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("HH:mm")))
                .append(" UTC |\n");
        Set<String> settings = new LinkedHashSet<>();
        results.forEach(r -> settings.add(r.settings()));
        sb.append("| JMH settings | ").append(settings.isEmpty() ? "-" : String.join("; ", settings)).append(" |\n");
        sb.append("| command | `").append(command).append("` |\n");
        sb.append("| JMH rows | ").append(results.size()).append(" |\n");
        sb.append("| anchors | ").append(anchorDir == null || !Files.isDirectory(anchorDir)
                        ? "not run" : anchors.blas().size() + " OpenBLAS rows, " + anchors.torch().size() + " PyTorch rows")
                .append(" |\n\n");
        sb.append("How to read: each table compares the candidates of one benchmark in the same JVM "
                + "(`panama` = the Vector API kernel, `scalar` = the plain-Java reference it is checked against). "
                + "Throughput is what the benchmark counts per second: elements for the element-wise kernels "
                + "(`@OperationsPerInvocation` or an `elements` counter), FLOPs for GEMM, calls otherwise; "
                + "k/M/G are powers of 1000, ±x% is JMH's 99.9% error (absent with one iteration). "
                + "`panama/scalar` > 1 means the SIMD kernel is faster. `B/op` is the memory allocated per JMH "
                + "operation (`-prof gc`, `gc.alloc.rate.norm`): per call when the throughput is a counter "
                + "(`elements`, `flops`, `samples`: every kernel benchmark, Training, Encode), per element when a "
                + "benchmark declares its elements per call with `@OperationsPerInvocation`. "
                + "The machine may be shared: compare ratios inside one report, not absolute figures across reports. "
                + "With warm-ups of a fraction of a second (the `smoke` profile) the Vector API code is often not yet "
                + "compiled by C2, so SIMD figures and allocations there say nothing about the kernels.\n\n");
    }

    private static void summary(StringBuilder sb, List<FamilyTable> tables) {
        sb.append("## Summary: SIMD against the scalar reference\n\n");
        sb.append("| benchmark | rows | panama/scalar geo. mean | min | max | max B/op (panama) |\n");
        sb.append("| --- | ---: | ---: | ---: | ---: | ---: |\n");
        for (FamilyTable t : tables) {
            t.summaryRows(sb);
        }
        sb.append('\n');
    }

    private static void anchorSection(StringBuilder sb, Anchors anchors, Path anchorDir) {
        sb.append("## Anchors (same sitting)\n\n");
        if (anchors.blas().isEmpty() && anchors.torch().isEmpty()) {
            sb.append(anchorDir == null || !Files.isDirectory(anchorDir)
                    ? "Not run (the anchors live in `../shared/anchors` beside the repository and were not found, or were skipped).\n\n"
                    : "Run, but no result line was recognised; see the captured output in `" + anchorDir.getFileName() + "/`.\n\n");
            return;
        }
        if (!anchors.blas().isEmpty()) {
            sb.append("OpenBLAS `cblas_sgemm` (`sgemm-openblas.sh`; `best` = forced AVX-512 kernel, "
                    + "`default` = its own dispatch):\n\n");
            sb.append("| variant | threads | shape m x n x k | trans | GFLOP/s |\n| --- | ---: | --- | --- | ---: |\n");
            for (Anchors.Blas b : anchors.blas()) {
                sb.append("| ").append(b.variant()).append(" | ").append(b.threads()).append(" | ")
                        .append(b.m()).append(" x ").append(b.n()).append(" x ").append(b.k()).append(" | ")
                        .append(b.trans()).append(" | ").append(Format.sig3(b.gflops())).append(" |\n");
            }
            sb.append('\n');
        }
        if (!anchors.torch().isEmpty()) {
            sb.append("PyTorch CPU training throughput (`torch_sae.py`, Adam, Fashion-MNIST):\n\n");
            sb.append("| torch | threads | model | shape | k | batch | samples/s | loss |\n"
                    + "| --- | ---: | --- | --- | ---: | ---: | ---: | ---: |\n");
            for (Anchors.Torch t : anchors.torch()) {
                sb.append("| ").append(t.version()).append(" | ").append(t.threads()).append(" | ")
                        .append(t.model()).append(" | ").append(t.shape()).append(" | ").append(t.k())
                        .append(" | ").append(t.batch()).append(" | ").append(Format.si(t.samplesPerSecond()))
                        .append(" | ").append(t.loss()).append(" |\n");
            }
            sb.append('\n');
        }
    }

    private static void latencySection(StringBuilder sb, Path latencyDir, Path out) throws IOException {
        if (latencyDir == null || !Files.isDirectory(latencyDir)) {
            return;
        }
        List<Path> summaries;
        List<Path> pngs;
        try (Stream<Path> s = Files.list(latencyDir)) {
            List<Path> all = s.sorted().toList();
            summaries = all.stream().filter(p -> p.toString().endsWith(".summary.txt")).toList();
            pngs = all.stream().filter(p -> p.toString().endsWith(".png")).toList();
        }
        if (summaries.isEmpty()) {
            return;
        }
        sb.append("## Latency (HdrHistogram, fixed rate, coordinated-omission corrected)\n\n");
        for (Path p : summaries) {
            sb.append("```\n").append(Files.readString(p).strip()).append("\n```\n\n");
        }
        for (Path p : pngs) {
            sb.append("![").append(p.getFileName()).append("](")
                    .append(out.toAbsolutePath().relativize(p.toAbsolutePath()).toString().replace('\\', '/'))
                    .append(")\n\n");
        }
        sb.append("Percentile files (`.hgrm`) are beside the charts; plot several with HdrHistogram's "
                + "plotter to compare runs.\n\n");
    }

    /**
     * Values sorted as numbers when both are numbers (so 1024 < 4096 < 16384), GEMM shapes by their
     * work then as text, anything else as text.
     */
    static int compareValues(String a, String b) {
        Shape sa = Shape.parse(a);
        Shape sb = Shape.parse(b);
        if (sa != null && sb != null) {
            int c = Double.compare(sa.size(), sb.size());
            return c != 0 ? c : a.compareTo(b);
        }
        try {
            return Double.compare(Double.parseDouble(a), Double.parseDouble(b));
        } catch (NumberFormatException e) {
            return a.compareTo(b);
        }
    }
}
