package org.xmpproxy.openfire;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.time.Duration;
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
 */
final class BotRosterEntry implements Consumer<JID>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BotRosterEntry.class);

    private final XmpproxyProperties properties;
    private final StoredSettings settings;
    private final MirrorEngine engine;
    private final RosterManager rosters;
    private final JID botJid;
    private final Consumer<JID> announce;
    private final ExecutorService worker = Pools.single("xmpproxy-roster");

    BotRosterEntry(XmpproxyProperties properties, StoredSettings settings, MirrorEngine engine, RosterManager rosters,
                   JID botJid, Consumer<JID> announce) {
        this.properties = properties;
        this.settings = settings;
        this.engine = engine;
        this.rosters = rosters;
        this.botJid = botJid;
        this.announce = announce;
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
        if (settings.isBotAdded(username)) {
            return; // two resources came online at once
        }
        try {
            Roster roster = rosters.getRoster(username);
            if (!roster.isRosterItem(botJid)) { // createRosterItem does not check for duplicates
                RosterItem item = roster.createRosterItem(botJid, "xmpproxy", List.of(), true, true);
                item.setSubStatus(RosterItem.SUB_BOTH);
                roster.updateRosterItem(item); // pushes the item to the user's resources
            }
            settings.markBotAdded(username);
            announce.accept(resource);
        } catch (Exception e) {
            LOG.warn("xmpproxy: could not put the bot in the roster of {}: {}", username, e.toString());
        }
    }

    @Override
    /** An add waiting is dropped (it is tried again at the next login); one under way is waited for, not interrupted (JDBC). */
    public void close() {
        Pools.stop(worker, Duration.ofSeconds(2), "bot roster");
    }
}
