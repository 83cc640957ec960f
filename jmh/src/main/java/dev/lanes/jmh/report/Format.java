package dev.lanes.jmh.report;

import java.util.Locale;

/** Number formatting shared by the report's tables. */
final class Format {

    private Format() {
    }

    /** Three significant digits with an SI prefix: {@code 2.20 G}, {@code 38.5}, {@code 655 k}. */
    static String si(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        double a = Math.abs(v);
        String[] prefix = {"", " k", " M", " G", " T"};
        int p = 0;
        while (a >= 999.5 && p < prefix.length - 1) {
            a /= 1000;
            v /= 1000;
            p++;
        }
        return sig3(v) + prefix[p];
    }

    /** A rate with its unit, e.g. {@code 2.20 G ops/s}. */
    static String rate(double v, String unit) {
        return si(v) + " " + unit;
    }

    /** Bytes per operation; values JMH itself prints as {@code ≈ 10⁻⁴} are shown as 0. */
    static String bytes(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        if (v < 0.01) {
            return "0";
        }
        return si(v);
    }

    /** A ratio such as {@code 4.21x}. */
    static String ratio(double r) {
        return Double.isNaN(r) || Double.isInfinite(r) ? "-" : sig3(r) + "x";
    }

    /** The relative error of a score as {@code ±3%}, empty when JMH had too few iterations. */
    static String relError(double score, double error) {
        if (Double.isNaN(error) || score == 0) {
            return "";
        }
        return String.format(Locale.ROOT, " ±%.0f%%", 100 * error / Math.abs(score));
    }

    static String sig3(double v) {
        double a = Math.abs(v);
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
