package org.xmpproxy.core.stanza;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;

/** The resources a message reached, as a set: each address once, found by an equal address of another instance. */
class JidSetTest {
    @Test
    void anAddressIsHeldOnceAndFoundByAnEqualOne() {
        JidSet reached = new JidSet();
        assertTrue(reached.add(new JID("alice@example.org/phone")));
        assertFalse(reached.add(new JID("alice@example.org/phone")), "delivered twice, counted once");
        assertTrue(reached.add(new JID("alice@example.org/laptop")));

        assertEquals(2, reached.size());
        assertTrue(reached.contains(new JID("alice@example.org/phone")));
        assertFalse(reached.contains(new JID("alice@example.org")), "the bare JID is not one of its resources");
        assertFalse(reached.contains(new JID("bob@example.org/phone")));
        assertEquals(Set.of(new JID("alice@example.org/laptop"), new JID("alice@example.org/phone")), reached);
    }

    @Test
    void aCopyCannotBeChangedAndRefusesNoAddress() {
        Set<JID> copy = JidSet.copyOf(List.of(new JID("alice@example.org/phone"), new JID("alice@example.org/phone")));
        assertEquals(1, copy.size());
        assertThrows(UnsupportedOperationException.class, () -> copy.add(new JID("alice@example.org/laptop")));
        assertThrows(NullPointerException.class, () -> JidSet.copyOf(Arrays.asList(new JID("alice@example.org/phone"), null)));
    }

    @Test
    void resourcesOfOneAccountAreTheSameAccountWhateverTheirResource() {
        assertTrue(Jids.sameAccount(new JID("alice@example.org/phone"), new JID("alice@example.org")));
        assertFalse(Jids.sameAccount(new JID("alice@example.org/phone"), new JID("alice@elsewhere.example/phone")));
        assertFalse(Jids.sameAccount(new JID("alice@example.org"), new JID("example.org")));
    }
}
