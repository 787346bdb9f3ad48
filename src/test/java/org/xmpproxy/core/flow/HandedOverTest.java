package org.xmpproxy.core.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;
import org.xmpproxy.core.rule.Direction;
import org.xmpproxy.core.rule.MessageAt;

/** What was handed to another node's sessions counts as possibly lost only in that node's last moment, and is bounded. */
class HandedOverTest {
    private static final JID PHONE = new JID("jane@example.org/phone");
    private static final JID TAB = new JID("jane@example.org/tab");

    private final HandedOver handed = new HandedOver();

    @Test
    void onlyWhatTheLeavingNodeWasHandedInItsLastSecondsAndOnlyItsOwn() {
        handed.note("node2", PHONE, message("old", 1_000));
        handed.note("node2", PHONE, message("m1", 10_000));
        handed.note("node3", TAB, message("m2", 10_000));
        long leftAt = 10_000 + HandedOver.LAST_MOMENT_MILLIS;
        assertEquals(List.of("m1"), ids(handed.nodeLeft("node2", leftAt)), "older than its last moment: it had it");
        assertEquals(List.of(), ids(handed.nodeLeft("node2", leftAt)), "taken once");
        assertEquals(List.of("m2"), ids(handed.nodeLeft("node3", leftAt)), "another node's kept for its own leave");
    }

    @Test
    void keepsTheNewestWithinItsBound() {
        for (int i = 0; i < HandedOver.MAX + 10; i++) {
            handed.note("node2", PHONE, message("m" + i, 5_000));
        }
        assertEquals(HandedOver.MAX, handed.size());
        List<String> kept = ids(handed.nodeLeft("node2", 5_000));
        assertEquals("m10", kept.get(0), "the oldest went first");
        assertEquals(0, handed.size());
    }

    private static MessageAt message(String id, long routedAt) {
        return new MessageAt(Direction.RECEIVED, "john@example.org", id, routedAt);
    }

    private static List<String> ids(List<HandedOver.Handed> list) {
        return list.stream().map(h -> h.message().id()).toList();
    }
}
