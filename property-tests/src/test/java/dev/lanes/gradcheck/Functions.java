package dev.lanes.gradcheck;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Plain-loop test functions with correct and mutated backward passes. Batched ones are row-major
 * {@code batch x features}. Forward math runs in double and rounds once to float.
 */
final class Functions {

    private Functions() {
    }

    static float[] uniform(SplittableRandom random, int n, double lo, double hi) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (lo + random.nextDouble() * (hi - lo));
        }
        return a;
    }

    /** Writes {@code g} into {@code grad[i]}: added, or (mutation OVERWRITE) stored. */
    static void accumulate(float[] grad, int i, double g, Mutation m) {
        grad[i] = m == Mutation.OVERWRITE ? (float) g : (float) (grad[i] + g);
    }

    /** {@code y = x W^T + b}; x: (batch, in), W: (out, in), b: (out), y: (batch, out). W and b share one flat buffer. */
    static final class Affine implements Differentiable {
        final int batch;
        final int in;
        final int out;
        final float[] params;
        final float[] grads;
        final Mutation m;

        Affine(int batch, int in, int out, long seed, Mutation m) {
            this.batch = batch;
            this.in = in;
            this.out = out;
            this.m = m;
            SplittableRandom random = new SplittableRandom(seed);
            this.params = uniform(random, out * in + out, -1, 1);
            this.grads = new float[params.length];
        }

        @Override public int inputSize() { return batch * in; }
        @Override public int outputSize() { return batch * out; }

        @Override
        public List<Tensor> parameters() {
            return List.of(new Tensor("W", params, 0, out * in, grads, 0),
                    new Tensor("b", params, out * in, out, grads, out * in));
        }

        @Override
        public void forward(float[] x, float[] y) {
            for (int r = 0; r < batch; r++) {
                for (int o = 0; o < out; o++) {
                    double s = params[out * in + o];
                    for (int i = 0; i < in; i++) {
                        s += (double) params[o * in + i] * x[r * in + i];
                    }
                    y[r * out + o] = (float) s;
                }
            }
        }

        @Override
        public void backward(float[] x, float[] y, float[] dy, float[] dx) {
            double sign = m == Mutation.SIGN_FLIP ? -1 : 1;
            for (int r = 0; r < batch; r++) {
                for (int i = 0; i < in; i++) {
                    double s = 0;
                    for (int o = 0; o < out; o++) {
                        s += (double) dy[r * out + o] * params[o * in + i];
                    }
                    dx[r * in + i] = (float) (sign * s);
                }
            }
            double scale = m == Mutation.SCALE_ONE_TENSOR ? 1.01 : 1;
            int shift = m == Mutation.INDEX_SHIFT ? 1 : 0;
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    double s = 0;
                    for (int r = 0; r < batch; r++) {
                        s += (double) dy[r * out + o] * x[r * in + (i + shift) % in];
                    }
                    accumulate(grads, o * in + i, scale * s, m);
                }
                if (m != Mutation.DROPPED_TERM) {
                    double s = 0;
                    for (int r = 0; r < batch; r++) {
                        s += dy[r * out + o];
                    }
                    accumulate(grads, out * in + o, s, m);
                }
            }
        }

        @Override
        public String toString() {
            return "Affine(" + batch + "x" + in + " -> " + out + ", " + m + ")";
        }
    }

    /** Elementwise activations with derivative {@code d(x, y)} and a "dropped term" variant. */
    enum Activation {
        TANH {
            double f(double x) { return Math.tanh(x); }
            double d(double x, double y, boolean dropped) { return dropped ? 1 : 1 - y * y; }
        },
        SIGMOID {
            double f(double x) { return 1 / (1 + Math.exp(-x)); }
            double d(double x, double y, boolean dropped) { return dropped ? y : y - y * y; }
        },
        SOFTPLUS {
            double f(double x) { return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))); }
            double d(double x, double y, boolean dropped) { return (dropped ? 0 : 1) - 1 / (1 + Math.exp(x)); }
        },
        RELU {
            double f(double x) { return x > 0 ? x : 0; }
            double d(double x, double y, boolean dropped) { return dropped || x > 0 ? 1 : 0; }
        };

        abstract double f(double x);

        /** The derivative at x (y = f(x)); {@code dropped} leaves out one term (for ReLU: the mask). */
        abstract double d(double x, double y, boolean dropped);
    }

    /** {@code y_i = act(x_i)} over {@code n} elements; ReLU optionally exposes its signs. */
    static final class Elementwise implements Differentiable {
        final Activation act;
        final int n;
        final Mutation m;
        final boolean exposeState;

        Elementwise(Activation act, int n, Mutation m, boolean exposeState) {
            this.act = act;
            this.n = n;
            this.m = m;
            this.exposeState = exposeState;
        }

        @Override public int inputSize() { return n; }
        @Override public int outputSize() { return n; }

        @Override
        public void forward(float[] x, float[] y) {
            for (int i = 0; i < n; i++) {
                y[i] = (float) act.f(x[i]);
            }
        }

        @Override
        public void backward(float[] x, float[] y, float[] dy, float[] dx) {
            double sign = m == Mutation.SIGN_FLIP ? -1 : 1;
            double scale = m == Mutation.SCALE_ONE_TENSOR ? 1.01 : 1;
            int shift = m == Mutation.INDEX_SHIFT ? 1 : 0;
            for (int i = 0; i < n; i++) {
                double d = act.d(x[i], y[i], m == Mutation.DROPPED_TERM);
                dx[i] = (float) (sign * scale * d * dy[(i + shift) % n]);
            }
        }

        @Override
        public long[] discreteState(float[] x, float[] y) {
            if (!exposeState) {
                return null;
            }
            long[] s = new long[(n + 63) / 64];
            for (int i = 0; i < n; i++) {
                if (x[i] > 0) {
                    s[i / 64] |= 1L << i;
                }
            }
            return s;
        }

        @Override
        public String toString() {
            return act + "(" + n + ", " + m + ")";
        }
    }

    /** Keeps the k largest values of each row and zeroes the rest; the selected set is the discrete state. */
    static final class TopK implements Differentiable {
        final int batch;
        final int features;
        final int k;
        final Mutation m;

        TopK(int batch, int features, int k, Mutation m) {
            this.batch = batch;
            this.features = features;
            this.k = k;
            this.m = m;
        }

        @Override public int inputSize() { return batch * features; }
        @Override public int outputSize() { return batch * features; }

        boolean[] selected(float[] x) {
            boolean[] sel = new boolean[x.length];
            for (int r = 0; r < batch; r++) {
                int row = r * features;
                Integer[] order = new Integer[features];
                Arrays.setAll(order, i -> i);
                Arrays.sort(order, (a, b) -> Float.compare(x[row + b], x[row + a]) != 0
                        ? Float.compare(x[row + b], x[row + a]) : Integer.compare(a, b));
                for (int j = 0; j < k; j++) {
                    sel[row + order[j]] = true;
                }
            }
            return sel;
        }

        @Override
        public void forward(float[] x, float[] y) {
            boolean[] sel = selected(x);
            for (int i = 0; i < x.length; i++) {
                y[i] = sel[i] ? x[i] : 0f;
            }
        }

        @Override
        public void backward(float[] x, float[] y, float[] dy, float[] dx) {
            boolean[] sel = selected(x);
            double sign = m == Mutation.SIGN_FLIP ? -1 : 1;
            double scale = m == Mutation.SCALE_ONE_TENSOR ? 1.01 : 1;
            for (int r = 0; r < batch; r++) {
                for (int f = 0; f < features; f++) {
                    int i = r * features + f;
                    int from = m == Mutation.INDEX_SHIFT ? r * features + (f + 1) % features : i;
                    boolean pass = sel[i] || m == Mutation.DROPPED_TERM;
                    dx[i] = pass ? (float) (sign * scale * dy[from]) : 0f;
                }
            }
        }

        @Override
        public long[] discreteState(float[] x, float[] y) {
            boolean[] sel = selected(x);
            long[] s = new long[(sel.length + 63) / 64];
            for (int i = 0; i < sel.length; i++) {
                if (sel[i]) {
                    s[i / 64] |= 1L << i;
                }
            }
            return s;
        }

        @Override
        public String toString() {
            return "TopK(" + batch + "x" + features + ", k=" + k + ", " + m + ")";
        }
    }

    /** Per row {@code loss_r = logsumexp(z_r) - z_r[target_r]}: every logit of a row is coupled. */
    static final class SoftmaxCrossEntropy implements Differentiable {
        final int batch;
        final int classes;
        final int[] targets;
        final Mutation m;

        SoftmaxCrossEntropy(int batch, int classes, long seed, Mutation m) {
            this.batch = batch;
            this.classes = classes;
            this.m = m;
            SplittableRandom random = new SplittableRandom(seed);
            this.targets = random.ints(batch, 0, classes).toArray();
        }

        @Override public int inputSize() { return batch * classes; }
        @Override public int outputSize() { return batch; }

        private double[] softmax(float[] z, int r) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, z[r * classes + c]);
            }
            double[] p = new double[classes];
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                p[c] = Math.exp(z[r * classes + c] - max);
                sum += p[c];
            }
            for (int c = 0; c < classes; c++) {
                p[c] /= sum;
            }
            return p;
        }

        @Override
        public void forward(float[] z, float[] y) {
            for (int r = 0; r < batch; r++) {
                y[r] = (float) -Math.log(softmax(z, r)[targets[r]]);
            }
        }

        @Override
        public void backward(float[] z, float[] y, float[] dy, float[] dz) {
            double sign = m == Mutation.SIGN_FLIP ? -1 : 1;
            double scale = m == Mutation.SCALE_ONE_TENSOR ? 1.01 : 1;
            for (int r = 0; r < batch; r++) {
                double[] p = softmax(z, r);
                for (int c = 0; c < classes; c++) {
                    double pc = m == Mutation.INDEX_SHIFT ? p[(c + 1) % classes] : p[c];
                    double onehot = c == targets[r] && m != Mutation.DROPPED_TERM ? 1 : 0;
                    dz[r * classes + c] = (float) (sign * scale * dy[r] * (pc - onehot));
                }
            }
        }

        @Override
        public String toString() {
            return "SoftmaxCrossEntropy(" + batch + "x" + classes + ", " + m + ")";
        }
    }

    /** {@code y = x + tanh(a (.) x)} per feature: dx has two summands, the scale {@code a} is a parameter. */
    static final class Residual implements Differentiable {
        final int batch;
        final int features;
        final float[] a;
        final float[] ga;
        final Mutation m;

        Residual(int batch, int features, long seed, Mutation m) {
            this.batch = batch;
            this.features = features;
            this.m = m;
            this.a = uniform(new SplittableRandom(seed), features, -2, 2);
            this.ga = new float[features];
        }

        @Override public int inputSize() { return batch * features; }
        @Override public int outputSize() { return batch * features; }
        @Override public List<Tensor> parameters() { return List.of(Tensor.of("a", a, ga)); }

        @Override
        public void forward(float[] x, float[] y) {
            for (int i = 0; i < x.length; i++) {
                y[i] = (float) (x[i] + Math.tanh((double) a[i % features] * x[i]));
            }
        }

        @Override
        public void backward(float[] x, float[] y, float[] dy, float[] dx) {
            double sign = m == Mutation.SIGN_FLIP ? -1 : 1;
            double scale = m == Mutation.SCALE_ONE_TENSOR ? 1.01 : 1;
            double[] g = new double[features];
            for (int i = 0; i < x.length; i++) {
                int f = i % features;
                double t = Math.tanh((double) a[f] * x[i]);
                double inner = (1 - t * t) * dy[i];
                double identity = m == Mutation.DROPPED_TERM ? 0 : dy[i];
                dx[i] = (float) (sign * (identity + a[f] * inner));
                int fx = m == Mutation.INDEX_SHIFT ? (f + 1) % features : f;
                g[fx] += inner * x[i];
            }
            for (int f = 0; f < features; f++) {
                accumulate(ga, f, scale * g[f], m);
            }
        }

        @Override
        public String toString() {
            return "Residual(" + batch + "x" + features + ", " + m + ")";
        }
    }

    /**
     * Thresholded ReLU {@code y = x if x > theta_f else 0}, theta a parameter per feature. Its backward
     * is a surrogate: theta gets a straight-through gradient from a window of width {@code EPS} around
     * the threshold; in true-gradient mode theta's gradient is 0, as forward is flat in theta between
     * jumps. {@code honoursSwitch = false} plants the bug of ignoring the mode switch.
     */
    static final class TReLU implements Differentiable {
        static final double EPS = 0.2;
        final int batch;
        final int features;
        final float[] theta;
        final float[] gTheta;
        final Mutation m;
        final boolean honoursSwitch;
        boolean trueGradient;

        TReLU(int batch, int features, long seed, Mutation m, boolean honoursSwitch) {
            this.batch = batch;
            this.features = features;
            this.m = m;
            this.honoursSwitch = honoursSwitch;
            this.theta = uniform(new SplittableRandom(seed), features, -0.5, 0.3);
            this.gTheta = new float[features];
        }

        @Override public int inputSize() { return batch * features; }
        @Override public int outputSize() { return batch * features; }
        @Override public List<Tensor> parameters() { return List.of(Tensor.of("theta", theta, gTheta)); }
        @Override public boolean surrogateGradient() { return true; }

        @Override
        public void trueGradient(boolean enabled) {
            trueGradient = enabled && honoursSwitch;
        }

        @Override
        public void forward(float[] x, float[] y) {
            for (int i = 0; i < x.length; i++) {
                y[i] = x[i] > theta[i % features] ? x[i] : 0f;
            }
        }

        @Override
        public void backward(float[] x, float[] y, float[] dy, float[] dx) {
            double sign = m == Mutation.SIGN_FLIP ? -1 : 1;
            double scale = m == Mutation.SCALE_ONE_TENSOR ? 1.01 : 1;
            for (int i = 0; i < x.length; i++) {
                int f = i % features;
                int from = m == Mutation.INDEX_SHIFT ? i - f + (f + 1) % features : i;
                boolean open = x[i] > theta[f] || m == Mutation.DROPPED_TERM;
                dx[i] = open ? (float) (sign * scale * dy[from]) : 0f;
                if (!trueGradient && Math.abs(x[i] - theta[f]) < EPS / 2) {
                    gTheta[f] += (float) (-theta[f] / EPS * dy[i]);
                }
            }
        }

        @Override
        public long[] discreteState(float[] x, float[] y) {
            long[] s = new long[(x.length + 63) / 64];
            for (int i = 0; i < x.length; i++) {
                if (x[i] > theta[i % features]) {
                    s[i / 64] |= 1L << i;
                }
            }
            return s;
        }

        @Override
        public String toString() {
            return "TReLU(" + batch + "x" + features + ", " + m + (honoursSwitch ? "" : ", ignores the mode switch") + ")";
        }
    }
}
