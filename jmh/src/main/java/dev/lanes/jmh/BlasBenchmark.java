package dev.lanes.jmh;

import dev.lanes.core.internal.Backends;
import dev.lanes.core.internal.BlasKernel;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * BLAS-1 and reductions, Panama against the scalar reference. The {@code elements} counter is the
 * throughput in elements per second (read it, not the calls per second, which depend on n). Matrix
 * methods work on a near-square {@code rows x cols} matrix of about n elements ({@code rowArgmax10}:
 * {@code n/10 x 10}, a classifier's output) and count exactly {@code rows * cols}.
 *
 * <pre>java -jar jmh/target/benchmarks.jar BlasBenchmark -p n=1000,65536 -f 1 -wi 3 -w 1 -i 3 -r 1 -t 1</pre>
 */
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector"})
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
public class BlasBenchmark {

    @Param({"1", "127", "1000", "4097", "65536", "1048576"})
    int n;

    @Param({"panama", "scalar"})
    String impl;

    /**
     * Offsets (all 0) read from one field per operand, as a caller's would be. With literal zeros, or one
     * shared offset, C2 can prove after inlining that the operands do not overlap and vectorises scalar
     * loops over two arrays that it leaves scalar for real callers, whose offsets differ.
     */
    private int xOff;
    private int yOff;
    private int zOff;

    private BlasKernel kernel;
    private float[] x;
    private float[] y;
    private float[] z;
    private int rows;
    private int cols;
    private int rows10;
    private int[] rowOut;

    @Setup(Level.Trial)
    public void setUp() {
        kernel = Backends.load(BlasKernel.class, Backends.Kind.valueOf(impl.toUpperCase()));
        SplittableRandom r = new SplittableRandom(42);
        x = fill(r, n);
        y = fill(r, n);
        z = fill(r, n);
        cols = Math.max(1, (int) Math.round(Math.sqrt(n)));
        rows = n / cols;
        rows10 = n / 10;
        rowOut = new int[Math.max(rows, rows10)];
        check();
    }

    private static float[] fill(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextDouble(-1, 1);
        }
        return a;
    }

    /** The candidate against the scalar reference on the benchmark's own data, before any timing. */
    private void check() {
        BlasKernel ref = Backends.load(BlasKernel.class, Backends.Kind.SCALAR);
        float[][] a = {x.clone(), y.clone(), z.clone()};
        float[][] b = {x.clone(), y.clone(), z.clone()};
        kernel.axpy(n, 0.5f, a[0], 0, a[1], 0);
        ref.axpy(n, 0.5f, b[0], 0, b[1], 0);
        same("axpy", a[1], b[1]);
        kernel.scale(n, -3f, a[1], 0);
        ref.scale(n, -3f, b[1], 0);
        same("scale", a[1], b[1]);
        kernel.mul(n, x, 0, y, 0, a[2], 0);
        ref.mul(n, x, 0, y, 0, b[2], 0);
        same("mul", a[2], b[2]);
        kernel.add(n, x, 0, y, 0, a[2], 0);
        ref.add(n, x, 0, y, 0, b[2], 0);
        same("add", a[2], b[2]);
        kernel.sub(n, x, 0, y, 0, a[2], 0);
        ref.sub(n, x, 0, y, 0, b[2], 0);
        same("sub", a[2], b[2]);
        kernel.clamp(n, -0.5f, 0.25f, x, 0, a[2], 0);
        ref.clamp(n, -0.5f, 0.25f, x, 0, b[2], 0);
        same("clamp", a[2], b[2]);
        kernel.addRowVector(rows, cols, y, 0, a[0], 0, cols);
        ref.addRowVector(rows, cols, y, 0, b[0], 0, cols);
        same("addRowVector", a[0], b[0]);
        kernel.columnSums(rows, cols, x, 0, cols, a[2], 0, false);
        ref.columnSums(rows, cols, x, 0, cols, b[2], 0, false);
        same("columnSums", a[2], b[2]);
        if (kernel.argmax(n, x, 0) != ref.argmax(n, x, 0)) {
            throw new IllegalStateException("argmax differs from the scalar reference, n=" + n);
        }
        int[] ia = new int[rows + rows10];
        int[] ib = new int[rows + rows10];
        kernel.rowArgmax(rows, cols, x, 0, cols, ia, 0);
        ref.rowArgmax(rows, cols, x, 0, cols, ib, 0);
        kernel.rowArgmax(rows10, 10, x, 0, 10, ia, rows);
        ref.rowArgmax(rows10, 10, x, 0, 10, ib, rows);
        if (!Arrays.equals(ia, ib)) {
            throw new IllegalStateException("rowArgmax differs from the scalar reference, n=" + n);
        }
        double dotAbs = 0;
        double sqAbs = 0;
        double sumAbs = 0;
        for (int i = 0; i < n; i++) {
            dotAbs += Math.abs((double) x[i] * y[i]);
            sqAbs += (double) x[i] * x[i];
            sumAbs += Math.abs(x[i]);
        }
        close("dot", kernel.dot(n, x, 0, y, 0), ref.dot(n, x, 0, y, 0), dotAbs);
        close("sum", kernel.sum(n, x, 0), ref.sum(n, x, 0), sumAbs);
        close("sumOfSquares", kernel.sumOfSquares(n, x, 0), ref.sumOfSquares(n, x, 0), sqAbs);
    }

    private void same(String op, float[] a, float[] b) {
        if (!Arrays.equals(a, b)) {
            throw new IllegalStateException(op + " differs from the scalar reference, n=" + n);
        }
    }

    /** Both within 1.01 * n_eff * 2^-24 * sum|t| of the exact sum, n_eff <= n: so within twice that of each other. */
    private void close(String op, float got, float ref, double sumAbs) {
        double tol = 2 * 1.01 * n * 0x1p-24 * sumAbs;
        if (!(Math.abs((double) got - ref) <= tol)) {
            throw new IllegalStateException(op + " = " + got + ", scalar reference " + ref + ", beyond " + tol
                    + " (n=" + n + ")");
        }
    }

    @Benchmark
    public void axpy(Elements e) {
        // a small alpha keeps y bounded over billions of calls
        kernel.axpy(n, 1e-9f, x, xOff, y, yOff);
        e.elements += n;
    }

    @Benchmark
    public void scale(Elements e) {
        kernel.scale(n, -1f, z, zOff);
        e.elements += n;
    }

    @Benchmark
    public float dot(Elements e) {
        e.elements += n;
        return kernel.dot(n, x, xOff, y, yOff);
    }

    @Benchmark
    public float sum(Elements e) {
        e.elements += n;
        return kernel.sum(n, x, xOff);
    }

    @Benchmark
    public float sumOfSquares(Elements e) {
        e.elements += n;
        return kernel.sumOfSquares(n, x, xOff);
    }

    @Benchmark
    public void mul(Elements e) {
        kernel.mul(n, x, xOff, y, yOff, z, zOff);
        e.elements += n;
    }

    @Benchmark
    public void add(Elements e) {
        kernel.add(n, x, xOff, y, yOff, z, zOff);
        e.elements += n;
    }

    @Benchmark
    public void sub(Elements e) {
        kernel.sub(n, x, xOff, y, yOff, z, zOff);
        e.elements += n;
    }

    @Benchmark
    public void clamp(Elements e) {
        kernel.clamp(n, -0.5f, 0.25f, x, xOff, z, zOff);
        e.elements += n;
    }

    @Benchmark
    public void addRowVector(Elements e) {
        kernel.addRowVector(rows, cols, y, yOff, z, zOff, cols);
        e.elements += (long) rows * cols;
    }

    @Benchmark
    public void columnSums(Elements e) {
        kernel.columnSums(rows, cols, x, xOff, cols, z, zOff, false);
        e.elements += (long) rows * cols;
    }

    @Benchmark
    public int argmax(Elements e) {
        e.elements += n;
        return kernel.argmax(n, x, xOff);
    }

    @Benchmark
    public void rowArgmax(Elements e) {
        kernel.rowArgmax(rows, cols, x, xOff, cols, rowOut, zOff);
        e.elements += (long) rows * cols;
    }

    @Benchmark
    public void rowArgmax10(Elements e) {
        kernel.rowArgmax(rows10, 10, x, xOff, 10, rowOut, zOff);
        e.elements += (long) rows10 * 10;
    }
}
