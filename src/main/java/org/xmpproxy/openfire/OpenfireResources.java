package org.xmpproxy.openfire;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jivesoftware.openfire.RoutingTable;
import org.jivesoftware.openfire.session.ClientSession;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpproxy.core.flow.CopySink;
import org.xmpproxy.core.flow.ResourceDirectory;
import org.xmpproxy.core.flow.ResourcePresence;

/** An account's resources and delivery to them, through Openfire's routing table. */
final class OpenfireResources implements ResourceDirectory, CopySink {
    private final RoutingTable routingTable;
    private final SessionDirectory sessions;

    OpenfireResources(RoutingTable routingTable, SessionDirectory sessions) {
        this.routingTable = routingTable;
        this.sessions = sessions;
    }

    /**
     * Resources with an available presence: Openfire marks a session initialized after its first one. The sessions
     * come from {@link SessionDirectory} (no lock, no JID parsed); each is checked live here.
     */
    @Override
    public List<ResourcePresence> availableResources(JID account) {
        List<ResourcePresence> resources = new ArrayList<>(4);
        for (ClientSession session : sessions.openSessions(account)) {
            if (isAvailable(session)) {
                resources.add(new ResourcePresence(session.getAddress(), session.isMessageCarbonsEnabled()));
            }
        }
        return resources;
    }

    /** As {@link #availableResources}, counted without building anything (asked for every message of a mirrored account). */
    @Override
    public int availableCount(JID account) {
        int available = 0;
        for (ClientSession session : sessions.openSessions(account)) {
            if (isAvailable(session)) {
                available++;
            }
        }
        return available;
    }

    /** Of the open sessions: a bound resource that sent its available presence (Openfire marks the session initialized then). */
    private static boolean isAvailable(ClientSession session) {
        JID address = session.getAddress();
        return address != null && address.getResource() != null && session.isInitialized();
    }

    /**
     * Sessions whose connection closed and that Openfire has not removed yet (it re-routes what they left
     * unacknowledged), including one a newer session with its resource replaced: the routing table no longer lists
     * that one, so they come from {@link SessionDirectory}, which also costs no scan of the server's sessions.
     */
    @Override
    public Set<JID> closingResources(JID account) {
        return sessions.closingResources(account);
    }

    /**
     * As Openfire's own carbons do: {@code ClientSession.process}, which queues without waiting for the socket. The
     * resource's open session is found among its account's (no JID hashed); a closing one is the routing table's to
     * give, as it would be without xmpproxy (the copy is then refused by the interceptor and caught up later).
     */
    @Override
    public void deliver(JID resource, Message copy) {
        ClientSession session = openSession(resource);
        if (session == null) {
            session = routingTable.getClientRoute(resource);
        }
        if (session != null) {
            session.process(copy);
        }
    }

    private ClientSession openSession(JID resource) {
        for (ClientSession session : sessions.openSessions(resource)) {
            if (resource.equals(session.getAddress())) {
                return session;
            }
        }
        return null;
    }
}
