package org.xmpproxy.core.catchup;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.JID;

/**
 * Catches each resource up when it comes online, exactly once, off the packet path.
 * <ul>
 *   <li>Available at time A: after a short delay (Openfire's offline messages go first), send the
 *       messages {@link CatchupSelector} picks from {@code (mark, A]}, in batches, yielding between
 *       batches so one long catch-up does not hold up others. Messages after A reach it live.</li>
 *   <li>Done: the mark becomes A. While it stays online, {@link #checkpoint} moves the mark to now,
 *       so a crash does not make it receive again what it already had.</li>
 *   <li>Unavailable at U before the catch-up finished: the mark becomes the time of the last message
 *       sent, and {@code (A, U]} is remembered as a live span, so the next catch-up sends the rest and
 *       nothing twice. A reconnect cancels the unfinished task: a new one starts from the new state.</li>
 * </ul>
 * Each delivery happens under the same lock as those state changes, so nothing is sent after a
 * resource was recorded as gone.
 */
public final class CatchupCoordinator {
    private static final Logger LOG = LoggerFactory.getLogger(CatchupCoordinator.class);

    /** Messages sent before yielding to other catch-ups. */
    static final int BATCH = 50;

    private final CatchupPort port;
    private final LongSupplier clock;
    private final long startDelayMillis;
    private final Map<JID, Online> online = new ConcurrentHashMap<>();
    private final AtomicLong generations = new AtomicLong();
    private final AtomicLong catchups = new AtomicLong();
    private final AtomicLong messagesSent = new AtomicLong();

    /** One available period of one resource. */
    private static final class Online {
        final long generation;
        final long availableAt;
        final Long markAtStart;
        Long progress; // sentAt of the last message sent
        boolean complete;

        Online(long generation, long availableAt, Long markAtStart) {
            this.generation = generation;
            this.availableAt = availableAt;
            this.markAtStart = markAtStart;
        }
    }

    public CatchupCoordinator(CatchupPort port, LongSupplier clock, long startDelayMillis) {
        this.port = port;
        this.clock = clock;
        this.startDelayMillis = startDelayMillis;
    }

    public synchronized void onAvailable(JID resource) {
        long now = clock.getAsLong();
        Online previous = online.remove(resource);
        if (previous != null) {
            wentAway(resource, previous, now); // a second available without an unavailable in between
        }
        Online period = new Online(generations.incrementAndGet(), now, port.mark(resource));
        online.put(resource, period);
        if (!port.wantsCatchup(resource)) {
            period.complete = true;
            return;
        }
        port.schedule(() -> start(resource, period), startDelayMillis);
    }

    public synchronized void onUnavailable(JID resource) {
        Online period = online.remove(resource);
        if (period != null) {
            wentAway(resource, period, clock.getAsLong());
        }
    }

    /**
     * The plugin stops while resources are online: record each as if it went away now, so the next
     * start (which calls {@link #onAvailable} for every resource still online) resumes exactly.
     */
    public synchronized void suspendAll() {
        long now = clock.getAsLong();
        online.forEach((resource, period) -> wentAway(resource, period, now));
        online.clear();
    }

    /** Moves the mark of every caught-up online resource to now. */
    public synchronized void checkpoint() {
        long now = clock.getAsLong();
        online.forEach((resource, period) -> {
            if (period.complete) {
                port.save(resource, now, LiveSpans.NONE);
            }
        });
    }

    private void wentAway(JID resource, Online period, long now) {
        if (period.complete) {
            port.save(resource, now, LiveSpans.NONE);
            return;
        }
        // Resume after the last message sent. A resource seen for the first time had only the few
        // newest messages to get: from now on it is one that has been seen, as of when it came online.
        Long mark = period.markAtStart == null ? Long.valueOf(period.availableAt)
                : period.progress != null ? period.progress : period.markAtStart;
        LiveSpans spans = port.live(resource).plus(new LiveSpans.Span(period.availableAt, now), mark);
        port.save(resource, mark, spans);
    }

    private void start(JID resource, Online period) {
        if (!isCurrent(resource, period)) {
            return;
        }
        try {
            port.flushHistory();
            JID account = resource.asBareJID();
            CatchupSelector.Limits limits = port.limits(account);
            long now = clock.getAsLong();
            long from = Math.max(period.markAtStart == null ? Long.MIN_VALUE : period.markAtStart, now - limits.maxAgeMillis() - 1);
            // Fetch more than the bound: live spans and undelivered messages are filtered out afterwards.
            List<? extends HistoryItem> history = port.window(account, from, period.availableAt, limits.maxCount() * 2 + 100);
            List<? extends HistoryItem> chosen = CatchupSelector.select(history, period.markAtStart, port.live(resource),
                    period.availableAt, now, limits);
            catchups.incrementAndGet();
            sendBatch(resource, period, chosen, 0);
        } catch (Exception e) {
            LOG.warn("xmpproxy: could not catch up {}: {}", resource, e.toString());
            // Leave the mark where it was: the next time it comes online it is caught up then.
        }
    }

    private void sendBatch(JID resource, Online period, List<? extends HistoryItem> chosen, int from) {
        int to = Math.min(chosen.size(), from + BATCH);
        for (int i = from; i < to; i++) {
            synchronized (this) {
                if (!isCurrent(resource, period)) {
                    return; // gone or reconnected: its state was saved then
                }
                HistoryItem item = chosen.get(i);
                port.deliver(resource, item);
                period.progress = item.sentAt();
                messagesSent.incrementAndGet();
            }
        }
        if (to < chosen.size()) {
            port.schedule(() -> sendBatch(resource, period, chosen, to), 0); // yield to other catch-ups
            return;
        }
        synchronized (this) {
            if (isCurrent(resource, period)) {
                period.complete = true;
                port.save(resource, period.availableAt, port.live(resource).after(period.availableAt));
            }
        }
    }

    private boolean isCurrent(JID resource, Online period) {
        return online.get(resource) == period;
    }

    public long catchups() {
        return catchups.get();
    }

    public long messagesSent() {
        return messagesSent.get();
    }
}
