package dev.lanes.core.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one shared pool of daemon threads behind every multi-threaded kernel.
 *
 * <p>{@link #run(int, Task)} runs {@code task.run(0 .. count-1)}, the calling thread taking part.
 * Which thread runs which index is not fixed, so a kernel is bitwise independent of the thread count
 * exactly when each index writes its own part of the output and the split into indices does not
 * depend on {@link #threads()}. Every kernel in Lanes splits that way.
 *
 * <p>No allocation per call: the kernel passes a task object it keeps. A call made from inside a
 * task, or while another thread's call is running, runs its indices inline on the calling thread.
 */
public final class Parallel {

    /** One index of a parallel loop. */
    @FunctionalInterface
    public interface Task {
        void run(int index);
    }

    /**
     * How long an idle worker spins before it parks. A parked worker on this project's VM took long
     * enough to wake that a step of sparse TopK training (about 20 parallel calls, a few ms apart) ran
     * 1.04-1.13x faster on 2 threads than on 1 with a 50 us spin, 1.17-1.41x with 1 ms (4 of 5 runs;
     * 2026-11-23, SparseBench h = 4096). The cost: a worker keeps a core busy for up to 1 ms after each
     * parallel call.
     */
    private static final int SPIN_NANOS = 1_000_000;
    private static volatile Pool pool = new Pool(initialThreads());

    private Parallel() {
    }

    private static int initialThreads() {
        String s = System.getProperty("lanes.threads");
        int cpus = Runtime.getRuntime().availableProcessors();
        if (s == null || s.isBlank()) {
            return cpus;
        }
        try {
            int n = Integer.parseInt(s.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the log line below
        }
        System.getLogger("dev.lanes.core").log(System.Logger.Level.WARNING,
                "ignoring -Dlanes.threads=" + s + " (need an integer >= 1); using " + cpus);
        return cpus;
    }

    /** The number of threads a kernel may use, the caller included. */
    public static int threads() {
        return pool.threads;
    }

    /** Replaces the pool; calls already running finish on the old one. */
    public static synchronized void setThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("setThreads: threads=" + threads + " < 1");
        }
        if (threads != pool.threads) {
            Pool old = pool;
            pool = new Pool(threads);
            old.shutdown();
        }
    }

    /** Runs {@code task.run(i)} for every {@code i} in {@code [0, count)}, then returns. */
    public static void run(int count, Task task) {
        if (count <= 0) {
            return;
        }
        Pool p = pool;
        if (count == 1 || p.threads == 1 || Thread.currentThread() instanceof Worker
                || p.lock.isHeldByCurrentThread() || !p.lock.tryLock()) {
            for (int i = 0; i < count; i++) {
                task.run(i);
            }
            return;
        }
        try {
            p.execute(count, task);
        } finally {
            p.lock.unlock();
        }
    }

    private static final class Worker extends Thread {
        private final Pool pool;

        Worker(Pool pool, int id) {
            super("lanes-worker-" + id);
            this.pool = pool;
            setDaemon(true);
        }

        @Override
        public void run() {
            int seen = 0;
            while (true) {
                int gen = pool.awaitGeneration(seen);
                if (gen < 0) {
                    return;
                }
                seen = gen;
                pool.work();
                pool.reported.incrementAndGet();
            }
        }
    }

    private static final class Pool {
        final int threads;
        final ReentrantLock lock = new ReentrantLock();
        private final Worker[] workers;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger finished = new AtomicInteger();
        final AtomicInteger reported = new AtomicInteger();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private volatile Task task;
        private volatile int count;
        private volatile int generation;
        private volatile boolean stopped;

        Pool(int threads) {
            this.threads = threads;
            this.workers = new Worker[threads - 1];
            for (int i = 0; i < workers.length; i++) {
                workers[i] = new Worker(this, i);
                workers[i].start();
            }
        }

        void execute(int count, Task task) {
            this.task = task;
            this.count = count;
            next.set(0);
            finished.set(0);
            failure.set(null);
            reported.set(0);
            generation++; // publishes the fields above to the workers
            for (Worker w : workers) {
                LockSupport.unpark(w);
            }
            work();
            // Wait for every worker too, not only for the indices: a worker still inside work() for
            // this job must not see the fields of the next one.
            while (finished.get() < count || reported.get() < workers.length) {
                Thread.onSpinWait();
            }
            this.task = null;
            Throwable t = failure.get();
            if (t instanceof RuntimeException r) {
                throw r;
            } else if (t instanceof Error e) {
                throw e;
            }
        }

        void work() {
            Task t = task;
            int n = count;
            for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                try {
                    t.run(i);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    finished.incrementAndGet();
                }
            }
        }

        /** Waits until the generation moves past {@code seen}; -1 once the pool is shut down. */
        int awaitGeneration(int seen) {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            while (true) {
                if (stopped) {
                    return -1;
                }
                int g = generation;
                if (g != seen) {
                    return g;
                }
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
        }

        void shutdown() {
            stopped = true;
            for (Worker w : workers) {
                LockSupport.unpark(w);
            }
        }
    }
}
