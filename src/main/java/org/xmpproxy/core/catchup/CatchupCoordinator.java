package org.xmpproxy.core.catchup;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.JID;
import org.xmpproxy.core.rule.MessageKey;

/**
 * Catches each resource up when it comes online, exactly once, off the packet path.
 * <ul>
 *   <li>Available at time A: after a short delay (Openfire's offline messages go first), send the
 *       messages {@link CatchupSelector} picks from {@code (mark, A]}, in batches, yielding between
 *       batches so one long catch-up does not hold up others. Messages after A reach it live.</li>
 *   <li>Done: the mark becomes A. While it stays online, {@link #checkpoint} moves the mark to now,
 *       so a crash does not make it receive again what it already had.</li>
 *   <li>The history cannot be read completely (the writes queued before A are not all in the
 *       database, or the database fails): the catch-up is tried again later, with growing pauses,
 *       while the resource stays online. The mark never moves past a message it was not sent.</li>
 *   <li>Unavailable at U before the catch-up finished: the mark becomes the time of the last message
 *       sent, and what it got live is kept (by {@link MessageKey}), so the next catch-up sends the rest and
 *       nothing twice. A reconnect cancels the unfinished task: a new one starts from the new state. When the
 *       plugin stops, the ids are lost: then {@code (A, U]} is stored as a live span instead.</li>
 * </ul>
 * Each delivery happens under the same lock as those state changes, so nothing is sent after a
 * resource was recorded as gone.
 */
public final class CatchupCoordinator implements org.xmpproxy.core.flow.LiveDeliveries {
    private static final Logger LOG = LoggerFactory.getLogger(CatchupCoordinator.class);

    /** Messages sent before yielding to other catch-ups. */
    static final int BATCH = 50;
    /** The pause before the first retry of a catch-up that could not read the whole history; it doubles up to {@link #RETRY_MAX_MILLIS}. */
    static final long RETRY_FIRST_MILLIS = 5_000;
    static final long RETRY_MAX_MILLIS = 300_000;

    private final CatchupPort port;
    private final LongSupplier clock;
    private final long startDelayMillis;
    private final Map<JID, Online> online = new ConcurrentHashMap<>();
    private final AtomicLong generations = new AtomicLong();
    private final AtomicLong catchups = new AtomicLong();
    private final AtomicLong messagesSent = new AtomicLong();
    private final AtomicLong postponed = new AtomicLong();
    /** Whether the last attempt to read the history failed (logged once until one succeeds). */
    private final AtomicBoolean failing = new AtomicBoolean();
    /**
     * Messages a resource got live since its last completed catch-up. Openfire marks a route
     * available a moment before it reports the presence (and unavailable a moment after), and a
     * catch-up may be cut short or postponed: these keep what it got live from arriving twice.
     */
    private final Map<JID, java.util.Set<MessageKey>> liveIds = new ConcurrentHashMap<>();
    private static final int MAX_LIVE_IDS = 2000;

    /** One available period of one resource. */
    private static final class Online {
        final long generation;
        final long availableAt;
        final Long markAtStart;
        Long progress; // sentAt of the last message sent
        boolean complete;
        int retries;

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
    public void delivered(JID resource, MessageKey message) {
        Online period = online.get(resource);
        if (period != null && period.complete) {
            return;
        }
        java.util.Set<MessageKey> ids = liveIds.computeIfAbsent(resource, r -> java.util.Collections.synchronizedSet(new java.util.LinkedHashSet<>()));
        if (ids.size() < MAX_LIVE_IDS) {
            ids.add(message);
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
        // Resume after the last message sent. A resource seen for the first time that was sent none of
        // the few newest messages it had to get: from now on it is one that has been seen, as of when it
        // came online.
        Long mark = period.progress != null ? period.progress
                : period.markAtStart != null ? period.markAtStart : Long.valueOf(period.availableAt);
        // What it got live while online is known by key (kept in memory until a catch-up completes). Only
        // when those ids are lost (plugin stop) or too many is the period stored as a span: a span
        // assumes it got everything in it, which is not quite true at its edges.
        java.util.Set<MessageKey> ids = liveIds.get(resource);
        boolean spanNeeded = forget || (ids != null && ids.size() >= MAX_LIVE_IDS);
        LiveSpans spans = spanNeeded ? port.live(resource).plus(new LiveSpans.Span(period.availableAt, now), mark)
                : port.live(resource).after(mark);
        port.save(resource, mark, spans);
    }

    private void start(JID resource, Online period) {
        if (!isCurrent(resource, period)) {
            return;
        }
        List<? extends HistoryItem> chosen;
        try {
            if (!port.flushHistory()) {
                // What was routed before it came online may still be on its way to the database: reading
                // now would miss it, and the mark would move past it.
                postpone(resource, period, "the history is not all written yet");
                return;
            }
            JID account = resource.asBareJID();
            CatchupSelector.Limits limits = port.limits(account);
            long now = clock.getAsLong();
            long from = Math.max(period.markAtStart == null ? Long.MIN_VALUE : period.markAtStart, now - limits.maxAgeMillis() - 1);
            // Fetch more than the bound: live spans and what it got live are filtered out afterwards.
            List<? extends HistoryItem> history = port.window(account, from, period.availableAt, limits.maxCount() * 2 + 100);
            java.util.Set<MessageKey> gotLive = liveSoFar(resource);
            chosen = CatchupSelector.select(history, period.markAtStart, port.live(resource),
                    gotLive, period.availableAt, now, limits);
        } catch (Exception e) {
            postpone(resource, period, e.toString());
            return;
        }
        if (failing.getAndSet(false)) {
            LOG.info("xmpproxy: catch-ups read the history again");
        }
        catchups.incrementAndGet();
        sendBatch(resource, period, chosen, 0);
    }

    /** A copy of what the resource got live so far (the packet path may be adding to it). */
    private java.util.Set<MessageKey> liveSoFar(JID resource) {
        java.util.Set<MessageKey> keys = liveIds.get(resource);
        if (keys == null) {
            return java.util.Set.of();
        }
        synchronized (keys) { // a synchronized set must be iterated under its own lock
            return java.util.Set.copyOf(keys);
        }
    }

    /** Tries the catch-up again later, as long as this period lasts; until then the mark stays where it was. */
    private void postpone(JID resource, Online period, String why) {
        long delay;
        synchronized (this) {
            if (!isCurrent(resource, period)) {
                return;
            }
            delay = Math.min(RETRY_MAX_MILLIS, RETRY_FIRST_MILLIS << Math.min(period.retries, 10));
            period.retries++;
        }
        postponed.incrementAndGet();
        if (!failing.getAndSet(true)) {
            LOG.warn("xmpproxy: could not catch up {} ({}); trying again in {} s. Logged once until catch-ups work again.",
                    resource, why, delay / 1000);
        }
        port.schedule(() -> start(resource, period), delay);
    }

    private void sendBatch(JID resource, Online period, List<? extends HistoryItem> chosen, int from) {
        int to = Math.min(chosen.size(), from + BATCH);
        for (int i = from; i < to; i++) {
            synchronized (this) {
                if (!isCurrent(resource, period)) {
                    return; // gone or reconnected: its state was saved then
                }
                HistoryItem item = chosen.get(i);
                boolean sent;
                try {
                    sent = port.deliver(resource, item);
                } catch (RuntimeException e) {
                    LOG.warn("xmpproxy: could not send a catch-up message to {}: {}", resource, e.toString());
                    sent = false;
                }
                if (!sent) {
                    // It cannot be reached (it is going away): the mark stays before this message, and
                    // the rest follows the next time it comes online.
                    LOG.debug("xmpproxy: catch-up of {} stopped after {} of {} messages", resource, i, chosen.size());
                    return;
                }
                // The mark is a time: when the next message has the same time, resuming after this time
                // would skip it, so the mark stays just before and this one is remembered as had.
                boolean sameTimeNext = i + 1 < chosen.size() && chosen.get(i + 1).sentAt() == item.sentAt();
                period.progress = sameTimeNext ? item.sentAt() - 1 : item.sentAt();
                if (sameTimeNext && item.key() != null) {
                    liveIds.computeIfAbsent(resource, r -> java.util.Collections.synchronizedSet(new java.util.LinkedHashSet<>()))
                            .add(item.key());
                }
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

    /** Catch-ups put off because the history could not be read completely (database slow or down). */
    public long postponed() {
        return postponed.get();
    }
}
