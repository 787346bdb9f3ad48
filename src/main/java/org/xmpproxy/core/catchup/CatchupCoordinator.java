package org.xmpproxy.core.catchup;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.JID;
import org.xmpproxy.core.rule.MessageAt;
import org.xmpproxy.core.rule.MessageKey;

/**
 * Catches each resource up when it comes online, exactly once, off the packet path.
 * <ul>
 *   <li>Every event names the session it is of (the server's id of it): a client that logs in again with the same
 *       resource before the server has torn its old session down replaces it, and a late "unavailable" of the old
 *       session, or a session that is no longer the resource's route ({@link CatchupPort#isRoute}), changes nothing
 *       of the new one. A session replaced without an unavailable presence ends as of when it was last seen.</li>
 *   <li>Available at time A: after a short delay (Openfire's offline messages go first), send the
 *       messages {@link CatchupSelector} picks from {@code (mark, A]}, in batches, yielding between
 *       batches so one long catch-up does not hold up others. Messages after A reach it live. When the
 *       bounds leave some of what it missed out, it is told so ({@link CatchupPort#truncated}).</li>
 *   <li>Done: the mark becomes A. While it stays online, {@link #checkpoint} moves the mark to now,
 *       so a crash does not make it receive again what it already had.</li>
 *   <li>The history cannot be read completely (the writes queued before A are not all in the
 *       database, or the database fails): the catch-up is tried again later, with growing pauses,
 *       while the resource stays online. The mark never moves past a message it was not sent.</li>
 *   <li>Unavailable at U before the catch-up finished: the mark becomes the time of the last message
 *       sent, and what it got live is kept (by history row: key and time, {@link GotLive}), so the next catch-up sends the rest and
 *       nothing twice. A reconnect cancels the unfinished task: a new one starts from the new state. When the
 *       plugin stops, the ids are lost: then {@code (A, U]} is stored as a live span instead.</li>
 *   <li>A message it was counted as having got turns out not to have reached it ({@link #missed}: a copy it
 *       left unacknowledged when its stream broke): its mark moves back before that message, with the time
 *       it did have covered by live spans, so the next catch-up sends that one and nothing else again. Online
 *       and past its catch-up, it is sent the message at once. The reports are looked up
 *       one account at a time, a bounded number in all ({@link #MAX_PENDING}), and saved with the state at unload.</li>
 *   <li>A message that reached nobody is handed to one resource by Openfire's offline store
 *       ({@link #deliveredLater}): the others get it by catch-up; one whose catch-up already passed it while it
 *       reached nobody gets it at once, or at its next catch-up.</li>
 *   <li>The account has an archive its clients query themselves (XEP-0313, {@link CatchupPort#hasArchive}): a
 *       client that enabled carbons syncs it when it logs in, so its catch-up waits (at most
 *       {@link CatchupPort#archiveWaitMillis}) for its archive query ({@link #archiveQueried}) before it starts. Whenever
 *       its query comes, its catch-up (and what it is owed) leaves out what that query returns ({@link ArchiveQuery},
 *       {@link ArchiveKeeps}): what the archive does not keep, or the query does not ask for, still comes, once. A
 *       client without carbons starts at once, as without an archive, and is trimmed only by a query of its own.</li>
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
    /** Missed messages kept for one online resource, to send outside its catch-up. */
    private static final int MAX_OWED = 1000;
    /**
     * Reports of missed messages waiting to be looked up in the history, per account and in all: each is one history
     * read, and the reports come from the packet path, so what any input can queue is bounded. Past these, a report is
     * dropped (counted, logged once until the queue drains).
     */
    static final int MAX_PENDING_PER_ACCOUNT = 1000;
    static final int MAX_PENDING = 10_000;
    /** Live deliveries remembered per resource, to know which of several messages with one key a report means. */
    static final int RECENT = 64;
    /** Archive queries remembered per period (a client pages with one query per page; past this, later ones are not read). */
    static final int MAX_QUERIES = 32;
    /** Sessions whose archive query came before their presence, remembered until it does (or a minute passes). */
    static final int MAX_EARLY = 10_000;
    /** At unload, the time spent looking up reports known by key alone (the rest are lost, logged). */
    private static final long SUSPEND_LOOKUP_MILLIS = 2_000;

    private final CatchupPort port;
    private final LongSupplier clock;
    private final long startDelayMillis;
    private final Map<JID, Online> online = new ConcurrentHashMap<>();
    private final AtomicLong catchups = new AtomicLong();
    private final AtomicLong messagesSent = new AtomicLong();
    private final AtomicLong postponed = new AtomicLong();
    private final AtomicLong truncated = new AtomicLong();
    private final AtomicLong leftOut = new AtomicLong();
    private final AtomicLong missedDropped = new AtomicLong();
    private final AtomicLong fromArchive = new AtomicLong();
    /** Archive queries of sessions not available yet (clients may sync before they send their presence). */
    private final Map<JID, Early> earlyQueries = new ConcurrentHashMap<>();
    /** Whether the last attempt to read the history failed (logged once until one succeeds). */
    private final AtomicBoolean failing = new AtomicBoolean();
    /** Whether a report was dropped since the queue of reports was last empty (logged once). */
    private final AtomicBoolean dropping = new AtomicBoolean();
    /**
     * Messages a resource got live since its last completed catch-up. Openfire marks a route
     * available a moment before it reports the presence (and unavailable a moment after), and a
     * catch-up may be cut short or postponed: these keep what it got live from arriving twice.
     */
    private final Map<JID, GotLive> liveIds = new ConcurrentHashMap<>();
    private static final int MAX_LIVE_IDS = 2000;
    /** Each resource's last live deliveries, settled or not (dropped a minute after it left). */
    private final Map<JID, Recent> recent = new ConcurrentHashMap<>();
    /** What resources were reported to have missed, not looked up in the history yet: by account (guarded by itself). */
    private final Map<JID, Pending> pendingMissed = new LinkedHashMap<>();
    private int pendingTotal; // guarded by pendingMissed
    /** Messages delivered later that were already handled: a write the database retried reports them again. */
    private final Set<String> handledLater = java.util.Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > 1000;
        }
    });

    /** One available period of one session of one resource. */
    private static final class Online {
        /** The server's id of the session: events of any other session with this resource are not this period's. */
        final String session;
        final long availableAt;
        /** When its session was last seen as the resource's route (it came online, or a checkpoint). */
        long seenAt;
        /** Where its catch-up starts; moves back when it turns out to have missed an older message. */
        Long markAtStart;
        Long progress; // sentAt of the last message sent
        boolean complete;
        int retries;
        /** Its catch-up began reading the history: from then on, what it missed is sent on its own. */
        boolean reading;
        /** The rows this catch-up sends, once chosen; and those it has sent so far (read on the packet path too). */
        volatile Set<MessageAt> chosen;
        final Set<MessageAt> sent = ConcurrentHashMap.newKeySet();
        /** Messages it missed, to send outside the catch-up; kept until sent, and saved with its state if it leaves first. */
        final List<Owed> owed = new ArrayList<>();
        /** Whether the account has an archive its clients query (read when its catch-up begins). */
        volatile boolean archive;
        /** Its client's archive queries: what they return is not sent again (added on the packet path). */
        final List<ArchiveQuery> queries = new java.util.concurrent.CopyOnWriteArrayList<>();
        /** Its catch-up waits for an archive query: the first of the query and the deadline starts it. */
        final AtomicBoolean waiting = new AtomicBoolean();

        void add(ArchiveQuery query) {
            if (queries.size() < MAX_QUERIES) {
                queries.add(query);
            }
        }

        /** Whether its client's archive returns the message to one of its queries: then it has it from there. */
        boolean archiveReturns(HistoryItem item, CatchupPort port) {
            return archive && !queries.isEmpty() && queries.stream().anyMatch(q -> q.returns(item)) && port.archiveKeeps(item);
        }

        Online(String session, long availableAt, Long markAtStart) {
            this.session = session;
            this.availableAt = availableAt;
            this.seenAt = availableAt;
            this.markAtStart = markAtStart;
        }
    }

    /**
     * @param unlessChosen whether its catch-up sends it anyway when it chose it (a message that reached nobody,
     *                     delivered later); otherwise it was sent and did not arrive, and is sent again
     */
    private record Owed(HistoryItem item, boolean unlessChosen) {
        boolean coveredBy(Set<MessageAt> chosen) {
            return chosen != null && chosen.contains(item.at());
        }
    }

    /** Archive queries of one session that came before its presence. */
    private record Early(String session, long at, List<ArchiveQuery> queries) {
        Early plus(ArchiveQuery query) {
            if (queries.size() >= MAX_QUERIES) {
                return this;
            }
            List<ArchiveQuery> more = new ArrayList<>(queries);
            more.add(query);
            return new Early(session, at, List.copyOf(more));
        }
    }

    /** The last {@value #RECENT} live deliveries to one resource. */
    private static final class Recent {
        private final MessageAt[] rows = new MessageAt[RECENT];
        private int next;
        private boolean touched = true;

        synchronized void add(MessageAt row) {
            rows[next] = row;
            next = (next + 1) % RECENT;
            touched = true;
        }

        /** The newest delivery with this key, taken out: a second report of the same key means the one before. */
        synchronized MessageAt take(MessageKey key) {
            for (int k = 1; k <= RECENT; k++) {
                int i = Math.floorMod(next - k, RECENT);
                if (rows[i] != null && rows[i].has(key)) {
                    MessageAt row = rows[i];
                    rows[i] = null;
                    return row;
                }
            }
            return null;
        }

        /** Whether it was added to since the last call. */
        synchronized boolean touchedSinceLastAsked() {
            boolean was = touched;
            touched = false;
            return was;
        }
    }

    /** One account's reports not looked up yet: by row where its time is known, else by key with how many. */
    private static final class Pending {
        final Map<JID, Set<MessageAt>> rows = new LinkedHashMap<>();
        final Map<JID, Map<MessageKey, Integer>> keys = new LinkedHashMap<>();
        int size;

        /**
         * @return whether it is new (a row reported twice is one; a key reported more than {@value #RECENT} times
         *         means no more messages than that: the newest with that key are looked up)
         */
        boolean add(JID resource, MessageAt row, MessageKey key) {
            boolean added;
            if (row != null) {
                added = rows.computeIfAbsent(resource, r -> new LinkedHashSet<>()).add(row);
            } else {
                Map<MessageKey, Integer> counts = keys.computeIfAbsent(resource, r -> new LinkedHashMap<>());
                int before = counts.getOrDefault(key, 0);
                added = before < RECENT;
                if (added) {
                    counts.put(key, before + 1);
                }
            }
            if (added) {
                size++;
            }
            return added;
        }

    }

    /** How much before a shutdown a resource's deliveries are not taken as received (see {@link CatchupPort#serverStopping}). */
    static final long SHUTDOWN_MARGIN_MILLIS = 2_000;
    /** The same for a node of a cluster that shuts down, before the moment it began ({@link CatchupPort#cutOffSince}). */
    static final long CUT_OFF_MARGIN_MILLIS = 500;

    /** A resource's stored catch-up state: its mark and live spans. */
    record State(Long mark, LiveSpans live) {
        /** The state once it is known that the message routed at {@code time} did not reach the resource. */
        State missing(long time) {
            if (mark == null) {
                return this; // never caught up: its first catch-up decides what it gets
            }
            LiveSpans spans = live.without(time);
            if (time > mark) {
                return new State(mark, spans);
            }
            // It had everything up to the mark but this message: resume just before it, covering the rest.
            if (mark > time) {
                spans = spans.plusKeepingGaps(new LiveSpans.Span(time, mark));
            }
            return new State(time - 1, spans);
        }

        State missingAll(List<Long> times) {
            State state = this;
            for (long time : times) {
                state = state.missing(time);
            }
            return state;
        }
    }

    public CatchupCoordinator(CatchupPort port, LongSupplier clock, long startDelayMillis) {
        this.port = port;
        this.clock = clock;
        this.startDelayMillis = startDelayMillis;
    }

    /**
     * A session of the resource became available.
     *
     * @param session the server's id of the session (unique per session; held as text, nothing of the server's)
     */
    public synchronized void onAvailable(JID resource, String session) {
        long now = clock.getAsLong();
        Online previous = online.get(resource);
        if (previous != null && previous.session.equals(session)) {
            return; // the same session reported twice (picked up at start and by its event)
        }
        if (previous != null) {
            online.remove(resource);
            wentAway(resource, previous, now, false, List.of()); // replaced by a new session with the same resource
        }
        Online period = new Online(session, now, port.mark(resource));
        Early early = earlyQueries.remove(resource);
        if (early != null && early.session().equals(session)) {
            early.queries().forEach(period::add);
        }
        online.put(resource, period);
        if (!port.wantsCatchup(resource)) {
            period.complete = true;
            period.reading = true;
            period.chosen = Set.of();
            return;
        }
        port.schedule(() -> begin(resource, period), startDelayMillis);
    }

    /**
     * Called on the packet path: the client of {@code session} queried its account's archive ({@link ArchiveQuery#of}).
     * Its catch-up leaves out what the query returns, and starts now if it was waiting for it. Never blocks.
     */
    public void archiveQueried(JID resource, String session, ArchiveQuery query) {
        if (session == null) {
            return; // a session without a stream id is no period's
        }
        Online period = online.get(resource);
        if (period == null || !period.session.equals(session)) {
            if (earlyQueries.size() < MAX_EARLY || earlyQueries.containsKey(resource)) {
                earlyQueries.compute(resource, (r, e) -> e == null || !e.session().equals(session)
                        ? new Early(session, clock.getAsLong(), List.of(query)) : e.plus(query));
            }
            return;
        }
        period.add(query);
        if (period.waiting.get()) {
            port.schedule(() -> endWait(resource, period), 0);
        }
    }

    /**
     * The catch-up of a period begins: a carbons client of an account with an archive first waits for its archive
     * query (a client that syncs the archive gets from there what it returns), at most for the set time.
     */
    private void begin(JID resource, Online period) {
        if (!isCurrent(resource, period)) {
            return;
        }
        period.archive = port.hasArchive(resource.asBareJID());
        long wait = period.archive && port.carbons(resource) ? port.archiveWaitMillis() : 0;
        long left = period.availableAt + wait - clock.getAsLong();
        if (period.queries.isEmpty() && left > 0) {
            period.waiting.set(true);
            port.schedule(() -> endWait(resource, period), left);
            if (period.queries.isEmpty()) {
                return; // a query that comes from now on ends the wait
            }
        } else {
            period.waiting.set(true);
        }
        endWait(resource, period);
    }

    /** Its query came, or the wait is over: whichever is first starts the catch-up, once. */
    private void endWait(JID resource, Online period) {
        if (period.waiting.compareAndSet(true, false)) {
            start(resource, period);
        }
    }

    /** A session of the resource became unavailable: ignored unless it is the session the resource's period is of. */
    public synchronized void onUnavailable(JID resource, String session) {
        Online period = online.get(resource);
        if (period == null || !period.session.equals(session)) {
            return; // a late event of a session a newer one with this resource replaced
        }
        online.remove(resource);
        wentAway(resource, period, clock.getAsLong(), false, List.of());
    }

    /** Called on the packet path: the message by key alone (no time known), only for resources not settled. */
    @Override
    public void delivered(JID resource, MessageKey message) {
        Online period = online.get(resource);
        if (period != null && period.complete) {
            return;
        }
        liveIds.computeIfAbsent(resource, r -> new GotLive(MAX_LIVE_IDS)).add(message);
    }

    /** Called on the packet path: a ring write, and a set insert for resources not settled. */
    @Override
    public void delivered(JID resource, MessageAt message) {
        recent.computeIfAbsent(resource, r -> new Recent()).add(message);
        Online period = online.get(resource);
        if (period != null && period.complete) {
            return;
        }
        liveIds.computeIfAbsent(resource, r -> new GotLive(MAX_LIVE_IDS)).add(message);
    }

    /**
     * Called on the packet path: a message known by key alone that the resource was counted as having got did not
     * reach it. It means the newest of its recent live deliveries with that key (not the newest message with that key:
     * a writer may reuse one id for every message); one that is not among them is looked up by key.
     */
    @Override
    public void missed(JID resource, MessageKey message) {
        Recent deliveries = recent.get(resource);
        MessageAt row = deliveries == null ? null : deliveries.take(message);
        if (row != null) {
            missed(resource, row);
            return;
        }
        Online period = online.get(resource);
        Set<MessageAt> chosen = period == null ? null : period.chosen;
        if (chosen != null && chosen.stream().anyMatch(r -> r.has(message) && !period.sent.contains(r))) {
            return; // its catch-up is about to send it
        }
        GotLive got = liveIds.get(resource);
        if (got != null) {
            got.remove(message);
        }
        queue(resource, null, message);
    }

    /**
     * Called on the packet path: a message the resource was counted as having got did not reach it. It is looked up
     * in the history on a catch-up thread and sent again: at once if the resource is online, else at its next
     * catch-up. What it did get (acknowledged) stays counted.
     */
    @Override
    public void missed(JID resource, MessageAt message) {
        Online period = online.get(resource);
        Set<MessageAt> chosen = period == null ? null : period.chosen;
        if (chosen != null && chosen.contains(message) && !period.sent.contains(message)) {
            return; // its catch-up is about to send it
        }
        GotLive got = liveIds.get(resource);
        if (got != null) {
            got.remove(message);
        }
        queue(resource, message, null);
    }

    /** Queues one report for its account's look-up, within the bounds; at most one look-up task per account waits. */
    private void queue(JID resource, MessageAt row, MessageKey key) {
        JID account = resource.asBareJID();
        synchronized (pendingMissed) {
            Pending pending = pendingMissed.get(account);
            if (pendingTotal >= MAX_PENDING || (pending != null && pending.size >= MAX_PENDING_PER_ACCOUNT)) {
                missedDropped.incrementAndGet();
                if (!dropping.getAndSet(true)) {
                    LOG.warn("xmpproxy: more messages reported missed than can be looked up (at most {} per account, {} in all);"
                            + " {} and others are not sent again. Logged once until the reports are looked up.",
                            MAX_PENDING_PER_ACCOUNT, MAX_PENDING, resource);
                }
                return;
            }
            boolean first = pending == null;
            if (first) {
                pending = new Pending();
                pendingMissed.put(account, pending);
            }
            if (pending.add(resource, row, key)) {
                pendingTotal++;
            }
            if (!first) {
                return; // its account's look-up is queued already: it takes this one too
            }
        }
        port.schedule(() -> resolveMissed(account), 0);
    }

    /** Takes the account's reports off the queue. */
    private Pending takePending(JID account) {
        synchronized (pendingMissed) {
            Pending pending = pendingMissed.remove(account);
            if (pending != null) {
                pendingTotal -= pending.size;
            }
            if (pendingTotal == 0) {
                dropping.set(false);
            }
            return pending;
        }
    }

    /**
     * Looks up in the history what the account's resources were reported to have missed, and owes it. A catch-up does
     * this before it reads the history, so that what its resource missed comes in its place among the rest.
     */
    private void resolveMissed(JID account) {
        Pending pending = takePending(account);
        if (pending == null) {
            return;
        }
        Map<JID, List<HistoryItem>> found = new LinkedHashMap<>();
        try {
            port.flushHistory(); // a live copy's history entry was queued a moment before the copy was sent
            for (Map.Entry<JID, Set<MessageAt>> rows : pending.rows.entrySet()) {
                for (MessageAt row : rows.getValue()) {
                    HistoryItem item = port.find(account, row);
                    if (item != null) { // else not in the history (kept off for the account, too large, pruned)
                        found.computeIfAbsent(rows.getKey(), r -> new ArrayList<>()).add(item);
                    }
                }
            }
            for (Map.Entry<JID, Map<MessageKey, Integer>> keys : pending.keys.entrySet()) {
                for (Map.Entry<MessageKey, Integer> key : keys.getValue().entrySet()) {
                    found.computeIfAbsent(keys.getKey(), r -> new ArrayList<>()).addAll(port.find(account, key.getKey(), key.getValue()));
                }
            }
        } catch (Exception e) {
            LOG.warn("xmpproxy: could not look up what {} did not receive ({}); it is not sent again", account, e.toString());
            return;
        }
        settleAway(found.keySet());
        synchronized (this) {
            found.forEach((resource, items) -> items.forEach(item -> owe(resource, item, false)));
        }
        found.keySet().forEach(this::sendOwed);
    }

    /**
     * Openfire's offline store handed {@code recipient} a message that reached nobody when it was routed; its
     * history entry now counts it as the account's. The account's other resources get it by catch-up; those
     * whose catch-up already passed it (online then, or caught up while it reached nobody) are sent it now, or
     * at their next catch-up. Not on the packet path.
     */
    public void deliveredLater(JID recipient, HistoryItem item) {
        port.schedule(() -> resolveDeliveredLater(recipient, item), 0);
    }

    /**
     * How long after Openfire's offline store handed a session messages the account's history is checked for what the
     * store lost: the messages being routed as it did are written by then, on every node.
     */
    public static final long LOST_OFFLINE_CHECK_AFTER_MILLIS = 2_000;
    /** How far back that check looks (Openfire loses only what it stores while a session takes the stored ones). */
    public static final long LOST_OFFLINE_LOOKBACK_MILLIS = 60_000;
    /** The accounts whose check is scheduled: one per account, however many messages the store hands out. */
    private final Set<JID> lostOfflineChecks = ConcurrentHashMap.newKeySet();

    /**
     * Called on the packet path: Openfire's offline store handed a session of {@code account} a message. It reads the
     * account's stored messages and then deletes all of them; one stored in between is deleted unread, and no client
     * would ever get it (the offline store's race, on one node as in a cluster). A moment later the history is
     * checked: what it says waits in the offline store and the store no longer holds becomes the account's, sent to
     * every client of it by catch-up. Never blocks.
     */
    public void offlineStoreHanded(JID account) {
        JID bare = account.asBareJID();
        if (lostOfflineChecks.add(bare)) {
            port.schedule(() -> checkLostOffline(bare), LOST_OFFLINE_CHECK_AFTER_MILLIS);
        }
    }

    private void checkLostOffline(JID account) {
        lostOfflineChecks.remove(account); // a later handing checks again
        List<? extends HistoryItem> lost;
        try {
            port.flushHistory();
            lost = port.lostOffline(account, clock.getAsLong() - LOST_OFFLINE_CHECK_AFTER_MILLIS - LOST_OFFLINE_LOOKBACK_MILLIS);
        } catch (Exception e) {
            LOG.warn("xmpproxy: could not check what Openfire's offline store lost of {} ({})", account, e.toString());
            return;
        }
        if (!lost.isEmpty()) {
            LOG.info("xmpproxy: Openfire's offline store deleted {} messages of {} unread (stored as a session took the"
                    + " stored ones); its clients are sent them by catch-up", lost.size(), account);
        }
        lost.forEach(item -> resolveDeliveredLater(account, item));
    }

    /** {@code recipient}: the resource the offline store handed it to, which needs nothing; the bare JID: none did. */
    private void resolveDeliveredLater(JID recipient, HistoryItem item) {
        JID account = recipient.asBareJID();
        Set<JID> resources = new LinkedHashSet<>(port.knownResources(account));
        online.keySet().stream().filter(r -> account.equals(r.asBareJID())).forEach(resources::add);
        long at = item.sentAt();
        synchronized (this) {
            if (!handledLater.add(account + " " + item.key() + " " + at)) {
                return;
            }
            for (JID resource : resources) {
                if (resource.equals(recipient)) {
                    continue;
                }
                Online period = online.get(resource);
                if (period == null) {
                    Long mark = port.mark(resource);
                    if (mark != null && mark >= at) {
                        owe(resource, item, true); // its mark passed the message while it reached nobody
                    }
                } else if (!period.reading) {
                    boolean inItsCatchup = period.markAtStart != null && at > period.markAtStart && at <= period.availableAt;
                    if (!inItsCatchup && period.markAtStart != null) {
                        owe(resource, item, true); // online when it was routed, or caught up past it before
                    }
                } else {
                    owe(resource, item, true); // sent unless its catch-up chose it (it read the history after the change)
                }
            }
        }
        resources.forEach(this::sendOwed);
    }

    /**
     * Reads again the stored state of those of {@code resources} not online here (every node's queue written first):
     * owed a message, such a resource has its state moved back from what is stored, not from what this node last knew
     * of it. Another node may have moved its mark since (the resource was online there); written back, this node's
     * older view would undo that, and a resource this node never saw would become a new one, caught up on nothing.
     */
    private void settleAway(java.util.Collection<JID> resources) {
        for (JID resource : resources) {
            if (!online.containsKey(resource) && !port.settle(resource)) {
                LOG.debug("xmpproxy: the stored catch-up state of {} could not be read again; what it is owed moves back"
                        + " the one this node knows", resource);
            }
        }
    }

    /** Under the lock: the resource missed {@code item}. */
    private void owe(JID resource, HistoryItem item, boolean unlessChosen) {
        Online period = online.get(resource);
        if (period == null) {
            State state = new State(port.mark(resource), port.live(resource)).missing(item.sentAt());
            port.save(resource, state.mark(), state.live());
            return;
        }
        if (!period.reading && period.markAtStart != null && item.sentAt() <= period.availableAt) {
            // Its catch-up has not read the history yet: it will include the message.
            State state = new State(period.markAtStart, port.live(resource)).missing(item.sentAt());
            period.markAtStart = state.mark();
            port.save(resource, state.mark(), state.live());
            return;
        }
        if (period.owed.size() < MAX_OWED) {
            period.owed.add(new Owed(item, unlessChosen));
        }
    }

    /** Sends the resource what it is owed, once its catch-up has chosen (and not what that catch-up sends itself). */
    private void sendOwed(JID resource) {
        synchronized (this) {
            Online period = online.get(resource);
            if (period == null || period.chosen == null) {
                return; // away (saved with its state), or its catch-up is choosing (it sends them next)
            }
            for (Iterator<Owed> it = period.owed.iterator(); it.hasNext(); ) {
                Owed owed = it.next();
                if (owed.coveredBy(period.chosen) && (owed.unlessChosen() || !period.sent.contains(owed.item().at()))) {
                    it.remove(); // its catch-up sends it (or sent it, and it arrived)
                    continue;
                }
                if (period.archiveReturns(owed.item(), port)) {
                    it.remove(); // its archive query returned it
                    fromArchive.incrementAndGet();
                    continue;
                }
                boolean sent;
                try {
                    sent = port.deliver(resource, period.session, owed.item());
                } catch (RuntimeException e) {
                    sent = false;
                }
                if (!sent) {
                    return; // going away: what is left is saved with its state
                }
                it.remove();
                messagesSent.incrementAndGet();
            }
        }
    }

    /**
     * The plugin stops while resources are online: record each as if it went away now, so the next
     * start (which calls {@link #onAvailable} for every resource still online) resumes exactly. What resources were
     * reported to have missed and was not looked up yet is saved with their state: by its time, or, known by key
     * alone, looked up now (for at most {@value #SUSPEND_LOOKUP_MILLIS} ms; what is left is logged as lost).
     */
    public void suspendAll() {
        suspendAll(clock.getAsLong());
    }

    /**
     * As {@link #suspendAll()}, each resource saved as if it went away at {@code asOf} (when the plugin began to stop:
     * what reached its sessions after that, no longer watched, is sent again at their next catch-up rather than lost).
     */
    public void suspendAll(long asOf) {
        Map<JID, Pending> reports = new LinkedHashMap<>();
        synchronized (pendingMissed) {
            reports.putAll(pendingMissed);
            pendingMissed.clear();
            pendingTotal = 0;
        }
        Map<JID, List<Long>> missedAt = timesOf(reports);
        synchronized (this) {
            long now = Math.min(asOf, clock.getAsLong());
            online.forEach((resource, period) -> wentAway(resource, period, now, true, missedAt.getOrDefault(resource, List.of())));
            online.keySet().forEach(missedAt::remove);
            missedAt.forEach((resource, times) -> {
                State state = new State(port.mark(resource), port.live(resource)).missingAll(times);
                port.save(resource, state.mark(), state.live());
            });
            online.clear();
            liveIds.clear();
            recent.clear();
        }
    }

    /** The times of the messages reported missed: known for rows, looked up for keys (within a time budget). */
    private Map<JID, List<Long>> timesOf(Map<JID, Pending> reports) {
        Map<JID, List<Long>> times = new LinkedHashMap<>();
        long deadline = clock.getAsLong() + SUSPEND_LOOKUP_MILLIS;
        int lost = 0;
        for (Map.Entry<JID, Pending> account : reports.entrySet()) {
            account.getValue().rows.forEach((resource, rows) ->
                    rows.forEach(row -> times.computeIfAbsent(resource, r -> new ArrayList<>()).add(row.at())));
            for (Map.Entry<JID, Map<MessageKey, Integer>> keys : account.getValue().keys.entrySet()) {
                for (Map.Entry<MessageKey, Integer> key : keys.getValue().entrySet()) {
                    if (clock.getAsLong() > deadline) {
                        lost += key.getValue();
                        continue;
                    }
                    try {
                        for (HistoryItem item : port.find(account.getKey(), key.getKey(), key.getValue())) {
                            times.computeIfAbsent(keys.getKey(), r -> new ArrayList<>()).add(item.sentAt());
                        }
                    } catch (Exception e) {
                        lost += key.getValue();
                    }
                }
            }
        }
        if (lost > 0) {
            LOG.warn("xmpproxy: stopping, {} messages reported missed could not be looked up; they are not sent again", lost);
        }
        return times;
    }

    /**
     * Moves the mark of every caught-up online resource to now (not past a message it is still owed). A period whose
     * session is no longer the resource's route (replaced, or gone without an unavailable presence, as Openfire does
     * for a session it kicks) ends as of when it was last seen, so its mark never moves over what it did not get.
     */
    public synchronized void checkpoint() {
        long now = clock.getAsLong();
        long markAt = now < port.cutOffSince() ? now : awayAt(now); // a stopping node's marks stay before its cut-off
        for (Iterator<Map.Entry<JID, Online>> it = online.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<JID, Online> entry = it.next();
            JID resource = entry.getKey();
            Online period = entry.getValue();
            if (!port.isRoute(resource, period.session)) {
                it.remove();
                wentAway(resource, period, period.seenAt, false, List.of());
                continue;
            }
            period.seenAt = now;
            if (period.complete) {
                State state = withOwed(new State(markAt, LiveSpans.NONE), period);
                port.save(resource, state.mark(), state.live());
            }
        }
        earlyQueries.values().removeIf(e -> now - e.at() > 60_000); // its session never became available
        // A resource's last deliveries are kept a minute after it left: reports of what it missed come after it left.
        recent.entrySet().removeIf(e -> !online.containsKey(e.getKey()) && !e.getValue().touchedSinceLastAsked());
    }

    /**
     * @param forget     whether what it got live is about to be forgotten (the plugin stops): then the whole
     *                   period is recorded as a live span instead
     * @param alsoMissed times of messages it was reported to have missed that were not looked up
     */
    private void wentAway(JID resource, Online period, long leftAt, boolean forget, List<Long> alsoMissed) {
        long now = awayAt(leftAt);
        if (period.complete) {
            State state = withOwed(new State(now, LiveSpans.NONE), period).missingAll(alsoMissed);
            port.save(resource, state.mark(), state.live());
            liveIds.remove(resource);
            return;
        }
        // Resume after the last message sent. A resource seen for the first time that was sent none of
        // the few newest messages it had to get: from now on it is one that has been seen, as of when it
        // came online.
        Long mark = period.progress != null ? period.progress
                : period.markAtStart != null ? period.markAtStart : Long.valueOf(period.availableAt);
        // What it got live while online is known by row (kept in memory until a catch-up completes). Only
        // when those are lost (plugin stop) or too many is the period stored as a span: a span
        // assumes it got everything in it, which is not quite true at its edges.
        GotLive ids = liveIds.get(resource);
        boolean spanNeeded = forget || (ids != null && ids.size() >= MAX_LIVE_IDS);
        LiveSpans spans = spanNeeded ? port.live(resource).plus(new LiveSpans.Span(period.availableAt, now), mark)
                : port.live(resource).after(mark);
        State state = withOwed(new State(mark, spans), period).missingAll(alsoMissed);
        port.save(resource, state.mark(), state.live());
    }

    /**
     * As of when a resource that goes away at {@code leftAt} counts as gone. A server shutting down closes its
     * connections with what was still queued for them: the last moments are not taken as received (sent again at the
     * next catch-up, at worst twice, rather than lost). A node of a cluster that shuts down got nothing the other
     * nodes routed since it left the cluster ({@link CatchupPort#cutOffSince}), though its sessions stay open a while.
     */
    private long awayAt(long leftAt) {
        if (!port.serverStopping()) {
            return leftAt;
        }
        long cutOff = port.cutOffSince();
        // Cut off, only what was on its way as the shutdown began is in doubt: what came after counts as missed anyway,
        // and the other nodes report what they handed it in its last seconds (HandedOver).
        return cutOff < leftAt ? cutOff - CUT_OFF_MARGIN_MILLIS : leftAt - SHUTDOWN_MARGIN_MILLIS;
    }

    /** The state with what the period still owes folded in (not what its catch-up chose: that follows the mark). */
    private static State withOwed(State state, Online period) {
        State result = state;
        for (Owed owed : period.owed) {
            if (!(owed.unlessChosen() && owed.coveredBy(period.chosen))) {
                result = result.missing(owed.item().sentAt());
            }
        }
        return result;
    }

    private void start(JID resource, Online period) {
        if (!isCurrent(resource, period)) {
            return;
        }
        resolveMissed(resource.asBareJID()); // reported before it reads: its mark moves back, and they come in their place
        // What was routed before it came online may still be on its way to the database (on any node), and the
        // node it was on last may not have written its mark yet: reading now would miss messages or send them again.
        if (!port.settle(resource)) {
            postpone(resource, period, "the history is not all written yet");
            return;
        }
        Long mark;
        synchronized (this) {
            if (!isCurrent(resource, period)) {
                return;
            }
            period.reading = true;
            // As written by the node it was on last; a message owed meanwhile moved it back here too (owe).
            period.markAtStart = port.mark(resource);
            mark = period.markAtStart;
        }
        CatchupSelector.Selection<? extends HistoryItem> selection;
        long missed;
        CatchupSelector.Limits limits;
        try {
            JID account = resource.asBareJID();
            limits = port.limits(account);
            long now = clock.getAsLong();
            long from = Math.max(mark == null ? Long.MIN_VALUE : mark, now - limits.maxAgeMillis() - 1);
            // Fetch more than the bound: live spans and what it got live are filtered out afterwards.
            int fetched = limits.maxCount() * 2 + 100;
            List<? extends HistoryItem> history = port.window(account, from, period.availableAt, fetched);
            GotLive gotLive = liveSoFar(resource);
            LiveSpans live = port.live(resource);
            selection = CatchupSelector.choose(history, mark, live, gotLive, period.availableAt, now, limits);
            boolean readAll = mark != null && from == mark && history.size() < fetched;
            missed = mark == null || readAll ? selection.missed()
                    : countMissed(account, mark, period.availableAt, history, live, gotLive, selection.missed());
        } catch (Exception e) {
            postpone(resource, period, e.toString());
            return;
        }
        if (failing.getAndSet(false)) {
            LOG.info("xmpproxy: catch-ups read the history again");
        }
        List<? extends HistoryItem> chosen = selection.chosen();
        synchronized (this) {
            if (!isCurrent(resource, period)) {
                return;
            }
            Set<MessageAt> rows = new java.util.HashSet<>();
            chosen.forEach(item -> rows.add(item.at()));
            period.chosen = rows;
            period.owed.removeIf(owed -> owed.coveredBy(rows)); // none of the chosen is sent yet: the catch-up sends it
        }
        catchups.incrementAndGet();
        boolean archiveHasAll = period.archive && period.queries.stream().anyMatch(q -> q.returnsAllAfter(mark));
        if (mark != null && limits.maxCount() > 0 && missed > chosen.size() && !archiveHasAll) {
            truncated.incrementAndGet();
            leftOut.addAndGet(missed - chosen.size());
            try {
                port.truncated(resource, missed, chosen.size());
            } catch (RuntimeException e) {
                LOG.warn("xmpproxy: could not tell {} what its catch-up left out: {}", resource, e.toString());
            }
        }
        sendOwed(resource);
        sendBatch(resource, period, chosen, 0);
    }

    /**
     * How many messages the resource missed in {@code (mark, availableAt]} when the history read did not hold them
     * all (the age bound, or more than were fetched): all the account received then, less the live spans and what
     * it got live. Never less than what the read counted.
     */
    private long countMissed(JID account, long mark, long availableAt, List<? extends HistoryItem> history, LiveSpans live,
                             GotLive gotLive, int counted) throws Exception {
        long total = port.count(account, mark, availableAt);
        if (total < 0) {
            return counted;
        }
        for (LiveSpans.Span span : live.spans()) {
            long from = Math.max(span.fromExclusive(), mark);
            long to = Math.min(span.toInclusive(), availableAt);
            if (to > from) {
                total -= Math.max(0, port.count(account, from, to));
            }
        }
        for (HistoryItem item : history) {
            if (gotLive.had(item) && !live.covers(item.sentAt())) {
                total--;
            }
        }
        return Math.max(total, counted);
    }

    /** A copy of what the resource got live so far (the packet path may be adding to it). */
    private GotLive liveSoFar(JID resource) {
        GotLive got = liveIds.get(resource);
        return got == null ? GotLive.NONE : got.copy();
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
                boolean fromItsArchive = period.archiveReturns(item, port);
                boolean sent;
                try {
                    sent = fromItsArchive || port.deliver(resource, period.session, item);
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
                if (sameTimeNext) {
                    liveIds.computeIfAbsent(resource, r -> new GotLive(MAX_LIVE_IDS)).add(item.at());
                }
                if (fromItsArchive) {
                    fromArchive.incrementAndGet(); // it has it from its archive query
                    continue;
                }
                period.sent.add(item.at());
                recent.computeIfAbsent(resource, r -> new Recent()).add(item.at());
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
                State state = withOwed(new State(period.availableAt, port.live(resource).after(period.availableAt)), period);
                port.save(resource, state.mark(), state.live());
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

    /** Catch-ups whose bounds left out some of what the resource missed (it was told). */
    public long truncated() {
        return truncated.get();
    }

    /** Messages those catch-ups left out. */
    public long leftOut() {
        return leftOut.get();
    }

    /** Messages a catch-up left out because the client's own archive query returned them. */
    public long fromArchive() {
        return fromArchive.get();
    }

    /** Whether the resource's client queried its account's archive since it came online (read by the bot's status). */
    public boolean queriedArchive(JID resource) {
        Online period = online.get(resource);
        return period != null && !period.queries.isEmpty();
    }

    /** Reports of missed messages dropped because too many waited to be looked up. */
    public long missedDropped() {
        return missedDropped.get();
    }
}
