package org.xmpproxy.openfire;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.database.DbConnectionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpproxy.store.ConnectionSource;
import org.xmpproxy.store.DeliveredLater;
import org.xmpproxy.store.HistoryPruner;
import org.xmpproxy.store.HistoryRecorder;
import org.xmpproxy.store.HistoryStore;
import org.xmpproxy.store.SettingsStore;
import org.xmpproxy.store.StoreWriter;
import org.xmpproxy.store.StoredSettings;

/** The store in Openfire's database: its writer thread, the settings cache, the history, the periodic jobs. */
final class Persistence implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Persistence.class);
    private static final Duration PRUNE_EVERY = Duration.ofMinutes(10);
    private static final Duration RELOAD_SETTINGS_EVERY = Duration.ofSeconds(30);

    final StoreWriter writer;
    final StoredSettings settings;
    final HistoryRecorder history;
    final HistoryStore historyStore = new HistoryStore();
    final ConnectionSource source = DbConnectionManager::getConnection;
    /** Marks what Openfire's offline store hands a client as the account's (catch-up of the others). */
    final DeliveredLater deliveredLater;
    private final ScheduledExecutorService jobs;

    Persistence(XmpproxyProperties properties) {
        Clock clock = Clock.systemUTC();
        writer = new StoreWriter(source, historyStore, properties.storeQueueCapacity.getValue(), 500, Duration.ofMinutes(1), clock);
        settings = new StoredSettings(source, new SettingsStore(), writer);
        history = new HistoryRecorder(properties, settings, writer);
        deliveredLater = new DeliveredLater(writer, historyStore);
        jobs = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "xmpproxy-store-jobs");
            thread.setDaemon(true);
            return thread;
        });
        if (!settings.load()) {
            LOG.warn("xmpproxy: cannot read account settings from the database; mirroring uses the server defaults"
                    + " until it can (retrying every {} s)", RELOAD_SETTINGS_EVERY.toSeconds());
            jobs.scheduleWithFixedDelay(this::retryLoad, RELOAD_SETTINGS_EVERY.toSeconds(), RELOAD_SETTINGS_EVERY.toSeconds(), TimeUnit.SECONDS);
        }
        HistoryPruner pruner = new HistoryPruner(source, historyStore, properties, clock);
        jobs.scheduleWithFixedDelay(pruner, 1, PRUNE_EVERY.toMinutes(), TimeUnit.MINUTES);
    }

    /** Messages in an account's history, or -1 when the database cannot be read. Not for the packet path. */
    long historySize(String username) {
        try (java.sql.Connection c = source.connection()) {
            return historyStore.count(c, username);
        } catch (java.sql.SQLException e) {
            return -1;
        }
    }

    private void retryLoad() {
        if (!settings.isLoaded() && settings.load()) {
            LOG.info("xmpproxy: account settings loaded from the database");
        }
    }

    @Override
    public void close() throws InterruptedException {
        jobs.shutdownNow();
        writer.close(Duration.ofSeconds(5));
    }
}
