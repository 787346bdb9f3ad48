package org.xmpproxy.openfire;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import org.jivesoftware.openfire.OfflineMessage;
import org.jivesoftware.openfire.OfflineMessageListener;
import org.jivesoftware.openfire.OfflineMessageStore;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpproxy.core.flow.MirrorEngine;
import org.xmpproxy.core.rule.Direction;
import org.xmpproxy.core.rule.MessageKey;

/**
 * What Openfire's offline store takes, and what it still holds. {@code OfflineMessageStrategy} tells its listeners on
 * the routing thread that it stored a message: the engine notes it in the message's history row. As a session becomes
 * available, {@code OfflineMessageStore.getMessages(username, true)} reads the user's messages and then deletes all the
 * user's rows, also one stored in between, unread; what the history says waits there and the store no longer holds was
 * lost so ({@link #stillStored}).
 */
final class OfflineStoreWatch implements OfflineMessageListener {
    private final MirrorEngine engine;

    OfflineStoreWatch(MirrorEngine engine) {
        this.engine = engine;
    }

    @Override
    public void messageStored(OfflineMessage message) {
        engine.storedOffline(message);
    }

    @Override
    public void messageBounced(Message message) {
        // not stored: its row says it reached nobody, as it did
    }

    /** The keys of the received messages the offline store holds for {@code username} now (read, not taken). Reads the database. */
    static Set<MessageKey> stillStored(String username) {
        return keysOf(OfflineMessageStore.getInstance().getMessages(username, false));
    }

    static Set<MessageKey> keysOf(Collection<? extends Message> stored) {
        Set<MessageKey> keys = new HashSet<>();
        for (Message message : stored) {
            JID from = message.getFrom();
            if (from != null && message.getID() != null) {
                keys.add(new MessageKey(Direction.RECEIVED, from.toBareJID(), message.getID()));
            }
        }
        return keys;
    }
}
