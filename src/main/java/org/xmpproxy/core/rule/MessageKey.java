package org.xmpproxy.core.rule;

import java.util.Objects;
import org.dom4j.Element;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpproxy.core.stanza.BadInput;
import org.xmpproxy.core.stanza.Jids;
import org.xmpproxy.core.stanza.Namespaces;

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
        return new MessageKey(routed.direction(), routed.peer(), stanza.getID());
    }

    /**
     * The key of the message one of xmpproxy's own copies carries (any form, live or delayed), or null
     * when it is not a copy, the message has no id, or the peer written in it is no address. A plain copy of a received message has the
     * original's sender and id; a plain sent copy comes from the peer with the original's id; a carbon
     * form forwards the original.
     */
    public static MessageKey ofCopy(Message copy) {
        Element mark = copy.getChildElement(Namespaces.COPY_MARK, Namespaces.XMPPROXY);
        if (mark == null) {
            return null;
        }
        Direction direction = "sent".equals(mark.attributeValue("direction")) ? Direction.SENT : Direction.RECEIVED;
        Element wrapper = copy.getChildElement(direction == Direction.SENT ? "sent" : "received", Namespaces.CARBONS);
        Element original = wrapper == null || wrapper.element("forwarded") == null ? null
                : wrapper.element("forwarded").element("message");
        if (original != null) {
            String peer = original.attributeValue(direction == Direction.SENT ? "to" : "from");
            String id = original.attributeValue("id");
            return id == null ? null : keyOrNull(direction, peer, id, "a copy's forwarded message");
        }
        if (copy.getID() == null) {
            return null;
        }
        return new MessageKey(direction, copy.getFrom() == null ? "" : copy.getFrom().toBareJID(), copy.getID());
    }

    /**
     * The key of the message a XEP-0280 carbon ({@code <sent/>} or {@code <received/>}
     * wrapper) forwards, or null when it is none, the message has no id, or the peer written in it is no
     * address (anyone can send what looks like a carbon).
     */
    public static MessageKey ofCarbon(Message carbon) {
        for (Direction direction : Direction.values()) {
            Element wrapper = carbon.getElement().element(
                    org.dom4j.QName.get(direction == Direction.SENT ? "sent" : "received", Namespaces.CARBONS));
            Element original = wrapper == null || wrapper.element("forwarded") == null ? null
                    : wrapper.element("forwarded").element("message");
            if (original != null && original.attributeValue("id") != null) {
                String peer = original.attributeValue(direction == Direction.SENT ? "to" : "from");
                return keyOrNull(direction, peer, original.attributeValue("id"), "a carbon's forwarded message");
            }
        }
        return null;
    }

    /** The key with the peer as written in a stanza, or null when that is no address (bad input, counted). */
    private static MessageKey keyOrNull(Direction direction, String peer, String id, String where) {
        if (peer == null) {
            return new MessageKey(direction, "", id);
        }
        JID address = Jids.parse(peer);
        if (address == null) {
            BadInput.address(where, peer);
            return null;
        }
        return new MessageKey(direction, address.toBareJID(), id);
    }
}
