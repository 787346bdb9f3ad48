package org.xmpproxy.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The periodic job that keeps every account's history within its bounds (count and age). */
public final class HistoryPruner implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(HistoryPruner.class);

    private final ConnectionSource source;
    private final HistoryStore history;
    private final HistoryConfig config;
    private final Clock clock;

    public HistoryPruner(ConnectionSource source, HistoryStore history, HistoryConfig config, Clock clock) {
        this.source = source;
        this.history = history;
        this.config = config;
        this.clock = clock;
    }

    @Override
    public void run() {
        try {
            int deleted = prune();
            if (deleted > 0) {
                LOG.debug("xmpproxy: pruned {} history entries", deleted);
            }
        } catch (SQLException e) {
            LOG.warn("xmpproxy: could not prune the history ({}); will try again at the next run", e.toString());
        }
    }

    /** Returns how many entries were deleted. */
    public int prune() throws SQLException {
        try (Connection c = source.connection()) {
            return history.pruneOlderThan(c, clock.millis() - config.maxAge().toMillis())
                    + history.pruneBeyond(c, config.maxPerAccount());
        }
    }
}
