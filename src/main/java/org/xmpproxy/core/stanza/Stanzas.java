package org.xmpproxy.core.stanza;

import org.dom4j.Element;
import org.xmpp.packet.Message;

/** Small read helpers over a message's child elements. */
public final class Stanzas {
    private static final java.util.List<String> CARBON_WRAPPERS = java.util.List.of("sent", "received");

    private Stanzas() {
    }

    /** Whether a direct child has one of {@code names} in a namespace starting with {@code namespacePrefix}. */
    public static boolean hasChild(Message message, java.util.Collection<String> names, String namespacePrefix) {
        Element element = message.getElement();
        for (int i = 0, n = element.nodeCount(); i < n; i++) {
            if (element.node(i) instanceof Element child && names.contains(child.getName())
                    && child.getNamespaceURI().startsWith(namespacePrefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a direct child is {@code <name xmlns="namespace"/>}. Compares names instead of looking up a
     * {@code QName}: dom4j's QName cache is one synchronized map that every routing thread (and Openfire's
     * parser) shares, and this runs several times per message (JFR of the load benchmark showed it hot).
     */
    public static boolean hasChild(Message message, String name, String namespace) {
        return child(message, name, namespace) != null;
    }

    /** The first direct child {@code <name xmlns="namespace"/>}, or null; found as {@link #hasChild(Message, String, String)} is, building nothing. */
    public static Element child(Message message, String name, String namespace) {
        Element element = message.getElement();
        for (int i = 0, n = element.nodeCount(); i < n; i++) {
            if (element.node(i) instanceof Element child && name.equals(child.getName())
                    && namespace.equals(child.getNamespaceURI())) {
                return child;
            }
        }
        return null;
    }

    /** Whether the message has a non-blank {@code <body/>}. */
    public static boolean hasBody(Message message) {
        String body = message.getBody();
        return body != null && !body.isBlank();
    }

    /** Whether the message or one of its direct children carries a XEP-0297 {@code <forwarded/>}. */
    public static boolean carriesForwarded(Message message) {
        Element element = message.getElement();
        for (int i = 0, n = element.nodeCount(); i < n; i++) {
            if (element.node(i) instanceof Element child
                    && (Namespaces.FORWARD.equals(child.getNamespaceURI()) || hasChildIn(child, Namespaces.FORWARD))) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasChildIn(Element element, String namespace) {
        for (int i = 0, n = element.nodeCount(); i < n; i++) {
            if (element.node(i) instanceof Element child && namespace.equals(child.getNamespaceURI())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the message carries xmpproxy's copy mark. Anyone can write one: a mark xmpproxy did not seal is removed
     * where a message enters ({@code MirrorEngine.dropForgedCopyMarks}), so after that it is one of xmpproxy's copies.
     */
    public static boolean isOwnCopy(Message message) {
        return hasChild(message, Namespaces.COPY_MARK, Namespaces.XMPPROXY);
    }

    /** Whether this is a XEP-0280 wrapper ({@code <sent/>} or {@code <received/>} in a carbons namespace). */
    public static boolean isCarbon(Message message) {
        return hasChild(message, CARBON_WRAPPERS, Namespaces.CARBONS_PREFIX);
    }

    /**
     * Whether the message takes back one the sender sent earlier (XEP-0424): {@code <retract id=".."/>}
     * in {@code urn:xmpp:message-retract:1}, or the older fastening form
     * {@code <apply-to id=".."><retract xmlns="urn:xmpp:message-retract:0"/></apply-to>}.
     */
    public static boolean isRetraction(Message message) {
        if (hasChild(message, "retract", Namespaces.RETRACTION)) {
            return true;
        }
        for (Element applyTo : message.getElement().elements(org.dom4j.QName.get("apply-to", Namespaces.FASTEN))) {
            if (applyTo.element(org.dom4j.QName.get("retract", Namespaces.RETRACTION_0)) != null) {
                return true;
            }
        }
        return false;
    }

    /** Whether the message corrects one the sender sent earlier (XEP-0308 {@code <replace id=".."/>}). */
    public static boolean isCorrection(Message message) {
        return hasChild(message, "replace", Namespaces.CORRECTION);
    }

    /**
     * Whether the message says nothing but a chat state (XEP-0085 "composing", "active", ...): no body,
     * and besides the state at most a thread, processing hints and stanza ids. Such a message is about
     * the moment it is sent.
     */
    public static boolean isOnlyChatState(Message message) {
        if (hasBody(message)) {
            return false;
        }
        boolean state = false;
        for (Element child : message.getElement().elements()) {
            String namespace = child.getNamespaceURI();
            if (Namespaces.CHAT_STATES.equals(namespace)) {
                state = true;
            } else if (!"thread".equals(child.getName()) && !Namespaces.HINTS.equals(namespace)
                    && !Namespaces.STANZA_IDS.equals(namespace)) {
                return false;
            }
        }
        return state;
    }
}
