package org.xmpproxy.openfire;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jivesoftware.openfire.admin.AdminManager;
import org.jivesoftware.openfire.user.UserManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpproxy.bot.BotBackend;
import org.xmpproxy.core.flow.CopySink;
import org.xmpproxy.core.flow.MirrorCounters;
import org.xmpproxy.core.flow.MirrorEngine;
import org.xmpproxy.core.rule.AccountResource;
import org.xmpproxy.core.rule.CopyForm;
import org.xmpproxy.core.rule.ResourceMode;
import org.xmpproxy.store.HistoryEntry;

/** The bot's view of the plugin, in Openfire. Runs on the bot's thread: database reads are allowed here. */
final class OpenfireBotBackend implements BotBackend {
    private static final Logger LOG = LoggerFactory.getLogger(OpenfireBotBackend.class);

    private final XmpproxyProperties properties;
    private final MirrorEngine engine;
    private final Persistence persistence;
    private final CopySink sink;
    private final MirrorCounters counters;
    private final HistoryCopies copies;
    private final OpenfireCatchup catchup;
    private final java.util.function.LongSupplier catchups;
    private final java.util.function.LongSupplier catchupMessages;

    OpenfireBotBackend(XmpproxyProperties properties, MirrorEngine engine, Persistence persistence,
                       CopySink sink, MirrorCounters counters, HistoryCopies copies, OpenfireCatchup catchup,
                       java.util.function.LongSupplier catchups, java.util.function.LongSupplier catchupMessages) {
        this.properties = properties;
        this.engine = engine;
        this.persistence = persistence;
        this.sink = sink;
        this.counters = counters;
        this.copies = copies;
        this.catchup = catchup;
        this.catchups = catchups;
        this.catchupMessages = catchupMessages;
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
        return List.copyOf(persistence.settings.resources(account.getNode()).keySet());
    }

    @Override
    public boolean isMirroringOn(JID account) {
        return engine.isMirroringOn(account);
    }

    @Override
    public boolean hasMirroringChoice(JID account) {
        return persistence.settings.mirroring(account).isPresent();
    }

    @Override
    public void setMirroring(JID account, boolean on) {
        persistence.settings.setMirroring(account, on);
    }

    @Override
    public void setMode(JID account, String resource, ResourceMode mode) {
        persistence.settings.setMode(account, resource, mode);
    }

    @Override
    public boolean isHistoryOn(JID account) {
        return persistence.effective.history(account);
    }

    @Override
    public void setHistory(JID account, boolean on) {
        persistence.settings.setHistory(account, on);
    }

    @Override
    public long historySize(JID account) {
        return persistence.historySize(account.getNode());
    }

    @Override
    public boolean clearHistory(JID account) {
        try (Connection c = persistence.source.connection()) {
            persistence.historyStore.clear(c, account.getNode());
            return true;
        } catch (SQLException e) {
            LOG.warn("xmpproxy: could not clear the history of {}: {}", account, e.toString());
            return false;
        }
    }

    @Override
    public int catchupCount(JID account) {
        return persistence.effective.catchupCount(account);
    }

    @Override
    public long catchupAgeHours(JID account) {
        return persistence.effective.catchupAge(account).toHours();
    }

    @Override
    public int replay(JID resource, int count) {
        List<HistoryEntry> entries;
        try (Connection c = persistence.source.connection()) {
            entries = persistence.historyStore.latest(c, resource.getNode(), count); // never what reached nobody
        } catch (SQLException e) {
            return -1;
        }
        int sent = 0;
        for (HistoryEntry entry : entries) {
            Optional<Message> copy = copies.copyFor(resource, entry);
            if (copy.isPresent()) {
                sink.deliver(resource, copy.get());
                sent++;
            }
        }
        return sent;
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
    public List<String> accountsWithChoices(int offset, int limit) {
        return persistence.settings.accountsWithChoices().stream().skip(offset).limit(limit).toList();
    }

    @Override
    public int accountsWithChoicesCount() {
        return persistence.settings.accountsWithChoices().size();
    }

    @Override
    public List<String> stats() {
        List<String> lines = new ArrayList<>();
        for (CopyForm form : CopyForm.values()) {
            lines.add("  copies " + form.name().toLowerCase().replace('_', ' ') + ": " + counters.copiesDelivered(form));
        }
        lines.add("  copies that failed to deliver: " + counters.failures());
        lines.add("  catch-ups: " + catchups.getAsLong() + " (" + catchupMessages.getAsLong() + " messages)");
        lines.add("  history entries written: " + persistence.writer.written());
        lines.add("  history entries dropped (queue full or database away): " + persistence.writer.dropped());
        lines.add("  history entries too large to keep: " + persistence.history.tooLarge());
        lines.add("  history entries refused as bad data: " + persistence.historyRejected()
                + "; settings writes refused: " + persistence.writer.settingsRejected());
        lines.add("  history entries of unregistered or anonymous accounts (not kept): " + persistence.historyNotRegistered());
        lines.add("  history waiting for the database: " + persistence.writer.queued() + " entries, "
                + persistence.writer.queuedBytes() / 1024 + " of " + persistence.writer.maxBytes() / 1024 + " KB");
        lines.add("  database: " + (persistence.writer.isDatabaseDown() ? "NOT reachable" : "reachable"));
        return lines;
    }
}
