package org.xmpproxy.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.xmpp.packet.JID;
import org.xmpproxy.core.rule.ResourceMode;
import org.xmpproxy.core.settings.AccountSettings;

/**
 * Every account's choices, held in memory and written through {@link StoreWriter}. All stored rows
 * are loaded at start (only accounts that chose something have rows), so the packet path never
 * reads the database: an account without a row simply follows the server defaults. If the
 * database is down at start, {@link #load()} is retried until it succeeds; meanwhile choices made
 * now are kept and win over what is loaded later.
 */
public final class StoredSettings implements AccountSettings {
    private final ConnectionSource source;
    private final SettingsStore store;
    private final StoreWriter writer;
    private final Map<String, AccountPrefs> accounts = new ConcurrentHashMap<>();
    private final Map<String, Map<String, ResourcePrefs>> resources = new ConcurrentHashMap<>();
    private volatile boolean loaded;

    public StoredSettings(ConnectionSource source, SettingsStore store, StoreWriter writer) {
        this.source = source;
        this.store = store;
        this.writer = writer;
    }

    /** Reads every stored choice. Returns false when the database could not be read; call again later. */
    public boolean load() {
        try (Connection c = source.connection()) {
            store.loadAccounts(c).forEach(accounts::putIfAbsent);
            store.loadResources(c).forEach((user, byResource) ->
                    byResource.forEach((resource, prefs) -> resourcesOf(user).putIfAbsent(resource, prefs)));
            loaded = true;
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    public boolean isLoaded() {
        return loaded;
    }

    @Override
    public boolean choicesKnown() {
        return loaded;
    }

    public AccountPrefs account(String username) {
        return accounts.getOrDefault(username, AccountPrefs.NONE);
    }

    public ResourcePrefs resource(String username, String resource) {
        Map<String, ResourcePrefs> byResource = resources.get(username);
        return byResource == null ? ResourcePrefs.NONE : byResource.getOrDefault(resource, ResourcePrefs.NONE);
    }

    /** Usernames of the accounts that chose something themselves, sorted. */
    public java.util.List<String> accountsWithChoices() {
        return accounts.entrySet().stream().filter(e -> e.getValue().hasChoices())
                .map(Map.Entry::getKey).sorted().toList();
    }

    /** The resource names ever seen or configured for an account. */
    public Map<String, ResourcePrefs> resources(String username) {
        return Map.copyOf(resources.getOrDefault(username, Map.of()));
    }

    @Override
    public Optional<Boolean> mirroring(JID account) {
        return Optional.ofNullable(account(account.getNode()).mirroring());
    }

    @Override
    public void setMirroring(JID account, boolean on) {
        updateAccount(account.getNode(), prefs -> prefs.withMirroring(on));
    }

    /** The account follows the server's enrollment setting again. */
    public void clearMirroring(JID account) {
        updateAccount(account.getNode(), prefs -> prefs.withMirroring(null));
    }

    /**
     * The account's history choice. Until the stored choices are read, an account that made none
     * since the start may have turned its history off: it counts as off (nothing is recorded).
     */
    public Optional<Boolean> history(JID account) {
        Boolean own = account(account.getNode()).history();
        return own == null && !loaded ? Optional.of(false) : Optional.ofNullable(own);
    }

    public void setHistory(JID account, boolean on) {
        updateAccount(account.getNode(), prefs -> prefs.withHistory(on));
    }

    public void setCatchup(JID account, Integer count, Long ageSeconds) {
        updateAccount(account.getNode(), prefs -> prefs.withCatchup(count, ageSeconds));
    }

    /** Unknown until the stored choices are read: then counted as added, so a bot the user removed is not added again. */
    public boolean isBotAdded(String username) {
        return !loaded || Boolean.TRUE.equals(account(username).botAdded());
    }

    public void markBotAdded(String username) {
        updateAccount(username, AccountPrefs::withBotAdded);
    }

    @Override
    public Optional<ResourceMode> mode(JID account, String resource) {
        return Optional.ofNullable(resource(account.getNode(), resource).mode());
    }

    @Override
    public void setMode(JID account, String resource, ResourceMode mode) {
        updateResource(account.getNode(), resource, prefs -> prefs.withMode(mode));
    }

    /** A resource's catch-up mark and live spans (see {@link org.xmpproxy.core.catchup.CatchupSelector}). */
    public void setCatchupState(JID fullJid, Long mark, org.xmpproxy.core.catchup.LiveSpans live) {
        updateResource(fullJid.getNode(), fullJid.getResource(), prefs -> prefs.withCatchupState(mark, live));
    }

    /** A deleted user: forget everything, in memory and in the database (history included). */
    public void forget(String username) {
        accounts.remove(username);
        resources.remove(username);
        writer.submit("delete:" + username, (c, now) -> {
            if (!accounts.containsKey(username) && !resources.containsKey(username)) {
                store.deleteUser(c, username);
            }
        });
    }

    private void updateAccount(String username, UnaryOperator<AccountPrefs> change) {
        accounts.compute(username, (user, prefs) -> change.apply(prefs == null ? AccountPrefs.NONE : prefs));
        // Written as it is when the writer gets to it: several quick changes become one write.
        writer.submit("account:" + username, (c, now) -> {
            AccountPrefs latest = accounts.get(username);
            if (latest != null) {
                store.saveAccount(c, username, latest, now);
            }
        });
    }

    private void updateResource(String username, String resource, UnaryOperator<ResourcePrefs> change) {
        resourcesOf(username).compute(resource, (r, prefs) -> change.apply(prefs == null ? ResourcePrefs.NONE : prefs));
        writer.submit("resource:" + username + "/" + ResourceKey.of(resource), (c, now) -> {
            Map<String, ResourcePrefs> byResource = resources.get(username);
            ResourcePrefs latest = byResource == null ? null : byResource.get(resource);
            if (latest != null) {
                store.saveResource(c, username, resource, latest);
            }
        });
    }

    private Map<String, ResourcePrefs> resourcesOf(String username) {
        return resources.computeIfAbsent(username, user -> new ConcurrentHashMap<>());
    }
}
