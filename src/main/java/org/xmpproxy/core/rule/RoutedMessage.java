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
 * @param undecided        resources on other cluster nodes that may have got the original (a tie Openfire broke
 *                         there): each gets a copy from its own node unless it did ({@code OtherNodeDeliveries})
 */
public record RoutedMessage(Message stanza, Direction direction, JID account, JID sender,
                            Set<JID> receivedOriginal, Set<JID> gotNativeCarbon, Set<JID> undecided) {
    public RoutedMessage {
        Objects.requireNonNull(stanza, "stanza");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(account, "account");
        receivedOriginal = JidSet.copyOf(receivedOriginal);
        gotNativeCarbon = JidSet.copyOf(gotNativeCarbon);
        undecided = undecided.isEmpty() ? Set.of() : JidSet.copyOf(undecided);
        if (direction == Direction.SENT && sender == null) {
            throw new IllegalArgumentException("a sent message needs the resource that sent it");
        }
    }

    /** As routed on one node, or where this node saw every delivery: nothing undecided. */
    public RoutedMessage(Message stanza, Direction direction, JID account, JID sender,
                         Set<JID> receivedOriginal, Set<JID> gotNativeCarbon) {
        this(stanza, direction, account, sender, receivedOriginal, gotNativeCarbon, Set.of());
    }

    /** Whether the original reached a resource of the account (or may have, on another node): not stored offline. */
    public boolean reachedTheAccount() {
        return !receivedOriginal.isEmpty() || !undecided.isEmpty();
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

    public static RoutedMessage received(Message stanza, JID account, Set<JID> receivedOriginal, Set<JID> gotNativeCarbon,
                                         Set<JID> undecided) {
        return new RoutedMessage(stanza, Direction.RECEIVED, account.asBareJID(), null, receivedOriginal, gotNativeCarbon,
                undecided);
    }
}
