package org.xmpproxy.core.flow;

import org.xmpp.packet.JID;
import org.xmpproxy.core.rule.MessageKey;

/**
 * Told when the server hands one of the account's resources a message from its offline store. The
 * message reached nobody when it was routed (its history entry says so); now it is the account's
 * message, and the account's other resources get it by catch-up. Called on the packet path: must not block.
 */
@FunctionalInterface
public interface StoredDeliveries {
    StoredDeliveries NONE = (account, message, recipient) -> { };

    /**
     * @param account   the account's bare JID
     * @param message   the message, as its history entry knows it
     * @param recipient the resource that got it
     */
    void delivered(JID account, MessageKey message, JID recipient);
}
