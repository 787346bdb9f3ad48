package org.xmpproxy.core.copy;

import org.xmpproxy.core.stanza.Namespaces;
import org.xmpproxy.core.stanza.Stanzas;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.dom4j.Attribute;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpproxy.core.rule.CopyForm;
import org.xmpproxy.core.rule.OwnLines;

/** Builds the stanza of each {@link CopyForm} (docs/design.md "Behaviour" 5). Never modifies the original. */
public final class CopyFactory {
    /**
     * A message's answer requests: what makes a client answer the sender by itself. The client that got
     * the original answers them; a copy must not make another client answer the peer a second time.
     */
    static boolean asksForAnAnswer(Element child) {
        String namespace = child.getNamespaceURI();
        return switch (child.getName()) {
            case "request" -> Namespaces.RECEIPTS.equals(namespace);                        // XEP-0184
            case "markable" -> namespace.startsWith(Namespaces.CHAT_MARKERS_PREFIX);        // XEP-0333
            case "x" -> Namespaces.MESSAGE_EVENTS.equals(namespace) && child.element("id") == null; // XEP-0022 request
            default -> false;
        };
    }

    // Built once: dom4j's QName.get goes through a synchronized cache, on the routing thread of every message.
    private static final QName COPY_MARK = QName.get(Namespaces.COPY_MARK, Namespaces.XMPPROXY);
    private static final QName FORWARDED = QName.get("forwarded", Namespaces.FORWARD);
    private static final QName CARBON_RECEIVED = QName.get("received", Namespaces.CARBONS);
    private static final QName CARBON_SENT = QName.get("sent", Namespaces.CARBONS);
    private static final QName DIRECTION = QName.get("direction");
    private static final Namespace CLIENT = Namespace.get(Namespaces.CLIENT);
    /** XEP-0071 XHTML-IM: a client that supports it shows this instead of the body. */
    private static final String XHTML_IM = "http://jabber.org/protocol/xhtml-im";
    /** A forwarded message's own element names in {@code jabber:client}; others are built as they come. */
    private static final java.util.Map<String, QName> IN_CLIENT = java.util.Map.of(
            "message", QName.get("message", CLIENT), "body", QName.get("body", CLIENT),
            "thread", QName.get("thread", CLIENT), "subject", QName.get("subject", CLIENT));

    private final String legacySentPrefix;
    private final OwnLines ownLines;

    /** @param legacySentPrefix what precedes the body of a sent message shown to a client without carbons */
    public CopyFactory(String legacySentPrefix) {
        this.legacySentPrefix = legacySentPrefix == null ? "" : legacySentPrefix;
        this.ownLines = new OwnLines(this.legacySentPrefix);
    }

    public Message build(CopyForm form, Message original, JID to) {
        return switch (form) {
            case LEGACY_RECEIVED -> legacyReceived(original, to);
            case LEGACY_SENT -> legacySent(original, to);
            case CARBON_RECEIVED -> carbon(CARBON_RECEIVED, original, to);
            case CARBON_SENT -> carbon(CARBON_SENT, original, to);
        };
    }

    /**
     * A copy of a message from the account's history, sent later (catch-up, replay): the form the
     * resource takes, with a XEP-0203 delay stamp of the original time and marked {@code catchup="true"}.
     */
    public Message delayed(CopyForm form, Message original, JID to, Instant sentAt, JID stampedBy) {
        Message copy = build(form, original, to);
        Element delay = DocumentHelper.createElement(QName.get("delay", Namespaces.DELAY));
        delay.addAttribute("stamp", DateTimeFormatter.ISO_INSTANT.format(sentAt.truncatedTo(ChronoUnit.MILLIS)));
        delay.addAttribute("from", stampedBy.toString());
        Element mark = copy.getChildElement(Namespaces.COPY_MARK, Namespaces.XMPPROXY);
        mark.addAttribute("catchup", "true");
        if (form == CopyForm.LEGACY_RECEIVED) {
            // A chat state is about the moment it was sent: delayed, "composing" would show the peer typing now.
            for (Element child : List.copyOf(copy.getElement().elements())) {
                if (Namespaces.CHAT_STATES.equals(child.getNamespaceURI())) {
                    copy.getElement().remove(child);
                }
            }
        }
        Element wrapper = copy.getChildElement("sent", Namespaces.CARBONS) != null ? copy.getChildElement("sent", Namespaces.CARBONS)
                : copy.getChildElement("received", Namespaces.CARBONS);
        if (wrapper != null) {
            wrapper.element("forwarded").content().add(0, delay); // XEP-0297: the delay belongs to the forwarded stanza
        } else {
            if (mark.element("forwarded") != null) {
                mark.element("forwarded").content().add(0, delay.createCopy());
            }
            copy.getElement().add(delay); // what a client without carbons shows as the message's time
        }
        return copy;
    }

    /**
     * The message as the client would have received it, addressed to it, without answer requests. It
     * keeps its id and everything else, so a later correction or retraction (XEP-0308, XEP-0424) from
     * the peer matches it, and the peer's chat states and markers show as they would have. One thing differs: a
     * line of its text that reads like one the account sent (the legacy sent prefix) is marked with the sender
     * ({@link OwnLines}), in every body and subject (some clients show a subject as a line); rich text (XEP-0071) with
     * such a line is left out, so the client shows the marked body instead.
     */
    Message legacyReceived(Message original, JID to) {
        Message copy = original.createCopy();
        copy.setTo(to);
        for (Element child : List.copyOf(copy.getElement().elements())) {
            if (asksForAnAnswer(child)
                    || (XHTML_IM.equals(child.getNamespaceURI()) && ownLines.containsLookAlike(child.getStringValue()))) {
                copy.getElement().remove(child);
            }
        }
        String sender = bareSender(original);
        for (Element child : copy.getElement().elements()) {
            // Every body and subject: a message may carry one per language (xml:lang), and the client picks one.
            boolean text = "body".equals(child.getName()) || "subject".equals(child.getName());
            if (text && (child.getNamespaceURI().isEmpty() || Namespaces.CLIENT.equals(child.getNamespaceURI()))) {
                String shown = child.getText();
                String marked = ownLines.marked(shown, sender);
                if (!marked.equals(shown)) {
                    child.setText(marked);
                }
            }
        }
        mark(copy, "received");
        return copy;
    }

    /** The sender's bare address as written in the stanza (not parsed: the attribute is the sender's to choose). */
    private static String bareSender(Message original) {
        String from = original.getElement().attributeValue("from");
        if (from == null) {
            return null;
        }
        int slash = from.indexOf('/');
        return slash < 0 ? from : from.substring(0, slash);
    }

    /**
     * A sent message shown in the conversation with the peer: it comes from the peer's bare JID, its
     * body marked as the account's own, the original forwarded inside the mark. Besides the text it
     * carries only what refers to an earlier message ({@link #refersToEarlierMessage}), and the
     * original's id, so a correction or retraction matches the copy of the message it changes. Nothing
     * else: from the peer's JID a receipt request or marker would make the client answer the peer, a
     * chat state would show the peer typing, a marker the peer reading.
     */
    Message legacySent(Message original, JID to) {
        Message copy = new Message();
        copy.setType(original.getType());
        copy.setFrom(original.getTo().asBareJID());
        copy.setTo(to);
        copy.setID(original.getID());
        if (original.getSubject() != null) {
            copy.setSubject(original.getSubject());
        }
        if (original.getThread() != null) {
            copy.setThread(original.getThread());
        }
        if (original.getBody() != null) {
            copy.setBody(legacySentPrefix + original.getBody());
        }
        for (Element child : original.getElement().elements()) {
            if (refersToEarlierMessage(child, original)) {
                copy.getElement().add(child.createCopy());
            }
        }
        mark(copy, "sent").add(forwarded(original));
        return copy;
    }

    /**
     * What a legacy "sent" copy keeps of the original besides text: a XEP-0308 correction, a XEP-0424
     * retraction (either form) and its XEP-0428 fallback mark, and the XEP-0359 origin id. Other
     * fallbacks are left out: they point at ranges of the body, which the prefix shifts.
     */
    static boolean refersToEarlierMessage(Element child, Message original) {
        String namespace = child.getNamespaceURI();
        return switch (child.getName()) {
            case "replace" -> Namespaces.CORRECTION.equals(namespace);
            case "retract" -> Namespaces.RETRACTION.equals(namespace);
            case "apply-to" -> Namespaces.FASTEN.equals(namespace)
                    && child.element(QName.get("retract", Namespaces.RETRACTION_0)) != null;
            case "fallback" -> Namespaces.FALLBACK.equals(namespace) && child.elements().isEmpty()
                    && (child.attributeValue("for", "").startsWith("urn:xmpp:message-retract")
                        || (child.attributeValue("for") == null && Stanzas.isRetraction(original)));
            case "origin-id" -> Namespaces.STANZA_IDS.equals(namespace);
            default -> false;
        };
    }

    /** A XEP-0280 wrapper: from the account's bare JID, the original inside {@code <forwarded/>}. */
    Message carbon(QName kind, Message original, JID to) {
        Message copy = new Message();
        copy.setType(original.getType());
        copy.setFrom(to.asBareJID());
        copy.setTo(to);
        copy.getElement().addElement(kind).add(forwarded(original));
        mark(copy, kind.getName());
        return copy;
    }

    private static Element mark(Message copy, String direction) {
        Element mark = copy.getElement().addElement(COPY_MARK);
        mark.addAttribute(DIRECTION, direction);
        return mark;
    }

    /** {@code <forwarded xmlns="urn:xmpp:forward:0"><message xmlns="jabber:client" .../></forwarded>}. */
    public static Element forwarded(Message original) {
        Element forwarded = DocumentHelper.createElement(FORWARDED);
        forwarded.add(inClientNamespace(original.getElement()));
        return forwarded;
    }

    private static QName inClient(String name) {
        QName known = IN_CLIENT.get(name);
        return known != null ? known : new QName(name, CLIENT);
    }

    /** A deep copy in which elements without a namespace take {@code jabber:client}, as they would on the wire. */
    private static Element inClientNamespace(Element source) {
        Element copy = DocumentHelper.createElement(source.getNamespaceURI().isEmpty() ? inClient(source.getName()) : source.getQName());
        for (Attribute attribute : source.attributes()) {
            copy.addAttribute(attribute.getQName(), attribute.getValue());
        }
        for (Object node : source.content()) {
            if (node instanceof Element child) {
                copy.add(child.getNamespaceURI().isEmpty() || Namespaces.CLIENT.equals(child.getNamespaceURI())
                        ? inClientNamespace(child)
                        : child.createCopy());
            } else if (node instanceof org.dom4j.Node other) {
                copy.add((org.dom4j.Node) other.clone());
            }
        }
        return copy;
    }
}
