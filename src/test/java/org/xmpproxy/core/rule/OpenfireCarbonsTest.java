package org.xmpproxy.core.rule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.xmpproxy.core.Stanza.message;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Cases read from Openfire 5.1.1's {@code Forwarded.isEligibleForCarbonsDelivery}, including where it departs from the XEP. */
class OpenfireCarbonsTest {
    private final OpenfireCarbons openfire = new OpenfireCarbons("example.org");

    @ParameterizedTest(name = "{0} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
        chat                             | <message type='chat' from='jane@example.org/a' to='john@example.org'/> | true
        normal with body                 | <message from='jane@example.org/a' to='john@example.org'><body>x</body></message> | true
        normal with empty body           | <message from='jane@example.org/a' to='john@example.org'><body/></message> | true
        normal without body              | <message from='jane@example.org/a' to='john@example.org'/> | false
        headline with body               | <message type='headline' from='jane@example.org/a' to='john@example.org'><body>x</body></message> | false
        groupchat                        | <message type='groupchat' from='r@muc.example.org/n' to='john@example.org/x'><body>x</body></message> | false
        private                          | <message type='chat' from='jane@example.org/a' to='john@example.org'><private xmlns='urn:xmpp:carbons:2'/></message> | false
        received carbon                  | <message type='chat' from='john@example.org' to='john@example.org/x'><received xmlns='urn:xmpp:carbons:2'/></message> | false
        sent carbon (Openfire copies it) | <message type='chat' from='john@example.org' to='john@example.org/x'><sent xmlns='urn:xmpp:carbons:2'/></message> | true
        no-copy (Openfire ignores hints) | <message type='chat' from='jane@example.org/a' to='john@example.org'><no-copy xmlns='urn:xmpp:hints'/></message> | true
        receipt request                  | <message from='jane@example.org/a' to='john@example.org'><request xmlns='urn:xmpp:receipts'/></message> | true
        chat state                       | <message from='jane@example.org/a' to='john@example.org'><paused xmlns='http://jabber.org/protocol/chatstates'/></message> | true
        marker                           | <message from='jane@example.org/a' to='john@example.org'><acknowledged xmlns='urn:xmpp:chat-markers:0' id='1'/></message> | true
        error                            | <message type='error' from='jane@example.org/a' to='john@example.org'/> | false
        MUC PM from local user           | <message type='chat' from='john@example.org/x' to='r@muc.example.org/n'><x xmlns='http://jabber.org/protocol/muc#user'/></message> | true
        MUC PM from occupant             | <message type='chat' from='r@muc.example.org/n' to='john@example.org/x'><x xmlns='http://jabber.org/protocol/muc#user'/></message> | false
        MUC mediated invitation          | <message from='r@muc.example.org' to='john@example.org'><x xmlns='http://jabber.org/protocol/muc#user'><invite/></x></message> | true
        """)
    void matchesOpenfire(String name, String xml, boolean expected) {
        assertEquals(expected, openfire.isEligible(message(xml)), name);
    }
}
