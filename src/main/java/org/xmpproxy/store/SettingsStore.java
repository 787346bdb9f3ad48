package org.xmpproxy.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.xmpproxy.core.catchup.LiveSpans;
import org.xmpproxy.core.rule.ResourceMode;

/** Plain JDBC on {@code ofXmpproxyAccount} and {@code ofXmpproxyResource}. Upserts are update-then-insert: one writer thread. */
public final class SettingsStore {

    /** Every account's choices, by username. The table holds only accounts that chose something: small. */
    public Map<String, AccountPrefs> loadAccounts(Connection c) throws SQLException {
        Map<String, AccountPrefs> accounts = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT username, mirroringOn, historyOn, catchupCount, catchupAgeSecs, botAdded FROM ofXmpproxyAccount");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                accounts.put(rs.getString(1), new AccountPrefs(bool(rs, 2), bool(rs, 3), integer(rs, 4), bigint(rs, 5), bool(rs, 6)));
            }
        }
        return accounts;
    }

    /** Every resource row, by username then resource name. */
    public Map<String, Map<String, ResourcePrefs>> loadResources(Connection c) throws SQLException {
        Map<String, Map<String, ResourcePrefs>> resources = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT username, resourceName, copyMode, lastSeen, liveSpans FROM ofXmpproxyResource");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                resources.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).put(rs.getString(2), resource(rs));
            }
        }
        return resources;
    }

    /** The rows of resources whose user chose a copy mode (the packet path needs those), by username then resource name. */
    public Map<String, Map<String, ResourcePrefs>> loadChosenModes(Connection c) throws SQLException {
        Map<String, Map<String, ResourcePrefs>> resources = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT username, resourceName, copyMode, lastSeen, liveSpans FROM ofXmpproxyResource WHERE copyMode IS NOT NULL");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                resources.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).put(rs.getString(2), resource(rs));
            }
        }
        return resources;
    }

    /** One account's resource rows, by resource name (the primary key's first column: an index lookup). */
    public Map<String, ResourcePrefs> loadResources(Connection c, String username) throws SQLException {
        Map<String, ResourcePrefs> resources = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT username, resourceName, copyMode, lastSeen, liveSpans FROM ofXmpproxyResource WHERE username = ?")) {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    resources.put(rs.getString(2), resource(rs));
                }
            }
        }
        return resources;
    }

    private static ResourcePrefs resource(ResultSet rs) throws SQLException {
        ResourceMode mode = ResourceMode.parse(rs.getString(3)).orElse(null);
        return new ResourcePrefs(mode, bigint(rs, 4), LiveSpans.parse(rs.getString(5)));
    }

    /** Stores a resource's copy mode, leaving its catch-up state as it is. Returns whether the row was new. */
    public boolean saveMode(Connection c, String username, String resource, ResourceMode mode) throws SQLException {
        String key = ResourceKey.of(resource);
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE ofXmpproxyResource SET copyMode = ? WHERE username = ? AND resourceHash = ?")) {
            setMode(update, 1, mode);
            update.setString(2, username);
            update.setString(3, key);
            if (update.executeUpdate() > 0) {
                return false;
            }
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO ofXmpproxyResource"
                + " (copyMode, lastSeen, liveSpans, username, resourceHash, resourceName) VALUES (?, ?, ?, ?, ?, ?)")) {
            setMode(insert, 1, mode);
            insert.setNull(2, Types.BIGINT);
            insert.setNull(3, Types.VARCHAR);
            insert.setString(4, username);
            insert.setString(5, key);
            insert.setString(6, resource);
            insert.executeUpdate();
            return true;
        }
    }

    /** Stores a resource's catch-up mark and live spans, leaving its mode as it is. Returns whether the row was new. */
    public boolean saveCatchupState(Connection c, String username, String resource, Long lastSeen, LiveSpans live) throws SQLException {
        String key = ResourceKey.of(resource);
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE ofXmpproxyResource SET lastSeen = ?, liveSpans = ? WHERE username = ? AND resourceHash = ?")) {
            setLong(update, 1, lastSeen);
            setSpans(update, 2, live);
            update.setString(3, username);
            update.setString(4, key);
            if (update.executeUpdate() > 0) {
                return false;
            }
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO ofXmpproxyResource"
                + " (copyMode, lastSeen, liveSpans, username, resourceHash, resourceName) VALUES (?, ?, ?, ?, ?, ?)")) {
            insert.setNull(1, Types.VARCHAR);
            setLong(insert, 2, lastSeen);
            setSpans(insert, 3, live);
            insert.setString(4, username);
            insert.setString(5, key);
            insert.setString(6, resource);
            insert.executeUpdate();
            return true;
        }
    }

    /**
     * Deletes the rows of resources not seen since {@code seenBefore} (epoch millis), or never, unless
     * their user chose a mode for them. Returns how many.
     */
    public int pruneResources(Connection c, long seenBefore) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM ofXmpproxyResource"
                + " WHERE copyMode IS NULL AND (lastSeen IS NULL OR lastSeen < ?)")) {
            ps.setLong(1, seenBefore);
            return ps.executeUpdate();
        }
    }

    /**
     * Keeps at most {@code max} resources of the account: beyond that, forgets first those without a
     * chosen mode, least recently seen first, and never {@code keep} (the one just written).
     * Returns the names of the resources forgotten.
     */
    public List<String> trimResources(Connection c, String username, int max, String keep) throws SQLException {
        record Row(String hash, String name, boolean chosen, Long lastSeen) {
        }
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT resourceHash, resourceName, copyMode, lastSeen FROM ofXmpproxyResource WHERE username = ?")) {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3) != null, bigint(rs, 4)));
                }
            }
        }
        if (rows.size() <= max) {
            return List.of();
        }
        String kept = keep == null ? null : ResourceKey.of(keep);
        List<Row> candidates = rows.stream().filter(row -> !row.hash().equals(kept))
                .sorted(Comparator.comparing(Row::chosen)
                        .thenComparing(Row::lastSeen, Comparator.nullsFirst(Comparator.naturalOrder())))
                .limit(rows.size() - max).toList();
        List<String> forgotten = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM ofXmpproxyResource WHERE username = ? AND resourceHash = ?")) {
            for (Row row : candidates) {
                ps.setString(1, username);
                ps.setString(2, row.hash());
                ps.executeUpdate();
                forgotten.add(row.name());
            }
        }
        return forgotten;
    }

    /** {@link #trimResources} for every account over {@code max}: names forgotten, by username. */
    public Map<String, List<String>> trimAllResources(Connection c, int max) throws SQLException {
        List<String> over = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT username FROM ofXmpproxyResource GROUP BY username HAVING COUNT(*) > ?")) {
            ps.setInt(1, max);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    over.add(rs.getString(1));
                }
            }
        }
        Map<String, List<String>> forgotten = new HashMap<>();
        for (String username : over) {
            forgotten.put(username, trimResources(c, username, max, null));
        }
        return forgotten;
    }

    public void saveAccount(Connection c, String username, AccountPrefs prefs, long now) throws SQLException {
        try (PreparedStatement update = c.prepareStatement("UPDATE ofXmpproxyAccount SET mirroringOn = ?, historyOn = ?,"
                + " catchupCount = ?, catchupAgeSecs = ?, botAdded = ?, modified = ? WHERE username = ?")) {
            bindAccount(update, prefs, now);
            update.setString(7, username);
            if (update.executeUpdate() > 0) {
                return;
            }
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO ofXmpproxyAccount (mirroringOn, historyOn,"
                + " catchupCount, catchupAgeSecs, botAdded, modified, username) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            bindAccount(insert, prefs, now);
            insert.setString(7, username);
            insert.executeUpdate();
        }
    }

    /** Removes everything kept for a user: settings, resources and history. */
    public void deleteUser(Connection c, String username) throws SQLException {
        for (String table : new String[] {"ofXmpproxyHistory", "ofXmpproxyResource", "ofXmpproxyAccount"}) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE username = ?")) {
                ps.setString(1, username);
                ps.executeUpdate();
            }
        }
    }

    private static void bindAccount(PreparedStatement ps, AccountPrefs prefs, long now) throws SQLException {
        setBool(ps, 1, prefs.mirroring());
        setBool(ps, 2, prefs.history());
        if (prefs.catchupCount() == null) {
            ps.setNull(3, Types.INTEGER);
        } else {
            ps.setInt(3, prefs.catchupCount());
        }
        setLong(ps, 4, prefs.catchupAgeSeconds());
        setBool(ps, 5, prefs.botAdded());
        ps.setLong(6, now);
    }

    private static void setMode(PreparedStatement ps, int index, ResourceMode mode) throws SQLException {
        if (mode == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, mode.label());
        }
    }

    private static void setSpans(PreparedStatement ps, int index, LiveSpans live) throws SQLException {
        String spans = live == null ? "" : live.format();
        if (spans.isEmpty()) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, spans);
        }
    }

    private static void setBool(PreparedStatement ps, int index, Boolean value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setInt(index, value ? 1 : 0);
        }
    }

    private static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }

    private static Boolean bool(ResultSet rs, int index) throws SQLException {
        int value = rs.getInt(index);
        return rs.wasNull() ? null : value != 0;
    }

    private static Integer integer(ResultSet rs, int index) throws SQLException {
        int value = rs.getInt(index);
        return rs.wasNull() ? null : value;
    }

    private static Long bigint(ResultSet rs, int index) throws SQLException {
        long value = rs.getLong(index);
        return rs.wasNull() ? null : value;
    }
}
