package org.xmpproxy.openfire;

import java.util.function.BiConsumer;
import java.util.function.Function;
import org.jivesoftware.openfire.session.ClientSession;
import org.jivesoftware.openfire.session.Session;
import org.xmpp.packet.JID;
import org.xmpproxy.core.flow.MirrorEngine;

/**
 * Tells the engine when a client session is gone, so that what it recorded of the session's deliveries goes too.
 * Openfire removes a session after routing again what it left unacknowledged (XEP-0198), so the record serves that
 * routing first. A session whose resource another session took over meanwhile leaves the newer one's record alone.
 *
 * <p>A message the session sent may still wait for its after-routing call: Openfire broke its routing off (an exception
 * in its loop of sent carbons, in a cluster whose node just left) and closed the connection. If it still waits
 * {@link MirrorEngine#BROKEN_OFF_AFTER_MILLIS} after the session ended, the engine completes it then.
 */
final class SessionEnds extends SessionEventsAdapter {
    private final MirrorEngine engine;
    private final Function<JID, ClientSession> routeOf;
    private final BiConsumer<Runnable, Long> later;

    /**
     * @param routeOf the routing table's session for a full JID ({@code RoutingTable::getClientRoute})
     * @param later   runs a task off the packet path after a delay in milliseconds
     */
    SessionEnds(MirrorEngine engine, Function<JID, ClientSession> routeOf, BiConsumer<Runnable, Long> later) {
        this.engine = engine;
        this.routeOf = routeOf;
        this.later = later;
    }

    @Override
    public void sessionDestroyed(Session session) {
        JID address = session.getAddress();
        if (!(session instanceof ClientSession) || address == null || address.getResource() == null) {
            return;
        }
        ClientSession route = routeOf.apply(address);
        if (route == null || route == session) {
            engine.sessionEnded(address);
        }
        if (engine.isRouting(address)) {
            long endedAt = System.currentTimeMillis();
            later.accept(() -> engine.brokenOff(address, endedAt), MirrorEngine.BROKEN_OFF_AFTER_MILLIS);
        }
    }
}
