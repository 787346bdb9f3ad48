package org.xmpproxy.core.copy;

import org.xmpproxy.core.stanza.Stanzas;
import org.xmpproxy.core.stanza.Namespaces;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.xmpproxy.core.Stanza.message;

import org.dom4j.Element;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpproxy.core.rule.CopyForm;
import org.xmpproxy.core.rule.Eligibility;

class CopyFactoryTest {
    private static final JID WORK = new JID("john@example.org/work");
    private final CopyFactory factory = new CopyFactory("[me] ");

    private final Message incoming = message("<message xmlns='jabber:client' type='chat' id='m1' from='jane@example.org/laptop'"
            + " to='john@example.org/home'><body>Dinner at 7?</body><subject>plans</subject><thread>t1</thread>"
            + "<request xmlns='urn:xmpp:receipts'/><markable xmlns='urn:xmpp:chat-markers:0'/>"
            + "<active xmlns='http://jabber.org/protocol/chatstates'/></message>");

    private final Message outgoing = message("<message xmlns='jabber:client' type='chat' id='m2' from='john@example.org/home'"
            + " to='jane@example.org/laptop'><body>Yes &amp; 7 &lt;is&gt; fine</body><thread>t1</thread></message>");

    @Test
    void legacyReceivedLooksLikeTheOriginalAddressedToTheClientWithoutAnswerRequests() {
        Message copy = factory.build(CopyForm.LEGACY_RECEIVED, incoming, WORK);
        assertEquals(WORK, copy.getTo());
        assertEquals(incoming.getFrom(), copy.getFrom());
        assertEquals("m1", copy.getID());
        assertEquals(Message.Type.chat, copy.getType());
        assertEquals("Dinner at 7?", copy.getBody());
        assertEquals("plans", copy.getSubject());
        assertEquals("t1", copy.getThread());
        assertNull(copy.getChildElement("request", "urn:xmpp:receipts"), "a copy must not ask for a second receipt");
        assertNull(copy.getChildElement("markable", "urn:xmpp:chat-markers:0"));
        assertNotNull(copy.getChildElement("active", "http://jabber.org/protocol/chatstates"));
        assertEquals("received", copy.getChildElement("copy", Namespaces.XMPPROXY).attributeValue("direction"));
        assertNotNull(incoming.getChildElement("request", "urn:xmpp:receipts"), "the original is left alone");
        assertEquals(new JID("john@example.org/home"), incoming.getTo());
    }

    @Test
    void legacySentComesFromThePeerMarkedAsOwnAndForwardsTheOriginal() {
        Message copy = factory.build(CopyForm.LEGACY_SENT, outgoing, WORK);
        assertEquals(new JID("jane@example.org"), copy.getFrom(), "shown in the conversation with the peer");
        assertEquals(WORK, copy.getTo());
        assertEquals("[me] Yes & 7 <is> fine", copy.getBody());
        assertEquals("t1", copy.getThread());
        Element mark = copy.getChildElement("copy", Namespaces.XMPPROXY);
        assertEquals("sent", mark.attributeValue("direction"));
        Element forwardedMessage = mark.element("forwarded").element("message");
        assertEquals(Namespaces.FORWARD, mark.element("forwarded").getNamespaceURI());
        assertEquals(Namespaces.CLIENT, forwardedMessage.getNamespaceURI());
        assertEquals("john@example.org/home", forwardedMessage.attributeValue("from"));
        assertEquals(Namespaces.CLIENT, forwardedMessage.element("body").getNamespaceURI());
        assertEquals(outgoing.getBody(), forwardedMessage.elementText("body"));
    }

    @Test
    void carbonFormsAreXep0280WrappersFromTheBareJid() {
        Message sent = factory.build(CopyForm.CARBON_SENT, outgoing, WORK);
        assertEquals(new JID("john@example.org"), sent.getFrom());
        assertEquals(WORK, sent.getTo());
        Element inner = sent.getChildElement("sent", Namespaces.CARBONS).element("forwarded").element("message");
        assertEquals("m2", inner.attributeValue("id"));
        Message received = factory.build(CopyForm.CARBON_RECEIVED, incoming, WORK);
        assertNotNull(received.getChildElement("received", Namespaces.CARBONS).element("forwarded").element("message"));
    }

    @Test
    void everyFormIsRecognisedAsACopyAndNeverCopiedAgain() {
        Eligibility eligibility = new Eligibility("example.org");
        for (CopyForm form : CopyForm.values()) {
            Message original = form == CopyForm.LEGACY_SENT || form == CopyForm.CARBON_SENT ? outgoing : incoming;
            Message copy = factory.build(form, original, WORK);
            assertEquals(true, Stanzas.isOwnCopy(copy), form.name());
            assertEquals(true, eligibility.check(copy).isPresent(), form.name());
        }
    }
}
