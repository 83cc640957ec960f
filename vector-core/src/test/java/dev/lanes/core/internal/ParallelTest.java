package dev.lanes.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ParallelTest {

    @Test
    void everyIndexRunsExactlyOnceForAnyThreadCount() {
        int before = Parallel.threads();
        try {
            for (int threads = 1; threads <= 4; threads++) {
                Parallel.setThreads(threads);
                for (int count : new int[] {0, 1, 2, 3, 17, 1000}) {
                    int[] hits = new int[count];
                    for (int rep = 0; rep < 50; rep++) {
                        Parallel.run(count, i -> hits[i]++);
                    }
                    int[] expected = new int[count];
                    java.util.Arrays.fill(expected, 50);
                    assertArrayEquals(expected, hits, "threads=" + threads + " count=" + count);
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void nestedCallsRunInline() {
        AtomicInteger total = new AtomicInteger();
        Parallel.run(4, i -> Parallel.run(5, j -> total.incrementAndGet()));
        assertEquals(20, total.get());
    }

    @Test
    void failuresReachTheCaller() {
        IllegalStateException boom = new IllegalStateException("boom");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Parallel.run(8, i -> {
                    if (i == 5) {
                        throw boom;
                    }
                }));
        assertSame(boom, e);
        AtomicInteger after = new AtomicInteger();
        Parallel.run(8, i -> after.incrementAndGet());
        assertEquals(8, after.get());
    }
}
