package org.xmpproxy.core.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;
import org.xmpproxy.core.rule.Direction;
import org.xmpproxy.core.rule.MessageAt;
import org.xmpproxy.core.rule.MessageKey;

/** What a failed node's carbons cost the clients here: each one it did not send, once, and only recent ones. */
class AwaitedCarbonsTest {
    private static final JID DESK = new JID("jane@example.org/desk");
    private final AwaitedCarbons awaited = new AwaitedCarbons();

    private static MessageAt message(String id, long at) {
        return new MessageAt(Direction.RECEIVED, "john@example.org", id, at);
    }

    @Test
    void aMessageIdWrittenTwiceIsCrossedOffOnceForEachCarbon() {
        awaited.await(DESK, message("same", 1_000), "n2", null);
        awaited.await(DESK, message("same", 2_000), "n2", null);
        awaited.arrived(DESK, new MessageKey(Direction.RECEIVED, "john@example.org", "same"));
        List<AwaitedCarbons.Awaited> lost = awaited.nodeLeft("n2", 3_000);
        assertEquals(List.of(2_000L), lost.stream().map(a -> a.message().at()).toList(), "the older one arrived");
    }

    @Test
    void onlyRecentOnesAreHandedBackAndEachResourceKeepsABoundedNumber() {
        long now = 10 * AwaitedCarbons.MAX_AGE_MILLIS;
        awaited.await(DESK, message("old", now - AwaitedCarbons.MAX_AGE_MILLIS - 1), "n2", null);
        for (int i = 0; i < AwaitedCarbons.PER_RESOURCE + 10; i++) {
            awaited.await(DESK, message("m" + i, now - 1_000 + i), "n2", null);
        }
        assertEquals(AwaitedCarbons.PER_RESOURCE, awaited.size());
        List<AwaitedCarbons.Awaited> lost = awaited.nodeLeft("n2", now);
        assertEquals(AwaitedCarbons.PER_RESOURCE, lost.size(), "the newest, the old one fell out");
        assertEquals("m10", lost.get(0).message().id(), "oldest first");
        assertTrue(awaited.isEmpty());
    }

    @Test
    void aMessageWithoutIdIsNotAwaitedAndASessionEndForgetsItsOwn() {
        awaited.await(DESK, message(null, 1_000), "n2", null);
        assertTrue(awaited.isEmpty(), "a carbon of it could not be told from another's");
        awaited.await(DESK, message("m1", 1_000), "n2", null);
        awaited.forget(DESK);
        assertEquals(List.of(), awaited.nodeLeft("n2", 2_000));
    }
}
