package dev.lanes.core.internal;

/**
 * The scalar reference for {@link BlasKernel}: plain sequential loops, which define the results.
 * Reductions add in index order into one float accumulator starting at {@code +0.0f}.
 */
final class ScalarBlas implements BlasKernel {

    @Override
    public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    @Override
    public void scale(int n, float alpha, float[] x, int xOff) {
        for (int i = 0; i < n; i++) {
            x[xOff + i] *= alpha;
        }
    }

    @Override
    public float dot(int n, float[] x, int xOff, float[] y, int yOff) {
        float s = 0f;
        for (int i = 0; i < n; i++) {
            s += x[xOff + i] * y[yOff + i];
        }
        return s;
    }

    @Override
    public float sum(int n, float[] x, int xOff) {
        float s = 0f;
        for (int i = 0; i < n; i++) {
            s += x[xOff + i];
        }
        return s;
    }

    @Override
    public float sumOfSquares(int n, float[] x, int xOff) {
        float s = 0f;
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            s += v * v;
        }
        return s;
    }

    @Override
    public void mul(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
        for (int i = 0; i < n; i++) {
            z[zOff + i] = x[xOff + i] * y[yOff + i];
        }
    }

    @Override
    public void add(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
        for (int i = 0; i < n; i++) {
            z[zOff + i] = x[xOff + i] + y[yOff + i];
        }
    }

    @Override
    public void sub(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
        for (int i = 0; i < n; i++) {
            z[zOff + i] = x[xOff + i] - y[yOff + i];
        }
    }

    @Override
    public void clamp(int n, float lo, float hi, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = Math.min(hi, Math.max(lo, x[xOff + i]));
        }
    }

    @Override
    public void addRowVector(int rows, int cols, float[] v, int vOff, float[] x, int xOff, int ldx) {
        for (int i = 0; i < rows; i++) {
            int row = xOff + i * ldx;
            for (int j = 0; j < cols; j++) {
                x[row + j] += v[vOff + j];
            }
        }
    }

    @Override
    public void columnSums(int rows, int cols, float[] x, int xOff, int ldx, float[] out, int outOff,
                           boolean accumulate) {
        if (!accumulate) {
            for (int j = 0; j < cols; j++) {
                out[outOff + j] = 0f;
            }
        }
        for (int i = 0; i < rows; i++) {
            int row = xOff + i * ldx;
            for (int j = 0; j < cols; j++) {
                out[outOff + j] += x[row + j];
            }
        }
    }

    @Override
    public int argmax(int n, float[] x, int xOff) {
        assert n >= 1;
        int best = 0;
        float max = x[xOff];
        for (int i = 1; i < n; i++) {
            float v = x[xOff + i];
            if (Float.compare(v, max) > 0) {
                best = i;
                max = v;
            }
        }
        return best;
    }

    @Override
    public void rowArgmax(int rows, int cols, float[] x, int xOff, int ldx, int[] out, int outOff) {
        for (int i = 0; i < rows; i++) {
            out[outOff + i] = argmax(cols, x, xOff + i * ldx);
        }
    }
}
