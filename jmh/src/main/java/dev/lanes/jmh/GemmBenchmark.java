package dev.lanes.jmh;

import dev.lanes.core.Lanes;
import dev.lanes.core.internal.Backends;
import dev.lanes.core.internal.GemmKernel;
import dev.ludovic.netlib.blas.JavaBLAS;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * sgemm throughput in GFLOP/s: {@code C := A*B} ({@code alpha = 1, beta = 0}) on square shapes and on
 * the autoencoder's shapes ({@code MxNxK:TATB}).
 *
 * <p>GFLOP/s: the flop count {@code 2*m*n*k} differs per shape, so {@code @OperationsPerInvocation}
 * (a compile-time constant) cannot carry it; instead the {@link Flops} aux counter adds
 * {@code 2*m*n*k / 1e9} per call, and JMH reports its rate as the secondary result {@code gflops}
 * (GFLOP/s). The primary score is calls per second.
 *
 * <p>Candidates ({@code impl}): {@code panama} (Lanes), {@code scalar} (the reference triple loop;
 * only up to 512^3 flops-wise, larger shapes are refused in setup because one call takes seconds),
 * {@code ikj} (a plain Vector API i-k-j loop, the obvious SIMD version without packing or blocking),
 * {@code ejml} (EJML's {@code CommonOps_FDRM.mult*} on wrapped {@code FMatrixRMaj}),
 * {@code netlib} (dev.ludovic.netlib's {@code JavaBLAS.getInstance()}, its Vector API backend on this
 * JDK; column-major, so it computes {@code C^T = op(B)^T op(A)^T}), and {@code openblas} /
 * {@code openblas-skylakex}: the system {@code libopenblas.so.0} called in-process through the
 * foreign function API ({@code cblas_sgemm} on the heap arrays, no copies, no JNI glue), once with
 * the kernel it picks itself and once forced onto its AVX-512 kernel. OpenBLAS reads
 * {@code OPENBLAS_CORETYPE} and {@code OPENBLAS_NUM_THREADS} when it is loaded, so setup sets them
 * with libc {@code setenv} before loading it (thread count = {@code threads}); that needs a fresh JVM
 * per variant, which the default fork gives (with {@code -f 0} the first variant loaded wins, and
 * the core name printed in setup says so). Where the library is missing the OpenBLAS cases fail
 * in setup with a message saying so, and the others run.
 * Every candidate's result is checked in setup against double-precision dot products on sampled
 * elements before it is timed. {@code threads} sets {@link Lanes#setThreads(int)}; the scalar,
 * i-k-j, EJML and netlib candidates are single-threaded whatever it says.
 *
 * <p>Big sweep: {@code java -jar jmh/target/benchmarks.jar GemmBenchmark -p impl=panama,ikj}.
 */
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
public class GemmBenchmark {

    @Param({"64x64x64:NN", "128x128x128:NN", "256x256x256:NN", "512x512x512:NN", "1024x1024x1024:NN",
            "2048x2048x2048:NN", "256x4096x784:NN", "256x784x4096:NN", "256x784x4096:NT",
            "4096x784x256:TN", "784x4096x256:TN"})
    public String shape;

    @Param({"panama", "scalar", "ikj", "ejml", "netlib", "openblas", "openblas-skylakex"})
    public String impl;

    @Param({"1", "2"})
    public int threads;

    private int m;
    private int n;
    private int k;
    private boolean ta;
    private boolean tb;
    private float[] a;
    private float[] b;
    private float[] c;
    private float[] scratch;
    private GemmKernel kernel;
    private FMatrixRMaj ea;
    private FMatrixRMaj eb;
    private FMatrixRMaj ec;
    private dev.ludovic.netlib.blas.BLAS netlib;
    private MethodHandle cblasSgemm;
    private double gflop;

    /** Adds the flops of each call; JMH reports the rate (GFLOP/s). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        public double gflops;

        @Setup(Level.Iteration)
        public void reset() {
            gflops = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        String[] dims = shape.substring(0, shape.indexOf(':')).split("x");
        m = Integer.parseInt(dims[0]);
        n = Integer.parseInt(dims[1]);
        k = Integer.parseInt(dims[2]);
        ta = shape.charAt(shape.length() - 2) == 'T';
        tb = shape.charAt(shape.length() - 1) == 'T';
        gflop = 2.0 * m * n * k / 1e9;
        if (impl.equals("scalar") && gflop > 2.0 * 512 * 512 * 512 / 1e9) {
            throw new IllegalStateException("the scalar reference is only timed up to 512^3 (one call of "
                    + shape + " takes seconds); run with -p impl=panama,ikj");
        }
        Lanes.setThreads(threads);
        SplittableRandom rnd = new SplittableRandom(42);
        a = new float[m * k];
        b = new float[k * n];
        c = new float[m * n];
        scratch = new float[k * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rnd.nextDouble(-1, 1);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) rnd.nextDouble(-1, 1);
        }
        switch (impl) {
            case "panama" -> kernel = Backends.load(GemmKernel.class, Backends.Kind.PANAMA);
            case "scalar" -> kernel = Backends.load(GemmKernel.class, Backends.Kind.SCALAR);
            case "ikj" -> { }
            case "ejml" -> {
                ea = ta ? FMatrixRMaj.wrap(k, m, a) : FMatrixRMaj.wrap(m, k, a);
                eb = tb ? FMatrixRMaj.wrap(n, k, b) : FMatrixRMaj.wrap(k, n, b);
                ec = FMatrixRMaj.wrap(m, n, c);
            }
            case "netlib" -> {
                netlib = JavaBLAS.getInstance();
                System.out.println("netlib backend: " + netlib.getClass().getName());
            }
            case "openblas" -> cblasSgemm = openBlas(null, threads);
            case "openblas-skylakex" -> cblasSgemm = openBlas("SkylakeX", threads);
            default -> throw new IllegalArgumentException("unknown impl " + impl);
        }
        java.util.Arrays.fill(c, Float.NaN);
        call();
        verify(rnd);
    }

    @Benchmark
    public float[] sgemm(Flops flops) {
        call();
        flops.gflops += gflop;
        return c;
    }

    private void call() {
        int lda = ta ? m : k;
        int ldb = tb ? k : n;
        if (kernel != null) {
            kernel.sgemm(ta, tb, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n);
        } else if (ea != null) {
            if (ta) {
                if (tb) {
                    CommonOps_FDRM.multTransAB(ea, eb, ec);
                } else {
                    CommonOps_FDRM.multTransA(ea, eb, ec);
                }
            } else if (tb) {
                CommonOps_FDRM.multTransB(ea, eb, ec);
            } else {
                CommonOps_FDRM.mult(ea, eb, ec);
            }
        } else if (netlib != null) {
            // Row-major C = op(A) op(B) is column-major C^T = op(B)^T op(A)^T on the same arrays.
            netlib.sgemm(tb ? "T" : "N", ta ? "T" : "N", n, m, k, 1f, b, ldb, a, lda, 0f, c, n);
        } else if (cblasSgemm != null) {
            try {
                cblasSgemm.invokeExact(CBLAS_ROW_MAJOR, ta ? CBLAS_TRANS : CBLAS_NO_TRANS, tb ? CBLAS_TRANS : CBLAS_NO_TRANS,
                        m, n, k, 1f, MemorySegment.ofArray(a), lda, MemorySegment.ofArray(b), ldb, 0f,
                        MemorySegment.ofArray(c), n);
            } catch (Throwable e) {
                throw new IllegalStateException("cblas_sgemm", e);
            }
        } else {
            ikj(ta, tb, m, n, k, a, lda, b, ldb, c, scratch);
        }
    }

    private static final int CBLAS_ROW_MAJOR = 101;
    private static final int CBLAS_NO_TRANS = 111;
    private static final int CBLAS_TRANS = 112;

    /**
     * {@code cblas_sgemm} of the system OpenBLAS, loaded after setting {@code OPENBLAS_CORETYPE}
     * (unless null) and {@code OPENBLAS_NUM_THREADS} in this process's environment. The handle is
     * critical with heap access: the float arrays are passed in place, and the call is short
     * enough not to matter for the GC.
     */
    private static MethodHandle openBlas(String coreType, int threads) {
        Linker linker = Linker.nativeLinker();
        MethodHandle setenv = linker.downcallHandle(linker.defaultLookup().find("setenv").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        try (Arena arena = Arena.ofConfined()) {
            int rc = (int) setenv.invokeExact(arena.allocateFrom("OPENBLAS_NUM_THREADS"),
                    arena.allocateFrom(Integer.toString(threads)), 1);
            if (coreType != null) {
                rc |= (int) setenv.invokeExact(arena.allocateFrom("OPENBLAS_CORETYPE"), arena.allocateFrom(coreType), 1);
            }
            if (rc != 0) {
                throw new IllegalStateException("setenv failed");
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
        SymbolLookup lib;
        try {
            lib = SymbolLookup.libraryLookup("libopenblas.so.0", Arena.global());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("OpenBLAS candidate skipped: libopenblas.so.0 not found"
                    + " (apt-get install libopenblas0-pthread); the other candidates are unaffected", e);
        }
        try {
            MethodHandle name = linker.downcallHandle(lib.find("openblas_get_corename").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.ADDRESS));
            MemorySegment core = ((MemorySegment) name.invokeExact()).reinterpret(64);
            System.out.println("OpenBLAS core: " + core.getString(0) + " (OPENBLAS_CORETYPE="
                    + (coreType == null ? "unset" : coreType) + ", OPENBLAS_NUM_THREADS=" + threads + ")");
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
        FunctionDescriptor sgemm = FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_FLOAT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_FLOAT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT);
        return linker.downcallHandle(lib.find("cblas_sgemm").orElseThrow(), sgemm, Linker.Option.critical(true));
    }

    /** Sampled elements against double-precision dot products, with the bound of GemmKernelTest. */
    private void verify(SplittableRandom rnd) {
        for (int s = 0; s < 256; s++) {
            int i = rnd.nextInt(m);
            int j = rnd.nextInt(n);
            double sum = 0;
            double abs = 0;
            for (int p = 0; p < k; p++) {
                double prod = (double) (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
                sum += prod;
                abs += Math.abs(prod);
            }
            double tol = 2 * (k + 4) * 0x1p-24 * abs;
            if (!(Math.abs(c[i * n + j] - sum) <= tol)) {
                throw new IllegalStateException(impl + " " + shape + ": C[" + i + "][" + j + "] = " + c[i * n + j]
                        + ", expected " + sum + " +- " + tol);
            }
        }
    }

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /**
     * The obvious Vector API sgemm: for each row of C, for each p, C[i][:] += A[i][p] * B[p][:]. A
     * transposed B is transposed into {@code scratch} first (inside the timed call).
     */
    static void ikj(boolean ta, boolean tb, int m, int n, int k, float[] a, int lda, float[] b, int ldb,
                    float[] c, float[] scratch) {
        float[] bb = b;
        int ld = ldb;
        if (tb) {
            for (int j = 0; j < n; j++) {
                for (int p = 0; p < k; p++) {
                    scratch[p * n + j] = b[j * ldb + p];
                }
            }
            bb = scratch;
            ld = n;
        }
        int bound = S.loopBound(n);
        for (int i = 0; i < m; i++) {
            int ci = i * n;
            java.util.Arrays.fill(c, ci, ci + n, 0f);
            for (int p = 0; p < k; p++) {
                float aip = ta ? a[p * lda + i] : a[i * lda + p];
                FloatVector av = FloatVector.broadcast(S, aip);
                int bp = p * ld;
                int j = 0;
                for (; j < bound; j += S.length()) {
                    av.fma(FloatVector.fromArray(S, bb, bp + j), FloatVector.fromArray(S, c, ci + j))
                            .intoArray(c, ci + j);
                }
                for (; j < n; j++) {
                    c[ci + j] = Math.fma(aip, bb[bp + j], c[ci + j]);
                }
            }
        }
    }
}
