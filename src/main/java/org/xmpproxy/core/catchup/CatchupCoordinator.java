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
 *       sent, and the ids of what it got live are kept, so the next catch-up sends the rest and nothing
 *       twice. A reconnect cancels the unfinished task: a new one starts from the new state. When the
 *       plugin stops, the ids are lost: then {@code (A, U]} is stored as a live span instead.</li>
 * </ul>
 * Each delivery happens under the same lock as those state changes, so nothing is sent after a
 * resource was recorded as gone.
 */
public final class CatchupCoordinator implements org.xmpproxy.core.flow.LiveDeliveries {
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
    /**
     * Ids of messages a resource got live since its last completed catch-up. Openfire marks a route
     * available a moment before it reports the presence (and unavailable a moment after), and a
     * catch-up may be cut short: these ids keep what it got live from arriving twice.
     */
    private final Map<JID, java.util.Set<String>> liveIds = new ConcurrentHashMap<>();
    private static final int MAX_LIVE_IDS = 2000;

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
            wentAway(resource, previous, now, false); // a second available without an unavailable in between
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
            wentAway(resource, period, clock.getAsLong(), false);
        }
    }

    /** Called on the packet path: a set insert, only for resources not settled. */
    @Override
    public void delivered(JID resource, String messageId) {
        Online period = online.get(resource);
        if (period != null && period.complete) {
            return;
        }
        java.util.Set<String> ids = liveIds.computeIfAbsent(resource, r -> java.util.Collections.synchronizedSet(new java.util.LinkedHashSet<>()));
        if (ids.size() < MAX_LIVE_IDS) {
            ids.add(messageId);
        }
    }

    /**
     * The plugin stops while resources are online: record each as if it went away now, so the next
     * start (which calls {@link #onAvailable} for every resource still online) resumes exactly.
     */
    public synchronized void suspendAll() {
        long now = clock.getAsLong();
        online.forEach((resource, period) -> wentAway(resource, period, now, true));
        online.clear();
        liveIds.clear();
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

    /**
     * @param forget whether what it got live is about to be forgotten (the plugin stops): then the whole
     *               period is recorded as a live span instead
     */
    private void wentAway(JID resource, Online period, long now, boolean forget) {
        if (period.complete) {
            port.save(resource, now, LiveSpans.NONE);
            liveIds.remove(resource);
            return;
        }
        // Resume after the last message sent. A resource seen for the first time had only the few
        // newest messages to get: from now on it is one that has been seen, as of when it came online.
        Long mark = period.markAtStart == null ? Long.valueOf(period.availableAt)
                : period.progress != null ? period.progress : period.markAtStart;
        // What it got live while online is known by id (kept in memory until a catch-up completes). Only
        // when those ids are lost (plugin stop) or too many is the period stored as a span: a span
        // assumes it got everything in it, which is not quite true at its edges.
        java.util.Set<String> ids = liveIds.get(resource);
        boolean spanNeeded = forget || (ids != null && ids.size() >= MAX_LIVE_IDS);
        LiveSpans spans = spanNeeded ? port.live(resource).plus(new LiveSpans.Span(period.availableAt, now), mark)
                : port.live(resource).after(mark);
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
            java.util.Set<String> gotLive = java.util.Set.copyOf(liveIds.getOrDefault(resource, java.util.Set.of()));
            List<? extends HistoryItem> chosen = CatchupSelector.select(history, period.markAtStart, port.live(resource),
                    gotLive, period.availableAt, now, limits);
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
                liveIds.remove(resource);
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
