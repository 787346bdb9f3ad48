package org.xmpproxy.openfire;

import java.util.function.Function;
import org.jivesoftware.openfire.session.ClientSession;
import org.jivesoftware.openfire.session.Session;
import org.xmpp.packet.JID;
import org.xmpproxy.core.flow.MirrorEngine;

/**
 * Tells the engine when a client session is gone, so that what it recorded of the session's deliveries goes too.
 * Openfire removes a session after routing again what it left unacknowledged (XEP-0198), so the record serves that
 * routing first. A session whose resource another session took over meanwhile leaves the newer one's record alone.
 */
final class SessionEnds extends SessionEventsAdapter {
    private final MirrorEngine engine;
    private final Function<JID, ClientSession> routeOf;

    /** @param routeOf the routing table's session for a full JID ({@code RoutingTable::getClientRoute}) */
    SessionEnds(MirrorEngine engine, Function<JID, ClientSession> routeOf) {
        this.engine = engine;
        this.routeOf = routeOf;
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
    }
}
