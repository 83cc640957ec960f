package dev.lanes.jmh.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report generator on a checked-in JMH result ({@code report/jmh-sample.json}, JMH 1.37's JSON
 * format with {@code -prof gc}) whose figures are chosen so that every ratio is known.
 */
class ReportTest {

    @TempDir
    Path tmp;

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(Objects.requireNonNull(ReportTest.class.getResource("/report/" + name), name).toURI());
    }

    @Test
    void parsesRowsCountersAndAllocation() throws Exception {
        List<JmhResult> rows = JmhResult.read(resource("jmh-sample.json"));
        assertEquals(19, rows.size());

        JmhResult dot = rows.get(0);
        assertEquals("Blas", dot.family());
        assertEquals("dot", dot.method());
        assertEquals("panama", dot.impl());
        assertEquals("score", dot.metric());
        assertEquals("ops/s", dot.unit());
        assertEquals(4.0e8, dot.score());
        assertEquals(2.0e7, dot.error(), 1e-3);
        assertFalse(dot.params().containsKey("impl"), "impl is a column, not a parameter");

        JmhResult topk = rows.stream().filter(r -> r.family().equals("TopK") && r.impl().equals("scalar"))
                .findFirst().orElseThrow();
        assertEquals("elements", topk.metric(), "a user counter is preferred to the calls/s score");
        assertEquals(655.0, topk.allocBytes());
        assertTrue(Double.isNaN(topk.error()), "JMH writes \"NaN\" as a string with one iteration");
    }

    @Test
    void writesTablesRatiosAnchorsAndCharts() throws Exception {
        Path md = Report.write(resource("jmh-sample.json"), resource("anchors"), null, "./jmh/bench smoke", tmp);
        String text = Files.readString(md);

        for (String family : List.of("## Blas", "## TopK", "## Gemm", "## Training", "## Summary")) {
            assertTrue(text.contains(family), family + " missing in\n" + text);
        }
        assertTrue(text.contains("`./jmh/bench smoke`"), "the command is in the header");
        // Blas.dot n=65536: 8.0 G against 1.0 G elements/s.
        assertTrue(text.contains("| dot | 65536 | 8.00 G ±5% | 1.00 G ±5% | 8.00x |"), text);
        // Rows are sorted by size as numbers, not as text.
        assertTrue(text.indexOf("| dot | 127 |") < text.indexOf("| dot | 65536 |"));
        // TopK cols=1024: panama 160*4 calls/s x 256 x 1024 elements; ratios to the three others.
        assertTrue(text.contains("| select | 1024 | 168 M | 41.9 M | 21.0 M | 10.5 M | 4.00x | 8.00x | 16.0x | 0 | 655 | 317 k | 2.41 k |"), text);
        assertTrue(text.contains("Fixed parameters: `k=32` `rows=256`"), text);
        // Gemm (shape "MxNxK:TT", a gflops counter) against OpenBLAS best: 125 / 250 and 100 / 200 GFLOP/s,
        // rows ordered by work, not as text.
        assertTrue(text.contains("| sgemm | 256x4096x784:NT | 100 | 2.00 | 50.0x | 200 | 0.50x |"), text);
        assertTrue(text.contains("| sgemm | 1024x1024x1024:NN | 125 | 2.50 | 50.0x | 250 | 0.50x |"), text);
        assertTrue(text.indexOf("256x4096x784:NT") < text.indexOf("1024x1024x1024:NN"), text);
        assertTrue(Files.size(tmp.resolve("charts/Gemm-sgemm.png")) > 1000);
        // Training against PyTorch: 7800 / 3900 samples/s.
        assertTrue(text.contains("| 3.90 k | 2.00x |"), text);
        // Summary: Blas.dot ratios 2, 4, 8 have a geometric mean of 4.
        assertTrue(text.contains("| [Blas.dot](#blas) | 3 | 4.00x | 2.00x | 8.00x | 0 |"), text);
        assertTrue(text.contains("| best | 1 | 1024 x 1024 x 1024 | NN | 250 |"), text);
        assertTrue(text.contains("| 1.13.1 | 1 | l1 | 784-4096-784 | 32 | 256 | 3.90 k | 0.0123 |"), text);

        assertTrue(Files.size(tmp.resolve("charts/Blas-dot.png")) > 1000);
        assertTrue(Files.size(tmp.resolve("charts/TopK-select.png")) > 1000);
        assertTrue(text.contains("![Blas-dot.png](charts/Blas-dot.png)"));
    }

    @Test
    void reportsOnlyWhatIsPresent() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ArrayNode blasOnly = mapper.createArrayNode();
        for (JsonNode row : mapper.readTree(resource("jmh-sample.json").toFile())) {
            if (row.path("benchmark").asText().contains(".BlasBenchmark.")) {
                blasOnly.add(row);
            }
        }
        assertEquals(6, blasOnly.size());
        Path json = tmp.resolve("blas.json");
        mapper.writeValue(json.toFile(), blasOnly);

        String text = Files.readString(Report.write(json, tmp.resolve("no-such-dir"), null, "x", tmp.resolve("out")));
        assertTrue(text.contains("## Blas"));
        assertFalse(text.contains("## TopK"));
        assertFalse(text.contains("## Gemm"));
        assertFalse(text.contains("OpenBLAS best"), "no anchor column without anchors");
        assertTrue(text.contains("Not run"), text);
    }

    @Test
    void acceptanceLinesReadTheirRows() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ArrayNode rows = mapper.createArrayNode();
        // softplus 3.0 G (holds), sigmoid 2.4 G (does not), tanh absent; scalar at 100 M.
        rows.add(row(mapper, "ActivationBenchmark.run", "panama", 3.0e9, "activation", "SOFTPLUS", "direction", "forward", "n", "65536"));
        rows.add(row(mapper, "ActivationBenchmark.run", "scalar", 1.0e8, "activation", "SOFTPLUS", "direction", "forward", "n", "65536"));
        rows.add(row(mapper, "ActivationBenchmark.run", "panama", 2.4e9, "activation", "SIGMOID", "direction", "forward", "n", "65536"));
        rows.add(row(mapper, "ActivationBenchmark.run", "scalar", 1.0e8, "activation", "SIGMOID", "direction", "forward", "n", "65536"));
        // A derivative the JIT vectorizes: 0.9x, the lowest of all; at another n it does not count.
        rows.add(row(mapper, "ActivationBenchmark.run", "panama", 9.0e9, "activation", "TANH", "direction", "backward", "n", "65536"));
        rows.add(row(mapper, "ActivationBenchmark.run", "scalar", 1.0e10, "activation", "TANH", "direction", "backward", "n", "65536"));
        rows.add(row(mapper, "ActivationBenchmark.run", "panama", 1.0e9, "activation", "TANH", "direction", "backward", "n", "127"));
        rows.add(row(mapper, "ActivationBenchmark.run", "scalar", 1.0e10, "activation", "TANH", "direction", "backward", "n", "127"));
        // With JMH intervals: 0.95x inside them (not slower), 0.5x beyond them (slower).
        rows.add(row(mapper, "ActivationBenchmark.run", "panama", 9.5e9, 1e9, "activation", "IDENTITY", "direction", "backward", "n", "65536"));
        rows.add(row(mapper, "ActivationBenchmark.run", "scalar", 1.0e10, 1e9, "activation", "IDENTITY", "direction", "backward", "n", "65536"));
        rows.add(row(mapper, "ActivationBenchmark.run", "panama", 5.0e9, 2e8, "activation", "RELU", "direction", "forward", "n", "65536"));
        rows.add(row(mapper, "ActivationBenchmark.run", "scalar", 1.0e10, 5e8, "activation", "RELU", "direction", "forward", "n", "65536"));
        // TopK: 256 x 16384 elements at 8 G/s is 0.524 ms per call; 3.5x the scalar reference.
        rows.add(row(mapper, "TopKBenchmark.select", "panama", 8.0e9, "cols", "16384", "k", "32", "rows", "256"));
        rows.add(row(mapper, "TopKBenchmark.select", "scalar", 8.0e9 / 3.5, "cols", "16384", "k", "32", "rows", "256"));
        Path json = tmp.resolve("acceptance.json");
        mapper.writeValue(json.toFile(), rows);

        String text = Files.readString(Report.write(json, null, null, "x", tmp.resolve("out")));
        assertTrue(text.contains("| `Activation.SOFTPLUS` forward, n = 65536 | >= 2.5 G elements/s | 3.00 G/s | yes |"), text);
        assertTrue(text.contains("| `Activation.SIGMOID` forward, n = 65536 | >= 2.5 G elements/s | 2.40 G/s | **no** |"), text);
        assertTrue(text.contains("| `Activation.TANH` forward, n = 65536 | >= 2.5 G elements/s | not measured | - |"), text);
        assertTrue(text.contains("| `TopK.select` 256 x 16384, k = 32 | <= 1 ms per call | 0.524 ms | yes |"), text);
        // Unvectorized by the JIT: softplus 30x, sigmoid 24x, TopK 3.5x.
        assertTrue(text.contains("top-k; 3 kernels) | >= 4x each | lowest 3.50x (TopK.select 16384 32 256) | **no** |"), text);
        assertTrue(text.contains("| No kernel slower than its scalar reference (6 kernels) | >= 1x each, beyond JMH's "
                + "99.9% intervals | lowest 0.50x (Activation.run RELU forward); slower beyond the intervals: "
                + "Activation.run TANH backward, Activation.run RELU forward | **no** |"), text);
        assertFalse(text.contains("slower beyond the intervals: Activation.run IDENTITY"), text);
        assertTrue(text.indexOf("## Acceptance lines") < text.indexOf("## Summary"), "first screen");
    }

    /** -bm avgt rows (ms/op) are read as calls per second: lower time, higher ratio, TopK's line in ms. */
    @Test
    void averageTimeRowsReadAsTheirInverse() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ArrayNode rows = mapper.createArrayNode();
        rows.add(avgtRow(mapper, "panama", 0.5, 0.05));
        rows.add(avgtRow(mapper, "scalar", 5.0, 0.5));
        Path json = tmp.resolve("avgt.json");
        mapper.writeValue(json.toFile(), rows);
        JmhResult panama = JmhResult.read(json).get(0);
        assertEquals("ops/s", panama.unit());
        assertEquals(2000.0, panama.score(), 1e-9);
        assertEquals(0.05e-3 / (0.5e-3 * 0.5e-3), panama.error(), 1e-6);
        String text = Files.readString(Report.write(json, null, null, "x", tmp.resolve("out")));
        assertTrue(text.contains("| `TopK.select` 256 x 16384, k = 32 | <= 1 ms per call | 0.500 ms"), text);
        assertTrue(text.contains("| 10.0x |"), text);
    }

    private static JsonNode avgtRow(ObjectMapper mapper, String impl, double ms, double error) {
        var row = mapper.createObjectNode();
        row.put("benchmark", "dev.lanes.jmh.TopKBenchmark.select");
        row.put("mode", "avgt");
        row.put("forks", 1);
        var p = row.putObject("params");
        p.put("impl", impl);
        p.put("cols", "16384");
        p.put("k", "32");
        p.put("rows", "256");
        var primary = row.putObject("primaryMetric");
        primary.put("score", ms);
        primary.put("scoreError", error);
        primary.put("scoreUnit", "ms/op");
        return row;
    }

    /** A JMH JSON row with an {@code elements} counter of {@code elements} per second, without an interval. */
    private static JsonNode row(ObjectMapper mapper, String benchmark, String impl, double elements, String... params) {
        return row(mapper, benchmark, impl, elements, Double.NaN, params);
    }

    /** As above, with JMH's 99.9% half-width {@code error} (NaN: none). */
    private static JsonNode row(ObjectMapper mapper, String benchmark, String impl, double elements, double error,
                                String... params) {
        var row = mapper.createObjectNode();
        row.put("benchmark", "dev.lanes.jmh." + benchmark);
        row.put("forks", 1);
        var p = row.putObject("params");
        p.put("impl", impl);
        for (int i = 0; i < params.length; i += 2) {
            p.put(params[i], params[i + 1]);
        }
        var primary = row.putObject("primaryMetric");
        primary.put("score", elements / 1000);
        primary.put("scoreError", "NaN");
        primary.put("scoreUnit", "ops/s");
        var counter = row.putObject("secondaryMetrics").putObject("elements");
        counter.put("score", elements);
        if (Double.isNaN(error)) {
            counter.put("scoreError", "NaN");
        } else {
            counter.put("scoreError", error);
        }
        counter.put("scoreUnit", "ops/s");
        return row;
    }

    @Test
    void anchorParserSkipsOtherLines() {
        Anchors a = new Anchors();
        a.parse("gcc: warning: something");
        a.parse("best    threads=2 openblas sgemm TN m=4096 n=784 k=256: 0.002 s  474.0 GFLOP/s");
        a.parse("torch 1.13.1 threads=1 model=topk 784-16384-784 k=32 batch=256: 840 samples/s, loss 0.0200");
        assertEquals(1, a.blas().size());
        assertEquals(474.0, a.blasGflops("best", 2, 4096, 784, 256, "TN"));
        assertTrue(Double.isNaN(a.blasGflops("default", 2, 4096, 784, 256, "TN")));
        assertEquals(840.0, a.torchSamples("topk", 16384, 256));
        assertEquals(840.0, a.torchSamples("topk", -1, 256), "hidden < 1 matches any width");
        assertTrue(Double.isNaN(a.torchSamples("topk", 4096, 256)), "another width is another model");
        a.parse("torch 1.13.1 threads=1 model=l1 784-4096-784 k=32 batch=32: 3100 samples/s, loss 0.0300");
        assertEquals(3100.0, a.torchSamples("sparse-l1", 4096, 32), "Lanes' sparse-l1 is the anchor's l1");
    }

    @Test
    void parsesGemmShapes() {
        Shape s = Shape.parse("256x784x4096:NT");
        assertEquals(new Shape(256, 784, 4096, "NT"), s);
        assertEquals(new Shape(64, 64, 64, "NN"), Shape.parse("64x64x64"));
        assertEquals(null, Shape.parse("64x64"));
        assertTrue(Report.compareValues("128x128x128:NN", "1024x1024x1024:NN") < 0);
        assertTrue(Report.compareValues("127", "1000") < 0);
    }

    @Test
    void formatsNumbers() {
        assertEquals("2.20 G", Format.si(2.2e9));
        assertEquals("38.5", Format.si(38.5));
        assertEquals("1.00 k", Format.si(999.6));
        assertEquals("0", Format.bytes(1e-4));
        assertEquals("-", Format.ratio(Double.NaN));
        assertEquals(" ±5%", Format.relError(100, 5));
        assertEquals("", Format.relError(100, Double.NaN));
    }

    @Test
    void missingJsonFails() {
        assertThrows(IOException.class,
                () -> JmhResult.read(tmp.resolve("absent.json")));
    }
}
