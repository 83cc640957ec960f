package dev.lanes.gradcheck;

import java.util.List;
import java.util.Locale;

/**
 * The outcome of a {@link GradientCheck}: per tensor what was checked, skipped at kinks and passed,
 * with the worst relative error and where; the mismatches; and contract violations (gradients that
 * do not accumulate, tensors with no checkable element).
 */
public final class GradientReport {

    /** {@link TensorResult#worstIndex()} when every error was within the noise floor. */
    public static final int NONE = Integer.MIN_VALUE;

    /** At most this many mismatches are listed in the assertion message. */
    static final int LISTED = 10;

    /**
     * One tensor's result.
     *
     * @param name           the tensor's name ({@code input} for the input)
     * @param length         its number of elements
     * @param checked        sampled elements compared (kinks excluded)
     * @param skippedAtKinks sampled elements skipped because the step crossed a kink
     * @param passed         compared elements within the thresholds
     * @param passedByFloor  of those, elements whose relative error exceeded the tolerance but whose
     *                       absolute error was within the noise floor (tiny gradients)
     * @param directions     random-direction checks compared (kinks excluded)
     * @param directionsSkipped random-direction checks skipped because they crossed a kink
     * @param directionsPassed  random-direction checks within the thresholds
     * @param worstRelError  the largest symmetric relative error among the compared elements and directions
     * @param worstIndex     where it occurred: an element index, or {@code -1-d} for direction d;
     *                       {@link #NONE} if nothing was compared
     * @param worstAnalytic  the analytic gradient there
     * @param worstNumeric   the numeric gradient there
     * @param worstAbsError  the absolute error there
     * @param worstWithinFloor whether that absolute error was within the noise floor (a tiny gradient
     *                       whose relative error means little)
     * @param worstRelAboveFloor the largest relative error among the comparisons whose absolute error
     *                       exceeded the noise floor, i.e. those the relative test decided (0 if none)
     */
    public record TensorResult(String name, int length, int checked, int skippedAtKinks, int passed,
                               int passedByFloor, int directions, int directionsSkipped, int directionsPassed,
                               double worstRelError, int worstIndex, double worstAnalytic, double worstNumeric,
                               double worstAbsError, boolean worstWithinFloor, double worstRelAboveFloor) {
    }

    /**
     * An element whose analytic and numeric gradients disagree.
     *
     * @param tensor        the tensor's name
     * @param index         the element's index in the tensor, or {@code -1-d} for random direction d
     * @param analytic      the gradient from backward
     * @param numeric       the central-difference gradient
     * @param relError      {@code |a - n| / (|a| + |n|)}
     * @param absError      {@code |a - n|}
     * @param absTolerance  the absolute floor that applied
     */
    public record Mismatch(String tensor, int index, double analytic, double numeric, double relError,
                          double absError, double absTolerance) {

        @Override
        public String toString() {
            String where = index >= 0 ? "[" + index + "]"
                    : " along random direction " + (-1 - index) + " (all elements, per unit step)";
            return String.format(Locale.ROOT, "tensor %s%s: analytic=%.9g numeric=%.9g rel=%.3g abs=%.3g (abs floor %.3g)",
                    tensor, where, analytic, numeric, relError, absError, absTolerance);
        }
    }

    private final String function;
    private final long seed;
    private final boolean trueGradientMode;
    private final double relTolerance;
    private final List<TensorResult> tensors;
    private final List<Mismatch> mismatches;
    private final List<String> contractViolations;

    GradientReport(String function, long seed, boolean trueGradientMode, double relTolerance,
                   List<TensorResult> tensors, List<Mismatch> mismatches, List<String> contractViolations) {
        this.function = function;
        this.seed = seed;
        this.trueGradientMode = trueGradientMode;
        this.relTolerance = relTolerance;
        this.tensors = List.copyOf(tensors);
        this.mismatches = List.copyOf(mismatches);
        this.contractViolations = List.copyOf(contractViolations);
    }

    /** The checked function's {@code toString()}. */
    public String function() {
        return function;
    }

    /** The seed of the probe, the input and the samples. */
    public long seed() {
        return seed;
    }

    /** Whether the function declared a surrogate gradient and was checked in true-gradient mode. */
    public boolean trueGradientMode() {
        return trueGradientMode;
    }

    /** Per tensor, the input first, then the parameters in order. */
    public List<TensorResult> tensors() {
        return tensors;
    }

    /** The result for tensor {@code name}. */
    public TensorResult tensor(String name) {
        return tensors.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no tensor " + name + " in " + function));
    }

    /** Every element that failed, in check order. */
    public List<Mismatch> mismatches() {
        return mismatches;
    }

    /** Broken contract rules (non-accumulating gradients, tensors with nothing checkable). */
    public List<String> contractViolations() {
        return contractViolations;
    }

    /** Whether every compared element passed and no contract rule was broken. */
    public boolean passed() {
        return mismatches.isEmpty() && contractViolations.isEmpty();
    }

    /** Elements skipped at kinks, over all tensors. */
    public int skippedAtKinks() {
        return tensors.stream().mapToInt(TensorResult::skippedAtKinks).sum();
    }

    /** The largest relative error over all tensors. */
    public double worstRelError() {
        return tensors.stream().mapToDouble(TensorResult::worstRelError).max().orElse(0);
    }

    /** The largest relative error the relative test decided (absolute error above the noise floor). */
    public double worstRelErrorAboveFloor() {
        return tensors.stream().mapToDouble(TensorResult::worstRelAboveFloor).max().orElse(0);
    }

    /** Throws an {@link AssertionError} naming tensor, index, analytic, numeric, errors and the seed unless {@link #passed()}. */
    public void assertGradients() {
        if (passed()) {
            return;
        }
        StringBuilder m = new StringBuilder();
        m.append("gradient check failed for ").append(function).append(" (").append(mode()).append("seed=")
                .append(String.format("0x%016x", seed)).append("): ");
        m.append(mismatches.size()).append(" mismatches, ").append(contractViolations.size()).append(" contract violations");
        for (String c : contractViolations) {
            m.append("\n  ").append(c);
        }
        for (int i = 0; i < Math.min(LISTED, mismatches.size()); i++) {
            m.append("\n  ").append(mismatches.get(i));
        }
        if (mismatches.size() > LISTED) {
            m.append("\n  ... ").append(mismatches.size() - LISTED).append(" more");
        }
        m.append('\n').append(this);
        throw new AssertionError(m.toString());
    }

    private String mode() {
        return trueGradientMode ? "checked in true-gradient mode: it declares a surrogate gradient; " : "";
    }

    /** A table: one line per tensor. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "gradient check of %s (%sseed=0x%016x, rel tolerance %.1g): %s",
                function, mode(), seed, relTolerance, passed() ? "passed" : "FAILED"));
        for (TensorResult t : tensors) {
            s.append(String.format(Locale.ROOT,
                    "%n  %-12s n=%-6d checked=%-4d kinks=%-3d passed=%-4d (%d by noise floor) directions=%d/%d (kinks %d)"
                            + " worst rel=%.2e at %s (analytic=%.6g numeric=%.6g abs=%.2e%s)",
                    t.name(), t.length(), t.checked(), t.skippedAtKinks(), t.passed(), t.passedByFloor(),
                    t.directionsPassed(), t.directions(), t.directionsSkipped(), t.worstRelError(),
                    t.worstIndex() == NONE ? "-" : t.worstIndex() >= 0 ? "[" + t.worstIndex() + "]"
                            : "direction " + (-1 - t.worstIndex()),
                    t.worstAnalytic(), t.worstNumeric(), t.worstAbsError(), t.worstWithinFloor() ? ", within noise floor" : ""));
        }
        return s.toString();
    }
}
