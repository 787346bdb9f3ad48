package org.xmpproxy.openfire;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.function.Function;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import org.jivesoftware.openfire.roster.Roster;
import org.jivesoftware.openfire.roster.RosterItem;
import org.jivesoftware.openfire.roster.RosterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.JID;
import org.xmpproxy.core.threads.Pools;
import org.xmpproxy.core.flow.MirrorEngine;
import org.xmpproxy.core.settings.Settings;
import org.xmpproxy.store.StoredSettings;

/**
 * Puts the bot in the roster of each enrolled user the first time one of their resources comes
 * online, with subscription "both", once: a user who removes it is not bothered again. Roster
 * changes touch the database, so they run on a thread of their own, never on the session's.
 * In a cluster two of the user's clients may come online on two nodes at once: the check and the
 * addition hold a lock on the username that is cluster-wide (Openfire's clustered cache lock), and
 * the roster read under it is the cluster's (Openfire keeps rosters in a clustered cache).
 */
final class BotRosterEntry implements Consumer<JID>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BotRosterEntry.class);

    private final XmpproxyProperties properties;
    private final StoredSettings settings;
    private final MirrorEngine engine;
    private final RosterManager rosters;
    private final JID botJid;
    private final Consumer<JID> announce;
    /** A lock per username, cluster-wide in a cluster. */
    private final Function<String, Lock> lockFor;
    private static final Duration LOCK_WAIT = Duration.ofSeconds(10);
    private final ExecutorService worker = Pools.single("xmpproxy-roster");

    BotRosterEntry(XmpproxyProperties properties, StoredSettings settings, MirrorEngine engine, RosterManager rosters,
                   JID botJid, Consumer<JID> announce, Function<String, Lock> lockFor) {
        this.properties = properties;
        this.settings = settings;
        this.engine = engine;
        this.rosters = rosters;
        this.botJid = botJid;
        this.announce = announce;
        this.lockFor = lockFor;
    }

    /** A resource of a local user became available. */
    @Override
    public void accept(JID resource) {
        String username = resource.getNode();
        if (!properties.get(Settings.BOT_ROSTER_AUTO_ADD) || settings.isBotAdded(username)
                || !engine.isMirroringOn(resource.asBareJID())) {
            return;
        }
        worker.execute(() -> addOnce(resource));
    }

    private void addOnce(JID resource) {
        String username = resource.getNode();
        Lock lock = lockFor.apply(username);
        try {
            if (!lock.tryLock(LOCK_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                LOG.debug("xmpproxy: the roster of {} is busy on another node; trying at its next login", username);
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            if (settings.isBotAdded(username)) {
                return; // two resources came online at once
            }
            Roster roster = rosters.getRoster(username);
            boolean added = false;
            if (!roster.isRosterItem(botJid)) { // createRosterItem does not check for duplicates
                RosterItem item = roster.createRosterItem(botJid, "xmpproxy", List.of(), true, true);
                item.setSubStatus(RosterItem.SUB_BOTH);
                roster.updateRosterItem(item); // pushes the item to the user's resources
                added = true;
            }
            settings.markBotAdded(username);
            if (added) {
                announce.accept(resource); // not again by a node that finds it added by another
            }
        } catch (Exception e) {
            LOG.warn("xmpproxy: could not put the bot in the roster of {}: {}", username, e.toString());
        } finally {
            lock.unlock();
        }
    }

    @Override
    /** An add waiting is dropped (it is tried again at the next login); one under way is waited for, not interrupted (JDBC). */
    public void close() {
        Pools.stop(worker, Duration.ofSeconds(2), "bot roster");
    }
}
