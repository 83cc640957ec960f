package dev.lanes.jmh.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The anchors' figures, parsed from the captured standard output of
 * {@code ../shared/anchors/sgemm-openblas.sh} and {@code torch_sae.py} (files {@code *.txt} in one
 * directory). Lines that match neither format are ignored, so a partial or failed anchor run gives a
 * shorter list, never an error.
 */
public final class Anchors {

    /** One OpenBLAS row: {@code variant} is {@code best} (forced AVX-512) or {@code default}. */
    public record Blas(String variant, int threads, int m, int n, int k, String trans, double gflops) {
    }

    /** One PyTorch training-throughput row. */
    public record Torch(String version, int threads, String model, String shape, int k, int batch,
                        double samplesPerSecond, String loss) {

        /** The code width: the middle of {@code shape} (784-4096-784), or -1. */
        public int hidden() {
            String[] parts = shape.split("-");
            try {
                return parts.length == 3 ? Integer.parseInt(parts[1]) : -1;
            } catch (NumberFormatException e) {
                return -1;
            }
        }
    }

    // best    threads=1 openblas sgemm NN m=1024 n=1024 k=1024: 0.008 s  250.1 GFLOP/s
    private static final Pattern BLAS = Pattern.compile(
            "^(\\w+)\\s+threads=(\\d+)\\s+openblas sgemm\\s+([NT]{2})\\s+m=(\\d+)\\s+n=(\\d+)\\s+k=(\\d+):.*?([0-9.]+)\\s+GFLOP/s");
    // torch 1.13.1 threads=1 model=l1 784-4096-784 k=32 batch=256: 3900 samples/s, loss 0.0123
    private static final Pattern TORCH = Pattern.compile(
            "^torch\\s+(\\S+)\\s+threads=(\\d+)\\s+model=(\\w+)\\s+(\\S+)\\s+k=(\\d+)\\s+batch=(\\d+):\\s+([0-9.]+)\\s+samples/s(?:,\\s+loss\\s+(\\S+))?");

    private final List<Blas> blas = new ArrayList<>();
    private final List<Torch> torch = new ArrayList<>();

    /** Parses every {@code *.txt} file of {@code dir}; an absent directory gives no anchors. */
    public static Anchors read(Path dir) throws IOException {
        Anchors a = new Anchors();
        if (dir == null || !Files.isDirectory(dir)) {
            return a;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".txt")).sorted().toList()) {
                for (String line : Files.readAllLines(f)) {
                    a.parse(line);
                }
            }
        }
        return a;
    }

    /** Adds the anchor row on {@code line}, if it is one. */
    public void parse(String line) {
        String s = line.strip();
        Matcher m = BLAS.matcher(s);
        if (m.find()) {
            blas.add(new Blas(m.group(1), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(4)),
                    Integer.parseInt(m.group(5)), Integer.parseInt(m.group(6)), m.group(3),
                    Double.parseDouble(m.group(7))));
            return;
        }
        m = TORCH.matcher(s);
        if (m.find()) {
            torch.add(new Torch(m.group(1), Integer.parseInt(m.group(2)), m.group(3), m.group(4),
                    Integer.parseInt(m.group(5)), Integer.parseInt(m.group(6)), Double.parseDouble(m.group(7)),
                    m.group(8) == null ? "" : m.group(8)));
        }
    }

    public List<Blas> blas() {
        return blas;
    }

    public List<Torch> torch() {
        return torch;
    }

    /** The OpenBLAS figure for a shape, or NaN if that shape was not run. */
    public double blasGflops(String variant, int threads, int m, int n, int k, String trans) {
        for (Blas b : blas) {
            if (b.variant.equals(variant) && b.threads == threads && b.m == m && b.n == n && b.k == k
                    && b.trans.equals(trans)) {
                return b.gflops;
            }
        }
        return Double.NaN;
    }

    /**
     * The PyTorch samples/s for a model, code width and batch, or NaN. Lanes' preset names
     * {@code sparse-l1} and {@code sparse-kl} are the anchor's {@code l1} and {@code kl}; {@code hidden}
     * below 1 matches any width.
     */
    public double torchSamples(String model, int hidden, int batch) {
        String name = model.toLowerCase(java.util.Locale.ROOT);
        name = name.startsWith("sparse-") ? name.substring("sparse-".length()) : name;
        for (Torch t : torch) {
            if (t.model.equalsIgnoreCase(name) && t.batch == batch && (hidden < 1 || t.hidden() == hidden)) {
                return t.samplesPerSecond;
            }
        }
        return Double.NaN;
    }
}
