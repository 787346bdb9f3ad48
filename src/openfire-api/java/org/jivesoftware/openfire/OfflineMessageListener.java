package org.jivesoftware.openfire;

import org.xmpp.packet.Message;

/**
 * Compile-only mirror of Openfire 5.1.1 {@code OfflineMessageListener} (an interface): told by
 * {@code OfflineMessageStrategy} on the routing thread, right after it stored or bounced a message.
 */
public interface OfflineMessageListener {
    void messageBounced(Message message);

    void messageStored(OfflineMessage message);
}
