package org.xmpproxy.core.rule;

import java.util.Objects;
import org.dom4j.Element;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
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
     * when it is not a copy or the message has no id. A plain copy of a received message has the
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
            return id == null ? null : new MessageKey(direction, peer == null ? "" : new JID(peer).toBareJID(), id);
        }
        if (copy.getID() == null) {
            return null;
        }
        return new MessageKey(direction, copy.getFrom() == null ? "" : copy.getFrom().toBareJID(), copy.getID());
    }

    /**
     * The key of the message a XEP-0280 carbon ({@code <sent/>} or {@code <received/>}
     * wrapper) forwards, or null when it is none or the message has no id.
     */
    public static MessageKey ofCarbon(Message carbon) {
        for (Direction direction : Direction.values()) {
            Element wrapper = carbon.getElement().element(
                    org.dom4j.QName.get(direction == Direction.SENT ? "sent" : "received", Namespaces.CARBONS));
            Element original = wrapper == null || wrapper.element("forwarded") == null ? null
                    : wrapper.element("forwarded").element("message");
            if (original != null && original.attributeValue("id") != null) {
                String peer = original.attributeValue(direction == Direction.SENT ? "to" : "from");
                return new MessageKey(direction, peer == null ? "" : new JID(peer).toBareJID(), original.attributeValue("id"));
            }
        }
        return null;
    }
}
