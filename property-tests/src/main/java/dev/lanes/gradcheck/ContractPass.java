package dev.lanes.gradcheck;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/** For {@link LayerGradientContract}: the output, input gradient and parameter gradients of one forward and backward on zeroed gradients. */
record ContractPass(float[] y, float[] dx, List<float[]> grads, List<String> names) {

    /** One (seed, batch) case of {@link LayerGradientContract}. */
    @FunctionalInterface
    interface Case {
        void run(long seed, int batch);
    }

    static ContractPass run(LayerAdapter f, float[] x, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] dy = new float[f.outputSize()];
        for (int i = 0; i < dy.length; i++) {
            dy[i] = (float) (random.nextDouble() * 2 - 1);
        }
        List<Tensor> params = f.parameters();
        for (Tensor t : params) {
            Arrays.fill(t.grad(), t.gradOffset(), t.gradOffset() + t.length(), 0f);
        }
        float[] y = new float[f.outputSize()];
        float[] dx = new float[f.inputSize()];
        f.forward(x.clone(), y);
        f.backward(x.clone(), y, dy, dx);
        List<float[]> grads = new ArrayList<>();
        for (Tensor t : params) {
            grads.add(Arrays.copyOfRange(t.grad(), t.gradOffset(), t.gradOffset() + t.length()));
        }
        return new ContractPass(y, dx, grads, params.stream().map(Tensor::name).toList());
    }

    void assertSame(ContractPass other, String what) {
        same("output", y, other.y, what);
        same("input gradient", dx, other.dx, what);
        for (int p = 0; p < grads.size(); p++) {
            same("gradient of " + names.get(p), grads.get(p), other.grads.get(p), what);
        }
    }

    private static void same(String name, float[] a, float[] b, String what) {
        int i = Arrays.mismatch(a, b);
        if (i >= 0) {
            throw new AssertionError(String.format(Locale.ROOT, "not deterministic: %s differs after %s at [%d]: %s vs %s",
                    name, what, i, i < a.length ? a[i] : "-", i < b.length ? b[i] : "-"));
        }
    }
}
