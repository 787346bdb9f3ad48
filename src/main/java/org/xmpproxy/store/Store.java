package org.xmpproxy.store;

import org.xmpproxy.core.rule.MessageAt;
import org.xmpproxy.core.rule.MessageKey;
import org.xmpproxy.core.settings.EffectiveSettings;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import org.xmpproxy.core.threads.Pools;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpproxy.core.stats.Counter;

/**
 * The store behind one face: the settings cache, the history (recorded through the writer's queue, read
 * here), the writer thread and the periodic jobs (pruning, reading the settings again while the database
 * was away at start). The rest of the plugin asks it, never opens a connection itself. Reads that go to
 * the database are for the bot's, the page's and catch-up's threads, never the packet path.
 */
public final class Store implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Store.class);
    private static final Duration PRUNE_EVERY = Duration.ofMinutes(10);
    private static final long RELOAD_SECONDS = 30;

    /**
     * The store's own settings, read when they are used unless said otherwise.
     *
     * @param queueCapacity        history entries that may wait for the database (read once, at start)
     * @param queueMaxBytes        memory they may hold
     * @param resourcesPerAccount  resources remembered per account
     * @param resourceMaxIdle      a resource not seen this long is forgotten
     */
    public record Options(int queueCapacity, LongSupplier queueMaxBytes, IntSupplier resourcesPerAccount,
                          Supplier<Duration> resourceMaxIdle) {
    }

    private final ConnectionSource source;
    private final HistoryStore historyStore;
    private final HistoryConfig history;
    private final StoreWriter writer;
    private final StoredSettings settings;
    private final HistoryRecorder recorder;
    /** Each account's effective settings: its own choices (within the server maximum), else the server's. */
    private final EffectiveSettings effective;
    /** Marks what Openfire's offline store hands a client as the account's (catch-up of the others). */
    private final DeliveredLater deliveredLater;
    private final Cluster cluster;
    private final ScheduledExecutorService jobs;
    /** Accounts another node changed, to be read again on a thread of their own (each once, however often told). */
    private final Set<String> toReread = ConcurrentHashMap.newKeySet();
    private final ExecutorService rereads;
    private volatile Boolean lengthsInBytes;

    /**
     * Starts the writer and the jobs, and reads every account's choices (retried every
     * {@value #RELOAD_SECONDS} s while the database cannot be read).
     *
     * @param directory  which usernames are registered accounts (only those keep data); asked on the writer thread
     * @param cluster    the other nodes sharing the database, if any: history ids, who prunes, who is told of a change
     */
    public Store(ConnectionSource source, RegisteredUsers.Directory directory, HistoryConfig history, Options options, Clock clock,
                 Cluster cluster) {
        this.source = source;
        this.cluster = cluster;
        this.historyStore = new HistoryStore(cluster);
        RegisteredUsers accounts = new RegisteredUsers(directory, clock, Duration.ofHours(1), Duration.ofMinutes(1), 50_000);
        writer = new StoreWriter(source, historyStore, options.queueCapacity(), options.queueMaxBytes(),
                500, Duration.ofMinutes(1), clock, accounts);
        this.history = history;
        writer.trimWith(new HistoryTrim(historyStore::pruneBeyond, history::maxPerAccount, cluster::runsSharedJobs, cluster::trimDue));
        settings = new StoredSettings(source, new SettingsStore(), writer, options.resourcesPerAccount());
        settings.tellOthersWith(cluster);
        writer.afterCommit(cluster::accountChanged);
        effective = new EffectiveSettings(settings, history);
        recorder = new HistoryRecorder(history, settings, writer);
        deliveredLater = new DeliveredLater(writer, historyStore);
        jobs = Pools.scheduled(1, "xmpproxy-store-jobs");
        rereads = Pools.single("xmpproxy-store-rereads");
        if (!settings.load()) {
            LOG.warn("xmpproxy: cannot read account settings from the database; until it can, no account is mirrored"
                    + " or recorded unless it turns mirroring on now (one that opted out cannot be told apart); retrying every {} s",
                    RELOAD_SECONDS);
            jobs.scheduleWithFixedDelay(this::retryLoad, RELOAD_SECONDS, RELOAD_SECONDS, TimeUnit.SECONDS);
        }
        HistoryPruner pruner = new HistoryPruner(source, historyStore, history, clock, settings, options.resourceMaxIdle(),
                cluster::runsSharedJobs);
        jobs.scheduleWithFixedDelay(pruner, 1, PRUNE_EVERY.toMinutes(), TimeUnit.MINUTES);
    }

    /** Every account's choices and resources, in memory (see {@link StoredSettings}). */
    public StoredSettings settings() {
        return settings;
    }

    /** Where routed messages go to be kept (the engine's history sink). */
    public DeliveredLater deliveredLater() {
        return deliveredLater;
    }

    public EffectiveSettings effective() {
        return effective;
    }

    public HistoryRecorder recorder() {
        return recorder;
    }

    /** Resource names the account has used or configured, online or not. */
    public List<String> knownResources(String username) {
        return List.copyOf(settings.resources(username).keySet());
    }

    /** The most recent time one of the account's clients was seen (epoch millis), or null. */
    public Long lastSeen(String username) {
        return settings.resources(username).values().stream().map(ResourcePrefs::lastSeen)
                .filter(java.util.Objects::nonNull).max(Long::compare).orElse(null);
    }

    /** Messages in an account's history, or -1 when the database cannot be read. */
    public long historySize(String username) {
        try (Connection c = source.connection()) {
            return historyStore.count(c, username);
        } catch (SQLException e) {
            return -1;
        }
    }

    /** Deletes an account's history; false when the database cannot be reached. */
    public boolean clearHistory(String username) {
        try (Connection c = source.connection()) {
            historyStore.clear(c, username);
            return true;
        } catch (SQLException e) {
            LOG.warn("xmpproxy: could not clear the history of {}: {}", username, e.toString());
            return false;
        }
    }

    /** The account's newest {@code count} messages a client of it received, oldest first (replay). */
    public List<HistoryEntry> latest(String username, int count) throws SQLException {
        try (Connection c = source.connection()) {
            return historyStore.latest(c, username, count);
        }
    }

    /** The newest {@code limit} messages routed in {@code (fromExclusive, toInclusive]} that a client received, oldest first (catch-up). */
    public List<HistoryEntry> window(String username, long fromExclusive, long toInclusive, int limit) throws SQLException {
        try (Connection c = source.connection()) {
            return historyStore.window(c, username, fromExclusive, toInclusive, limit);
        }
    }

    /** How many messages routed in {@code (fromExclusive, toInclusive]} a client received (what a bounded catch-up left out). */
    public long count(String username, long fromExclusive, long toInclusive) throws SQLException {
        try (Connection c = source.connection()) {
            return historyStore.count(c, username, fromExclusive, toInclusive);
        }
    }

    /** The newest {@code count} messages known by {@code key} among the account's newest {@code searched} with that peer, newest first. */
    public List<HistoryEntry> find(String username, MessageKey key, int searched, int count) throws SQLException {
        try (Connection c = source.connection()) {
            return historyStore.find(c, username, key, searched, count);
        }
    }

    /** The message with this history row (its time, direction, peer and id or none) that a client received, or null. */
    public HistoryEntry find(String username, MessageAt row) throws SQLException {
        try (Connection c = source.connection()) {
            return historyStore.find(c, username, row);
        }
    }

    /**
     * The account's messages routed since {@code since} that Openfire's offline store took and has lost: not handed to
     * a client (as far as the history knows) and not in the store now ({@code stillStored}: the keys of what it holds,
     * asked only if the history says something waits there). Each becomes the account's, as if handed to a client, and
     * is returned as it is now. Off the packet path: reads and writes the database.
     */
    public List<HistoryEntry> lostOffline(String username, long since, Supplier<Set<MessageKey>> stillStored)
            throws SQLException {
        try (Connection c = source.connection()) {
            List<HistoryEntry> waiting = historyStore.storedOfflineSince(c, username, since);
            Set<MessageKey> held = waiting.isEmpty() ? Set.of() : stillStored.get();
            List<HistoryEntry> lost = new java.util.ArrayList<>();
            for (HistoryEntry entry : waiting) {
                MessageKey key = entry.key();
                if (key != null && !held.contains(key) && historyStore.markLostOffline(c, entry.id())) {
                    lost.add(entry.asDelivered());
                }
            }
            return lost;
        }
    }

    /** The keys of the account's history rows routed in {@code [from, to]}, delivered or not ({@link HistoryStore#keysBetween}). */
    public Set<MessageKey> historyKeysBetween(String username, long from, long to) throws SQLException {
        try (Connection c = source.connection()) {
            return historyStore.keysBetween(c, username, from, to);
        }
    }

    /** Waits at most {@code timeout} until the history queued so far is written; false if it is not. */
    public boolean flushHistory(Duration timeout) {
        try {
            return writer.flush(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Before a catch-up of the resource reads: every node's history and catch-up marks queued so far are written
     * (the other nodes' first, then this node's, each for at most {@code timeout}), and, in a cluster, the resource's
     * mark and live spans are read again from the database, where the node it was on last wrote them. For the
     * catch-up's thread only: it waits on the other nodes and reads the database.
     *
     * @return false when a node did not answer or its queue is not all written, or the mark could not be read (the
     *         catch-up then tries again later)
     */
    public boolean settleForCatchup(String username, String resource, Duration timeout) {
        boolean clustered = cluster.hasOthers();
        if (clustered && !cluster.othersFlushed()) {
            return false;
        }
        if (!flushHistory(timeout)) {
            return false;
        }
        if (!clustered && !cluster.othersMayHaveWritten()) {
            return true; // this node wrote the only mark there is, and holds it
        }
        try {
            settings.rereadCatchupState(username, resource);
            return true;
        } catch (SQLException e) {
            LOG.debug("xmpproxy: could not read the catch-up mark of {}/{} again: {}", username, resource, e.toString());
            return false;
        }
    }

    /** Whether the database counts VARCHAR lengths in bytes (Oracle, DB2); asked of it once, when first needed. */
    public boolean lengthsInBytes() {
        Boolean known = lengthsInBytes;
        if (known == null) {
            try (Connection c = source.connection()) {
                String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
                known = product.contains("oracle") || product.contains("db2");
                lengthsInBytes = known;
            } catch (SQLException e) {
                return true; // unknown: the stricter check
            }
        }
        return known;
    }

    /**
     * Another node of the cluster committed a change of the account's choices: they are read again soon, off the
     * caller's thread (a cluster task's), and apply here from the next message after that.
     */
    public void changedElsewhere(String username) {
        if (username == null || !toReread.add(username)) {
            return; // already due: that read comes after this change's commit too
        }
        try {
            rereads.execute(() -> {
                toReread.remove(username); // first: a change told during the read is read again
                try {
                    settings.reread(username);
                } catch (SQLException e) {
                    LOG.warn("xmpproxy: could not read the choices of {} changed on another node ({}); trying again in {} s",
                            username, e.toString(), RELOAD_SECONDS);
                    jobs.schedule(() -> changedElsewhere(username), RELOAD_SECONDS, TimeUnit.SECONDS);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            toReread.remove(username);
        }
    }

    /** This node joined a cluster: every account's choices are read again (others could not tell it before), off the caller's thread. */
    public void joinedCluster() {
        try {
            rereads.execute(() -> {
                try {
                    settings.rereadAll();
                } catch (SQLException e) {
                    LOG.warn("xmpproxy: could not read the account choices again on joining the cluster ({}); trying again in {} s",
                            e.toString(), RELOAD_SECONDS);
                    jobs.schedule(this::joinedCluster, RELOAD_SECONDS, TimeUnit.SECONDS);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // the store is closing
        }
    }

    /** A junior member of the cluster wrote a step of rows for the account: this node (the senior) trims it, once per writer turn. */
    public void trimDue(String username) {
        if (username != null) {
            writer.submit("trim:" + username, (c, now) -> historyStore.pruneBeyond(c, username, Math.max(1, history.maxPerAccount())));
        }
    }

    /** Another node is deleting the user: nothing of it stays here either. */
    public void deletedElsewhere(String username) {
        settings.forgottenElsewhere(username);
    }

    /** Another node created the user: its data is kept again. */
    public void createdElsewhere(String username) {
        settings.createdElsewhere(username);
    }

    /** The store's part of the plugin's counters (see {@link Counter}). */
    public List<Counter> counters() {
        return List.of(
                new Counter("counter.historyWritten", writer::written),
                new Counter("counter.historyDropped", writer::dropped),
                new Counter("counter.historyTooLarge", recorder::tooLarge),
                new Counter("counter.historyRejected", () -> recorder.tooLong() + writer.rejected()),
                new Counter("counter.settingsRejected", writer::settingsRejected),
                new Counter("counter.historyNotRegistered", () -> recorder.notRegistered() + writer.notRegistered()),
                new Counter("counter.historyQueued", writer::queued),
                new Counter("counter.historyQueuedBytes", writer::queuedBytes),
                new Counter("counter.databaseDown", () -> writer.isDatabaseDown() ? 1 : 0));
    }

    private void retryLoad() {
        if (!settings.isLoaded() && settings.load()) {
            LOG.info("xmpproxy: account settings loaded from the database; mirroring as configured from now on");
        }
    }

    /**
     * Stops the jobs and the writer, writing what is queued (for at most a few seconds). A job or write under way is
     * waited for, never interrupted: an interrupt inside JDBC on the embedded database closes it for the whole server.
     */
    @Override
    public void close() throws InterruptedException {
        Pools.stop(jobs, Duration.ofSeconds(5), "store jobs");
        Pools.stop(rereads, Duration.ofSeconds(5), "store re-reads");
        writer.close(Duration.ofSeconds(5));
    }
}
