package org.xmpproxy.core.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xmpproxy.core.Stanza.chat;
import static org.xmpproxy.core.Stanza.message;

import java.time.Instant;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpproxy.core.rule.CopyForm;
import org.xmpproxy.core.stanza.Namespaces;

/** Only xmpproxy's own copies verify, also as Openfire routes them again; nothing anyone else writes does. */
class CopySealTest {
    private static final JID WORK = new JID("john@example.org/work");
    private final CopySeal seal = CopySeal.random();
    private final CopyFactory factory = new CopyFactory("[me] ");

    private Message sealedCopy(CopyForm form) {
        boolean sent = form == CopyForm.LEGACY_SENT || form == CopyForm.CARBON_SENT;
        Message original = sent ? chat("1", "john@example.org/home", "jane@example.org", "hi")
                : chat("1", "jane@example.org/laptop", "john@example.org/home", "hi");
        Message copy = factory.build(form, original, WORK);
        seal.seal(copy);
        return copy;
    }

    @ParameterizedTest
    @EnumSource(CopyForm.class)
    void aCopyVerifiesAlsoWithTheDelayOpenfireAddsWhenItRoutesItAgain(CopyForm form) {
        Message copy = sealedCopy(form);
        assertTrue(seal.isSealed(copy));
        Message again = copy.createCopy(); // StreamManager keeps a copy of what it delivered
        again.addChildElement("delay", Namespaces.DELAY).addAttribute("from", "example.org");
        assertTrue(seal.isSealed(again));
        assertFalse(CopySeal.random().isSealed(copy), "another secret: not ours");
    }

    @Test
    void aDelayedCopySealedAfterItsCatchupFlagVerifies() {
        Message copy = factory.delayed(CopyForm.CARBON_RECEIVED, chat("2", "jane@example.org/laptop", "john@example.org", "x"),
                WORK, Instant.ofEpochMilli(1000), new JID("example.org"));
        seal.seal(copy);
        assertTrue(seal.isSealed(copy));
        copy.getChildElement("copy", Namespaces.XMPPROXY).addAttribute("catchup", null);
        assertFalse(seal.isSealed(copy), "the catch-up flag is covered");
    }

    @Test
    void theKeptSecretSealsAlikeAcrossRuns() {
        String secret = CopySeal.newSecret();
        Message copy = sealedCopyWith(CopySeal.of(secret));
        assertTrue(CopySeal.of(secret).isSealed(copy), "after a reload, with the same kept secret");
        assertThrows(IllegalArgumentException.class, () -> CopySeal.of("c2hvcnQ="), "too short");
        assertThrows(IllegalArgumentException.class, () -> CopySeal.of("not base64!"));
    }

    private Message sealedCopyWith(CopySeal other) {
        Message copy = factory.build(CopyForm.LEGACY_RECEIVED, chat("3", "jane@example.org/laptop", "john@example.org", "x"), WORK);
        other.seal(copy);
        return copy;
    }

    @ParameterizedTest
    @EnumSource(Change.class)
    void everyFieldCatchUpReadsIsCovered(Change change) {
        Message copy = sealedCopy(change.form);
        change.apply.accept(copy);
        assertFalse(seal.isSealed(copy), change.name());
    }

    enum Change {
        TO(CopyForm.LEGACY_RECEIVED, m -> m.setTo(new JID("john@example.org/home"))),
        FROM(CopyForm.LEGACY_RECEIVED, m -> m.setFrom(new JID("alice@evil.net/x"))),
        ID(CopyForm.LEGACY_SENT, m -> m.setID("other")),
        DIRECTION(CopyForm.CARBON_RECEIVED, m -> m.getChildElement("copy", Namespaces.XMPPROXY).addAttribute("direction", "sent")),
        FORWARDED_PEER(CopyForm.CARBON_RECEIVED, m -> m.getChildElement("received", Namespaces.CARBONS).element("forwarded")
                .element("message").addAttribute("from", "alice@evil.net/x")),
        FORWARDED_ID(CopyForm.CARBON_SENT, m -> m.getChildElement("sent", Namespaces.CARBONS).element("forwarded")
                .element("message").addAttribute("id", "9")),
        SEAL(CopyForm.LEGACY_RECEIVED, m -> m.getChildElement("copy", Namespaces.XMPPROXY).addAttribute("seal", "####"));

        final CopyForm form;
        final Consumer<Message> apply;

        Change(CopyForm form, Consumer<Message> apply) {
            this.form = form;
            this.apply = apply;
        }
    }

    @Test
    void aMarkAnyoneWritesIsFoundAndRemovedWhereverACopyCouldBeMistaken() {
        Message plain = chat("4", "jane@example.org/laptop", "john@example.org", "x");
        assertFalse(CopySeal.carriesMark(plain));
        Message forged = message("<message xmlns='jabber:client' id='5'><body>x</body><copy xmlns='urn:xmpproxy:copy:0'/>"
                + "<other xmlns='urn:xmpproxy:copy:0'/>"
                + "<sent xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'><message xmlns='jabber:client'>"
                + "<copy xmlns='urn:xmpproxy:copy:0'/></message></forwarded></sent>"
                + "<forwarded xmlns='urn:xmpp:forward:0'><message xmlns='jabber:client'><copy xmlns='urn:xmpproxy:copy:0'/>"
                + "</message></forwarded></message>");
        assertTrue(CopySeal.carriesMark(forged));
        assertFalse(seal.isSealed(forged));
        CopySeal.strip(forged);
        assertFalse(CopySeal.carriesMark(forged));
        assertFalse(forged.toXML().contains(Namespaces.XMPPROXY), forged.toXML());
        assertEquals("x", forged.getBody(), "the rest stays");
        Message nested = message("<message xmlns='jabber:client' id='6'><received xmlns='urn:xmpp:carbons:2'>"
                + "<forwarded xmlns='urn:xmpp:forward:0'><message xmlns='jabber:client'><copy xmlns='urn:xmpproxy:copy:0'/>"
                + "</message></forwarded></received></message>");
        assertTrue(CopySeal.carriesMark(nested), "only inside a carbon");
    }
}
