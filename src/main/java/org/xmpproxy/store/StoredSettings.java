package org.xmpproxy.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.JID;
import org.xmpproxy.core.rule.ResourceMode;
import org.xmpproxy.core.settings.AccountSetting;
import org.xmpproxy.core.settings.AccountSettings;
import org.xmpproxy.core.settings.Bounds;
import org.xmpproxy.core.settings.Settings;

/**
 * Every account's choices, held in memory and written through {@link StoreWriter}, so the packet path
 * never reads the database.
 * <ul>
 *   <li>Account choices: all read at start (only accounts that chose something have rows). If the
 *       database is down at start, {@link #load()} is retried until it succeeds; meanwhile choices
 *       made now are kept and win over what is loaded later, and no account counts as mirrored or
 *       recorded by default ({@link #choicesKnown()}).</li>
 *   <li>Resources: every copy mode a user chose is read at start (the packet path needs it). The rest
 *       of a resource's row, its catch-up mark, is read with the account's other resources the first
 *       time one of them is needed (a client of the account comes online, the bot or the admin page
 *       asks). Resources not seen for a while are forgotten ({@link #pruneResources}), and an account
 *       keeps at most a bounded number of them: a web client with a new resource at every login adds
 *       rows only until the least recently seen are dropped.</li>
 *   <li>In a cluster every node holds this memory of one shared database. A choice made on one node (account
 *       choices, a resource's mode) is told to the others once it is committed ({@link StoreWriter#afterCommit});
 *       they read that account again ({@link #reread}). A user deleted or created here is told to them too
 *       ({@link #forgottenElsewhere}, {@link #createdElsewhere}). Catch-up marks are not told: a catch-up
 *       has every node write its queue and reads its resource's mark again first ({@link #rereadCatchupState}).</li>
 * </ul>
 */
public final class StoredSettings implements AccountSettings {
    private static final Logger LOG = LoggerFactory.getLogger(StoredSettings.class);

    /** One account's resources in memory; complete once its rows were read from the database. */
    private static final class AccountResources {
        final Map<String, ResourcePrefs> byName = new ConcurrentHashMap<>();
        volatile boolean complete;
    }

    private final ConnectionSource source;
    private final SettingsStore store;
    private final StoreWriter writer;
    private final IntSupplier resourcesPerAccount;
    private final Map<String, AccountPrefs> accounts = new ConcurrentHashMap<>();
    private final Map<String, AccountResources> resources = new ConcurrentHashMap<>();
    /** Users being deleted: their rows are not read back before the deletion is written. */
    private final Set<String> forgetting = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean readFailureLogged = new AtomicBoolean();
    private volatile boolean loaded;
    /** The other nodes, told of users deleted and created here. */
    private volatile Cluster others = Cluster.alone(() -> {
        throw new SQLException("no ids here");
    });

    public StoredSettings(ConnectionSource source, SettingsStore store, StoreWriter writer) {
        this(source, store, writer, () -> Bounds.DEFAULT_RESOURCES_PER_ACCOUNT);
    }

    /** @param resourcesPerAccount the most resources remembered per account (read when one is added) */
    public StoredSettings(ConnectionSource source, SettingsStore store, StoreWriter writer, IntSupplier resourcesPerAccount) {
        this.source = source;
        this.store = store;
        this.writer = writer;
        this.resourcesPerAccount = resourcesPerAccount;
    }

    /** Reads every account's choices and every chosen copy mode. Returns false when the database could not be read; call again later. */
    public boolean load() {
        try (Connection c = source.connection()) {
            store.loadAccounts(c).forEach(accounts::putIfAbsent);
            store.loadChosenModes(c).forEach((user, byResource) ->
                    byResource.forEach((resource, prefs) -> resourcesOf(user).byName.merge(resource, prefs, ResourcePrefs::over)));
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

    /**
     * A resource's mode and catch-up state. The first call for an account reads its resources from
     * the database (one indexed query; once per account, not on the packet path). Nothing is read
     * while the writer finds the database away: then only what is in memory is known.
     */
    public ResourcePrefs resource(String username, String resource) {
        ResourcePrefs prefs = completeResources(username, true).get(resource);
        return prefs == null ? ResourcePrefs.NONE : prefs;
    }

    /**
     * Reads the account's resources into memory if they are not there yet: called as a client of the
     * account comes online, before anything that holds a lock asks for them.
     */
    public void prepare(String username) {
        completeResources(username, true);
    }

    /** From now on, tells {@code cluster}'s other nodes of the users deleted and created here. */
    public void tellOthersWith(Cluster cluster) {
        this.others = cluster;
    }

    /**
     * Another node committed a change of the account's choices or modes: replaces what memory holds of them by what
     * the database holds now. A choice made here and not yet committed stays (it is written next, and then told to
     * the others). Catch-up marks in memory stay as they are. Reads the database: never on the packet path.
     */
    public void reread(String username) throws SQLException {
        AccountPrefs stored;
        Map<String, ResourcePrefs> storedResources;
        try (Connection c = source.connection()) {
            stored = store.loadAccount(c, username);
            storedResources = store.loadResources(c, username);
        }
        if (forgetting.contains(username)) {
            return;
        }
        if (!writer.isWaiting(accountKey(username))) {
            if (stored == null) {
                accounts.remove(username);
            } else {
                accounts.put(username, stored);
            }
        }
        AccountResources account = resources.get(username);
        if (account == null && storedResources.values().stream().noneMatch(prefs -> prefs.mode() != null)) {
            return; // nothing of it in memory, nothing the packet path needs
        }
        AccountResources held = resourcesOf(username);
        java.util.Set<String> names = new java.util.HashSet<>(storedResources.keySet());
        names.addAll(held.byName.keySet());
        for (String resource : names) {
            if (writer.isWaiting(resourceKey("mode", username, resource))) {
                continue;
            }
            ResourcePrefs fromDb = storedResources.get(resource);
            ResourceMode mode = fromDb == null ? null : fromDb.mode();
            held.byName.compute(resource, (r, inMemory) -> {
                if (inMemory == null) {
                    return fromDb != null && (held.complete || mode != null) ? fromDb : null;
                }
                return inMemory.withMode(mode);
            });
        }
    }

    /**
     * This node joined a cluster: what other nodes changed since this node read the database, they could not tell
     * it. Reads every account's choices and every chosen mode again, as {@link #reread} does for one account.
     */
    public void rereadAll() throws SQLException {
        Map<String, AccountPrefs> stored;
        Map<String, Map<String, ResourcePrefs>> modes;
        try (Connection c = source.connection()) {
            stored = store.loadAccounts(c);
            modes = store.loadChosenModes(c);
        }
        java.util.Set<String> users = new java.util.HashSet<>(accounts.keySet());
        users.addAll(stored.keySet());
        for (String username : users) {
            if (!forgetting.contains(username) && !writer.isWaiting(accountKey(username))) {
                AccountPrefs prefs = stored.get(username);
                if (prefs == null) {
                    accounts.remove(username);
                } else {
                    accounts.put(username, prefs);
                }
            }
        }
        modes.forEach((username, byResource) -> byResource.forEach((resource, prefs) -> {
            if (!forgetting.contains(username) && !writer.isWaiting(resourceKey("mode", username, resource))) {
                resourcesOf(username).byName.merge(resource, prefs, (inMemory, fromDb) -> inMemory.withMode(fromDb.mode()));
            }
        }));
        resources.forEach((username, account) -> account.byName.replaceAll((resource, prefs) -> {
            boolean chosen = modes.getOrDefault(username, Map.of()).containsKey(resource);
            return chosen || prefs.mode() == null || writer.isWaiting(resourceKey("mode", username, resource)) ? prefs : prefs.withMode(null);
        }));
    }

    /** Usernames of the accounts that chose something themselves, sorted. */
    public java.util.List<String> accountsWithChoices() {
        return accounts.entrySet().stream().filter(e -> e.getValue().hasChoices())
                .map(Map.Entry::getKey).sorted().toList();
    }

    /**
     * The resources remembered for an account (seen lately, or with a chosen mode), for the bot and the
     * admin page: read from the database unless the account's are in memory, and not kept there.
     */
    public Map<String, ResourcePrefs> resources(String username) {
        return Map.copyOf(completeResources(username, false));
    }

    /** @param keep whether to keep what was read in memory (an account whose clients come online) */
    private Map<String, ResourcePrefs> completeResources(String username, boolean keep) {
        AccountResources known = resources.get(username);
        if (known != null && known.complete) {
            return known.byName;
        }
        // Not while the database is known to be away: a read would wait for a connection timeout.
        if (forgetting.contains(username) || !loaded || writer.isDatabaseDown()) {
            return known == null ? Map.of() : known.byName;
        }
        try (Connection c = source.connection()) {
            Map<String, ResourcePrefs> stored = store.loadResources(c, username);
            if (!keep) {
                Map<String, ResourcePrefs> view = new java.util.HashMap<>(stored);
                if (known != null) {
                    known.byName.forEach((resource, prefs) -> view.merge(resource, prefs, (fromDb, inMemory) -> inMemory.over(fromDb)));
                }
                return view;
            }
            AccountResources account = resourcesOf(username);
            // What changed in memory since the start is newer than the database; the rest comes from it.
            stored.forEach((resource, prefs) -> account.byName.merge(resource, prefs, ResourcePrefs::over));
            account.complete = true;
            return account.byName;
        } catch (SQLException e) {
            if (readFailureLogged.compareAndSet(false, true)) {
                LOG.warn("xmpproxy: cannot read resources from the database ({}); using what is in memory", e.toString());
            }
            return known == null ? Map.of() : known.byName;
        }
    }

    /** Memory only: every account's choices are read at start. On the packet path. */
    @Override
    public <T> Optional<T> own(JID account, AccountSetting<T> setting) {
        return Optional.ofNullable(account(account.getNode()).get(setting));
    }

    @Override
    public <T> void set(JID account, AccountSetting<T> setting, T value) {
        updateAccount(account.getNode(), prefs -> prefs.with(setting, value));
    }

    /** The account follows the server's enrollment setting again. */
    public void clearMirroring(JID account) {
        set(account, Settings.MIRRORING, null);
    }

    /**
     * The account's history choice. Until the stored choices are read, an account that made none
     * since the start may have turned its history off: it counts as off (nothing is recorded).
     */
    public Optional<Boolean> history(JID account) {
        Optional<Boolean> own = own(account, Settings.HISTORY);
        return own.isEmpty() && !loaded ? Optional.of(false) : own;
    }

    public void setHistory(JID account, boolean on) {
        set(account, Settings.HISTORY, on);
    }

    /** The account's own catch-up limits; null drops a limit (the server's applies again). */
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

    /** Memory only: every chosen mode is read at start. On the packet path. */
    @Override
    public Optional<ResourceMode> mode(JID account, String resource) {
        AccountResources known = resources.get(account.getNode());
        ResourcePrefs prefs = known == null ? null : known.byName.get(resource);
        return Optional.ofNullable(prefs == null ? null : prefs.mode());
    }

    @Override
    public void setMode(JID account, String resource, ResourceMode mode) {
        String username = account.getNode();
        completeResources(username, true); // not on the packet path: the bot or the admin page
        updateResource(username, resource, prefs -> prefs.withMode(mode), "mode", (c, latest) ->
                store.saveMode(c, username, resource, latest.mode()));
    }

    /**
     * The resource's catch-up mark and live spans as the database holds them now (another node of the cluster moved
     * them when the resource was last there), unless this node has a write of them waiting: that one is newer. Reads the
     * database: for the catch-up's thread, after every node's queue was flushed ({@link Store#settleForCatchup}).
     */
    public void rereadCatchupState(String username, String resource) throws SQLException {
        if (!isLoaded() || forgetting.contains(username)) {
            return;
        }
        ResourcePrefs stored;
        try (Connection c = source.connection()) {
            stored = store.loadResources(c, username).get(resource);
        }
        AccountResources account = resources.get(username);
        if (stored == null || account == null || !account.complete || writer.isWaiting(resourceKey("state", username, resource))) {
            return; // never written by any node, or read in full from the database when first needed, or newer here
        }
        account.byName.compute(resource, (r, inMemory) ->
                inMemory == null ? stored : inMemory.withCatchupState(stored.lastSeen(), stored.live()));
    }

    /** A resource's catch-up mark and live spans (see {@link org.xmpproxy.core.catchup.CatchupSelector}). */
    public void setCatchupState(JID fullJid, Long mark, org.xmpproxy.core.catchup.LiveSpans live) {
        String username = fullJid.getNode();
        String resource = fullJid.getResource();
        // Written only over a mark that is known: while the account's stored resources cannot be read,
        // the stored mark stays as it is and this one is kept in memory, written once they can be.
        completeResources(username, true);
        AccountResources account = resources.get(username);
        boolean known = account != null && account.complete;
        updateResource(username, resource, prefs -> prefs.withCatchupState(mark, live), known ? "state" : null, (c, latest) ->
                store.saveCatchupState(c, username, resource, latest.lastSeen(), latest.live()));
    }

    /**
     * Forgets resources not seen since {@code seenBefore} (epoch millis), in the database and in
     * memory, except those with a chosen mode; and trims every account to the most resources allowed.
     * For the periodic job. Returns how many rows were deleted.
     */
    public int pruneResources(long seenBefore) throws SQLException {
        int deleted;
        Map<String, java.util.List<String>> trimmed;
        try (Connection c = source.connection()) {
            deleted = store.pruneResources(c, seenBefore);
            trimmed = store.trimAllResources(c, resourcesPerAccount.getAsInt());
        }
        for (AccountResources account : resources.values()) {
            account.byName.values().removeIf(prefs -> prefs.mode() == null && (prefs.lastSeen() == null || prefs.lastSeen() < seenBefore));
        }
        trimmed.forEach(this::dropFromMemory);
        return deleted + trimmed.values().stream().mapToInt(java.util.List::size).sum();
    }

    /**
     * A deleted user: forget everything, in memory and in the database (history included). Nothing of
     * the user's queued before this is written after it (see {@link StoreWriter#deleteUser}).
     */
    public void forget(String username) {
        forgottenElsewhere(username);
        others.userDeleted(username);
    }

    /**
     * Another node is deleting the user (Openfire tells only that node): forgets it here too and deletes what this
     * node may still write of it, so nothing of the user's written by any node survives.
     */
    public void forgottenElsewhere(String username) {
        forgetting.add(username);
        accounts.remove(username);
        resources.remove(username);
        writer.deleteUser(username, (c, now) -> {
            store.deleteUser(c, username);
            forgetting.remove(username);
        });
    }

    /** A user was created (perhaps again under a deleted name): their choices and history are kept again. */
    public void created(String username) {
        createdElsewhere(username);
        others.userCreated(username);
    }

    /** Another node created the user: its data is written here again too. */
    public void createdElsewhere(String username) {
        writer.userCreated(username);
    }

    private static String accountKey(String username) {
        return "account:" + username;
    }

    private static String resourceKey(String part, String username, String resource) {
        return "resource-" + part + ":" + username + "/" + ResourceKey.of(resource);
    }

    private void updateAccount(String username, UnaryOperator<AccountPrefs> change) {
        if (writer.accounts().knownNotRegistered(username)) {
            return; // deleted (e.g. a catch-up mark as its last session closes) or anonymous: nothing is kept
        }
        if (!writer.limits().fitsUsername(username)) {
            writer.settingRefused("username", username);
            return;
        }
        accounts.compute(username, (user, prefs) -> change.apply(prefs == null ? AccountPrefs.NONE : prefs));
        // Written as it is when the writer gets to it: several quick changes become one write.
        writer.submitChoice(username, accountKey(username), (c, now) -> {
            AccountPrefs latest = accounts.get(username);
            if (latest != null) {
                store.saveAccount(c, username, latest, now);
            }
        });
    }

    /** A write of some of a resource's columns: returns whether it inserted the row (a resource new to the database). */
    @FunctionalInterface
    private interface ResourceWrite {
        boolean apply(Connection c, ResourcePrefs latest) throws SQLException;
    }

    /** @param part which columns to write ("mode", "state"), or null to change the memory only */
    private void updateResource(String username, String resource, UnaryOperator<ResourcePrefs> change, String part, ResourceWrite write) {
        if (writer.accounts().knownNotRegistered(username)) {
            return;
        }
        if (!writer.limits().fitsUsername(username) || !writer.limits().fitsResource(resource)) {
            writer.settingRefused(writer.limits().fitsUsername(username) ? "resource name" : "username", username);
            return;
        }
        forgetting.remove(username);
        AccountResources account = resourcesOf(username);
        account.byName.compute(resource, (r, prefs) -> change.apply(prefs == null ? ResourcePrefs.NONE : prefs));
        if (part == null) {
            return; // kept in memory only
        }
        // Written as it is when the writer gets to it: several quick changes become one write. Each
        // part (mode, catch-up state) writes only its own columns, so neither overwrites the other.
        StoreWriter.SettingsWrite apply = (c, now) -> {
            AccountResources current = resources.get(username);
            ResourcePrefs latest = current == null ? null : current.byName.get(resource);
            if (latest != null && write.apply(c, latest)) {
                dropFromMemory(username, store.trimResources(c, username, resourcesPerAccount.getAsInt(), resource));
            }
        };
        String key = resourceKey(part, username, resource);
        if ("mode".equals(part)) {
            writer.submitChoice(username, key, apply); // the packet path of every node reads the mode
        } else {
            writer.submit(username, key, apply);
        }
    }

    private void dropFromMemory(String username, java.util.List<String> forgotten) {
        AccountResources account = resources.get(username);
        if (account != null) {
            forgotten.forEach(account.byName::remove);
        }
    }

    /** Resources held in memory, over all accounts (for tests: what stays in memory is bounded). */
    int resourcesInMemory() {
        return resources.values().stream().mapToInt(account -> account.byName.size()).sum();
    }

    private AccountResources resourcesOf(String username) {
        return resources.computeIfAbsent(username, user -> new AccountResources());
    }
}
