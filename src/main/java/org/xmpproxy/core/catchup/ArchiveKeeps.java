package org.xmpproxy.core.catchup;

import org.xmpp.packet.JID;
import org.xmpp.packet.Message;

/**
 * Which one-to-one messages Openfire's Monitoring plugin (5.x, XEP-0313) keeps in the account's archive, and so returns to
 * a client's archive query: those routed through the server (archived once, as routed, also when they reached nobody)
 * of type chat or normal with a body, between two addresses that have a local part (a user, not a component or a
 * room). What it leaves out (a retraction or a receipt without a body, anything from a component) only catch-up
 * brings. xmpproxy's own copies are never routed, so never archived twice.
 */
public final class ArchiveKeeps {
    private ArchiveKeeps() {
    }

    public static boolean keeps(Message message) {
        Message.Type type = message.getType();
        boolean conversation = type == null || type == Message.Type.chat || type == Message.Type.normal;
        return conversation && message.getBody() != null && hasNode(message.getFrom()) && hasNode(message.getTo());
    }

    private static boolean hasNode(JID address) {
        return address != null && address.getNode() != null;
    }
}
