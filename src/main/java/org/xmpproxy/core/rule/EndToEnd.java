package org.xmpproxy.core.rule;

import java.util.List;
import org.dom4j.Element;
import org.xmpp.packet.Message;
import org.xmpproxy.core.stanza.Namespaces;
import org.xmpproxy.core.stanza.Stanzas;

/**
 * End-to-end encryption a message carries, and what that allows a copy of it:
 * <pre>
 *  OTR (a query "?OTR", data "?OTR:", an error "?OTR Error:",   -> no copy, no history ({@link Eligibility}):
 *   fragments, the whitespace tag; XEP-0380 namespace otr)        a session between two clients; another client
 *                                                                  would answer the peer, a replay restart it
 *  OMEMO (eu.siacs.conversations.axolotl, urn:xmpp:omemo:2)      -> copied whole where a client can decrypt it: the
 *                                                                  carbon forms and the legacy received form (once,
 *                                                                  live or by catch-up); the bot's replay sends its
 *                                                                  fallback text only ({@link #forReplay}): the
 *                                                                  double ratchet lets a device decrypt it once
 *  OpenPGP (XEP-0373 openpgp, XEP-0027 jabber:x:encrypted)        -> copied as any message (it decrypts again)
 *  the legacy sent form (from the peer's JID) of any of them     -> the fallback text only (see CopyFactory): a
 *                                                                  client would take the payload for the peer's
 * </pre>
 */
public final class EndToEnd {
    /** OTR's whitespace tag: a plaintext message that offers OTR ends with it and a version tag (OTR protocol v3). */
    static final String OTR_WHITESPACE_TAG = "\u0020\u0009\u0020\u0020\u0009\u0009\u0009\u0009\u0020\u0009\u0020\u0009\u0020\u0009\u0020\u0020";
    /** What every other OTR message contains: libotr looks for it anywhere in the text, so a copy's reader would too. */
    static final String OTR_MARK = "?OTR";

    private EndToEnd() {
    }

    /** Whether the message is part of an OTR session (any body, or XEP-0380 naming OTR). */
    public static boolean isOffTheRecord(Message message) {
        Element element = message.getElement();
        for (int i = 0, n = element.nodeCount(); i < n; i++) {
            if (element.node(i) instanceof Element child) {
                if ("body".equals(child.getName()) && isClientNamespace(child)) {
                    String text = child.getText();
                    if (text.contains(OTR_MARK) || text.contains(OTR_WHITESPACE_TAG)) {
                        return true;
                    }
                } else if ("encryption".equals(child.getName()) && Namespaces.EME.equals(child.getNamespaceURI())
                        && Namespaces.OTR.equals(child.attributeValue("namespace"))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether it carries an OMEMO payload (either namespace in use). */
    public static boolean isOmemo(Message message) {
        return Stanzas.hasChild(message, "encrypted", Namespaces.OMEMO_LEGACY) || Stanzas.hasChild(message, "encrypted", Namespaces.OMEMO);
    }

    /**
     * What the bot's replay may send of a message from the history: as it is, or for OMEMO its fallback text without
     * the payload (and without the XEP-0380 element naming it): a device that decrypted it already cannot again, and a
     * failed decryption makes clients show an error or repair the session with the peer. Null when nothing is left
     * to show (a key exchange without text).
     */
    public static Message forReplay(Message message) {
        if (!isOmemo(message)) {
            return message;
        }
        Message fallback = message.createCopy();
        for (Element child : List.copyOf(fallback.getElement().elements())) {
            String namespace = child.getNamespaceURI();
            boolean payload = "encrypted".equals(child.getName())
                    && (Namespaces.OMEMO_LEGACY.equals(namespace) || Namespaces.OMEMO.equals(namespace));
            boolean naming = "encryption".equals(child.getName()) && Namespaces.EME.equals(namespace);
            if (payload || naming) {
                fallback.getElement().remove(child);
            }
        }
        return Stanzas.hasBody(fallback) ? fallback : null;
    }

    private static boolean isClientNamespace(Element element) {
        return element.getNamespaceURI().isEmpty() || Namespaces.CLIENT.equals(element.getNamespaceURI());
    }
}
