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

    private static final String JANE_LAPTOP = "jane@example.org/laptop";

    private static Message sent(String id, String children) {
        return message("<message xmlns='jabber:client' type='chat' id='" + id + "' from='john@example.org/home' to='" + JANE_LAPTOP
                + "'>" + children + "</message>");
    }

    private static java.util.List<String> children(Message copy) {
        return copy.getElement().elements().stream().map(e -> e.getName() + " " + e.getNamespaceURI()).toList();
    }

    @Test
    void legacySentCarriesNothingThatMakesAClientAnswerThePeerOrShowThePeerTypingOrReading() {
        Message original = sent("m3", "<body>on my way</body><thread>t1</thread>"
                + "<request xmlns='urn:xmpp:receipts'/><markable xmlns='urn:xmpp:chat-markers:0'/>"
                + "<active xmlns='http://jabber.org/protocol/chatstates'/>"
                + "<displayed xmlns='urn:xmpp:chat-markers:0' id='j1'/><received xmlns='urn:xmpp:receipts' id='j1'/>"
                + "<x xmlns='jabber:x:event'><composing/></x><store xmlns='urn:xmpp:hints'/>"
                + "<origin-id xmlns='urn:xmpp:sid:0' id='m3'/>");
        Message copy = factory.build(CopyForm.LEGACY_SENT, original, WORK);
        assertEquals(java.util.List.of("thread ", "body ", "origin-id urn:xmpp:sid:0",
                "copy " + Namespaces.XMPPROXY), children(copy));
        assertEquals("m3", copy.getID());
        assertEquals("[me] on my way", copy.getBody());
    }

    @Test
    void aCorrectionOfASentMessageMatchesTheLegacyCopyOfTheOriginal() {
        Message first = factory.build(CopyForm.LEGACY_SENT, sent("m4", "<body>see you at 6</body>"), WORK);
        Message correction = factory.build(CopyForm.LEGACY_SENT, sent("m5", "<body>see you at 7</body>"
                + "<replace xmlns='urn:xmpp:message-correct:0' id='m4'/><request xmlns='urn:xmpp:receipts'/>"), WORK);
        assertEquals("m4", first.getID(), "the copy has the original's id");
        assertEquals("m5", correction.getID());
        assertEquals(first.getID(), correction.getChildElement("replace", Namespaces.CORRECTION).attributeValue("id"));
        assertEquals(first.getFrom(), correction.getFrom(), "XEP-0308: a correction comes from the same JID as the original");
        assertEquals("[me] see you at 7", correction.getBody());
        assertNull(correction.getChildElement("request", Namespaces.RECEIPTS));
    }

    @Test
    void aRetractionOfASentMessageKeepsItsReferenceInBothForms() {
        Message current = factory.build(CopyForm.LEGACY_SENT, sent("m6", "<retract xmlns='urn:xmpp:message-retract:1' id='m4'/>"
                + "<fallback xmlns='urn:xmpp:fallback:0' for='urn:xmpp:message-retract:1'/>"
                + "<body>This person attempted to retract a previous message, but it's unsupported by your client.</body>"
                + "<store xmlns='urn:xmpp:hints'/>"), WORK);
        assertEquals("m6", current.getID());
        assertEquals("m4", current.getChildElement("retract", Namespaces.RETRACTION).attributeValue("id"));
        assertNotNull(current.getChildElement("fallback", Namespaces.FALLBACK), "a client that knows retraction hides the text");
        assertNull(current.getChildElement("store", Namespaces.HINTS));

        Message fastened = factory.build(CopyForm.LEGACY_SENT, sent("m7", "<apply-to xmlns='urn:xmpp:fasten:0' id='m4'>"
                + "<retract xmlns='urn:xmpp:message-retract:0'/></apply-to><fallback xmlns='urn:xmpp:fallback:0'/>"), WORK);
        Element applyTo = fastened.getChildElement("apply-to", Namespaces.FASTEN);
        assertEquals("m4", applyTo.attributeValue("id"));
        assertNotNull(applyTo.element(org.dom4j.QName.get("retract", Namespaces.RETRACTION_0)));
        assertNotNull(fastened.getChildElement("fallback", Namespaces.FALLBACK));
        assertNull(fastened.getBody(), "no text: no marker of an empty text either");
    }

    @Test
    void legacySentLeavesOutFallbacksThatPointIntoTheBody() {
        Message reply = factory.build(CopyForm.LEGACY_SENT, sent("m8", "<body>&gt; see you at 6\nfine</body>"
                + "<reply xmlns='urn:xmpp:reply:0' to='jane@example.org/laptop' id='j2'/>"
                + "<fallback xmlns='urn:xmpp:fallback:0' for='urn:xmpp:reply:0'><body start='0' end='15'/></fallback>"), WORK);
        assertNull(reply.getChildElement("fallback", Namespaces.FALLBACK), "the prefix would shift the range");
    }

    @Test
    void legacyReceivedKeepsCorrectionsRetractionsAndEventsButNotEventRequests() {
        Message correction = message("<message xmlns='jabber:client' type='chat' id='j3' from='" + JANE_LAPTOP + "'"
                + " to='john@example.org/home'><body>7 then</body><replace xmlns='urn:xmpp:message-correct:0' id='j2'/>"
                + "<x xmlns='jabber:x:event'><delivered/><composing/></x>"
                + "<markable xmlns='urn:xmpp:chat-markers:0'/></message>");
        Message copy = factory.build(CopyForm.LEGACY_RECEIVED, correction, WORK);
        assertEquals("j3", copy.getID());
        assertEquals("j2", copy.getChildElement("replace", Namespaces.CORRECTION).attributeValue("id"));
        assertNull(copy.getChildElement("x", Namespaces.MESSAGE_EVENTS), "an old client would answer 'delivered' a second time");
        assertNull(copy.getChildElement("markable", "urn:xmpp:chat-markers:0"));

        Message event = message("<message xmlns='jabber:client' id='j4' from='" + JANE_LAPTOP + "' to='john@example.org/home'>"
                + "<x xmlns='jabber:x:event'><composing/><id>m3</id></x></message>");
        assertNotNull(factory.build(CopyForm.LEGACY_RECEIVED, event, WORK).getChildElement("x", Namespaces.MESSAGE_EVENTS),
                "a notification, not a request: shown as it is");
    }

    @Test
    void everyCatchupFormKeepsTheIdAndTheReferenceToTheOriginal() {
        java.time.Instant at = java.time.Instant.parse("2026-01-02T03:04:05.678Z");
        JID server = new JID("example.org");
        Message sentCorrection = sent("m9", "<body>fixed</body><replace xmlns='urn:xmpp:message-correct:0' id='m4'/>");
        Message receivedRetraction = message("<message xmlns='jabber:client' type='chat' id='j5' from='" + JANE_LAPTOP + "'"
                + " to='john@example.org/home'><retract xmlns='urn:xmpp:message-retract:1' id='j2'/>"
                + "<body>retracted</body></message>");
        for (CopyForm form : CopyForm.values()) {
            boolean sentForm = form == CopyForm.LEGACY_SENT || form == CopyForm.CARBON_SENT;
            Message original = sentForm ? sentCorrection : receivedRetraction;
            Message copy = factory.delayed(form, original, WORK, at, server);
            Element wrapper = copy.getChildElement(sentForm ? "sent" : "received", Namespaces.CARBONS);
            Element shown = wrapper != null ? wrapper.element("forwarded").element("message") : copy.getElement();
            assertEquals(original.getID(), shown.attributeValue("id"), form.name());
            Element reference = sentForm ? shown.element(org.dom4j.QName.get("replace", Namespaces.CORRECTION))
                    : shown.element(org.dom4j.QName.get("retract", Namespaces.RETRACTION));
            assertNotNull(reference, form.name());
            assertEquals(sentForm ? "m4" : "j2", reference.attributeValue("id"), form.name());
        }
    }

    @Test
    void aCatchupCopyOfAReceivedMessageDropsItsChatStateButNotItsText() {
        Message copy = factory.delayed(CopyForm.LEGACY_RECEIVED, incoming, WORK, java.time.Instant.now(), new JID("example.org"));
        assertNull(copy.getChildElement("active", Namespaces.CHAT_STATES), "a chat state is about the moment it was sent");
        assertEquals("Dinner at 7?", copy.getBody());
        assertNull(copy.getChildElement("request", Namespaces.RECEIPTS));
        assertNotNull(incoming.getChildElement("active", Namespaces.CHAT_STATES), "the original is left alone");
    }

    private static Message fromJane(String children) {
        return message("<message xmlns='jabber:client' type='chat' id='j9' from='" + JANE_LAPTOP + "' to='john@example.org/home'>"
                + children + "</message>");
    }

    @Test
    void aContactsLineNeverLooksLikeALineTheAccountSentOnAClientWithoutCarbons() {
        Message johnSent = factory.build(CopyForm.LEGACY_SENT, sent("m8", "<body>I agree to pay</body>"), WORK);
        Message janeWrote = factory.build(CopyForm.LEGACY_RECEIVED, fromJane("<body>[me] I agree to pay</body>"), WORK);
        assertEquals("[me] I agree to pay", johnSent.getBody());
        assertEquals("<jane@example.org> [me] I agree to pay", janeWrote.getBody(), "named as the contact's");
        assertEquals(new JID(JANE_LAPTOP), janeWrote.getFrom());
        Message plain = factory.build(CopyForm.LEGACY_RECEIVED, fromJane("<body>see you</body>"), WORK);
        assertEquals("see you", plain.getBody(), "anything else as it was written");
    }

    @Test
    void everyBodyAndSubjectOfAReceivedCopyIsMarkedAndRichTextThatLooksLikeASentLineIsLeftOut() {
        Message original = fromJane("<subject>\uFF3Bme\uFF3D plans</subject><body>fine</body><body xml:lang='sv'>[ME] jag betalar</body>"
                + "<html xmlns='http://jabber.org/protocol/xhtml-im'><body xmlns='http://www.w3.org/1999/xhtml'><p>fine</p>"
                + "<p>[<b>me</b>] I agree to pay</p></body></html>");
        Message copy = factory.build(CopyForm.LEGACY_RECEIVED, original, WORK);
        java.util.List<String> texts = copy.getElement().elements().stream()
                .filter(e -> e.getName().equals("body") || e.getName().equals("subject")).map(Element::getText).toList();
        assertEquals(java.util.List.of("<jane@example.org> \uFF3Bme\uFF3D plans", "fine", "<jane@example.org> [ME] jag betalar"), texts);
        assertNull(copy.getChildElement("html", "http://jabber.org/protocol/xhtml-im"), "the client shows the marked body instead");
        Message harmless = factory.build(CopyForm.LEGACY_RECEIVED, fromJane("<body>hi</body>"
                + "<html xmlns='http://jabber.org/protocol/xhtml-im'><body xmlns='http://www.w3.org/1999/xhtml'><b>hi</b></body></html>"), WORK);
        assertNotNull(harmless.getChildElement("html", "http://jabber.org/protocol/xhtml-im"));
        assertEquals("[me] I agree to pay", original.getElement().element("html").element("body").elements().get(1).getStringValue(),
                "the original, delivered to the client it was sent to, is left alone");
    }

    @Test
    void caughtUpAndReplayedCopiesAreMarkedAsTheLiveOnesAreButNotTheCarbonForms() {
        Message original = fromJane("<body>[me] I agree to pay</body>");
        Message delayed = factory.delayed(CopyForm.LEGACY_RECEIVED, original, WORK, java.time.Instant.ofEpochSecond(1_700_000_000),
                new JID("example.org"));
        assertEquals("<jane@example.org> [me] I agree to pay", delayed.getBody());
        Message carbon = factory.delayed(CopyForm.CARBON_RECEIVED, original, WORK, java.time.Instant.ofEpochSecond(1_700_000_000),
                new JID("example.org"));
        assertEquals("[me] I agree to pay", carbon.getChildElement("received", Namespaces.CARBONS).element("forwarded")
                .element("message").elementText("body"), "a client with carbons knows it was received");
        assertEquals("[me] I agree to pay", original.getBody());
    }

    @Test
    void anEncryptedPayloadIsKeptWhereAClientCanDecryptItAndLeftOutWhereItWouldBeTakenForThePeers() {
        String omemo = "<body>I sent you an OMEMO encrypted message</body><encrypted xmlns='eu.siacs.conversations.axolotl'>"
                + "<header sid='1'><key rid='2'>K</key></header><payload>P</payload></encrypted>"
                + "<encryption xmlns='urn:xmpp:eme:0' namespace='eu.siacs.conversations.axolotl'/>";
        Message received = factory.build(CopyForm.LEGACY_RECEIVED, fromJane(omemo), WORK);
        assertNotNull(received.getChildElement("encrypted", Namespaces.OMEMO_LEGACY), "from the peer, as the original");
        Message caughtUp = factory.delayed(CopyForm.LEGACY_RECEIVED, fromJane(omemo), WORK, java.time.Instant.now(), new JID("example.org"));
        assertNotNull(caughtUp.getChildElement("encrypted", Namespaces.OMEMO_LEGACY));
        for (CopyForm form : new CopyForm[] {CopyForm.CARBON_RECEIVED, CopyForm.CARBON_SENT}) {
            Message original = form == CopyForm.CARBON_SENT ? sent("m9", omemo) : fromJane(omemo);
            Element wrapper = factory.build(form, original, WORK).getElement().elements().get(0);
            assertNotNull(wrapper.element("forwarded").element("message").element(org.dom4j.QName.get("encrypted", Namespaces.OMEMO_LEGACY)),
                    form.name());
        }
        Message sentCopy = factory.build(CopyForm.LEGACY_SENT, sent("m10", omemo), WORK);
        assertNull(sentCopy.getChildElement("encrypted", Namespaces.OMEMO_LEGACY), "from the peer's JID it would be taken for the peer's");
        assertNull(sentCopy.getChildElement("encryption", Namespaces.EME));
        assertEquals("[me] I sent you an OMEMO encrypted message", sentCopy.getBody());
        Message pgp = factory.build(CopyForm.LEGACY_RECEIVED, fromJane("<body>encrypted</body><x xmlns='jabber:x:encrypted'>B</x>"
                + "<openpgp xmlns='urn:xmpp:openpgp:0'>B</openpgp>"), WORK);
        assertNotNull(pgp.getChildElement("x", "jabber:x:encrypted"));
        assertNotNull(pgp.getChildElement("openpgp", "urn:xmpp:openpgp:0"));
    }
}
