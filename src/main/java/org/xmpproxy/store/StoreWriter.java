package org.xmpproxy.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpproxy.core.settings.Bounds;

/**
 * The only thread that writes to the database. The packet path hands it history entries through a
 * queue bounded by count and by memory (bytes) and never waits: when the queue is full an entry is
 * dropped and counted. Settings writes are coalesced by key (the latest state of a row wins) and never
 * dropped for want of room.
 *
 * <p>Two kinds of failure, told apart by {@link DataErrors}:
 * <ul>
 * <li>The database is away: the work in hand is retried with back-off, the failure logged once per
 *     interval, not per packet; nothing is lost until the queue is full.</li>
 * <li>The database refuses one value (SQLState classes 22 and 23: too long, bad characters, a
 *     constraint): the turn is split until the bad history row or settings write is alone; that one
 *     is dropped, counted and logged once per kind; every other row of the turn is written.</li>
 * </ul>
 *
 * <p>Only registered accounts are written ({@link RegisteredUsers}, asked here, off the packet path).
 * A user's deletion ({@link #deleteUser}) runs after every write of that user queued before it, and
 * nothing of that user queued before it is written after it.
 */
public final class StoreWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StoreWriter.class);
    private static final OnceLog BAD_DATA = new OnceLog(LOG);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    private static final String DELETE = "delete:";

    /** The default memory bound of the queue: 64 MB. */
    public static final long DEFAULT_MAX_BYTES = Bounds.DEFAULT_STORE_QUEUE_MEGABYTES * 1024L * 1024;
    /**
     * What an entry holds besides its characters: the entry, its strings' headers, the queue slot
     * (measured: about 150 bytes on a 64-bit JVM with compressed pointers; rounded up).
     */
    static final int ENTRY_OVERHEAD_BYTES = 200;

    /** A settings change: applied in the writer's transaction. */
    @FunctionalInterface
    public interface SettingsWrite {
        void apply(Connection connection, long now) throws SQLException;
    }

    /** A queued history entry, its place in the order of offers and the memory it holds. */
    private record Queued(HistoryEntry entry, long seq, long bytes) {
    }

    /**
     * A settings write and the account it belongs to (null: always applied, e.g. a deletion); {@code shared}: a
     * choice the other nodes of a cluster must read again once it is committed (see {@link #afterCommit}).
     */
    private record Pending(String username, SettingsWrite write, boolean shared) {
    }

    private final ConnectionSource source;
    private final HistoryStore history;
    private final BlockingQueue<Queued> queue;
    private final Map<String, Pending> pendingSettings = new ConcurrentHashMap<>();
    private final int batchSize;
    private final Duration failureLogInterval;
    private final Clock clock;
    private final LongSupplier maxBytes;
    private final RegisteredUsers accounts;
    private final AtomicLong offered = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong settingsRejected = new AtomicLong();
    private final AtomicLong notRegistered = new AtomicLong();
    /** Estimated memory held by queued entries and the batch in hand. */
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicLong seq = new AtomicLong();
    /** Offers between taking a sequence number and queueing (see {@link #forgetTombstones}). */
    private final AtomicInteger offering = new AtomicInteger();
    /** Deleted users: entries offered up to this sequence number are never written. */
    private final Map<String, Long> tombstones = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean databaseDown;
    private volatile ColumnLimits limits = ColumnLimits.STRICT;
    private volatile boolean limitsKnown;
    /** Completed turns of the writer loop; a turn that starts after the queues are seen empty has written all before it. */
    private final AtomicLong turns = new AtomicLong();
    /** History entries taken from the queue and not yet resolved (kept for retry while the database is down). */
    private volatile int held;
    private long lastFailureLog = Long.MIN_VALUE;
    /** Keeps each account's history near its bound as rows are written (none: only the pruner does). */
    private volatile HistoryTrim trim;
    /** The keys of the settings writes of the turn in progress: still waiting to be committed. */
    private volatile Set<String> inHand = Set.of();
    /** Told the accounts whose shared choices a turn committed. */
    private volatile java.util.function.Consumer<String> committedChoices = username -> { };

    /** A writer for every account, with the default memory bound. */
    public StoreWriter(ConnectionSource source, HistoryStore history, int capacity, int batchSize,
                       Duration failureLogInterval, Clock clock) {
        this(source, history, capacity, () -> DEFAULT_MAX_BYTES, batchSize, failureLogInterval, clock, RegisteredUsers.everyone());
    }

    /**
     * @param capacity  at most this many history entries wait
     * @param maxBytes  at most this much memory (estimated, see {@link #estimateBytes}) is held by waiting entries; read at each offer
     * @param accounts  whose data is written: only registered accounts'
     */
    public StoreWriter(ConnectionSource source, HistoryStore history, int capacity, LongSupplier maxBytes, int batchSize,
                       Duration failureLogInterval, Clock clock, RegisteredUsers accounts) {
        this.source = source;
        this.history = history;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.maxBytes = maxBytes;
        this.batchSize = batchSize;
        this.failureLogInterval = failureLogInterval;
        this.clock = clock;
        this.accounts = accounts;
        this.thread = new Thread(this::run, "xmpproxy-store-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * The memory an entry of {@code chars} characters (stanza, username and peer together) holds while
     * queued: 2 bytes a character (Java strings hold non-Latin-1 text as UTF-16; Latin-1 text takes
     * half, so this is an upper bound) plus {@link #ENTRY_OVERHEAD_BYTES}.
     */
    public static long estimateBytes(long chars) {
        return 2 * chars + ENTRY_OVERHEAD_BYTES;
    }

    private static long bytesOf(HistoryEntry entry) {
        return estimateBytes((long) length(entry.stanza()) + length(entry.username()) + length(entry.peer()));
    }

    private static int length(String value) {
        return value == null ? 0 : value.length();
    }

    /** From now on, trims an account's history after every few rows written for it (see {@link HistoryTrim}). */
    void trimWith(HistoryTrim trim) {
        this.trim = trim;
    }

    /**
     * For the packet path, before building an entry: whether one of at least {@code minimumChars}
     * characters could still be queued. If not, it counts as offered and dropped (queue full) and the
     * caller does not build it. No I/O, never waits.
     */
    public boolean admits(long minimumChars) {
        if (queuedBytes.get() + estimateBytes(minimumChars) <= maxBytes.getAsLong()) {
            return true;
        }
        offered.incrementAndGet();
        dropped.incrementAndGet();
        return false;
    }

    /** Queues a history entry; never blocks. Returns false (and counts a drop) when the queue is full, by count or by bytes. */
    public boolean offer(HistoryEntry entry) {
        offered.incrementAndGet();
        long bytes = bytesOf(entry);
        if (!reserve(bytes)) {
            dropped.incrementAndGet();
            return false;
        }
        offering.incrementAndGet();
        try {
            if (queue.offer(new Queued(entry, seq.incrementAndGet(), bytes))) {
                return true;
            }
        } finally {
            offering.decrementAndGet();
        }
        queuedBytes.addAndGet(-bytes);
        dropped.incrementAndGet();
        return false;
    }

    private boolean reserve(long bytes) {
        long max = maxBytes.getAsLong();
        while (true) {
            long current = queuedBytes.get();
            if (current + bytes > max) {
                return false;
            }
            if (queuedBytes.compareAndSet(current, current + bytes)) {
                return true;
            }
        }
    }

    /** Queues a settings write under {@code key}; a later write with the same key replaces it. Applied whatever the account. */
    public void submit(String key, SettingsWrite write) {
        pendingSettings.put(key, new Pending(null, write, false));
    }

    /** Queues a settings write of {@code username}'s under {@code key}: applied only if it is a registered account. */
    public void submit(String username, String key, SettingsWrite write) {
        pendingSettings.put(key, new Pending(username, write, false));
    }

    /** As {@link #submit(String, String, SettingsWrite)}, for a choice every node must apply: {@link #afterCommit} hears of it. */
    public void submitChoice(String username, String key, SettingsWrite write) {
        pendingSettings.put(key, new Pending(username, write, true));
    }

    /** From now on, {@code listener} is told (on the writer's thread) each account whose choices a turn committed. */
    public void afterCommit(java.util.function.Consumer<String> listener) {
        this.committedChoices = listener;
    }

    /** Whether a write under {@code key} is queued or in the turn in progress (not yet committed). */
    public boolean isWaiting(String key) {
        return pendingSettings.containsKey(key) || inHand.contains(key);
    }

    /**
     * Deletes a user: from now on nothing of theirs is written (neither history queued before nor
     * settings), then {@code delete} runs after the history already taken for writing, so nothing
     * written before survives it.
     */
    public void deleteUser(String username, SettingsWrite delete) {
        accounts.deleted(username);
        tombstones.merge(username, seq.get(), Math::max);
        submit(DELETE + username, delete);
    }

    /** A user was created (perhaps again under a deleted name): their data is written again. */
    public void userCreated(String username) {
        accounts.created(username);
    }

    /** The registered-account check this writer applies (its cache may be read on the packet path). */
    public RegisteredUsers accounts() {
        return accounts;
    }

    /** The column limits of the database in use ({@link ColumnLimits#STRICT} until the writer has connected once). */
    public ColumnLimits limits() {
        return limits;
    }

    public long offered() {
        return offered.get();
    }

    public long written() {
        return written.get();
    }

    /** History entries dropped because the queue was full (by count or bytes) or the writer stopped with the database away. */
    public long dropped() {
        return dropped.get();
    }

    public long failures() {
        return failures.get();
    }

    /** History entries the database refused (data errors), each dropped alone. */
    public long rejected() {
        return rejected.get();
    }

    /** Settings writes the database refused (data errors), or refused before queueing (too long for a column). */
    public long settingsRejected() {
        return settingsRejected.get();
    }

    /** History entries not written because their account is not a registered one (anonymous, unknown or deleted). */
    public long notRegistered() {
        return notRegistered.get();
    }

    /** Estimated memory held by history entries waiting to be written. */
    public long queuedBytes() {
        return queuedBytes.get();
    }

    /** The memory bound of the queue, now. */
    public long maxBytes() {
        return maxBytes.getAsLong();
    }

    /** History entries waiting to be written. */
    public int queued() {
        return queue.size() + held;
    }

    /** A settings write refused before queueing (a value too long for its column): counted with the database's refusals. */
    void settingRefused(String kind, String username) {
        settingsRejected.incrementAndGet();
        BAD_DATA.warn("settings-" + kind, "xmpproxy: a setting of \"{}\" was not saved: its {} is too long to store",
                shorten(username), kind);
    }

    public int pending() {
        return queue.size() + held + pendingSettings.size();
    }

    public boolean isDatabaseDown() {
        return databaseDown;
    }

    /** Waits until everything queued before the call is written (tests, shutdown). */
    public boolean flush(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            while (pending() > 0) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.sleep(10);
            }
            long seen = turns.get();
            while (turns.get() < seen + 2) { // the turn in progress may hold a batch; the next one starts after it
                if (System.nanoTime() > deadline || !thread.isAlive()) {
                    return false;
                }
                Thread.sleep(5);
            }
            if (pending() == 0) {
                return true;
            }
        }
    }

    /** Where the writer pauses between attempts while the database is away; {@link #close} wakes it. */
    private final Object pauses = new Object();

    private void run() {
        List<Queued> batch = new ArrayList<>(batchSize);
        Duration backoff = Duration.ofMillis(100);
        while (running || !batch.isEmpty() || !queue.isEmpty() || !pendingSettings.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    Queued first = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (first != null) {
                        batch.add(first);
                        queue.drainTo(batch, batchSize - 1);
                        held = batch.size();
                    }
                }
                Map<String, Pending> settings = takeSettings();
                inHand = settings.isEmpty() ? Set.of() : Set.copyOf(settings.keySet());
                if (batch.isEmpty() && settings.isEmpty()) {
                    forgetTombstones();
                    continue;
                }
                try {
                    Set<String> shared = sharedAccounts(settings);
                    write(batch, settings);
                    inHand = Set.of();
                    tellCommitted(shared);
                    held = 0;
                    backoff = Duration.ofMillis(100);
                    if (databaseDown) {
                        databaseDown = false;
                        LOG.info("xmpproxy: the database is reachable again; writes resumed");
                    }
                    forgetTombstones();
                } catch (SQLException | RuntimeException e) {
                    // The database is away. What was written or refused is off the batch; the rest is retried.
                    failures.incrementAndGet();
                    held = batch.size();
                    settings.forEach(pendingSettings::putIfAbsent); // a newer write for the same key wins
                    inHand = Set.of();
                    databaseDown = true;
                    logFailure(e);
                    if (!running) {
                        giveUp(batch);
                        return; // shutting down with the database away: give up, counted
                    }
                    pause(backoff);
                    backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            } finally {
                turns.incrementAndGet();
            }
        }
    }

    private void giveUp(List<Queued> batch) {
        List<Queued> left = new ArrayList<>(batch);
        queue.drainTo(left);
        for (Queued q : left) {
            queuedBytes.addAndGet(-q.bytes);
        }
        dropped.addAndGet(left.size());
        batch.clear();
        held = 0;
    }

    private static Set<String> sharedAccounts(Map<String, Pending> settings) {
        Set<String> accounts = new java.util.LinkedHashSet<>();
        settings.values().forEach(p -> {
            if (p.shared && p.username != null) {
                accounts.add(p.username);
            }
        });
        return accounts;
    }

    /** After the turn committed (a write refused as bad data is told too: the others then read what is stored). */
    private void tellCommitted(Set<String> accounts) {
        java.util.function.Consumer<String> listener = committedChoices;
        for (String username : accounts) {
            try {
                listener.accept(username);
            } catch (RuntimeException e) {
                BAD_DATA.warn("tell", "xmpproxy: could not tell the other nodes of a change of {}: {}", shorten(username), e.toString());
            }
        }
    }

    /** Deletions first: a write of the same user's taken with it is then never undone by it. */
    private Map<String, Pending> takeSettings() {
        Map<String, Pending> taken = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>(pendingSettings.keySet());
        keys.sort((a, b) -> Boolean.compare(!a.startsWith(DELETE), !b.startsWith(DELETE)));
        for (String key : keys) {
            Pending write = pendingSettings.remove(key);
            if (write != null) {
                taken.put(key, write);
            }
        }
        return taken;
    }

    /**
     * One turn: history first, then settings (a user deletion queued after a message also removes
     * that message), in one transaction. When the database refuses a value, the turn is written in
     * parts until the refused row or write is alone. On return the batch and settings are resolved
     * and empty; when the database fails, they hold what is left and the exception is thrown.
     */
    private void write(List<Queued> batch, Map<String, Pending> settings) throws SQLException {
        long now = clock.millis();
        // Before taking a connection: the directory may need one of the same pool.
        screen(batch);
        settings.values().removeIf(p -> p.username != null && !accounts.isRegistered(p.username));
        if (batch.isEmpty() && settings.isEmpty()) {
            return;
        }
        try (Connection c = source.connection()) {
            learnLimits(c);
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                try {
                    if (!batch.isEmpty()) {
                        history.insert(c, entries(batch));
                    }
                    for (Pending p : settings.values()) {
                        p.write.apply(c, now);
                    }
                    c.commit();
                    resolved(batch, batch.size());
                    trim(c, batch);
                    batch.clear();
                    settings.clear();
                    return;
                } catch (SQLException | RuntimeException e) {
                    rollback(c);
                    if (!DataErrors.isDataError(e)) {
                        throw e;
                    }
                }
                // Something in this turn is bad data: find it, write everything else.
                writeApart(c, batch);
                writeApart(c, settings, now);
            } finally {
                try {
                    c.setAutoCommit(autoCommit);
                } catch (SQLException ignored) {
                    // a pooled connection that cannot be reset is discarded by the pool
                }
            }
        }
    }

    /** Takes off the batch what must not be written: entries of deleted users, of accounts that are not registered. */
    private void screen(List<Queued> batch) {
        Map<String, Boolean> registered = new java.util.HashMap<>();
        batch.removeIf(q -> {
            String username = q.entry.username();
            Long tombstone = tombstones.get(username);
            boolean keep = (tombstone == null || q.seq > tombstone)
                    && registered.computeIfAbsent(username, accounts::isRegistered);
            if (!keep) {
                queuedBytes.addAndGet(-q.bytes);
                notRegistered.incrementAndGet();
            }
            return !keep;
        });
        held = batch.size();
    }

    /** Writes the batch in halves, recursively, until each refused row is alone; those are dropped. */
    private void writeApart(Connection c, List<Queued> batch) throws SQLException {
        Set<Queued> done = new HashSet<>();
        try {
            insertApart(c, new ArrayList<>(batch), done);
        } finally {
            batch.removeIf(done::contains);
            held = batch.size();
        }
    }

    private void insertApart(Connection c, List<Queued> part, Set<Queued> done) throws SQLException {
        try {
            history.insert(c, entries(part));
            c.commit();
            resolved(part, part.size());
            done.addAll(part);
            trim(c, part);
        } catch (SQLException | RuntimeException e) {
            rollback(c);
            if (!DataErrors.isDataError(e)) {
                throw e;
            }
            if (part.size() == 1) {
                Queued bad = part.get(0);
                resolved(part, 0);
                done.add(bad);
                rejected.incrementAndGet();
                BAD_DATA.warn("history", "xmpproxy: the database refused a history entry of \"{}\" (peer {}, {} characters): {};"
                        + " that entry is dropped, every other one is written", shorten(bad.entry.username()),
                        shorten(bad.entry.peer()), bad.entry.stanza().length(), DataErrors.describe(e));
                return;
            }
            int half = part.size() / 2;
            insertApart(c, new ArrayList<>(part.subList(0, half)), done);
            insertApart(c, new ArrayList<>(part.subList(half, part.size())), done);
        }
    }

    /** Applies each settings write in its own transaction; one the database refuses is dropped. */
    private void writeApart(Connection c, Map<String, Pending> settings, long now) throws SQLException {
        for (String key : List.copyOf(settings.keySet())) {
            try {
                settings.get(key).write.apply(c, now);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                rollback(c);
                if (!DataErrors.isDataError(e)) {
                    throw e;
                }
                settingsRejected.incrementAndGet();
                BAD_DATA.warn("settings", "xmpproxy: the database refused a settings write ({}): {}; that write is dropped,"
                        + " every other one is written", shorten(key), DataErrors.describe(e));
            }
            settings.remove(key);
        }
    }

    private void trim(Connection c, List<Queued> written) {
        HistoryTrim current = trim;
        if (current != null && !written.isEmpty()) {
            current.written(c, entries(written));
        }
    }

    private void resolved(List<Queued> part, int writtenCount) {
        long bytes = 0;
        for (Queued q : part) {
            bytes += q.bytes;
        }
        queuedBytes.addAndGet(-bytes);
        written.addAndGet(writtenCount);
    }

    private void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is likely gone; the work is retried on a new one
        }
    }

    private static List<HistoryEntry> entries(List<Queued> part) {
        List<HistoryEntry> entries = new ArrayList<>(part.size());
        for (Queued q : part) {
            entries.add(q.entry);
        }
        return entries;
    }

    private void learnLimits(Connection c) {
        if (!limitsKnown) {
            try {
                limits = ColumnLimits.forProduct(c.getMetaData().getDatabaseProductName());
                limitsKnown = true;
            } catch (SQLException | RuntimeException e) {
                // keep the strict limits; try again on the next connection
            }
        }
    }

    /**
     * A deleted user's tombstone is needed while an entry offered before the deletion may still be
     * queued. None can be when no offer is under way and the queue and batch are empty: every entry
     * offered so far was then written (before the deletion, which removes it) or screened out.
     */
    private void forgetTombstones() {
        if (tombstones.isEmpty()) {
            return;
        }
        long upTo = seq.get(); // first: an offer numbered up to here has begun before the checks below
        if (offering.get() == 0 && queue.isEmpty() && held == 0) {
            tombstones.values().removeIf(tombstone -> tombstone <= upTo);
        }
    }

    private static String shorten(String value) {
        if (value == null) {
            return "";
        }
        return value.length() <= 80 ? value : value.substring(0, 80) + "... (" + value.length() + " characters)";
    }

    private void logFailure(Exception e) {
        long now = clock.millis();
        if (lastFailureLog == Long.MIN_VALUE || now - lastFailureLog >= failureLogInterval.toMillis()) {
            lastFailureLog = now;
            LOG.warn("xmpproxy: cannot write to the database ({}); mirroring goes on, {} writes waiting ({} KB), {} history"
                    + " entries dropped so far. Retrying.", e.toString(), pending(), queuedBytes.get() / 1024, dropped.get());
        }
    }

    /** Waits before the next attempt, or until {@link #close} wakes it. */
    private void pause(Duration backoff) throws InterruptedException {
        synchronized (pauses) {
            if (running) {
                pauses.wait(backoff.toMillis());
            }
        }
    }

    /**
     * Stops taking work, writes what is queued (for up to {@code timeout}) and ends the thread. A pause between
     * attempts is cut short; a write under way is never interrupted (an interrupt inside JDBC on the embedded database
     * closes it for the whole server): past the timeout the thread is left to finish it on its own, and says so.
     */
    public void close(Duration timeout) throws InterruptedException {
        synchronized (pauses) {
            running = false;
            pauses.notifyAll();
        }
        thread.join(timeout.toMillis());
        if (thread.isAlive()) {
            LOG.warn("xmpproxy: the history writer is still writing after {} s; it is left to finish, not interrupted",
                    timeout.toSeconds());
        }
    }

    @Override
    public void close() throws InterruptedException {
        close(Duration.ofSeconds(5));
    }
}
