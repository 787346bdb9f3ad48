package org.xmpproxy.core.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.xmpproxy.core.Stanza.chat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;

class FrameStackTest {
    private static RoutingFrame frame(String id, long routedAt) {
        Message message = chat(id, "jane@example.org/laptop", "john@example.org", "x");
        return new RoutingFrame(message, null, new JID("john@example.org"), Optional.empty(), routedAt);
    }

    @Test
    void aFrameTheServerNeverFinishedIsDroppedOnceStale() {
        FrameStack stack = new FrameStack();
        RoutingFrame rejected = frame("rejected", 1_000);
        stack.push(rejected);
        RoutingFrame outer = frame("outer", 1_000 + FrameStack.STALE_AFTER_MILLIS);
        stack.push(outer);
        assertEquals(2, stack.size(), "not older than any routing takes: it could be an unfinished outer routing");
        RoutingFrame later = frame("later", 1_001 + FrameStack.STALE_AFTER_MILLIS);
        stack.push(later);
        assertEquals(2, stack.size(), "the rejected message's frame is gone");
        assertNull(stack.pop(rejected.message));
        assertSame(later, stack.pop(later.message));
        assertSame(outer, stack.pop(outer.message));
        assertEquals(0, stack.size());
    }

    @Test
    void nestedRoutingsPopInnermostFirstAndLeftoversAboveAreDropped() {
        FrameStack stack = new FrameStack();
        RoutingFrame outer = frame("outer", 5);
        RoutingFrame leftover = frame("leftover", 6);
        stack.push(outer);
        stack.push(leftover);
        assertSame(leftover, stack.top());
        assertSame(outer, stack.pop(outer.message));
        assertEquals(0, stack.size());
    }

    @Test
    void theDepthIsBounded() {
        FrameStack stack = new FrameStack();
        for (int i = 0; i < FrameStack.MAX_DEPTH + 3; i++) {
            stack.push(frame("m" + i, i));
        }
        assertEquals(FrameStack.MAX_DEPTH, stack.size());
    }
}
