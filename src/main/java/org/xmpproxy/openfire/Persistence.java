package org.xmpproxy.openfire;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.database.DbConnectionManager;
import org.jivesoftware.openfire.user.UserManager;
import org.jivesoftware.openfire.user.UserNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpproxy.core.settings.EffectiveSettings;
import org.xmpproxy.core.settings.Settings;
import org.xmpproxy.store.ConnectionSource;
import org.xmpproxy.store.HistoryPruner;
import org.xmpproxy.store.HistoryRecorder;
import org.xmpproxy.store.HistoryStore;
import org.xmpproxy.store.RegisteredUsers;
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
    /** Each account's effective settings: its own choices, else the server's. */
    final EffectiveSettings effective;
    final HistoryStore historyStore = new HistoryStore();
    final ConnectionSource source = DbConnectionManager::getConnection;
    private final ScheduledExecutorService jobs;

    Persistence(XmpproxyProperties properties) {
        Clock clock = Clock.systemUTC();
        // Only registered accounts keep data. UserManager may read the database or LDAP: asked on the writer thread only.
        RegisteredUsers accounts = new RegisteredUsers(Persistence::isRegistered, clock, Duration.ofHours(1), Duration.ofMinutes(1), 50_000);
        writer = new StoreWriter(source, historyStore, properties.get(Settings.STORE_QUEUE_CAPACITY), properties::storeQueueMaxBytes,
                500, Duration.ofMinutes(1), clock, accounts);
        settings = new StoredSettings(source, new SettingsStore(), writer, properties::resourceMaxPerAccount);
        effective = new EffectiveSettings(settings, properties);
        history = new HistoryRecorder(properties, settings, writer);
        jobs = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "xmpproxy-store-jobs");
            thread.setDaemon(true);
            return thread;
        });
        if (!settings.load()) {
            LOG.warn("xmpproxy: cannot read account settings from the database; until it can, no account is mirrored"
                    + " or recorded unless it turns mirroring on now (one that opted out cannot be told apart); retrying every {} s",
                    RELOAD_SETTINGS_EVERY.toSeconds());
            jobs.scheduleWithFixedDelay(this::retryLoad, RELOAD_SETTINGS_EVERY.toSeconds(), RELOAD_SETTINGS_EVERY.toSeconds(), TimeUnit.SECONDS);
        }
        HistoryPruner pruner = new HistoryPruner(source, historyStore, properties, clock, settings, properties::resourceMaxIdle);
        jobs.scheduleWithFixedDelay(pruner, 1, PRUNE_EVERY.toMinutes(), TimeUnit.MINUTES);
    }

    /**
     * Whether a local username is a registered account (anonymous sessions' generated names are not).
     * Openfire's user providers report a failure to read (database or LDAP away) as "not found" with the
     * failure as its cause: that is no answer, and the user's data is kept (see {@link RegisteredUsers}).
     */
    static boolean isRegistered(String username) {
        try {
            UserManager.getInstance().getUser(username);
            return true;
        } catch (UserNotFoundException e) {
            Throwable cause = e.getCause();
            while (cause instanceof UserNotFoundException) { // DefaultUserProvider wraps its own "not found" once more
                cause = cause.getCause();
            }
            if (cause != null) {
                throw new IllegalStateException("cannot read the user " + username, cause);
            }
            return false;
        }
    }

    /** Messages in an account's history, or -1 when the database cannot be read. Not for the packet path. */
    long historySize(String username) {
        try (java.sql.Connection c = source.connection()) {
            return historyStore.count(c, username);
        } catch (java.sql.SQLException e) {
            return -1;
        }
    }

    /** History entries refused as bad data: an address too long for its column, or a row the database refused. */
    long historyRejected() {
        return history.tooLong() + writer.rejected();
    }

    /** History entries not kept because the account is not a registered one (anonymous, unknown, deleted). */
    long historyNotRegistered() {
        return history.notRegistered() + writer.notRegistered();
    }

    private void retryLoad() {
        if (!settings.isLoaded() && settings.load()) {
            LOG.info("xmpproxy: account settings loaded from the database; mirroring as configured from now on");
        }
    }

    @Override
    public void close() throws InterruptedException {
        jobs.shutdownNow();
        writer.close(Duration.ofSeconds(5));
    }
}
