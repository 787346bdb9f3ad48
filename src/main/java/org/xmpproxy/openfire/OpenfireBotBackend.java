package org.xmpproxy.openfire;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jivesoftware.openfire.admin.AdminManager;
import org.jivesoftware.openfire.security.SecurityAuditManager;
import org.jivesoftware.openfire.user.UserManager;
import org.xmpp.packet.JID;
import org.xmpproxy.bot.BotBackend;
import org.xmpproxy.core.catchup.CatchupCoordinator;
import org.xmpproxy.core.catchup.CatchupSelector;
import org.xmpproxy.core.catchup.HistoryItem;
import org.xmpproxy.core.flow.CopySink;
import org.xmpproxy.core.flow.MirrorEngine;
import org.xmpproxy.core.rule.AccountResource;
import org.xmpproxy.core.rule.ResourceMode;
import org.xmpproxy.core.settings.Bounds;
import org.xmpproxy.core.settings.Settings;
import org.xmpproxy.core.stats.CounterReport;
import org.xmpproxy.store.AccountPrefs;
import org.xmpproxy.store.HistoryEntry;
import org.xmpproxy.store.Store;

/**
 * The bot's view of the plugin, in Openfire: each answer one call to Openfire, the engine or the store.
 * What the bot makes of them is in {@code bot/}. Runs on the bot's thread: database reads are allowed here.
 */
final class OpenfireBotBackend implements BotBackend {
    private static final long HOUR_MILLIS = 3_600_000;

    private final XmpproxyProperties properties;
    private final MirrorEngine engine;
    private final Store store;
    private final CopySink sink;
    private final HistoryCopies copies;
    private final OpenfireCatchup catchup;
    private final CatchupCoordinator catchups;
    private final Supplier<CounterReport> counters;

    OpenfireBotBackend(XmpproxyProperties properties, MirrorEngine engine, Store store, CopySink sink, HistoryCopies copies,
                       OpenfireCatchup catchup, CatchupCoordinator catchups, Supplier<CounterReport> counters) {
        this.properties = properties;
        this.engine = engine;
        this.store = store;
        this.sink = sink;
        this.copies = copies;
        this.catchup = catchup;
        this.catchups = catchups;
        this.counters = counters;
    }

    @Override
    public boolean isLocalUser(JID user) {
        return UserManager.getInstance().isRegisteredUser(user.asBareJID(), false);
    }

    @Override
    public boolean isAdmin(JID user) {
        return AdminManager.getInstance().isUserAdmin(user.asBareJID(), false);
    }

    @Override
    public List<AccountResource> availableResources(JID account) {
        return engine.resourcesOf(account);
    }

    @Override
    public List<String> knownResources(JID account) {
        return store.knownResources(account.getNode());
    }

    @Override
    public boolean isMirroringOn(JID account) {
        return engine.isMirroringOn(account);
    }

    @Override
    public void setMirroring(JID account, boolean on) {
        store.settings().setMirroring(account, on);
    }

    @Override
    public void setMode(JID account, String resource, ResourceMode mode) {
        store.settings().setMode(account, resource, mode);
    }

    @Override
    public boolean isHistoryOn(JID account) {
        return store.effective().history(account);
    }

    @Override
    public void setHistory(JID account, boolean on) {
        store.settings().setHistory(account, on);
    }

    @Override
    public long historySize(JID account) {
        return store.historySize(account.getNode());
    }

    @Override
    public boolean clearHistory(JID account) {
        return store.clearHistory(account.getNode());
    }

    @Override
    public CatchupLimits catchupLimits(JID account) {
        CatchupSelector.Limits limits = catchup.limits(account);
        return new CatchupLimits(limits.maxCount(), limits.maxAgeMillis() / HOUR_MILLIS);
    }

    @Override
    public boolean hasArchive(JID account) {
        return catchup.hasArchive(account);
    }

    @Override
    public boolean queriedArchive(JID resource) {
        return catchups.queriedArchive(resource);
    }

    @Override
    public int archiveWaitSeconds() {
        return properties.get(Settings.CATCHUP_ARCHIVE_WAIT_SECONDS);
    }

    @Override
    public boolean hasOwnCatchupLimits(JID account) {
        AccountPrefs own = store.settings().account(account.getNode());
        return own.catchupCount() != null || own.catchupAgeSeconds() != null;
    }

    @Override
    public CatchupLimits catchupMaximum() {
        return new CatchupLimits(properties.get(Settings.CATCHUP_MAX_COUNT), properties.get(Settings.CATCHUP_MAX_AGE).toHours());
    }

    @Override
    public void setCatchup(JID account, Integer count, Long ageHours) {
        store.settings().setCatchup(account, count, ageHours == null ? null : ageHours * 3600);
    }

    @Override
    public Optional<List<? extends HistoryItem>> latestHistory(JID account, int count) {
        try {
            return Optional.of(store.latest(account.getNode(), count)); // never what reached nobody
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean sendFromHistory(JID resource, HistoryItem item) {
        return copies.replayFor(resource, (HistoryEntry) item).map(copy -> {
            sink.deliver(resource, copy);
            return true;
        }).orElse(false);
    }

    @Override
    public int replayDefault() {
        return properties.replayDefault();
    }

    @Override
    public int replayMaximum() {
        return properties.replayMaximum();
    }

    @Override
    public List<String> accountsWithChoices() {
        return store.settings().accountsWithChoices();
    }

    @Override
    public CounterReport counters() {
        return counters.get();
    }

    @Override
    public void audit(JID admin, String summary, String details) {
        SecurityAuditManager.getInstance().logEvent(admin.getNode(), summary, details);
    }
}
