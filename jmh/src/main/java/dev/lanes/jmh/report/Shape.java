package dev.lanes.jmh.report;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A GEMM shape parameter as GemmBenchmark writes it: {@code MxNxK} with an optional {@code :TATB}. */
record Shape(int m, int n, int k, String trans) {

    private static final Pattern FORM = Pattern.compile("(\\d+)x(\\d+)x(\\d+)(?::([NT]{2}))?");

    /** The shape, or null if {@code s} is null or not of that form. */
    static Shape parse(String s) {
        if (s == null) {
            return null;
        }
        Matcher m = FORM.matcher(s.strip());
        if (!m.matches()) {
            return null;
        }
        return new Shape(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                m.group(4) == null ? "NN" : m.group(4));
    }

    /** A single size for charts and ordering: the cube root of m*n*k (the side of a cube of equal work). */
    double size() {
        return Math.cbrt((double) m * n * k);
    }
}
