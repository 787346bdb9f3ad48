package org.xmpproxy.openfire;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * Openfire closes a connection whose message it could not route (an exception in its router), and then still reads
 * what the client had written into it: the router's interceptors run before routing, but the session is no longer
 * authenticated, so the message is neither routed nor given an after-routing call. xmpproxy follows none of those.
 */
class MirroringInterceptorTest {
    private static final JID HOME = new JID("john@example.org/home");
    private static final JID PHONE = new JID("john@example.org/phone");

    private final MirrorEngine engine = new MirrorEngine("example.org", FixedMirrorConfig.defaults(), new InMemoryAccountSettings(),
            account -> List.of(new ResourcePresence(HOME, false), new ResourcePresence(PHONE, false)),
            (resource, copy) -> { }, new MirrorCounters(), (routed, at) -> { });
    private final MirroringInterceptor interceptor = new MirroringInterceptor(engine,
            new StoppingNode(() -> false, false, List::of, () -> true));

    @Test
    void whatAClosedSessionStillSentIsNotFollowed() throws Exception {
        interceptor.interceptPacket(chat("m1"), session(true), true, false);
        assertFalse(engine.isRouting(HOME), "nothing waits for an after-routing call that never comes");
    }

    @Test
    void whatAnOpenSessionSendsIsFollowedUntilItsAfterRoutingCall() throws Exception {
        Message m1 = chat("m1");
        interceptor.interceptPacket(m1, session(false), true, false);
        assertTrue(engine.isRouting(HOME));
        interceptor.interceptPacket(m1, session(false), true, true);
        assertFalse(engine.isRouting(HOME));
    }

    private static Message chat(String id) {
        return FakeClientSession.chatToJane(HOME, id);
    }

    private static ClientSession session(boolean closed) {
        return FakeClientSession.of(HOME, closed);
    }
}
