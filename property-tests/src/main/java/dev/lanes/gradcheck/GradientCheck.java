package dev.lanes.gradcheck;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * Checks a {@link Differentiable}'s backward pass against finite differences, for the input and
 * every parameter tensor.
 *
 * <pre>{@code
 * GradientCheck.of(layer).seed(42).run().assertGradients();
 * }</pre>
 *
 * <p><b>Probe loss.</b> {@code L = sum_j r_j * y_j} with {@code r} drawn uniformly from [-1, 1] by the
 * seed; the analytic gradient is {@code backward(dy = r)}. A central difference is
 * {@code D(h) = sum_j r_j (y_j(theta+) - y_j(theta-)) / (theta+ - theta-)}, accumulated in double;
 * forming the difference per output makes outputs that do not depend on {@code theta} cancel
 * exactly, so their rounding adds no noise. {@code theta+-} are the floats nearest to
 * {@code theta +- h}, and the realised step is the denominator. The numeric gradient is the
 * Richardson combination {@code n = (4 D(h/2) - D(h)) / 3}, whose truncation error is O(h^4).
 *
 * <p><b>Step.</b> {@code h = 2^-8 * max(1, |theta|)} ({@link #STEP}). A plain central difference errs by
 * about {@code h^2 |f'''| / 6} (truncation) plus {@code u S / h} (float rounding of the outputs,
 * {@code u = 2^-24}, {@code S} their magnitude), smallest near {@code h = cbrt(3u) ~ 0.0084} for
 * unit-scale functions; we take the power of two {@code 2^-8 = 0.0039} just below it, which makes
 * {@code theta +- h} exact for {@code |theta| < 1} and puts few elements within a step of a kink.
 * Truncation is absolute, not relative to {@code f'}: a small gradient of a strongly curved function
 * ({@code 1 + a(1 - tanh^2(ax))} near its zero) was off by 2 % with {@code D(h)} alone, hence
 * Richardson, which costs two more forward passes and triples the rounding term (about
 * {@code 5e-5 S} absolute).
 *
 * <p><b>Thresholds.</b> A comparison passes if its symmetric relative error
 * {@code |a - n| / (|a| + |n|)} is at most {@link #REL_TOLERANCE} ({@code 1e-3}: a 1 % scale error
 * gives {@code ~5e-3}; correct functions stay below {@code 3e-5} wherever the relative test decides),
 * or its absolute error is within the noise floor: the larger of {@link #ABS_TOLERANCE} and the
 * rounding both sides can carry, {@link #NOISE_FACTOR} {@code u} per output that moved,
 * {@code 4u sum_j |r_j| (|y_j+| + |y_j-|)} over the realised step (tripled by Richardson), plus
 * {@code 4u sum_k |a_k step_k|} for the analytic side of a direction. The floor lets tiny gradients
 * through, where relative error means nothing (a gradient of {@code 4e-3} computed from outputs of
 * size 1 is known to about {@code 1e-5}), without hiding errors in gradients that stand clear of
 * the noise. An element whose every evaluation left every output unchanged (its effect rounded away)
 * gets the resolution {@code 2 max_j |r_j| ulp(y_j) / (h/2)} as its floor: the numeric gradient is 0
 * there whatever the true one is (without it, a correct 1x12->4 affine map failed at seed 0xbdc: a weight
 * with gradient 1.1e-5 moved no output, numeric 0). Over MutationTest's 9 functions x 400 seeds (8 seed
 * ranges): no false alarm.
 *
 * <p><b>Measured noise.</b> The modelled floor undercounts when an output's rounding exceeds a few
 * roundings of its own magnitude: a dot product whose terms cancel rounds at the scale of its terms, and
 * a loss at the end of several layers carries the roundings of all of them (a correct 5->3 dense layer
 * missed by 8.8e-5 against a floor of 3.5e-5). So a comparison that fails within {@link #SUSPECT}
 * floors is probed {@link #NOISE_STEPS} more times at step lengths from {@code 5h/8} to {@code 11h/8},
 * and the floor becomes at least {@link #SPREAD_FACTOR} times the spread of the numeric gradients. The
 * spread comes from forward evaluations only, so a wrong backward cannot widen it; a fault whose error
 * stands clear of the function's own measured noise is still caught (the mutation test's score is
 * unchanged), and a comparison that fails by more than {@code SUSPECT} floors costs nothing extra.
 *
 * <p><b>Sampling.</b> Tensors of up to {@link #SMALL_TENSOR} elements are checked element by element
 * in full; larger ones at {@link #SAMPLES} stratified indices (the first, the last, and one drawn from
 * each equal stratum in between) plus the {@link #LARGEST} elements with the largest analytic
 * gradient. Every tensor also gets {@link #DIRECTIONS} random-direction checks: all elements move at
 * once by {@code +-h_i / sqrt(n)} with random signs, and the change of {@code L} is compared with
 * {@code sum_i a_i step_i}, so an error in an element the sample missed (a dropped one-hot term, a
 * gradient written to the wrong index) still shows.
 *
 * <p><b>Kinks.</b> An element (or direction) whose {@code theta +- h} or {@code theta +- h/2}
 * evaluation changes {@link Differentiable#discreteState} (or, if the function exposes none, the
 * zero pattern of {@code y}) is skipped and counted. <b>Surrogates.</b> A function that declares
 * {@link Differentiable#surrogateGradient()} is switched to its true gradient for the check, and
 * back afterwards; the report says so. <b>Contract.</b> dx is filled with NaN before backward (every
 * element must be written); backward runs twice and parameter gradients must double (they
 * accumulate); neither pass may write into {@code x} or {@code dy}. Parameters and their gradients
 * are restored afterwards.
 */
public final class GradientCheck {

    /** The relative step: {@code h = STEP * max(1, |theta|)}. */
    public static final double STEP = 0x1p-8;
    /** The largest symmetric relative error that passes. */
    public static final double REL_TOLERANCE = 1e-3;
    /** The smallest absolute floor. */
    public static final double ABS_TOLERANCE = 1e-6;
    /** How many float roundings per changed output the noise floor allows. */
    public static final double NOISE_FACTOR = 4;
    /** Tensors up to this many elements are checked in full. */
    public static final int SMALL_TENSOR = 64;
    /** Stratified elements checked in a larger tensor (the first and last included). */
    public static final int SAMPLES = 32;
    /** Elements with the largest analytic gradient added to a larger tensor's sample. */
    public static final int LARGEST = 8;
    /** Random-direction checks per tensor (each moves every element). */
    public static final int DIRECTIONS = 3;
    /** A failing comparison within this many noise floors has its noise measured ({@link #NOISE_STEPS}). */
    public static final double SUSPECT = 64;
    /** Extra step lengths of a noise measurement: {@code h (1 +- m/8)} for {@code m = 1..NOISE_STEPS/2}. */
    public static final int NOISE_STEPS = 6;
    /** The measured floor: this many times the spread of the numeric gradients over the step lengths. */
    public static final double SPREAD_FACTOR = 2;

    private static final double UNIT_ROUNDOFF = 0x1p-24;
    static final String INPUT = "input";

    private final Differentiable f;
    private long seed;
    private float[] input;
    private double relTolerance = REL_TOLERANCE;
    private double absTolerance = ABS_TOLERANCE;
    private int samples = SAMPLES;

    private GradientCheck(Differentiable f) {
        this.f = Objects.requireNonNull(f, "f");
    }

    /** A check of {@code f} with seed 0, a random input and the default thresholds. */
    public static GradientCheck of(Differentiable f) {
        return new GradientCheck(f);
    }

    /** The seed of the probe {@code r}, the random input and the sampled indices. */
    public GradientCheck seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** The input to check at (copied); default: uniform in [-1, 1] from the seed. */
    public GradientCheck input(float[] x) {
        if (x.length != f.inputSize()) {
            throw new IllegalArgumentException("input: x.length=" + x.length + " != inputSize=" + f.inputSize());
        }
        this.input = x.clone();
        return this;
    }

    /** The relative-error threshold (default {@link #REL_TOLERANCE}). */
    public GradientCheck relTolerance(double tolerance) {
        this.relTolerance = tolerance;
        return this;
    }

    /** The smallest absolute floor (default {@link #ABS_TOLERANCE}). */
    public GradientCheck absTolerance(double tolerance) {
        this.absTolerance = tolerance;
        return this;
    }

    /** Elements checked per tensor larger than {@link #SMALL_TENSOR} (at least 2: first and last). */
    public GradientCheck samples(int perTensor) {
        if (perTensor < 2) {
            throw new IllegalArgumentException("samples: perTensor=" + perTensor + " < 2");
        }
        this.samples = perTensor;
        return this;
    }

    /** Runs the check; see the class comment. */
    public GradientReport run() {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = input != null ? input.clone() : uniform(random, f.inputSize());
        float[] r = uniform(random, f.outputSize());
        List<Tensor> params = List.copyOf(f.parameters());
        List<float[]> savedGrads = params.stream()
                .map(t -> Arrays.copyOfRange(t.grad(), t.gradOffset(), t.gradOffset() + t.length())).toList();
        boolean surrogate = f.surrogateGradient();
        if (surrogate) {
            f.trueGradient(true);
        }
        try {
            return check(random, x, r, params, surrogate);
        } finally {
            if (surrogate) {
                f.trueGradient(false);
            }
            for (int p = 0; p < params.size(); p++) {
                Tensor t = params.get(p);
                System.arraycopy(savedGrads.get(p), 0, t.grad(), t.gradOffset(), t.length());
            }
        }
    }

    private GradientReport check(SplittableRandom random, float[] x, float[] r, List<Tensor> params, boolean surrogate) {
        float[] y = new float[f.outputSize()];
        float[] dx = new float[x.length];
        List<GradientReport.Mismatch> mismatches = new ArrayList<>();
        List<String> contract = new ArrayList<>();

        for (Tensor t : params) {
            Arrays.fill(t.grad(), t.gradOffset(), t.gradOffset() + t.length(), 0f);
        }
        float[] xCopy = x.clone();
        float[] dy = r.clone();
        f.forward(x, y);
        long[] state = state(x, y);
        Arrays.fill(dx, Float.NaN);
        f.backward(x, y, dy, dx);
        if (!Arrays.equals(x, xCopy)) {
            contract.add("forward or backward wrote into its input x");
            System.arraycopy(xCopy, 0, x, 0, x.length);
        }
        if (!Arrays.equals(dy, r)) {
            contract.add("backward wrote into dy");
        }
        List<float[]> analytic = new ArrayList<>();
        for (Tensor t : params) {
            analytic.add(Arrays.copyOfRange(t.grad(), t.gradOffset(), t.gradOffset() + t.length()));
        }
        checkAccumulation(x, y, r, params, analytic, contract);

        List<GradientReport.TensorResult> results = new ArrayList<>();
        Tensor in = new Tensor(INPUT, x, 0, x.length, dx, 0);
        results.add(checkTensor(in, dx, random, x, r, state, mismatches));
        for (int p = 0; p < params.size(); p++) {
            results.add(checkTensor(params.get(p), analytic.get(p), random, x, r, state, mismatches));
        }
        for (GradientReport.TensorResult t : results) {
            if (t.length() > 0 && t.checked() == 0 && t.directions() == 0) {
                contract.add("tensor " + t.name() + ": nothing could be checked, all " + t.skippedAtKinks()
                        + " sampled elements and " + t.directionsSkipped() + " directions cross kinks (try another input or seed)");
            }
        }
        return new GradientReport(f.toString(), seed, surrogate, relTolerance, results, mismatches, contract);
    }

    private void checkAccumulation(float[] x, float[] y, float[] r, List<Tensor> params, List<float[]> analytic,
                                   List<String> contract) {
        if (params.isEmpty()) {
            return;
        }
        float[] dx = new float[x.length];
        f.forward(x, y);
        f.backward(x, y, r.clone(), dx);
        for (int p = 0; p < params.size(); p++) {
            Tensor t = params.get(p);
            float[] a = analytic.get(p);
            double scale = 0;
            for (float v : a) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int i = 0; i < t.length(); i++) {
                double twice = 2.0 * a[i];
                double got = t.grad()[t.gradOffset() + i];
                double abs = Math.abs(got - twice);
                // Loose on purpose: a gradient summed into a non-zero buffer rounds differently (with
                // cancellation, by much more than an ulp of the result); an overwrite is off by 100 %.
                if (!(abs <= absTolerance + 1e-2 * (Math.abs(got) + Math.abs(twice)) + 1e-4 * scale)) {
                    contract.add("tensor " + t.name() + "[" + i + "]: gradients must accumulate: after two backward"
                            + " calls grad=" + got + ", expected 2 x " + a[i] + " = " + twice);
                    break;
                }
            }
        }
    }

    /** Per-tensor counts and the worst element (or direction). */
    private final class Tally {
        final Tensor t;
        int checked;
        int skipped;
        int passed;
        int passedByFloor;
        int directions;
        int directionsSkipped;
        int directionsPassed;
        double worstRel;
        int worstIndex = GradientReport.NONE;
        double worstA;
        double worstN;
        double worstAbs;
        boolean worstWithinFloor;
        double worstRelAboveFloor;

        Tally(Tensor t) {
            this.t = t;
        }

        /** Compares analytic {@code a} with numeric {@code n}; index -1-d stands for direction d. */
        boolean compare(int index, double a, double n, double floor, List<GradientReport.Mismatch> mismatches) {
            double abs = Math.abs(a - n);
            double rel = abs == 0 ? 0 : abs / (Math.abs(a) + Math.abs(n));
            boolean ok = abs <= floor || rel <= relTolerance;
            if (!ok) {
                mismatches.add(new GradientReport.Mismatch(t.name(), index, a, n, rel, abs, floor));
            } else if (rel > relTolerance) {
                passedByFloor++;
            }
            if (worstIndex == GradientReport.NONE || !(rel <= worstRel)) {
                worstRel = rel;
                worstIndex = index;
                worstA = a;
                worstN = n;
                worstAbs = abs;
                worstWithinFloor = abs <= floor;
            }
            if (!(abs <= floor) && !(rel <= worstRelAboveFloor)) {
                worstRelAboveFloor = rel;
            }
            return ok;
        }

        GradientReport.TensorResult result() {
            return new GradientReport.TensorResult(t.name(), t.length(), checked, skipped, passed, passedByFloor,
                    directions, directionsSkipped, directionsPassed, worstRel, worstIndex, worstA, worstN, worstAbs,
                    worstWithinFloor, worstRelAboveFloor);
        }
    }

    private GradientReport.TensorResult checkTensor(Tensor t, float[] analytic, SplittableRandom random, float[] x,
                                                    float[] r, long[] state, List<GradientReport.Mismatch> mismatches) {
        Tally tally = new Tally(t);
        Probe probe = new Probe(t, x, r, state);
        for (int i : sample(analytic, t.length(), random)) {
            double h = STEP * Math.max(1.0, Math.abs(t.data()[t.offset() + i]));
            if (!probe.move(new int[] {i}, new double[] {h}, analytic)) {
                tally.skipped++;
                continue;
            }
            tally.checked++;
            if (tally.compare(i, probe.analytic, probe.numeric, probe.floor(absTolerance), mismatches)) {
                tally.passed++;
            }
        }
        int n = t.length();
        if (n >= 2) {
            int[] all = new int[n];
            Arrays.setAll(all, i -> i);
            double[] delta = new double[n];
            for (int d = 0; d < DIRECTIONS; d++) {
                for (int i = 0; i < n; i++) {
                    double h = STEP * Math.max(1.0, Math.abs(t.data()[t.offset() + i])) / Math.sqrt(n);
                    delta[i] = random.nextBoolean() ? h : -h;
                }
                if (!probe.move(all, delta, analytic)) {
                    tally.directionsSkipped++;
                    continue;
                }
                tally.directions++;
                if (tally.compare(-1 - d, probe.analytic, probe.numeric, probe.floor(absTolerance), mismatches)) {
                    tally.directionsPassed++;
                }
            }
        }
        return tally.result();
    }

    /**
     * One finite-difference probe of tensor {@code t}: moves the elements {@code idx} to
     * {@code theta + s * delta} for {@code s = +-1, +-1/2}, restores them bit-exactly, and sets
     * {@link #numeric} to the Richardson combination {@code (4 D(h/2) - D(h)) / 3} of the two central
     * differences (truncation error O(h^4) instead of O(h^2): a small gradient of a strongly curved
     * function, like {@code 1 + a (1 - tanh^2(a x))} near 0, is not swamped by the third derivative),
     * and {@link #analytic} to {@code sum_k a_k step_k}; both per unit mean step.
     */
    private final class Probe {
        private static final double[] FRACTIONS = {1, -1, 0.5, -0.5};
        final Tensor t;
        final float[] x;
        final float[] r;
        final long[] state;
        final float[][] ys;
        int[] idx;
        double[] delta;
        double analytic;
        double numeric;
        double noise;

        Probe(Tensor t, float[] x, float[] r, long[] state) {
            this.t = t;
            this.x = x;
            this.r = r;
            this.state = state;
            this.ys = new float[FRACTIONS.length][r.length];
        }

        /** Returns false if any of the four evaluations crossed a kink. */
        boolean move(int[] idx, double[] delta, float[] a) {
            this.idx = idx;
            this.delta = delta;
            if (!evaluate(1)) {
                return false;
            }
            int m = idx.length;
            double unitFull = 0;
            double unitHalf = 0;
            double predicted = 0;
            double predictedNoise = 0;
            for (int k = 0; k < m; k++) {
                float saved = t.data()[t.offset() + idx[k]];
                double full = (double) (float) (saved + delta[k]) - (float) (saved - delta[k]);
                double half = (double) (float) (saved + delta[k] / 2) - (float) (saved - delta[k] / 2);
                unitFull += Math.abs(full) / m;
                unitHalf += Math.abs(half) / m;
                predicted += a[idx[k]] * full;
                predictedNoise += Math.abs(a[idx[k]] * full);
            }
            numeric = richardson(1);
            analytic = predicted / unitFull;
            // A direction moves every element, so every output may depend on it: count them all, including
            // outputs whose change was below their float resolution (a net change that nearly cancels).
            boolean all = m > 1;
            noise = (4 * noise(r, ys[2], ys[3], all) / unitHalf + noise(r, ys[0], ys[1], all) / unitFull) / 3
                    + NOISE_FACTOR * UNIT_ROUNDOFF * predictedNoise / unitFull;
            if (Arrays.equals(ys[0], ys[1]) && Arrays.equals(ys[2], ys[3])) {
                // No output moved: each change was below half an ulp of its output and rounded away, so the
                // numeric gradient is 0 whatever the true one; anything below the resolution passes.
                double resolution = 0;
                for (int j = 0; j < r.length; j++) {
                    resolution = Math.max(resolution, Math.abs(r[j]) * Math.ulp(ys[0][j]));
                }
                noise = Math.max(noise, 2 * resolution / unitHalf);
            }
            return true;
        }

        /**
         * Evaluates {@code f} at {@code theta + s * scale * delta} for the four {@link #FRACTIONS}
         * {@code s} into {@link #ys}, restoring the elements bit-exactly; false if one crossed a kink.
         */
        private boolean evaluate(double scale) {
            float[] data = t.data();
            int m = idx.length;
            float[] saved = new float[m];
            for (int k = 0; k < m; k++) {
                saved[k] = data[t.offset() + idx[k]];
            }
            boolean kink = false;
            for (int e = 0; e < FRACTIONS.length; e++) {
                for (int k = 0; k < m; k++) {
                    data[t.offset() + idx[k]] = (float) (saved[k] + FRACTIONS[e] * scale * delta[k]);
                }
                f.forward(x, ys[e]);
                kink |= !Arrays.equals(state, state(x, ys[e]));
            }
            for (int k = 0; k < m; k++) {
                data[t.offset() + idx[k]] = saved[k];
            }
            return !kink;
        }

        /** The Richardson combination of the central differences in {@link #ys}, per unit mean step. */
        private double richardson(double scale) {
            float[] data = t.data();
            int m = idx.length;
            double unitFull = 0;
            double unitHalf = 0;
            for (int k = 0; k < m; k++) {
                float saved = data[t.offset() + idx[k]];
                double d = scale * delta[k];
                unitFull += Math.abs((double) (float) (saved + d) - (float) (saved - d)) / m;
                unitHalf += Math.abs((double) (float) (saved + d / 2) - (float) (saved - d / 2)) / m;
            }
            double d1 = difference(r, ys[0], ys[1]) / unitFull;
            double d2 = difference(r, ys[2], ys[3]) / unitHalf;
            return (4 * d2 - d1) / 3;
        }

        /**
         * The rounding noise of {@link #numeric}, measured: the numeric gradient again at
         * {@link #NOISE_STEPS} step lengths from {@code 5h/8} to {@code 11h/8}, whose truncation errors
         * differ by O(h^4) but whose evaluations round differently, and the spread (max - min) of all of
         * them (steps closer together round alike when the output moves by only a few ulps). The
         * modelled floor counts a few roundings per output, which undercounts when an output is a sum whose
         * terms cancel (a dot product of mixed signs) or a loss at the end of several layers; the measured
         * spread does not depend on the backward pass, so it cannot hide a wrong gradient that stands clear
         * of the function's own noise. 0 (no extension) if an evaluation crossed a kink.
         */
        private double measuredNoise() {
            double lo = numeric;
            double hi = numeric;
            for (int j = 1; j <= NOISE_STEPS; j++) {
                double scale = 1 + ((j + 1) / 2) * (j % 2 == 0 ? 0.125 : -0.125);
                if (!evaluate(scale)) {
                    return 0;
                }
                double n = richardson(scale);
                lo = Math.min(lo, n);
                hi = Math.max(hi, n);
            }
            return hi - lo;
        }

        /**
         * The absolute floor: the rounding both sides can carry, at least {@code absTolerance}; when the
         * comparison would fail within {@link #SUSPECT} times that, also {@link #SPREAD_FACTOR} times the
         * measured spread of the numeric gradient (see {@link #measuredNoise}).
         */
        double floor(double absTolerance) {
            double floor = Math.max(absTolerance, noise);
            double abs = Math.abs(analytic - numeric);
            if (abs > floor && abs > relTolerance * (Math.abs(analytic) + Math.abs(numeric)) && abs <= SUSPECT * floor) {
                floor = Math.max(floor, SPREAD_FACTOR * measuredNoise());
            }
            return floor;
        }
    }

    /** {@code sum_j r_j (y+_j - y-_j)} in double; outputs that did not move contribute exactly 0. */
    private static double difference(float[] r, float[] yPlus, float[] yMinus) {
        double diff = 0;
        for (int j = 0; j < r.length; j++) {
            diff += r[j] * ((double) yPlus[j] - yMinus[j]);
        }
        return diff;
    }

    /**
     * The rounding {@link #difference} can carry: NOISE_FACTOR float roundings per output that moved
     * (or per output, if {@code all}).
     */
    private static double noise(float[] r, float[] yPlus, float[] yMinus, boolean all) {
        double changed = 0;
        for (int j = 0; j < r.length; j++) {
            if (all || yPlus[j] != yMinus[j]) {
                changed += Math.abs(r[j]) * (Math.abs(yPlus[j]) + Math.abs(yMinus[j]));
            }
        }
        return NOISE_FACTOR * UNIT_ROUNDOFF * changed;
    }

    /**
     * All indices of a small tensor; else the first, the last, one per stratum in between, and the
     * {@link #LARGEST} elements with the largest analytic gradient (sparse gradients, as behind a
     * top-k or dead ReLUs, would otherwise leave mostly zeros to compare). Sorted, distinct.
     */
    int[] sample(float[] analytic, int length, SplittableRandom random) {
        if (length <= Math.max(SMALL_TENSOR, samples)) {
            int[] all = new int[length];
            Arrays.setAll(all, i -> i);
            return all;
        }
        int strata = samples - 2;
        TreeSet<Integer> s = new TreeSet<>();
        s.add(0);
        s.add(length - 1);
        for (int k = 0; k < strata; k++) {
            long lo = 1 + (long) k * (length - 2) / strata;
            long hi = 1 + (long) (k + 1) * (length - 2) / strata;
            s.add((int) random.nextLong(lo, Math.max(lo + 1, hi)));
        }
        IntStream.range(0, length).boxed()
                .sorted((i, j) -> Float.compare(Math.abs(analytic[j]), Math.abs(analytic[i])))
                .limit(LARGEST).forEach(s::add);
        return s.stream().mapToInt(Integer::intValue).toArray();
    }

    private long[] state(float[] x, float[] y) {
        long[] s = f.discreteState(x, y);
        if (s != null) {
            return s.clone(); // the function may reuse its fingerprint array
        }
        long[] zeros = new long[(y.length + 63) >>> 6];
        for (int i = 0; i < y.length; i++) {
            if (y[i] == 0f) {
                zeros[i >>> 6] |= 1L << i;
            }
        }
        return zeros;
    }

    private static float[] uniform(SplittableRandom random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return a;
    }
}
