package org.jivesoftware.openfire;

import java.util.List;
import org.jivesoftware.openfire.session.ClientSession;
import org.xmpp.packet.JID;

/** Compile-only mirror of Openfire 5.1.1 {@code RoutingTable} (an interface). */
public interface RoutingTable {
    /** Full JIDs of the available resources of {@code route} (a bare JID) that {@code requester} may see; null = all. */
    List<JID> getRoutes(JID route, JID requester);

    ClientSession getClientRoute(JID jid);

    /** The client sessions of this node only ({@code true}), or of the whole cluster (remote ones ask their node for most things). */
    java.util.Collection<ClientSession> getClientsRoutes(boolean onlyLocal);
}
