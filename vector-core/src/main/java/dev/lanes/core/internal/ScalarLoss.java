package dev.lanes.core.internal;

/**
 * The reference losses: plain loops, sums and transcendentals in double, rounded to float once at
 * the end. This class is the specification {@link PanamaLoss} is tested against.
 *
 * <p>The shifted logits {@code x - max} are formed in float, as any float implementation forms them,
 * so that the reference is the exact softmax of the same rounded arguments; likewise the differences
 * {@code yhat - y} of the squared error.
 */
final class ScalarLoss implements LossKernel {

    @Override
    public float mse(int n, float[] yhat, int yhatOff, float[] y, int yOff, float[] grad, int gOff) {
        assert n > 0;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double d = yhat[yhatOff + i] - y[yOff + i];
            sum += d * d;
        }
        if (grad != null) {
            for (int i = 0; i < n; i++) {
                grad[gOff + i] = (float) (2.0 * (yhat[yhatOff + i] - y[yOff + i]) / n);
            }
        }
        return (float) (sum / n);
    }

    @Override
    public void softmax(int rows, int cols, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
        for (int r = 0; r < rows; r++) {
            int xr = xOff + r * ldx;
            int yr = yOff + r * ldy;
            float m = rowMax(cols, x, xr);
            double s = 0;
            for (int j = 0; j < cols; j++) {
                s += Math.exp(x[xr + j] - m);
            }
            for (int j = 0; j < cols; j++) {
                y[yr + j] = (float) (Math.exp(x[xr + j] - m) / s);
            }
        }
    }

    @Override
    public float softmaxCrossEntropy(int rows, int cols, float[] logits, int lOff, int ldl, int[] labels,
                                     int labOff, float[] grad, int gOff, int ldg) {
        assert rows > 0 && cols > 0;
        double total = 0;
        for (int r = 0; r < rows; r++) {
            int lr = lOff + r * ldl;
            int label = labels[labOff + r];
            assert label >= 0 && label < cols;
            float m = rowMax(cols, logits, lr);
            double s = 0;
            for (int j = 0; j < cols; j++) {
                s += Math.exp(logits[lr + j] - m);
            }
            // (m - x_label) + log(s) rather than log-sum-exp minus x_label: no cancellation, no overflow.
            total += ((double) m - logits[lr + label]) + Math.log(s);
            if (grad != null) {
                int gr = gOff + r * ldg;
                for (int j = 0; j < cols; j++) {
                    double p = Math.exp(logits[lr + j] - m) / s;
                    grad[gr + j] = (float) ((p - (j == label ? 1 : 0)) / rows);
                }
            }
        }
        return (float) (total / rows);
    }

    @Override
    public float sigmoidCrossEntropy(int n, float[] logits, int lOff, float[] targets, int tOff,
                                     float[] grad, int gOff) {
        assert n > 0;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double z = logits[lOff + i];
            double t = targets[tOff + i];
            // = max(z,0) - z*t + log1p(exp(-|z|)), written so that no two large terms cancel and an
            // infinite logit gives Inf or (limit 0, as Inf*0) NaN the same way PanamaLoss does.
            sum += Math.abs(z) * (z >= 0 ? 1 - t : t) + Math.log1p(Math.exp(-Math.abs(z)));
        }
        if (grad != null) {
            for (int i = 0; i < n; i++) {
                double z = logits[lOff + i];
                double e = Math.exp(-Math.abs(z));
                double t = targets[tOff + i];
                // sigmoid(z) = 1 - e/(1+e) for z >= 0: subtracting t from (1 - t) side keeps the
                // gradient's relative accuracy where sigmoid(z) is close to t = 1.
                double q = e / (1 + e);
                grad[gOff + i] = (float) ((z >= 0 ? (1 - t) - q : q - t) / n);
            }
        }
        return (float) (sum / n);
    }

    @Override
    public int firstOutsideUnitInterval(int n, float[] a, int off) {
        for (int i = 0; i < n; i++) {
            float v = a[off + i];
            if (!(v >= 0f && v <= 1f)) {
                return i;
            }
        }
        return -1;
    }

    /** Math.max semantics: NaN wins, so a row with a NaN gets NaN everywhere. */
    private static float rowMax(int cols, float[] x, int off) {
        float m = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < cols; j++) {
            m = Math.max(m, x[off + j]);
        }
        return m;
    }
}
