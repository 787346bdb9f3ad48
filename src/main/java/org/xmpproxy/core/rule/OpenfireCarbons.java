package org.xmpproxy.core.rule;

import java.util.List;
import org.dom4j.Element;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpproxy.core.stanza.Namespaces;
import org.xmpproxy.core.stanza.Stanzas;

/**
 * Openfire 5.1.1's own carbons eligibility ({@code Forwarded.isEligibleForCarbonsDelivery}), restated
 * on Tinder packets so the rule can predict which copies Openfire sends itself and never send a
 * second one. It must follow Openfire, not the XEP: where the two differ (Openfire ignores
 * {@code <no-copy/>} and {@code <sent/>}), Openfire's behaviour is what the client sees.
 */
public final class OpenfireCarbons {
    private static final List<String> CONFERENCE = List.of("x");
    private static final List<String> PRIVATE = List.of("private");
    private static final List<String> RECEIVED = List.of("received");

    private final String localDomain;

    public OpenfireCarbons(String localDomain) {
        this.localDomain = localDomain;
    }

    public boolean isEligible(Message stanza) {
        Element mucUser = Stanzas.child(stanza, "x", Namespaces.MUC_USER);
        if (mucUser != null) {
            if (Stanzas.hasChild(stanza, CONFERENCE, Namespaces.CONFERENCE)) {
                return true;
            }
            if (mucUser.element("invite") != null) {
                return true;
            }
            JID to = stanza.getTo();
            JID from = stanza.getFrom();
            if (to != null && to.getResource() != null && from != null && from.getNode() != null && isLocal(from)) {
                return true;
            }
            if (from != null && from.getResource() != null && to != null && to.getNode() != null && isLocal(to)) {
                return false;
            }
        }
        if (stanza.getType() == Message.Type.groupchat) {
            return false;
        }
        // Openfire looks up the first child named "private" or "received", whatever its namespace.
        if (firstChildIn(stanza, PRIVATE, Namespaces.CARBONS_PREFIX) || firstChildIn(stanza, RECEIVED, Namespaces.CARBONS_PREFIX)) {
            return false;
        }
        if (stanza.getType() == Message.Type.chat) {
            return true;
        }
        if ((stanza.getType() == null || stanza.getType() == Message.Type.normal) && stanza.getBody() != null) {
            return true;
        }
        return firstChildIn(stanza, Eligibility.RECEIPTS, Namespaces.RECEIPTS)
                || firstChildIn(stanza, Eligibility.CHAT_STATES, Namespaces.CHAT_STATES)
                || firstChildIn(stanza, Eligibility.MARKERS, Namespaces.CHAT_MARKERS_PREFIX);
    }

    private boolean isLocal(JID jid) {
        return localDomain.equals(jid.getDomain());
    }

    /** Openfire's check: the <em>first</em> child with each name, its namespace starting with the prefix. */
    private static boolean firstChildIn(Message stanza, java.util.Collection<String> names, String namespacePrefix) {
        for (String name : names) {
            Element first = stanza.getElement().element(name);
            if (first != null && first.getNamespaceURI() != null && first.getNamespaceURI().startsWith(namespacePrefix)) {
                return true;
            }
        }
        return false;
    }
}
