package org.xmpproxy.openfire;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpSession;
import org.jivesoftware.openfire.auth.AuthToken;
import org.jivesoftware.openfire.security.SecurityAuditManager;
import org.jivesoftware.openfire.user.User;
import org.jivesoftware.openfire.user.UserManager;
import org.jivesoftware.util.JiveGlobals;
import org.xmpp.packet.JID;
import org.xmpproxy.admin.AdminBackend;
import org.xmpproxy.core.flow.MirrorEngine;
import org.xmpproxy.core.rule.AccountResource;
import org.xmpproxy.core.settings.AccountSetting;
import org.xmpproxy.core.stats.CounterReport;
import org.xmpproxy.store.Store;

/** The admin page's view of the plugin, in Openfire: system properties, users, sessions, the store, the audit log. */
final class OpenfireAdminBackend implements AdminBackend {
    /** Where Openfire's admin console keeps the logged-in admin (AuthCheckFilter, WebManager.getAuthToken). */
    private static final String AUTH_TOKEN = "jive.admin.authToken";

    private final XmpproxyProperties properties;
    private final MirrorEngine engine;
    private final Store store;
    private final Supplier<CounterReport> counters;
    private final String domain;

    OpenfireAdminBackend(XmpproxyProperties properties, MirrorEngine engine, Store store, Supplier<CounterReport> counters,
                         String domain) {
        this.properties = properties;
        this.engine = engine;
        this.store = store;
        this.counters = counters;
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
        return new AccountRow(username, store.effective().mirroring(account), store.settings().account(username).mirroring(),
                online, store.historySize(username), store.lastSeen(username), AccountValue.of(store.effective(), account));
    }

    @Override
    public void setMirroring(String username, Boolean on) {
        JID account = new JID(username, domain, null);
        if (on == null) {
            store.settings().clearMirroring(account);
        } else {
            store.settings().setMirroring(account, on);
        }
    }

    @Override
    public <T> void setAccountSetting(String username, AccountSetting<T> setting, T value) {
        store.settings().set(new JID(username, domain, null), setting, value);
    }

    /** Oracle and DB2 count VARCHAR lengths in bytes. */
    @Override
    public boolean lengthsInBytes() {
        return store.lengthsInBytes();
    }

    @Override
    public CounterReport counters() {
        return counters.get();
    }

    /** As the console's own pages do (WebManager.logEvent): in the name of the admin logged in to this session. */
    @Override
    public void audit(HttpServletRequest request, String summary, String details) {
        HttpSession session = request.getSession(false);
        Object token = session == null ? null : session.getAttribute(AUTH_TOKEN);
        String admin = token instanceof AuthToken auth ? auth.getUsername() : "(unknown)"; // AuthCheckFilter lets nobody in without one

        SecurityAuditManager.getInstance().logEvent(admin, summary, details);
    }
}
