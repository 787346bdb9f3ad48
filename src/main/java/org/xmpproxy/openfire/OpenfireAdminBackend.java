package org.xmpproxy.openfire;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;
import org.jivesoftware.openfire.user.User;
import org.jivesoftware.openfire.user.UserManager;
import org.jivesoftware.util.JiveGlobals;
import org.xmpp.packet.JID;
import org.xmpproxy.admin.AdminBackend;
import org.xmpproxy.core.flow.MirrorCounters;
import org.xmpproxy.core.flow.MirrorEngine;
import org.xmpproxy.core.rule.AccountResource;
import org.xmpproxy.core.rule.CopyForm;
import org.xmpproxy.core.settings.AccountSetting;
import org.xmpproxy.store.ResourcePrefs;

/** The admin page's view of the plugin, in Openfire: system properties, users, sessions, the store. */
final class OpenfireAdminBackend implements AdminBackend {
    private final XmpproxyProperties properties;
    private final MirrorEngine engine;
    private final Persistence persistence;
    private final MirrorCounters counters;
    private final LongSupplier catchups;
    private final LongSupplier catchupMessages;
    private final String domain;
    private volatile Boolean lengthsInBytes;

    OpenfireAdminBackend(XmpproxyProperties properties, MirrorEngine engine, Persistence persistence,
                         MirrorCounters counters, LongSupplier catchups, LongSupplier catchupMessages, String domain) {
        this.properties = properties;
        this.engine = engine;
        this.persistence = persistence;
        this.counters = counters;
        this.catchups = catchups;
        this.catchupMessages = catchupMessages;
        this.domain = domain;
    }

    @Override
    public Locale locale() {
        Locale locale = JiveGlobals.getLocale();
        return locale == null ? Locale.ENGLISH : locale;
    }

    @Override
    public String value(String key) {
        return properties.display(key);
    }

    @Override
    public String defaultValue(String key) {
        return properties.displayDefault(key);
    }

    @Override
    public void set(String key, String value) {
        properties.setFromText(key, value);
    }

    @Override
    public AccountPage accounts(String search, int page, int pageSize) {
        UserManager users = UserManager.getInstance();
        int total;
        Collection<User> found;
        int start = (page - 1) * pageSize;
        if (search == null || search.isBlank()) {
            total = users.getUserCount();
            found = users.getUsers(start, pageSize);
        } else {
            // Openfire's database user provider requires every field it is given to match (username AND name AND
            // email), so a search over all of them finds no account without a name and an email: search usernames.
            Set<String> fields = users.getSearchFields().contains("Username") ? Set.of("Username") : users.getSearchFields();
            String query = "*" + search.strip() + "*";
            total = users.findUsers(fields, query).size();
            found = users.findUsers(fields, query, start, pageSize);
        }
        int pages = Math.max(1, (total + pageSize - 1) / pageSize);
        List<AccountRow> rows = new ArrayList<>();
        for (User user : found) {
            rows.add(row(user.getUsername()));
        }
        return new AccountPage(rows, total, Math.min(page, pages), pages);
    }

    private AccountRow row(String username) {
        JID account = new JID(username, domain, null, true);
        List<ResourceRow> online = new ArrayList<>();
        for (AccountResource resource : engine.resourcesOf(account)) {
            online.add(new ResourceRow(resource.address().getResource(), resource.mode().label(), resource.carbonsEnabled()));
        }
        Long lastSeen = persistence.settings.resources(username).values().stream()
                .map(ResourcePrefs::lastSeen).filter(Objects::nonNull).max(Long::compare).orElse(null);
        long history = persistence.historySize(username);
        return new AccountRow(username, persistence.effective.mirroring(account), persistence.settings.account(username).mirroring(),
                online, history, lastSeen, AccountValue.of(persistence.effective, account));
    }

    @Override
    public void setMirroring(String username, Boolean on) {
        JID account = new JID(username, domain, null);
        if (on == null) {
            persistence.settings.clearMirroring(account);
        } else {
            persistence.settings.setMirroring(account, on);
        }
    }

    @Override
    public <T> void setAccountSetting(String username, AccountSetting<T> setting, T value) {
        persistence.settings.set(new JID(username, domain, null), setting, value);
    }

    /** Oracle and DB2 count VARCHAR lengths in bytes; asked of the database once, when first needed. */
    @Override
    public boolean lengthsInBytes() {
        Boolean known = lengthsInBytes;
        if (known == null) {
            try (java.sql.Connection c = persistence.source.connection()) {
                String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
                known = product.contains("oracle") || product.contains("db2");
                lengthsInBytes = known;
            } catch (java.sql.SQLException e) {
                return true; // unknown: the stricter check
            }
        }
        return known;
    }

    @Override
    public List<Counter> counters() {
        return List.of(
                new Counter("admin.counter.legacyReceived", counters.copiesDelivered(CopyForm.LEGACY_RECEIVED)),
                new Counter("admin.counter.legacySent", counters.copiesDelivered(CopyForm.LEGACY_SENT)),
                new Counter("admin.counter.carbonReceived", counters.copiesDelivered(CopyForm.CARBON_RECEIVED)),
                new Counter("admin.counter.carbonSent", counters.copiesDelivered(CopyForm.CARBON_SENT)),
                new Counter("admin.counter.failures", counters.failures()),
                new Counter("admin.counter.catchups", catchups.getAsLong()),
                new Counter("admin.counter.catchupMessages", catchupMessages.getAsLong()),
                new Counter("admin.counter.historyWritten", persistence.writer.written()),
                new Counter("admin.counter.historyDropped", persistence.writer.dropped()),
                new Counter("admin.counter.historyTooLarge", persistence.history.tooLarge()),
                new Counter("admin.counter.historyRejected", persistence.historyRejected()),
                new Counter("admin.counter.settingsRejected", persistence.writer.settingsRejected()),
                new Counter("admin.counter.historyNotRegistered", persistence.historyNotRegistered()),
                new Counter("admin.counter.historyQueued", persistence.writer.queued()),
                new Counter("admin.counter.historyQueuedBytes", persistence.writer.queuedBytes()));
    }
}
