package dev.lanes.core;

import dev.lanes.core.internal.Backends;
import dev.lanes.core.internal.Parallel;

/**
 * Library-wide settings: which implementation runs, and how many threads the kernels may use.
 *
 * <p>The implementation is chosen once, when the first kernel class is initialised: the Panama
 * (Vector API) kernels when {@code jdk.incubator.vector} is readable and the C2 compiler is on,
 * otherwise the scalar references, with one log line on the {@code dev.lanes.core} logger saying
 * why. {@code -Dlanes.simd=false} forces the scalar references.
 *
 * <p>Threads: {@code -Dlanes.threads=N} or {@link #setThreads(int)}; the default is the number of
 * available processors. All kernels share one pool of daemon threads. Every kernel's result is
 * bitwise independent of the thread count (each says so in its javadoc).
 */
public final class Lanes {

    private Lanes() {
    }

    /** {@code "panama"} or {@code "scalar"}. */
    public static String implementation() {
        return Backends.selected().label();
    }

    /** Why {@link #implementation()} is what it is. */
    public static String implementationReason() {
        return Backends.reason();
    }

    /** The number of threads kernels may use, the calling thread included. */
    public static int threads() {
        return Parallel.threads();
    }

    /**
     * Sets the number of threads kernels may use, the calling thread included.
     *
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public static void setThreads(int threads) {
        Parallel.setThreads(threads);
    }
}
