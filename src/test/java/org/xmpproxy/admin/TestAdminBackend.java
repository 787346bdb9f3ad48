package org.xmpproxy.admin;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.servlet.http.HttpServletRequest;
import org.xmpp.packet.JID;
import org.xmpproxy.core.stats.Counter;
import java.util.stream.Collectors;
import org.xmpproxy.core.settings.AccountSetting;
import org.xmpproxy.core.settings.EffectiveSettings;
import org.xmpproxy.core.settings.ServerSettings;
import org.xmpproxy.core.settings.Setting;
import org.xmpproxy.core.settings.Settings;
import org.xmpproxy.store.ConnectionSource;
import org.xmpproxy.store.HistoryStore;
import org.xmpproxy.store.StoredSettings;

/**
 * The admin page's backend for tests: settings in a map (defaults as the plugin's, from the catalogue),
 * accounts from a list of users, their choices and history in a real database through the real store,
 * what each account gets from the real resolver.
 */
final class TestAdminBackend implements AdminBackend, ServerSettings {
    static final Map<String, String> DEFAULTS = Settings.SERVER.stream()
            .collect(Collectors.toUnmodifiableMap(Setting::key, setting -> setting.format(setting.defaultValue())));

    // Written by Jetty's threads, read by the test's.
    final Map<String, String> values = new ConcurrentHashMap<>(DEFAULTS);
    final List<String> users = new CopyOnWriteArrayList<>();
    final Map<String, List<ResourceRow>> online = new ConcurrentHashMap<>();
    final List<String> changes = new CopyOnWriteArrayList<>();
    /** What went to the audit log: summary (details). Openfire's backend adds the admin logged in to the session. */
    final List<String> audited = new CopyOnWriteArrayList<>();
    volatile boolean lengthsInBytes;
    /**
     * Every change takes this long, as on a busy server: a test step that looks at the page or the
     * store before the server answered fails every time rather than once in a while.
     */
    static final long CHANGE_MILLIS = 300;
    private final StoredSettings settings;
    private final ConnectionSource database;
    volatile Locale locale = Locale.ENGLISH;

    private final EffectiveSettings effective;

    TestAdminBackend(StoredSettings settings, ConnectionSource database) {
        this.settings = settings;
        this.database = database;
        this.effective = new EffectiveSettings(settings, this);
    }

    /** The values set on the page, as the plugin reads its system properties. */
    @Override
    public <T> T get(Setting<T> setting) {
        return setting.bounded(setting.parse(values.get(setting.key())));
    }

    @Override
    public Locale locale() {
        return locale;
    }

    @Override
    public String value(String key) {
        return values.get(key);
    }

    @Override
    public String defaultValue(String key) {
        return DEFAULTS.get(key);
    }

    @Override
    public void set(String key, String value) {
        if (changes.isEmpty()) {
            busy();
        }
        changes.add(key + "=" + value);
        values.put(key, value);
    }

    @Override
    public AccountPage accounts(String search, int page, int pageSize) {
        List<String> matching = users.stream().filter(u -> search == null || search.isBlank() || u.contains(search.strip())).sorted().toList();
        int pages = Math.max(1, (matching.size() + pageSize - 1) / pageSize);
        int current = Math.min(page, pages);
        List<AccountRow> rows = new ArrayList<>();
        for (String user : matching.subList(Math.min(matching.size(), (current - 1) * pageSize), Math.min(matching.size(), current * pageSize))) {
            JID account = new JID(user + "@example.org");
            Boolean override = settings.account(user).mirroring();
            long history;
            try (Connection c = database.connection()) {
                history = new HistoryStore(org.xmpproxy.store.TestIds.BLOCKS).count(c, user);
            } catch (SQLException e) {
                history = -1;
            }
            rows.add(new AccountRow(user, effective.mirroring(account), override,
                    online.getOrDefault(user, List.of()), history, null, AccountValue.of(effective, account)));
        }
        return new AccountPage(rows, matching.size(), current, pages);
    }

    @Override
    public void setMirroring(String username, Boolean on) {
        busy();
        changes.add("mirroring:" + username + "=" + on);
        JID account = new JID(username + "@example.org");
        if (on == null) {
            settings.clearMirroring(account);
        } else {
            settings.setMirroring(account, on);
        }
    }

    @Override
    public <T> void setAccountSetting(String username, AccountSetting<T> setting, T value) {
        busy();
        changes.add(setting.key() + ":" + username + "=" + (value == null ? null : setting.format(value)));
        settings.set(new JID(username + "@example.org"), setting, value);
    }

    private static void busy() {
        try {
            Thread.sleep(CHANGE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean lengthsInBytes() {
        return lengthsInBytes;
    }

    /** The other nodes' counters by node name, as if clustered (empty: a server alone). */
    final java.util.Map<String, java.util.Map<String, Long>> otherNodes = new java.util.LinkedHashMap<>();

    @Override
    public org.xmpproxy.core.stats.CounterReport counters() {
        List<Counter> here = List.of(new Counter("counter.legacyReceived", () -> 42), new Counter("counter.catchups", () -> 7));
        return otherNodes.isEmpty() ? org.xmpproxy.core.stats.CounterReport.alone(here)
                : org.xmpproxy.core.stats.CounterReport.of("node1.example.org", here, otherNodes, otherNodes.size() + 1);
    }

    @Override
    public void audit(HttpServletRequest request, String summary, String details) {
        audited.add(summary + (details == null ? "" : " (" + details + ")"));
    }
}
