package dev.lanes.jmh;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Elements processed, reported by JMH as a rate: the {@code elements} counter of the kernel benchmarks
 * whose size is a parameter ({@code @OperationsPerInvocation} is a compile-time constant and cannot
 * follow it). The primary score is then calls per second, and {@code -prof gc}'s B/op is per call.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class Elements {
    public long elements;

    @Setup(Level.Iteration)
    public void reset() {
        elements = 0;
    }
}
