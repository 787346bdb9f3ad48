package org.xmpproxy.core.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.xmpproxy.core.Stanza.chat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpproxy.core.rule.Direction;
import org.xmpproxy.core.rule.MessageKey;

/** What a node keeps of the messages other nodes routed: bounded, recent, each message once with everyone who had it. */
class WitnessedMessagesTest {
    private static final JID DESK = new JID("jane@example.org/desk");
    private static final JID HOME = new JID("john@example.org/home");
    private static final JID PHONE = new JID("jane@example.org/phone");
    private final WitnessedMessages witnessed = new WitnessedMessages();

    private static Message m(String id) {
        return chat(id, "john@example.org/work", "jane@example.org/desk", "text " + id);
    }

    @Test
    void aCopyCountsForTheMessageItIsOf() {
        witnessed.original(m("m1"), "n2", DESK, Set.of(PHONE), 1_000);
        MessageKey sentByJohn = new MessageKey(Direction.SENT, "jane@example.org", "m1");
        assertTrue(witnessed.knows(sentByJohn, HOME));
        witnessed.copy(sentByJohn, HOME);
        List<WitnessedMessages.Seen> seen = witnessed.nodeLeft("n2", 2_000);
        assertEquals(1, seen.size());
        assertEquals(Set.of(HOME, DESK), seen.get(0).have());
        assertEquals(Set.of(PHONE), seen.get(0).there());
        assertEquals(1_000, seen.get(0).at);
    }

    /** Copies of messages another node did not route (this node's own, catch-up's) keep nothing. */
    @Test
    void aCopyOfAMessageNotSeenKeepsNothing() {
        MessageKey key = new MessageKey(Direction.SENT, "jane@example.org", "m1");
        assertFalse(witnessed.knows(key, HOME));
        witnessed.copy(key, HOME);
        assertEquals(0, witnessed.size());
        witnessed.original(m("m1"), "n2", DESK, Set.of(), 1_000);
        assertFalse(witnessed.knows(new MessageKey(Direction.RECEIVED, "jane@example.org", "m1"), HOME), "not john's received one");
    }

    @Test
    void theOriginalIsCopiedSoWhatASessionDoesToItsStanzaChangesNothing() {
        Message original = m("m1");
        witnessed.original(original, "n2", DESK, Set.of(), 1_000);
        original.setBody("changed by someone downstream");
        assertEquals("text m1", witnessed.nodeLeft("n2", 1_000).get(0).original().getBody());
    }

    @Test
    void onlyTheNodeThatLeftAndOnlyRecentMessages() {
        witnessed.original(m("old"), "n2", DESK, Set.of(), 1_000);
        witnessed.original(m("other"), "n3", DESK, Set.of(), 200_000);
        witnessed.original(m("new"), "n2", DESK, Set.of(), 200_000);
        List<WitnessedMessages.Seen> seen = witnessed.nodeLeft("n2", 200_000);
        assertEquals(List.of("new"), seen.stream().map(s -> s.original().getID()).toList());
        assertEquals(1, witnessed.size(), "n3's stays, for n3");
        assertEquals(List.of(), witnessed.nodeLeft("n2", 200_000), "taken once");
    }

    @Test
    void boundedTheOldestGoFirst() {
        for (int i = 0; i <= WitnessedMessages.MAX; i++) {
            witnessed.original(m("m" + i), "n2", DESK, Set.of(), 1_000 + i);
        }
        assertEquals(WitnessedMessages.MAX, witnessed.size());
        List<WitnessedMessages.Seen> seen = witnessed.nodeLeft("n2", 10_000);
        assertEquals("m1", seen.get(0).original().getID(), "m0 went first");
        assertNull(seen.stream().filter(s -> s.original().getID().equals("m0")).findAny().orElse(null));
    }
}
