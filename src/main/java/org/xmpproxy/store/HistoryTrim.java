package org.xmpproxy.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each account's history near its bound between the pruner's runs. The pruner runs every few minutes;
 * a busy account writes far more than its bound in that time, and the embedded database holds its rows in the
 * server's heap. So the writer, after every {@link #step} rows it wrote for an account, deletes that account's
 * rows beyond the bound: the account holds at most bound + step rows, whatever the traffic. Runs on the
 * writer's thread, after the rows are committed; a failure leaves the rows to the pruner.
 * <p>In a cluster the trims run once, on the senior member (asked at each trim): a junior member counts the rows
 * it wrote and hands a trim that is due to the senior ({@link Cluster#trimDue}), which trims on its own writer.
 */
final class HistoryTrim {
    private static final Logger LOG = LoggerFactory.getLogger(HistoryTrim.class);
    private static final OnceLog ONCE = new OnceLog(LOG);

    /** Deletes an account's rows beyond the newest {@code keep} ({@link HistoryStore#pruneBeyond(Connection, String, int)}). */
    interface Prune {
        int beyond(Connection c, String username, int keep) throws SQLException;
    }

    /** Past this many accounts counted, the counts start again: a later trim, never a lost row (the pruner still runs). */
    static final int MAX_ACCOUNTS_COUNTED = 10_000;

    private final Prune prune;
    private final IntSupplier maxPerAccount;
    private final java.util.function.BooleanSupplier onDuty;
    private final java.util.function.Consumer<String> handOff;
    /** Rows written per account since its last trim; only the writer's thread touches it. */
    private final Map<String, Integer> sinceTrim = new HashMap<>();

    /** Trims here, always (a server alone). */
    HistoryTrim(Prune prune, IntSupplier maxPerAccount) {
        this(prune, maxPerAccount, () -> true, username -> { });
    }

    /**
     * @param onDuty   whether this node trims (the senior member, or a server alone); asked at each trim
     * @param handOff  where a trim due while this node is not on duty goes (the senior member)
     */
    HistoryTrim(Prune prune, IntSupplier maxPerAccount, java.util.function.BooleanSupplier onDuty,
                java.util.function.Consumer<String> handOff) {
        this.prune = prune;
        this.maxPerAccount = maxPerAccount;
        this.onDuty = onDuty;
        this.handOff = handOff;
    }

    /** Rows written between two trims of one account: a tenth of the bound (at least 10), so a trim deletes few rows. */
    static int step(int maxPerAccount) {
        return Math.max(10, maxPerAccount / 10);
    }

    /** The writer committed these entries on {@code c}; trims, once each, the accounts that have grown a step beyond the bound. */
    void written(Connection c, List<HistoryEntry> entries) {
        int keep = Math.max(1, maxPerAccount.getAsInt());
        int step = step(keep);
        Set<String> due = new LinkedHashSet<>();
        if (sinceTrim.size() > MAX_ACCOUNTS_COUNTED) {
            sinceTrim.clear(); // many quiet accounts: forget their small counts rather than hold them all
        }
        for (HistoryEntry entry : entries) {
            if (sinceTrim.merge(entry.username(), 1, Integer::sum) >= step) {
                due.add(entry.username());
            }
        }
        boolean here = !due.isEmpty() && onDuty.getAsBoolean();
        for (String username : due) {
            sinceTrim.remove(username);
            if (here) {
                trim(c, username, keep);
            } else {
                handOff.accept(username);
            }
        }
    }

    private void trim(Connection c, String username, int keep) {
        try {
            prune.beyond(c, username, keep);
            if (!c.getAutoCommit()) {
                c.commit();
            }
        } catch (SQLException e) {
            ONCE.warn("trim", "xmpproxy: could not trim the history of {} ({}); the periodic pruner will", username, e.toString());
            try {
                if (!c.getAutoCommit()) {
                    c.rollback();
                }
            } catch (SQLException ignored) {
                // the connection goes back to the pool, which discards a broken one
            }
        }
    }
}
