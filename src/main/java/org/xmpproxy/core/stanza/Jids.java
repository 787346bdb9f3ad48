package org.xmpproxy.core.stanza;

import java.util.Objects;
import org.xmpp.packet.JID;

/**
 * Comparing addresses without building anything, and reading them from stanza text without throwing. Tinder's
 * {@code JID.hashCode} and {@code asBareJID} build a string or a JID on every call, and the packet path compares a few
 * addresses per message.
 */
public final class Jids {
    private Jids() {
    }

    /** Whether both are addresses of one account (the same bare JID), whatever their resources. */
    public static boolean sameAccount(JID one, JID other) {
        return Objects.equals(one.getNode(), other.getNode()) && one.getDomain().equals(other.getDomain());
    }

    /**
     * An address written in a stanza (an attribute anyone may have chosen, such as the peer inside a forwarded
     * message), or null when it is none ({@code ""}, {@code a@b@c}, {@code x@y/}): the caller treats it as bad input
     * ({@link BadInput#address}), never as an error of the server.
     */
    public static JID parse(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return new JID(text);
        } catch (IllegalArgumentException e) { // Tinder's answer to every malformed address (stringprep, empty parts)
            return null;
        }
    }
}
