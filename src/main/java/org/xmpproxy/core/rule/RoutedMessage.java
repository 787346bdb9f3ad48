package org.xmpproxy.core.rule;

import java.util.Objects;
import java.util.Set;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpproxy.core.stanza.JidSet;

/**
 * A message the server has finished routing, seen from one account.
 *
 * @param stanza           the message as delivered
 * @param direction        whether the account sent it or received it
 * @param account          the account's bare JID
 * @param sender           for {@link Direction#SENT}: the resource that sent it; otherwise null
 * @param receivedOriginal the account's resources the server delivered the original to
 * @param gotNativeCarbon  the account's resources the server sent its own XEP-0280 copy to
 */
public record RoutedMessage(Message stanza, Direction direction, JID account, JID sender,
                            Set<JID> receivedOriginal, Set<JID> gotNativeCarbon) {
    public RoutedMessage {
        Objects.requireNonNull(stanza, "stanza");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(account, "account");
        receivedOriginal = JidSet.copyOf(receivedOriginal);
        gotNativeCarbon = JidSet.copyOf(gotNativeCarbon);
        if (direction == Direction.SENT && sender == null) {
            throw new IllegalArgumentException("a sent message needs the resource that sent it");
        }
    }

    /** The other party's bare JID ("" if the stanza names none): whom it was sent to, or who sent it. */
    public String peer() {
        JID peer = direction == Direction.SENT ? stanza.getTo() : stanza.getFrom();
        return peer == null ? "" : peer.toBareJID();
    }

    public static RoutedMessage sent(Message stanza, JID sender, Set<JID> receivedOriginal, Set<JID> gotNativeCarbon) {
        return new RoutedMessage(stanza, Direction.SENT, sender.asBareJID(), sender, receivedOriginal, gotNativeCarbon);
    }

    public static RoutedMessage received(Message stanza, JID account, Set<JID> receivedOriginal, Set<JID> gotNativeCarbon) {
        return new RoutedMessage(stanza, Direction.RECEIVED, account.asBareJID(), null, receivedOriginal, gotNativeCarbon);
    }
}
