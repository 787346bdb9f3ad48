package org.xmpproxy.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xmpproxy.core.catchup.LiveSpans;
import org.xmpproxy.core.rule.ResourceMode;
import org.xmpproxy.core.settings.AccountSetting;
import org.xmpproxy.core.settings.Settings;

/** Plain JDBC on {@code ofXmpproxyAccount} and {@code ofXmpproxyResource}. Upserts are update-then-insert: one writer thread. */
public final class SettingsStore {

    /**
     * The columns of {@code ofXmpproxyAccount} that hold a per-account setting ({@link Settings#ACCOUNT}):
     * the one table a new setting adds its line to. Statements and their bindings are made from it, so
     * no column has a position to keep in step. How a value is stored follows the setting's kind:
     * on/off as INTEGER 0/1, numbers as INTEGER, durations as BIGINT seconds.
     */
    static final List<AccountColumn> ACCOUNT_COLUMNS = List.of(
            new AccountColumn(Settings.MIRRORING, "mirroringOn"),
            new AccountColumn(Settings.HISTORY, "historyOn"),
            new AccountColumn(Settings.CATCHUP_COUNT, "catchupCount"),
            new AccountColumn(Settings.CATCHUP_AGE, "catchupAgeSecs"));

    /** A per-account setting and the column that holds it. */
    record AccountColumn(AccountSetting<?> setting, String name) {
    }

    /** The columns read for an account: the settings', then whether the bot was put in its roster. */
    private static final List<String> LOADED_COLUMNS = loadedColumns();

    private static List<String> loadedColumns() {
        List<String> names = new ArrayList<>();
        ACCOUNT_COLUMNS.forEach(column -> names.add(column.name()));
        names.add("botAdded");
        return List.copyOf(names);
    }

    /** Every account's choices, by username. The table holds only accounts that chose something: small. */
    public Map<String, AccountPrefs> loadAccounts(Connection c) throws SQLException {
        Map<String, AccountPrefs> accounts = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT username, " + String.join(", ", LOADED_COLUMNS) + " FROM ofXmpproxyAccount");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                AccountPrefs prefs = AccountPrefs.NONE;
                int index = 2;
                for (AccountColumn column : ACCOUNT_COLUMNS) {
                    prefs = withRead(prefs, column.setting(), rs, index++);
                }
                accounts.put(rs.getString(1), prefs.withBotAdded(bool(rs, index)));
            }
        }
        return accounts;
    }

    /** One account's choices, or null when it has no row (every choice the server default). */
    public AccountPrefs loadAccount(Connection c, String username) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT username, " + String.join(", ", LOADED_COLUMNS)
                + " FROM ofXmpproxyAccount WHERE username = ?")) {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                AccountPrefs prefs = AccountPrefs.NONE;
                int index = 2;
                for (AccountColumn column : ACCOUNT_COLUMNS) {
                    prefs = withRead(prefs, column.setting(), rs, index++);
                }
                return prefs.withBotAdded(bool(rs, index));
            }
        }
    }

    private static <T> AccountPrefs withRead(AccountPrefs prefs, AccountSetting<T> setting, ResultSet rs, int index) throws SQLException {
        Object value = switch (setting.kind()) {
            case BOOLEAN -> bool(rs, index);
            case NUMBER -> integer(rs, index);
            case HOURS -> {
                Long seconds = bigint(rs, index);
                yield seconds == null ? null : Duration.ofSeconds(seconds);
            }
            default -> throw new IllegalStateException("no column type for " + setting.kind() + " (" + setting.key() + ")");
        };
        return prefs.with(setting, setting.type().cast(value));
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

    /**
     * Stores a resource's catch-up mark and live spans, leaving its mode as it is. Returns whether the row was new. No
     * mark never replaces one: a resource once caught up is never new again, and a node that never saw it (no mark in
     * its memory) must not undo what the node it was on wrote.
     */
    public boolean saveCatchupState(Connection c, String username, String resource, Long lastSeen, LiveSpans live) throws SQLException {
        String key = ResourceKey.of(resource);
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE ofXmpproxyResource SET lastSeen = COALESCE(?, lastSeen), liveSpans = ? WHERE username = ? AND resourceHash = ?")) {
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
        Map<String, Parameter> values = accountValues(prefs, now);
        try (PreparedStatement update = c.prepareStatement("UPDATE ofXmpproxyAccount SET "
                + String.join(" = ?, ", values.keySet()) + " = ? WHERE username = ?")) {
            int next = bind(update, values);
            update.setString(next, username);
            if (update.executeUpdate() > 0) {
                return;
            }
        }
        values.put("username", (ps, index) -> ps.setString(index, username));
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO ofXmpproxyAccount (" + String.join(", ", values.keySet())
                + ") VALUES (" + String.join(", ", Collections.nCopies(values.size(), "?")) + ")")) {
            bind(insert, values);
            insert.executeUpdate();
        }
    }

    /** A value bound to its statement parameter. */
    @FunctionalInterface
    private interface Parameter {
        void bind(PreparedStatement ps, int index) throws SQLException;
    }

    /** An account row's values by column name, in the order the statement names them. */
    private static Map<String, Parameter> accountValues(AccountPrefs prefs, long now) {
        Map<String, Parameter> values = new LinkedHashMap<>();
        for (AccountColumn column : ACCOUNT_COLUMNS) {
            values.put(column.name(), (ps, index) -> bindChoice(ps, index, column.setting(), prefs));
        }
        values.put("botAdded", (ps, index) -> setBool(ps, index, prefs.botAdded()));
        values.put("modified", (ps, index) -> ps.setLong(index, now));
        return values;
    }

    /** Binds each value to the parameter of its column; returns the next parameter index. */
    private static int bind(PreparedStatement ps, Map<String, Parameter> values) throws SQLException {
        int index = 1;
        for (Parameter value : values.values()) {
            value.bind(ps, index++);
        }
        return index;
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

    private static <T> void bindChoice(PreparedStatement ps, int index, AccountSetting<T> setting, AccountPrefs prefs) throws SQLException {
        T value = prefs.get(setting);
        switch (setting.kind()) {
            case BOOLEAN -> setBool(ps, index, (Boolean) value);
            case NUMBER -> {
                if (value == null) {
                    ps.setNull(index, Types.INTEGER);
                } else {
                    ps.setInt(index, (Integer) value);
                }
            }
            case HOURS -> setLong(ps, index, value == null ? null : ((Duration) value).toSeconds());
            default -> throw new IllegalStateException("no column type for " + setting.kind() + " (" + setting.key() + ")");
        }
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
