package org.xmpproxy.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The periodic job that keeps every account's history within its bounds (count and age) and forgets
 * resources not seen for a while (and those beyond the most an account keeps). In a cluster every node
 * schedules it and only the one on duty (the senior member, asked at each run) prunes the shared database.
 */
public final class HistoryPruner implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(HistoryPruner.class);

    private final ConnectionSource source;
    private final HistoryStore history;
    private final HistoryConfig config;
    private final Clock clock;
    private final StoredSettings resources;
    private final Supplier<Duration> resourceMaxIdle;
    private final BooleanSupplier onDuty;

    /** Prunes the history only. */
    public HistoryPruner(ConnectionSource source, HistoryStore history, HistoryConfig config, Clock clock) {
        this(source, history, config, clock, null, null, () -> true);
    }

    /**
     * @param resources        whose resources to prune, or null
     * @param resourceMaxIdle  how long a resource is remembered without being seen (read at each run)
     * @param onDuty           whether this node prunes now (asked at each run): in a cluster, only one node does
     */
    public HistoryPruner(ConnectionSource source, HistoryStore history, HistoryConfig config, Clock clock,
                         StoredSettings resources, Supplier<Duration> resourceMaxIdle, BooleanSupplier onDuty) {
        this.source = source;
        this.history = history;
        this.config = config;
        this.clock = clock;
        this.resources = resources;
        this.resourceMaxIdle = resourceMaxIdle;
        this.onDuty = onDuty;
    }

    @Override
    public void run() {
        if (!onDuty.getAsBoolean()) {
            return; // another node of the cluster prunes the shared database
        }
        try {
            int deleted = prune();
            if (deleted > 0) {
                LOG.debug("xmpproxy: pruned {} history entries", deleted);
            }
            int forgotten = pruneResources();
            if (forgotten > 0) {
                LOG.debug("xmpproxy: forgot {} resources not seen lately", forgotten);
            }
        } catch (SQLException e) {
            LOG.warn("xmpproxy: could not prune the history ({}); will try again at the next run", e.toString());
        }
    }

    /** Returns how many history entries were deleted. */
    public int prune() throws SQLException {
        try (Connection c = source.connection()) {
            return history.pruneOlderThan(c, clock.millis() - config.maxAge().toMillis())
                    + history.pruneBeyond(c, Math.max(1, config.maxPerAccount()));
        }
    }

    /** Returns how many resources were forgotten. */
    public int pruneResources() throws SQLException {
        if (resources == null) {
            return 0;
        }
        return resources.pruneResources(clock.millis() - resourceMaxIdle.get().toMillis());
    }
}
