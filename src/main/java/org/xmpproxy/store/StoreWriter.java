package org.xmpproxy.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only thread that writes to the database. The packet path hands it history entries through a
 * bounded queue and never waits: when the queue is full an entry is dropped and counted. Settings
 * writes are coalesced by key (the latest state of a row wins) and never dropped. While the
 * database is unreachable, the batch in hand is retried with back-off and the failure is logged
 * once per interval, not per packet.
 */
public final class StoreWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StoreWriter.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    /** A settings change: applied in the writer's transaction. */
    @FunctionalInterface
    public interface SettingsWrite {
        void apply(Connection connection, long now) throws SQLException;
    }

    private final ConnectionSource source;
    private final HistoryStore history;
    private final BlockingQueue<HistoryEntry> queue;
    private final Map<String, SettingsWrite> pendingSettings = new ConcurrentHashMap<>();
    private final int batchSize;
    private final Duration failureLogInterval;
    private final Clock clock;
    private final AtomicLong offered = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean databaseDown;
    /** Completed turns of the writer loop; a turn that starts after the queues are seen empty has written all before it. */
    private final AtomicLong turns = new AtomicLong();
    /** History entries taken from the queue and not yet committed (kept for retry while the database is down). */
    private volatile int held;
    private long lastFailureLog = Long.MIN_VALUE;

    public StoreWriter(ConnectionSource source, HistoryStore history, int capacity, int batchSize,
                       Duration failureLogInterval, Clock clock) {
        this.source = source;
        this.history = history;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.batchSize = batchSize;
        this.failureLogInterval = failureLogInterval;
        this.clock = clock;
        this.thread = new Thread(this::run, "xmpproxy-store-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues a history entry; never blocks. Returns false (and counts a drop) when the queue is full. */
    public boolean offer(HistoryEntry entry) {
        offered.incrementAndGet();
        if (queue.offer(entry)) {
            return true;
        }
        dropped.incrementAndGet();
        return false;
    }

    /** Queues a settings write under {@code key}; a later write with the same key replaces it. */
    public void submit(String key, SettingsWrite write) {
        pendingSettings.put(key, write);
    }

    public long offered() {
        return offered.get();
    }

    public long written() {
        return written.get();
    }

    public long dropped() {
        return dropped.get();
    }

    public long failures() {
        return failures.get();
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

    private void run() {
        List<HistoryEntry> batch = new ArrayList<>(batchSize);
        Duration backoff = Duration.ofMillis(100);
        while (running || !batch.isEmpty() || !queue.isEmpty() || !pendingSettings.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    HistoryEntry first = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (first != null) {
                        batch.add(first);
                        queue.drainTo(batch, batchSize - 1);
                        held = batch.size();
                    }
                }
                Map<String, SettingsWrite> settings = takeSettings();
                if (batch.isEmpty() && settings.isEmpty()) {
                    continue;
                }
                try {
                    write(batch, settings);
                    written.addAndGet(batch.size());
                    batch.clear();
                    held = 0;
                    backoff = Duration.ofMillis(100);
                    if (databaseDown) {
                        databaseDown = false;
                        LOG.info("xmpproxy: the database is reachable again; writes resumed");
                    }
                } catch (SQLException | RuntimeException e) {
                    failures.incrementAndGet();
                    settings.forEach(pendingSettings::putIfAbsent); // a newer write for the same key wins
                    databaseDown = true;
                    logFailure(e);
                    if (!running) {
                        dropped.addAndGet(batch.size());
                        held = 0;
                        return; // shutting down with the database away: give up, counted
                    }
                    Thread.sleep(backoff.toMillis());
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

    private Map<String, SettingsWrite> takeSettings() {
        Map<String, SettingsWrite> taken = new LinkedHashMap<>();
        for (String key : List.copyOf(pendingSettings.keySet())) {
            SettingsWrite write = pendingSettings.remove(key);
            if (write != null) {
                taken.put(key, write);
            }
        }
        return taken;
    }

    /** History first, then settings: a user deletion queued after a message also removes that message. */
    private void write(List<HistoryEntry> batch, Map<String, SettingsWrite> settings) throws SQLException {
        long now = clock.millis();
        try (Connection c = source.connection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                if (!batch.isEmpty()) {
                    history.insert(c, batch);
                }
                for (SettingsWrite write : settings.values()) {
                    write.apply(c, now);
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                history.resetIds();
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // the connection is likely gone; the batch is retried on a new one
                }
                throw e;
            } finally {
                try {
                    c.setAutoCommit(autoCommit);
                } catch (SQLException ignored) {
                    // a pooled connection that cannot be reset is discarded by the pool
                }
            }
        }
    }

    private void logFailure(Exception e) {
        long now = clock.millis();
        if (lastFailureLog == Long.MIN_VALUE || now - lastFailureLog >= failureLogInterval.toMillis()) {
            lastFailureLog = now;
            LOG.warn("xmpproxy: cannot write to the database ({}); mirroring goes on, {} writes waiting, {} history"
                    + " entries dropped so far. Retrying.", e.toString(), pending(), dropped.get());
        }
    }

    /** Stops taking work, writes what is queued (for up to {@code timeout}) and ends the thread. */
    public void close(Duration timeout) throws InterruptedException {
        running = false;
        thread.join(timeout.toMillis());
        if (thread.isAlive()) {
            thread.interrupt();
            thread.join(1000);
        }
    }

    @Override
    public void close() throws InterruptedException {
        close(Duration.ofSeconds(5));
    }
}
