package org.xmpproxy.core.rule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xmpproxy.core.Stanza.message;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpproxy.core.stanza.Namespaces;

/** What end-to-end encrypted messages allow their copies from the history (issue 17, point 4). */
class EndToEndTest {
    private static final AccountResource LEGACY = new AccountResource(new JID("john@example.org/work"), false, ResourceMode.AUTO);
    private static final AccountResource CARBONS = new AccountResource(new JID("john@example.org/work"), true, ResourceMode.AUTO);

    private static final String OMEMO = "<message type='chat' id='o1' from='jane@example.org/phone' to='john@example.org'>"
            + "<body>I sent you an OMEMO encrypted message but your client doesn't seem to support that.</body>"
            + "<encrypted xmlns='eu.siacs.conversations.axolotl'><header sid='27183'><key rid='31415'>BASE64</key><iv>BASE64</iv>"
            + "</header><payload>BASE64</payload></encrypted>"
            + "<encryption xmlns='urn:xmpp:eme:0' namespace='eu.siacs.conversations.axolotl' name='OMEMO'/>"
            + "<store xmlns='urn:xmpp:hints'/></message>";

    @Test
    void aReplayedOmemoMessageIsItsFallbackTextOnlyACaughtUpOneIsWhole() {
        Message original = message(OMEMO);
        Message replayed = EndToEnd.forReplay(original);
        assertNull(replayed.getChildElement("encrypted", Namespaces.OMEMO_LEGACY), "a device decrypts a message once");
        assertNull(replayed.getChildElement("encryption", Namespaces.EME));
        assertEquals(original.getBody(), replayed.getBody(), "what was there, at its time, is still shown");
        assertNotNull(replayed.getChildElement("store", Namespaces.HINTS));
        assertNotNull(original.getChildElement("encrypted", Namespaces.OMEMO_LEGACY), "the history's stanza is left alone");

        Message current = message(OMEMO.replace("eu.siacs.conversations.axolotl", "urn:xmpp:omemo:2"));
        assertNull(EndToEnd.forReplay(current).getChildElement("encrypted", Namespaces.OMEMO));

        assertNull(EndToEnd.forReplay(message("<message type='chat' from='jane@example.org/phone' to='john@example.org'>"
                + "<encrypted xmlns='eu.siacs.conversations.axolotl'><header sid='1'><key rid='2' prekey='true'>K</key></header>"
                + "</encrypted></message>")), "a key exchange without text: nothing to replay");
    }

    @Test
    void openPgpDecryptsAgainSoAReplayKeepsIt() {
        Message openpgp = message("<message type='chat' from='jane@example.org/phone' to='john@example.org'>"
                + "<openpgp xmlns='urn:xmpp:openpgp:0'>BASE64</openpgp><body>This message is encrypted (XEP-0373).</body></message>");
        assertSame(openpgp, EndToEnd.forReplay(openpgp));
        Message legacyPgp = message("<message type='chat' from='jane@example.org/phone' to='john@example.org'>"
                + "<body>This message is encrypted.</body><x xmlns='jabber:x:encrypted'>BASE64</x></message>");
        assertSame(legacyPgp, EndToEnd.forReplay(legacyPgp));
    }

    @Test
    void otrKeptByAnOlderVersionIsNeverCaughtUpOrReplayed() {
        Message query = message("<message type='chat' from='jane@example.org/a' to='john@example.org/home'><body>?OTRv23?</body></message>");
        assertEquals(Optional.empty(), MirrorRule.catchupForm(Direction.RECEIVED, query, LEGACY));
        assertEquals(Optional.empty(), MirrorRule.catchupForm(Direction.RECEIVED, query, CARBONS));
        assertEquals(Optional.empty(), MirrorRule.catchupForm(Direction.SENT, message(
                "<message type='chat' from='john@example.org/home' to='jane@example.org/a'><body>?OTR:AAMD.</body></message>"), CARBONS));
        assertTrue(MirrorRule.catchupForm(Direction.RECEIVED, message(OMEMO), LEGACY).isPresent(), "OMEMO is caught up: it was missed");
    }
}
