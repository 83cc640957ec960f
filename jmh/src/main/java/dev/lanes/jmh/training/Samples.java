package dev.lanes.jmh.training;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Samples processed (trained on or encoded), reported by JMH as a rate: the {@code samples} counter. */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class Samples {
    public long samples;

    @Setup(Level.Iteration)
    public void reset() {
        samples = 0;
    }
}
