package dev.lanes.jmh;

import dev.lanes.core.Activation;
import dev.lanes.core.Blas;
import dev.lanes.core.Fill;
import dev.lanes.core.Gemm;
import dev.lanes.core.Losses;
import dev.lanes.core.Optimizers;
import dev.lanes.core.RowAdam;
import dev.lanes.core.Sparse;
import dev.lanes.core.TopK;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One training step of a TopK autoencoder 784-h-784 (k = 32, batch 256, MSE, Adam lr 1e-3), the model of
 * {@code torch_sae.py --model topk}, on image-like inputs (each row non-zero on a random rectangle covering
 * about half the 28x28 grid, as Fashion-MNIST is half zeros). {@code path}: {@code dense} is five sgemm,
 * TopK and dense Adam, as PyTorch does it; {@code sparse} is the step of
 * {@code dev.lanes.autoencoder.sparse.SparseTopK} on the same kernels ({@link Sparse#productTopK}, the
 * row gathers, {@link RowAdam}; exact mode: the encoder rows are flushed every step). This module does not
 * depend on the autoencoder, so the step is written out here. {@code @Setup} checks that both paths give
 * the same first-step loss (relative 1e-5: the sums differ only in order) before timing.
 *
 * <p>Score: samples per second. Run:
 * {@code java -jar jmh/target/benchmarks.jar SparseTopKStepBenchmark -f 1 -wi 3 -w 2 -i 3 -r 2 -t 1}
 */
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector", "-Xmx3g"})
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
public class SparseTopKStepBenchmark {

    private static final int N = 784;
    private static final int B = 256;
    private static final int K = 32;
    private static final float LR = 1e-3f;
    private static final float B1 = 0.9f;
    private static final float B2 = 0.999f;
    private static final float EPS = 1e-8f;

    @Param({"sparse", "dense"})
    String path;

    @Param({"4096", "16384"})
    int h;

    private float[] x;
    private Step step;

    private interface Step {
        float run();
    }

    @Setup
    public void setUp() {
        x = images(new SplittableRandom(42));
        float[] we = new float[h * N];
        float[] be = new float[h];
        float[] wd = new float[N * h];
        float[] bd = new float[N];
        float ae = (float) (1 / Math.sqrt(N));
        float ad = (float) (1 / Math.sqrt(h));
        Fill.uniform(1, -ae, ae, we, 0, h * N);
        Fill.uniform(2, -ae, ae, be, 0, h);
        Fill.uniform(3, -ad, ad, wd, 0, N * h);
        Fill.uniform(4, -ad, ad, bd, 0, N);
        float dense = new DenseStep(we, be, wd, bd).run();
        float sparse = new SparseStep(we, be, wd, bd).run();
        if (!(Math.abs(dense - sparse) <= 1e-5f * dense)) {
            throw new IllegalStateException("sparse step loss " + sparse + " != dense " + dense);
        }
        step = path.equals("sparse") ? new SparseStep(we, be, wd, bd) : new DenseStep(we, be, wd, bd);
    }

    private static float[] images(SplittableRandom r) {
        float[] x = new float[B * N];
        for (int i = 0; i < B; i++) {
            int top = r.nextInt(8);
            int left = r.nextInt(8);
            int bottom = 28 - r.nextInt(8);
            int right = 28 - r.nextInt(8);
            for (int py = top; py < bottom; py++) {
                for (int px = left; px < right; px++) {
                    x[i * N + py * 28 + px] = (float) r.nextDouble(0.01, 1);
                }
            }
        }
        return x;
    }

    @Benchmark
    @OperationsPerInvocation(B)
    public float trainStep() {
        return step.run();
    }

    /** As PyTorch: five dense products, TopK over the dense pre-activations, dense Adam. */
    private final class DenseStep implements Step {
        final float[] p;
        final float[] g;
        final float[] m;
        final float[] v;
        final int oWe = 0;
        final int oBe;
        final int oWd;
        final int oBd;
        final float[] z = new float[B * h];
        final float[] a = new float[B * h];
        final float[] y = new float[B * N];
        final float[] dy = new float[B * N];
        long t;

        DenseStep(float[] we, float[] be, float[] wd, float[] bd) {
            oBe = h * N;
            oWd = oBe + h;
            oBd = oWd + N * h;
            p = new float[oBd + N];
            System.arraycopy(we, 0, p, oWe, h * N);
            System.arraycopy(be, 0, p, oBe, h);
            System.arraycopy(wd, 0, p, oWd, N * h);
            System.arraycopy(bd, 0, p, oBd, N);
            g = new float[p.length];
            m = new float[p.length];
            v = new float[p.length];
        }

        @Override
        public float run() {
            Gemm.sgemm(false, true, B, h, N, 1f, x, 0, N, p, oWe, N, 0f, z, 0, h);
            Blas.addRowVector(B, h, p, oBe, z, 0, h);
            TopK.selectSparse(z, 0, B, h, h, K, a, 0, h);
            Activation.RELU.forward(a, 0, a, 0, B * h);
            Gemm.sgemm(false, true, B, N, h, 1f, a, 0, h, p, oWd, h, 0f, y, 0, N);
            Blas.addRowVector(B, N, p, oBd, y, 0, N);
            float loss = Losses.mse(B * N, y, 0, x, 0, dy, 0);
            Gemm.sgemm(true, false, N, h, B, 1f, dy, 0, N, a, 0, h, 1f, g, oWd, h);
            Blas.columnSums(B, N, dy, 0, N, g, oBd, true);
            Gemm.sgemm(false, false, B, h, N, 1f, dy, 0, N, p, oWd, h, 0f, z, 0, h);
            Activation.RELU.backward(a, 0, a, 0, z, 0, z, 0, B * h);
            Gemm.sgemm(true, false, h, N, B, 1f, z, 0, h, x, 0, N, 1f, g, oWe, N);
            Blas.columnSums(B, h, z, 0, h, g, oBe, true);
            t++;
            float bc1 = (float) (1 - Math.pow(B1, t));
            float bc2 = (float) (1 - Math.pow(B2, t));
            Optimizers.adamStep(p.length, LR, B1, B2, EPS, 0f, false, bc1, bc2, 1f, true, p, 0, g, 0, m, 0, v, 0);
            return loss;
        }
    }

    /** The sparse step: fused encoder top-k, gathers over the k active decoder rows, lazy row-wise Adam. */
    private final class SparseStep implements Step {
        final float[] we;
        final float[] be;
        final float[] wdT;
        final float[] bd;
        final float[][] mom = new float[8][];
        final int[] lastEnc = new int[h];
        final int[] lastDec = new int[h];
        final float[] topVal = new float[B * K];
        final int[] topIdx = new int[B * K];
        final float[] act = new float[B * K];
        final float[] dz = new float[B * K];
        final int[] ptrK = new int[B + 1];
        final float[] y = new float[B * N];
        final float[] dy = new float[B * N];
        final int[] count = new int[h];
        final int[] active = new int[h];
        final int[] latPtr = new int[h + 1];
        final int[] slotOf = new int[B * K];
        final int[] latSample = new int[B * K];
        final float[] latAct = new float[B * K];
        final float[] latDz = new float[B * K];
        final float[] gbe = new float[h];
        final float[] gbd = new float[N];
        float[] stepSize = new float[1 << 16];
        float[] sqrtBc2 = new float[1 << 16];
        int t;
        int activeCount;

        SparseStep(float[] weIn, float[] beIn, float[] wdIn, float[] bdIn) {
            we = weIn.clone();
            be = beIn.clone();
            bd = bdIn.clone();
            wdT = new float[h * N];
            for (int i = 0; i < N; i++) {
                for (int j = 0; j < h; j++) {
                    wdT[j * N + i] = wdIn[i * h + j];
                }
            }
            int[] sizes = {h * N, h * N, h * N, h * N, h, h, N, N};
            for (int q = 0; q < 8; q++) {
                mom[q] = new float[sizes[q]];
            }
            for (int i = 0; i <= B; i++) {
                ptrK[i] = i * K;
            }
            for (int s = 1; s < stepSize.length; s++) {
                stepSize[s] = LR / (float) (1 - Math.pow(B1, s));
                sqrtBc2[s] = (float) Math.sqrt((float) (1 - Math.pow(B2, s)));
            }
        }

        @Override
        public float run() {
            Sparse.productTopK(B, h, N, x, 0, N, we, 0, N, be, 0, K, topVal, topIdx);
            for (int u = 0; u < B * K; u++) {
                act[u] = Math.max(topVal[u], 0f);
            }
            group();
            if (t > 0) {
                RowAdam.flushRows(N, activeCount, active, B1, B2, EPS, stepSize, sqrtBc2, t, lastDec, wdT, mom[2], mom[3], 0, N);
            }
            for (int i = 0; i < B; i++) {
                System.arraycopy(bd, 0, y, i * N, N);
            }
            Sparse.gatherRows(B, N, ptrK, act, topIdx, wdT, 0, N, h, y, 0, N);
            float loss = Losses.mse(B * N, y, 0, x, 0, dy, 0);
            Sparse.dotGather(B, N, ptrK, topIdx, dy, 0, N, wdT, 0, N, h, dz);
            for (int u = 0; u < B * K; u++) {
                latDz[slotOf[u]] = act[u] > 0f ? dz[u] : 0f;
            }
            Blas.columnSums(B, N, dy, 0, N, gbd, 0, false);
            for (int r = 0; r < activeCount; r++) {
                float s = 0f;
                for (int u = latPtr[r]; u < latPtr[r + 1]; u++) {
                    s += latDz[u];
                }
                gbe[active[r]] = s;
            }
            t++;
            RowAdam.update(N, activeCount, active, latPtr, latAct, latSample, dy, 0, N, B, B1, B2, EPS, stepSize, sqrtBc2,
                    t, lastDec, wdT, mom[2], mom[3], 0, N);
            RowAdam.update(N, activeCount, active, latPtr, latDz, latSample, x, 0, N, B, B1, B2, EPS, stepSize, sqrtBc2,
                    t, lastEnc, we, mom[0], mom[1], 0, N);
            RowAdam.flush(N, B1, B2, EPS, stepSize, sqrtBc2, t, lastEnc, we, mom[0], mom[1], 0, N);
            float bc1 = (float) (1 - Math.pow(B1, t));
            float bc2 = (float) (1 - Math.pow(B2, t));
            Optimizers.adamStep(h, LR, B1, B2, EPS, 0f, false, bc1, bc2, 1f, true, be, 0, gbe, 0, mom[4], 0, mom[5], 0);
            Optimizers.adamStep(N, LR, B1, B2, EPS, 0f, false, bc1, bc2, 1f, true, bd, 0, gbd, 0, mom[6], 0, mom[7], 0);
            return loss;
        }

        private void group() {
            Arrays.fill(count, 0);
            for (int u = 0; u < B * K; u++) {
                count[topIdx[u]]++;
            }
            activeCount = 0;
            for (int j = 0; j < h; j++) {
                if (count[j] > 0) {
                    active[activeCount] = j;
                    latPtr[activeCount + 1] = latPtr[activeCount] + count[j];
                    count[j] = latPtr[activeCount];
                    activeCount++;
                }
            }
            for (int u = 0; u < B * K; u++) {
                int slot = count[topIdx[u]]++;
                slotOf[u] = slot;
                latSample[slot] = u / K;
                latAct[slot] = act[u];
            }
        }
    }
}
