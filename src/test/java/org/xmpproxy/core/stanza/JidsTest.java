package org.xmpproxy.core.stanza;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xmpp.packet.JID;

/** An address read from a stanza is parsed without throwing: what is none reads as null. */
class JidsTest {
    @ParameterizedTest
    @ValueSource(strings = {"", "a@b@c", "x@y/", "@y", "x@", "a b@c"})
    void whatIsNoAddressReadsAsNone(String text) {
        assertNull(Jids.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"jane@example.org", "jane@example.org/laptop", "example.org", "Jane@Example.org/x"})
    void anAddressReadsAsTheServerWouldHaveIt(String text) {
        assertEquals(new JID(text), Jids.parse(text));
    }

    @org.junit.jupiter.api.Test
    void noTextIsNoAddress() {
        assertNull(Jids.parse(null));
    }
}
