package org.xmpproxy.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.HashMap;
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
                ResourceMode mode = ResourceMode.parse(rs.getString(3)).orElse(null);
                resources.computeIfAbsent(rs.getString(1), k -> new HashMap<>())
                        .put(rs.getString(2), new ResourcePrefs(mode, bigint(rs, 4), LiveSpans.parse(rs.getString(5))));
            }
        }
        return resources;
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

    public void saveResource(Connection c, String username, String resource, ResourcePrefs prefs) throws SQLException {
        String key = ResourceKey.of(resource);
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE ofXmpproxyResource SET copyMode = ?, lastSeen = ?, liveSpans = ? WHERE username = ? AND resourceHash = ?")) {
            bindResource(update, prefs);
            update.setString(4, username);
            update.setString(5, key);
            if (update.executeUpdate() > 0) {
                return;
            }
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO ofXmpproxyResource"
                + " (copyMode, lastSeen, liveSpans, username, resourceHash, resourceName) VALUES (?, ?, ?, ?, ?, ?)")) {
            bindResource(insert, prefs);
            insert.setString(4, username);
            insert.setString(5, key);
            insert.setString(6, resource);
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

    private static void bindResource(PreparedStatement ps, ResourcePrefs prefs) throws SQLException {
        if (prefs.mode() == null) {
            ps.setNull(1, Types.VARCHAR);
        } else {
            ps.setString(1, prefs.mode().label());
        }
        setLong(ps, 2, prefs.lastSeen());
        String spans = prefs.live().format();
        if (spans.isEmpty()) {
            ps.setNull(3, Types.VARCHAR);
        } else {
            ps.setString(3, spans);
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
