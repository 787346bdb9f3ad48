package org.xmpproxy.core.rule;

import java.util.Objects;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;

/**
 * Which message of an account's conversation this is. A message id is chosen by whoever wrote the
 * message, so ids of different writers collide (counters, short random strings): the id is only
 * meaningful together with who wrote it, which is the peer and the direction (the account itself
 * or the other party).
 *
 * @param direction whether the account sent it or received it
 * @param peer      the other party's bare JID, as the history stores it ({@code ""} when there is none)
 * @param id        the message's id attribute
 */
public record MessageKey(Direction direction, String peer, String id) {
    public MessageKey {
        Objects.requireNonNull(direction, "direction");
        peer = peer == null ? "" : peer;
        Objects.requireNonNull(id, "id");
    }

    /** The key of a routed message, or null when it has no id. */
    public static MessageKey of(RoutedMessage routed) {
        Message stanza = routed.stanza();
        if (stanza.getID() == null) {
            return null;
        }
        JID peer = routed.direction() == Direction.SENT ? stanza.getTo() : stanza.getFrom();
        return new MessageKey(routed.direction(), peer == null ? "" : peer.toBareJID(), stanza.getID());
    }
}
