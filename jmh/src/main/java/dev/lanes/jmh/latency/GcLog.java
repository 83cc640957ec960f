package dev.lanes.jmh.latency;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Every collection the JVM reports while it is open, from the {@link GarbageCollectorMXBean}
 * notifications: when it started on the {@link System#nanoTime()} clock, how long it took, which
 * collector, and why. A collector whose name says "Concurrent" (G1's concurrent cycle) runs beside the
 * application: its duration is not a pause.
 *
 * <p>Clock. {@link GcInfo} times are milliseconds from a VM-internal origin that is not the one of
 * {@code RuntimeMXBean.getUptime()} (they differ by the VM's start-up, a few hundred ms). So the
 * origin is taken from the notifications themselves: each arrives a little after its collection
 * ended, and the smallest {@code arrival - end} over the events seen places them all, to within the
 * millisecond resolution plus the delivery delay of the promptest one.
 */
final class GcLog implements NotificationListener, AutoCloseable {

    /** One collection; {@code startNs} on the {@code System.nanoTime()} clock. */
    record Event(long startNs, long durationNs, String collector, String action, String cause) {

        boolean concurrent() {
            return collector.contains("Concurrent");
        }

        boolean overlaps(long fromNs, long toNs) {
            long slack = 1_000_000; // GcInfo times are in whole milliseconds
            return startNs - slack <= toNs && startNs + durationNs + slack >= fromNs;
        }
    }

    /** A collection in GcInfo's milliseconds, and the nanoTime its notification arrived at. */
    private record Raw(long startMs, long endMs, long arrivedNs, String collector, String action, String cause) {
    }

    private final List<Raw> events = new ArrayList<>();
    private final List<NotificationEmitter> emitters = new ArrayList<>();

    GcLog() {
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (b instanceof NotificationEmitter e) {
                e.addNotificationListener(this, null, null);
                emitters.add(e);
            }
        }
    }

    @Override
    public void handleNotification(Notification n, Object handback) {
        if (!n.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
            return;
        }
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        GcInfo gc = info.getGcInfo();
        Raw e = new Raw(gc.getStartTime(), gc.getEndTime(), System.nanoTime(), info.getGcName(), info.getGcAction(),
                info.getGcCause());
        synchronized (events) {
            events.add(e);
            events.notifyAll();
        }
    }

    /**
     * Waits up to {@code timeoutMs} until at least {@code count} events have arrived (the notifications
     * come from a JVM service thread, a little after the collection), then returns them all.
     */
    List<Event> await(long count, long timeoutMs) throws InterruptedException {
        long until = System.nanoTime() + timeoutMs * 1_000_000L;
        synchronized (events) {
            long left;
            while (events.size() < count && (left = until - System.nanoTime()) > 0) {
                events.wait(Math.max(1, left / 1_000_000L));
            }
            long origin = Long.MAX_VALUE;
            for (Raw r : events) {
                origin = Math.min(origin, r.arrivedNs() - r.endMs() * 1_000_000L);
            }
            List<Event> out = new ArrayList<>();
            for (Raw r : events) {
                out.add(new Event(origin + r.startMs() * 1_000_000L, (r.endMs() - r.startMs()) * 1_000_000L,
                        r.collector(), r.action(), r.cause()));
            }
            return out;
        }
    }

    @Override
    public void close() {
        for (NotificationEmitter e : emitters) {
            try {
                e.removeNotificationListener(this);
            } catch (ListenerNotFoundException ignored) {
                // already gone: nothing to undo
            }
        }
    }
}
