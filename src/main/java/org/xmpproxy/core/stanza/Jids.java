package org.xmpproxy.core.stanza;

import java.util.Objects;
import org.xmpp.packet.JID;

/**
 * Comparing addresses without building anything. Tinder's {@code JID.hashCode} and {@code asBareJID} build a
 * string or a JID on every call, and the packet path compares a few addresses per message.
 */
public final class Jids {
    private Jids() {
    }

    /** Whether both are addresses of one account (the same bare JID), whatever their resources. */
    public static boolean sameAccount(JID one, JID other) {
        return Objects.equals(one.getNode(), other.getNode()) && one.getDomain().equals(other.getDomain());
    }
}
