package org.xmpproxy.openfire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import org.jivesoftware.openfire.session.ClientSession;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpproxy.core.flow.FixedMirrorConfig;
import org.xmpproxy.core.flow.MirrorCounters;
import org.xmpproxy.core.flow.MirrorEngine;
import org.xmpproxy.core.flow.ResourcePresence;
import org.xmpproxy.core.settings.InMemoryAccountSettings;

/**
 * A client session is gone while a message it sent still waits for its after-routing call (Openfire broke the routing
 * off and closed the connection): the engine is asked to complete it {@link MirrorEngine#BROKEN_OFF_AFTER_MILLIS}
 * later, off the packet path, and the account's other client then gets its copy.
 */
class SessionEndsTest {
    private static final JID HOME = new JID("john@example.org/home");
    private static final JID PHONE = new JID("john@example.org/phone");

    private final List<String> copies = new ArrayList<>();
    private final MirrorEngine engine = new MirrorEngine("example.org", FixedMirrorConfig.defaults(), new InMemoryAccountSettings(),
            account -> account.getNode().equals("john")
                    ? List.of(new ResourcePresence(HOME, false), new ResourcePresence(PHONE, false)) : List.of(),
            (resource, copy) -> copies.add(resource.getResource() + " " + copy.getID()), new MirrorCounters(), (routed, at) -> { });
    /** The tasks asked for, with their delay. */
    private final List<Runnable> tasks = new ArrayList<>();
    private final List<Long> delays = new ArrayList<>();
    private final SessionEnds ends = new SessionEnds(engine, address -> null, (task, delay) -> {
        tasks.add(task);
        delays.add(delay);
    });

    @Test
    void aMessageItsSessionSentAndOpenfireNeverFinishedIsCompletedLater() {
        Message m1 = chat("m1");
        engine.beforeRouting(m1, HOME); // and no after-routing call: the router threw

        ends.sessionDestroyed(session(HOME));

        assertEquals(List.of(MirrorEngine.BROKEN_OFF_AFTER_MILLIS), delays, "asked for once, after the grace");
        assertEquals(List.of(), copies, "nothing on the session's own thread");
        tasks.get(0).run();
        assertEquals(List.of("phone m1"), copies, "phone gets its copy");
        assertFalse(engine.isRouting(HOME));
    }

    @Test
    void aSessionWithNothingInTheRouterAsksForNothing() {
        Message m1 = chat("m1");
        engine.beforeRouting(m1, HOME);
        engine.afterRouting(m1);

        ends.sessionDestroyed(session(HOME));

        assertEquals(List.of(), tasks);
        assertEquals(List.of("phone m1"), copies, "its copy came after routing, once");
    }

    private static Message chat(String id) {
        return FakeClientSession.chatToJane(HOME, id);
    }

    private static ClientSession session(JID address) {
        return FakeClientSession.of(address, false);
    }
}
