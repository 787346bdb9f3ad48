package org.xmpproxy.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.xmpproxy.core.rule.Direction;
import org.xmpproxy.core.rule.MessageAt;
import org.xmpproxy.core.rule.MessageKey;

/**
 * Plain JDBC on {@code ofXmpproxyHistory}. Reads use the (username, sentAt) index and JDBC's
 * {@code setMaxRows} instead of LIMIT/TOP/FETCH FIRST, so the same SQL runs on every database.
 * Ids are assigned here, by the single writer thread, from blocks of {@link #BLOCK_SIZE} ids that are unique
 * across the nodes of a cluster ({@link IdBlocks}): ids do not follow time across nodes, so every read and
 * prune orders by {@code sentAt} (the id only breaks ties).
 * <p>
 * The reads that return messages ({@link #window}, {@link #latest}: what catch-up and
 * replay send) return only those a client of the account received ({@link HistoryEntry#delivered()}).
 * A message that reached nobody, because no client was online (Openfire stored it offline) or because a
 * privacy list blocked it, is never sent from the history, until Openfire's offline store hands it to a client
 * of the account ({@link #markDelivered}): from then on it is the account's like any other.
 */
public final class HistoryStore {
    private static final String COLUMNS = "id, username, sentAt, direction, peer, wasDelivered, stanza";
    /** The one place that keeps what reached nobody out of every read. */
    private static final String RECEIVED_BY_THE_ACCOUNT = " AND wasDelivered = 1";
    /** {@code wasDelivered} of a message that reached nobody and that Openfire's offline store took (0: reached nobody). */
    public static final int STORED_OFFLINE = 2;

    /** Ids in a block: block {@code n} is ids {@code n * BLOCK_SIZE} to {@code (n + 1) * BLOCK_SIZE - 1} (the upgrade scripts divide by it). */
    public static final long BLOCK_SIZE = 1000;
    /** The block numbers' type in Openfire's {@code ofID} table (SequenceManager); the install and upgrade scripts create its row. */
    public static final int ID_SEQUENCE_TYPE = 1801;

    /**
     * Cluster-unique block numbers (Openfire's {@code SequenceManager} in the plugin): never the same number twice,
     * on any node. May read the database; called only on the writer thread, once per {@link #BLOCK_SIZE} rows.
     */
    @FunctionalInterface
    public interface IdBlocks {
        long next() throws SQLException;
    }

    private final IdBlocks blocks;
    /** The next id to issue and the end of its block (exclusive); only the writer thread touches them. */
    private long nextId;
    private long blockEnd;

    public HistoryStore(IdBlocks blocks) {
        this.blocks = blocks;
    }

    /** Writes a batch in the caller's transaction and returns the entries with their ids. */
    public List<HistoryEntry> insert(Connection c, List<HistoryEntry> entries) throws SQLException {
        List<HistoryEntry> written = new ArrayList<>(entries.size());
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ofXmpproxyHistory (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (HistoryEntry entry : entries) {
                HistoryEntry withId = entry.withId(nextId());
                ps.setLong(1, withId.id());
                ps.setString(2, withId.username());
                ps.setLong(3, withId.sentAt());
                ps.setString(4, withId.direction() == Direction.SENT ? "S" : "R");
                ps.setString(5, withId.peer());
                ps.setInt(6, withId.delivered() ? 1 : withId.storedOffline() ? STORED_OFFLINE : 0);
                ps.setString(7, withId.stanza());
                ps.addBatch();
                written.add(withId);
            }
            ps.executeBatch();
        }
        return written; // ids of a batch rolled back are not issued again: another node may not have them either
    }

    private long nextId() throws SQLException {
        if (nextId >= blockEnd) {
            long block;
            try {
                block = blocks.next();
            } catch (RuntimeException e) {
                // SequenceManager reports a database it cannot reach as an IllegalStateException; the writer must
                // take it for the database away (retry), not for a bad row (a RuntimeException, dropped alone).
                throw new SQLException("xmpproxy: no history ids: " + e, e);
            }
            if (block < 1 || block > Long.MAX_VALUE / BLOCK_SIZE - 1) {
                throw new SQLException("xmpproxy: history id block " + block + " out of range");
            }
            nextId = block * BLOCK_SIZE;
            blockEnd = nextId + BLOCK_SIZE;
        }
        return nextId++;
    }

    /** The newest {@code limit} of the account's received messages routed in {@code (fromExclusive, toInclusive]}, oldest first. */
    public List<HistoryEntry> window(Connection c, String username, long fromExclusive, long toInclusive, int limit)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM ofXmpproxyHistory"
                + " WHERE username = ? AND sentAt > ? AND sentAt <= ?" + RECEIVED_BY_THE_ACCOUNT + " ORDER BY sentAt DESC, id DESC")) {
            ps.setString(1, username);
            ps.setLong(2, fromExclusive);
            ps.setLong(3, toInclusive);
            ps.setMaxRows(limit);
            List<HistoryEntry> newestFirst = read(ps);
            Collections.reverse(newestFirst);
            return newestFirst;
        }
    }

    /** The account's newest {@code limit} received messages, oldest first. */
    public List<HistoryEntry> latest(Connection c, String username, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM ofXmpproxyHistory"
                + " WHERE username = ?" + RECEIVED_BY_THE_ACCOUNT + " ORDER BY sentAt DESC, id DESC")) {
            ps.setString(1, username);
            ps.setMaxRows(limit);
            List<HistoryEntry> newestFirst = read(ps);
            Collections.reverse(newestFirst);
            return newestFirst;
        }
    }

    /** How many of the account's received messages were routed in {@code (fromExclusive, toInclusive]}. */
    public long count(Connection c, String username, long fromExclusive, long toInclusive) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM ofXmpproxyHistory"
                + " WHERE username = ? AND sentAt > ? AND sentAt <= ?" + RECEIVED_BY_THE_ACCOUNT)) {
            ps.setString(1, username);
            ps.setLong(2, fromExclusive);
            ps.setLong(3, toInclusive);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * The newest of the account's received messages with this key, among the newest {@code limit} it exchanged
     * with that peer in that direction; null if none.
     */
    public HistoryEntry find(Connection c, String username, MessageKey key, int limit) throws SQLException {
        List<HistoryEntry> newest = find(c, username, key, limit, 1);
        return newest.isEmpty() ? null : newest.get(0);
    }

    /** The newest {@code count} of the account's received messages with this key, among the newest {@code limit} with that peer; newest first. */
    public List<HistoryEntry> find(Connection c, String username, MessageKey key, int limit, int count) throws SQLException {
        List<HistoryEntry> found = new ArrayList<>();
        for (HistoryEntry entry : withPeer(c, username, key.direction(), key.peer(), limit)) {
            if (found.size() >= count) {
                break;
            }
            if (entry.delivered() && key.id().equals(entry.messageId())) {
                found.add(entry);
            }
        }
        return found;
    }

    /**
     * The account's received message with this history row: routed at that millisecond, with that peer in that
     * direction, and that id (or none). One indexed read, however often the writer reuses the id. Null if none.
     */
    public HistoryEntry find(Connection c, String username, MessageAt row) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM ofXmpproxyHistory"
                + " WHERE username = ? AND sentAt = ? AND direction = ? AND peer = ?" + RECEIVED_BY_THE_ACCOUNT + " ORDER BY id")) {
            ps.setString(1, username);
            ps.setLong(2, row.at());
            ps.setString(3, row.direction() == Direction.SENT ? "S" : "R");
            ps.setString(4, row.peer());
            for (HistoryEntry entry : read(ps)) {
                if (java.util.Objects.equals(row.id(), entry.messageId())) {
                    return entry;
                }
            }
            return null;
        }
    }

    /**
     * The keys of the account's messages routed in {@code [from, to]}, delivered or not (those with an id): what a node
     * writing rows in a failed node's place finds that node wrote. One indexed read.
     */
    public Set<MessageKey> keysBetween(Connection c, String username, long from, long to) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM ofXmpproxyHistory"
                + " WHERE username = ? AND sentAt >= ? AND sentAt <= ?")) {
            ps.setString(1, username);
            ps.setLong(2, from);
            ps.setLong(3, to);
            Set<MessageKey> keys = new HashSet<>();
            for (HistoryEntry entry : read(ps)) {
                String id = entry.messageId();
                if (id != null) {
                    keys.add(new MessageKey(entry.direction(), entry.peer(), id));
                }
            }
            return keys;
        }
    }

    /**
     * What {@link #markDelivered} did.
     *
     * @param found   the keys that have an entry (delivered before or now)
     * @param changed the entries that reached nobody until now, as they are now
     */
    public record Marked(Set<MessageKey> found, List<HistoryEntry> changed) {
    }

    /**
     * Received messages that reached nobody when they were routed (Openfire stored them offline) and have now been
     * handed to a client of the account: from now on catch-up and replay send them. Matched by key among the newest
     * {@code limit} messages from each peer.
     */
    public Marked markDelivered(Connection c, String username, Set<MessageKey> keys, int limit) throws SQLException {
        Map<String, Set<MessageKey>> byPeer = new LinkedHashMap<>();
        for (MessageKey key : keys) {
            if (key.direction() == Direction.RECEIVED) {
                byPeer.computeIfAbsent(key.peer(), p -> new HashSet<>()).add(key);
            }
        }
        Set<MessageKey> found = new HashSet<>();
        List<HistoryEntry> changed = new ArrayList<>();
        for (Map.Entry<String, Set<MessageKey>> peer : byPeer.entrySet()) {
            for (HistoryEntry entry : withPeer(c, username, Direction.RECEIVED, peer.getKey(), limit)) {
                MessageKey key = entry.key();
                if (key == null || !peer.getValue().contains(key)) {
                    continue;
                }
                found.add(key);
                if (!entry.delivered()) {
                    changed.add(entry.asDelivered());
                }
            }
        }
        if (!changed.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE ofXmpproxyHistory SET wasDelivered = 1 WHERE id = ?")) {
                for (HistoryEntry entry : changed) {
                    ps.setLong(1, entry.id());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        return new Marked(found, changed);
    }

    /**
     * The account's messages routed since {@code since} that still wait in Openfire's offline store as far as the
     * history knows (stored there, not handed to a client since), oldest first. One indexed read.
     */
    public List<HistoryEntry> storedOfflineSince(Connection c, String username, long since) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM ofXmpproxyHistory"
                + " WHERE username = ? AND sentAt >= ? AND wasDelivered = " + STORED_OFFLINE + " ORDER BY sentAt, id")) {
            ps.setString(1, username);
            ps.setLong(2, since);
            return read(ps);
        }
    }

    /**
     * Makes the entry the account's, if it still waits in the offline store as far as the history knows: Openfire lost
     * it there. Whether this call changed it (not if the offline store handed it to a client meanwhile).
     */
    public boolean markLostOffline(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE ofXmpproxyHistory SET wasDelivered = 1 WHERE id = ?"
                + " AND wasDelivered = " + STORED_OFFLINE)) {
            ps.setLong(1, id);
            return ps.executeUpdate() == 1;
        }
    }

    /** The newest {@code limit} messages of the account with {@code peer} in one direction, delivered or not, newest first. */
    private static List<HistoryEntry> withPeer(Connection c, String username, Direction direction, String peer, int limit)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM ofXmpproxyHistory"
                + " WHERE username = ? AND direction = ? AND peer = ? ORDER BY sentAt DESC, id DESC")) {
            ps.setString(1, username);
            ps.setString(2, direction == Direction.SENT ? "S" : "R");
            ps.setString(3, peer);
            ps.setMaxRows(limit);
            return read(ps);
        }
    }

    public long count(Connection c, String username) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM ofXmpproxyHistory WHERE username = ?")) {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    public int clear(Connection c, String username) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM ofXmpproxyHistory WHERE username = ?")) {
            ps.setString(1, username);
            return ps.executeUpdate();
        }
    }

    /** Deletes every message routed before {@code cutoffMillis}. */
    public int pruneOlderThan(Connection c, long cutoffMillis) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM ofXmpproxyHistory WHERE sentAt < ?")) {
            ps.setLong(1, cutoffMillis);
            return ps.executeUpdate();
        }
    }

    /** Keeps each account's newest {@code keep} messages and deletes the rest. */
    public int pruneBeyond(Connection c, int keep) throws SQLException {
        List<String> over = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT username FROM ofXmpproxyHistory GROUP BY username HAVING COUNT(*) > ?")) {
            ps.setInt(1, keep);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    over.add(rs.getString(1));
                }
            }
        }
        int deleted = 0;
        for (String username : over) {
            deleted += pruneBeyond(c, username, keep);
        }
        return deleted;
    }

    /**
     * Keeps the account's newest {@code keep} messages (by the time they were routed) and deletes the rest; messages
     * routed in the same millisecond as the oldest kept are all kept.
     */
    public int pruneBeyond(Connection c, String username, int keep) throws SQLException {
        Long oldestKept = sentAtOfNewest(c, username, keep);
        if (oldestKept == null) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM ofXmpproxyHistory WHERE username = ? AND sentAt < ?")) {
            ps.setString(1, username);
            ps.setLong(2, oldestKept);
            return ps.executeUpdate();
        }
    }

    /** When the account's {@code n}-th newest message was routed, or null if it has fewer (uses the (username, sentAt) index). */
    private static Long sentAtOfNewest(Connection c, String username, int n) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT sentAt FROM ofXmpproxyHistory WHERE username = ? ORDER BY sentAt DESC")) {
            ps.setString(1, username);
            ps.setMaxRows(n);
            try (ResultSet rs = ps.executeQuery()) {
                Long last = null;
                int rows = 0;
                while (rs.next()) {
                    last = rs.getLong(1);
                    rows++;
                }
                return rows == n ? last : null;
            }
        }
    }

    private static List<HistoryEntry> read(PreparedStatement ps) throws SQLException {
        List<HistoryEntry> entries = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                entries.add(new HistoryEntry(rs.getLong(1), rs.getString(2), rs.getLong(3),
                        "S".equals(rs.getString(4)) ? Direction.SENT : Direction.RECEIVED,
                        rs.getString(5), rs.getInt(6) == 1, rs.getString(7), rs.getInt(6) == STORED_OFFLINE));
            }
        }
        return entries;
    }
}
