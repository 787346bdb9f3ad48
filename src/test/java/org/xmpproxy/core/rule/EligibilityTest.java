package org.xmpproxy.core.rule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.xmpproxy.core.Stanza.message;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EligibilityTest {
    private final Eligibility eligibility = new Eligibility("example.org");

    @ParameterizedTest(name = "{0} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
        chat with body                  | <message type='chat' from='jane@example.org/a' to='john@example.org'><body>hi</body></message> | ELIGIBLE
        chat without body (state)       | <message type='chat' from='jane@example.org/a' to='john@example.org'><composing xmlns='http://jabber.org/protocol/chatstates'/></message> | ELIGIBLE
        normal with body                | <message from='jane@example.org/a' to='john@example.org'><body>hi</body></message> | ELIGIBLE
        normal with blank body          | <message type='normal' from='jane@example.org/a' to='john@example.org'><body>  </body></message> | NOT_CONVERSATION
        normal receipt                  | <message from='jane@example.org/a' to='john@example.org/x'><received xmlns='urn:xmpp:receipts' id='1'/></message> | ELIGIBLE
        normal marker                   | <message from='jane@example.org/a' to='john@example.org/x'><displayed xmlns='urn:xmpp:chat-markers:0' id='1'/></message> | ELIGIBLE
        normal empty                    | <message from='jane@example.org/a' to='john@example.org'><x xmlns='jabber:x:oob'/></message> | NOT_CONVERSATION
        groupchat                       | <message type='groupchat' from='room@muc.example.org/n' to='john@example.org/x'><body>hi</body></message> | GROUPCHAT
        headline                        | <message type='headline' from='pubsub.example.org' to='john@example.org'><body>news</body></message> | HEADLINE
        carbons private                 | <message type='chat' from='jane@example.org/a' to='john@example.org'><body>hi</body><private xmlns='urn:xmpp:carbons:2'/></message> | PRIVATE
        hints no-copy                   | <message type='chat' from='jane@example.org/a' to='john@example.org'><body>hi</body><no-copy xmlns='urn:xmpp:hints'/></message> | NO_COPY
        a received carbon               | <message type='chat' from='john@example.org' to='john@example.org/x'><received xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'><message type='chat' from='jane@example.org/a' to='john@example.org/y'><body>hi</body></message></forwarded></received></message> | ALREADY_A_CARBON
        a forged sent carbon            | <message type='chat' from='mallory@evil.example/a' to='john@example.org/x'><sent xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'><message type='chat' from='john@example.org/y' to='jane@example.org'><body>forged</body></message></forwarded></sent></message> | ALREADY_A_CARBON
        an archive result               | <message from='john@example.org' to='john@example.org/x'><result xmlns='urn:xmpp:mam:2' id='1'><forwarded xmlns='urn:xmpp:forward:0'><message type='chat'><body>old</body></message></forwarded></result></message> | FORWARDED
        own copy                        | <message type='chat' from='jane@example.org/a' to='john@example.org/x'><body>hi</body><copy xmlns='urn:xmpproxy:copy:0' direction='received'/></message> | OWN_COPY
        MUC invitation                  | <message from='room@muc.example.org' to='john@example.org'><x xmlns='http://jabber.org/protocol/muc#user'><invite from='jane@example.org'/></x></message> | ELIGIBLE
        MUC private message from occupant | <message type='chat' from='room@muc.remote.example/jane' to='john@example.org/x'><body>psst</body><x xmlns='http://jabber.org/protocol/muc#user'/></message> | MUC_PRIVATE_FROM_OCCUPANT
        MUC private message to occupant | <message type='chat' from='john@example.org/x' to='room@muc.remote.example/jane'><body>psst</body><x xmlns='http://jabber.org/protocol/muc#user'/></message> | ELIGIBLE
        error to a full JID             | <message type='error' from='jane@example.org' to='john@example.org/x'><error type='cancel'/></message> | ERROR_TO_RESOURCE
        command to the xmpproxy bot     | <message type='chat' from='john@example.org/home' to='xmpproxy.example.org'><body>status</body></message> | SERVICE
        reply from the xmpproxy bot     | <message type='chat' from='xmpproxy.example.org' to='john@example.org/home'><body>Mirroring is ON</body></message> | SERVICE
        message to the server itself    | <message type='chat' from='john@example.org/home' to='example.org'><body>hi</body></message> | SERVICE
        chat with a remote service      | <message type='chat' from='john@example.org/home' to='bot.remote.example'><body>hi</body></message> | ELIGIBLE
        gateway contact on a subdomain  | <message type='chat' from='123@icq.example.org' to='john@example.org'><body>hi</body></message> | ELIGIBLE
        error to the bare JID           | <message type='error' from='jane@example.org' to='john@example.org'><error type='cancel'/></message> | ELIGIBLE
        OTR query                       | <message type='chat' from='jane@example.org/a' to='john@example.org/home'><body>?OTRv23?</body></message> | OFF_THE_RECORD
        OTR query with its invitation   | <message type='chat' from='jane@example.org/a' to='john@example.org'><body>?OTR?v2? jane has requested an Off-the-Record private conversation.</body></message> | OFF_THE_RECORD
        OTR data                        | <message type='chat' from='jane@example.org/a' to='john@example.org/home'><body>?OTR:AAMDJ+MVmSfjFZcAAAAAAQAAAAIAAADA1g5IjD1ZGLDVQEyCgCyn9hbrL3KAbGDdzE2ZkMyTKl7XfkSxh8YJnudstiB74i4BzT0W2haClg6dMary/jo9sMudwmUdlnKpIGEKXWdvJKT+hQ26h9nzMgEditLB8vjPEWAJ6gBXvZrY6ZQrx3gb4v0UaSMOMiR5sB7Eaulb2Yc6RmRnnlxgUUC2alosg4WIeFN951PLjScajVba6dqlDi+q1H5tPvI5SWMN7PCBWIJ41+WvF+5IAZzQZYgNaVLbAAAAAAAAAAEAAAAHwNiIi5Ms+4PsY/L2ipkTtquknfx6HodLvk3RAAAAAA==.</body></message> | OFF_THE_RECORD
        OTR fragment (v2)               | <message type='chat' from='jane@example.org/a' to='john@example.org/home'><body>?OTR,00001,00003,?OTR:AAMDJ+MVmSfjFZcAAAAAAQAAAAIAAADA1g5IjD1ZGLDVQEyCgCyn9hbrL3KAbGDdzE2ZkMyTKl7XfkSxh8YJnudstiB74i4BzT0W2haC,</body></message> | OFF_THE_RECORD
        OTR error                       | <message type='chat' from='jane@example.org/a' to='john@example.org/home'><body>?OTR Error: You sent encrypted data which was unexpected</body></message> | OFF_THE_RECORD
        OTR in a second body            | <message type='chat' from='jane@example.org/a' to='john@example.org/home'><body>hi</body><body xml:lang='sv'>?OTRv3?</body></message> | OFF_THE_RECORD
        OTR named by XEP-0380           | <message type='chat' from='jane@example.org/a' to='john@example.org/home'><body>This message is encrypted</body><encryption xmlns='urn:xmpp:eme:0' namespace='urn:xmpp:otr:0'/></message> | OFF_THE_RECORD
        OTR sent by the account         | <message type='chat' from='john@example.org/home' to='jane@example.org/a'><body>?OTRv23?</body></message> | OFF_THE_RECORD
        OMEMO                           | <message type='chat' from='jane@example.org/a' to='john@example.org'><body>I sent you an OMEMO encrypted message</body><encrypted xmlns='eu.siacs.conversations.axolotl'><header sid='1'/><payload>AAAA</payload></encrypted><encryption xmlns='urn:xmpp:eme:0' namespace='eu.siacs.conversations.axolotl'/></message> | ELIGIBLE
        OpenPGP (XEP-0373)              | <message type='chat' from='jane@example.org/a' to='john@example.org'><openpgp xmlns='urn:xmpp:openpgp:0'>BASE64</openpgp></message> | ELIGIBLE
        OpenPGP (XEP-0027)              | <message type='chat' from='jane@example.org/a' to='john@example.org'><body>This message is encrypted.</body><x xmlns='jabber:x:encrypted'>BASE64</x></message> | ELIGIBLE
        "otr" written in text           | <message type='chat' from='jane@example.org/a' to='john@example.org'><body>what is otr? an OTR plugin</body></message> | ELIGIBLE
        """)
    void decidesWhetherAMessageIsCopied(String name, String xml, String expected) {
        Optional<SkipReason> verdict = eligibility.check(message(xml));
        assertEquals(expected, verdict.map(Enum::name).orElse("ELIGIBLE"), name);
    }

    /** OTR's whitespace tag, which a plaintext message carries (anywhere) to offer OTR: tabs and spaces, invisible. */
    @org.junit.jupiter.api.Test
    void aMessageWithTheOtrWhitespaceTagIsOffTheRecord() {
        String tag = "\u0020\u0009\u0020\u0020\u0009\u0009\u0009\u0009\u0020\u0009\u0020\u0009\u0020\u0009\u0020\u0020"
                + "\u0020\u0020\u0009\u0009\u0020\u0020\u0009\u0020"; // base tag, then version 2
        org.xmpp.packet.Message offer = message("<message type='chat' from='jane@example.org/a' to='john@example.org/home'><body>hi</body></message>");
        offer.setBody("Hello" + tag + " there");
        assertEquals(Optional.of(SkipReason.OFF_THE_RECORD), eligibility.check(offer));
        offer.setBody("Hello \t there");
        assertEquals(Optional.empty(), eligibility.check(offer));
    }
}
