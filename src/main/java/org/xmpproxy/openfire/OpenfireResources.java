package org.xmpproxy.openfire;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jivesoftware.openfire.RoutingTable;
import org.jivesoftware.openfire.session.ClientSession;
import org.jivesoftware.util.JiveGlobals;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpp.packet.Presence;
import org.xmpproxy.core.flow.BareJidRouting;
import org.xmpproxy.core.flow.CopySink;
import org.xmpproxy.core.flow.ResourceDirectory;
import org.xmpproxy.core.flow.ResourcePresence;

/**
 * An account's resources and delivery to them: this node's sessions from {@link SessionDirectory}, in a cluster also
 * those of the other nodes from {@link OtherNodeSessions} (both read without a lock or a cluster call).
 */
final class OpenfireResources implements ResourceDirectory, CopySink {
    private final RoutingTable routingTable;
    private final SessionDirectory sessions;
    private final OtherNodeSessions otherNodes;

    OpenfireResources(RoutingTable routingTable, SessionDirectory sessions, OtherNodeSessions otherNodes) {
        this.routingTable = routingTable;
        this.sessions = sessions;
        this.otherNodes = otherNodes;
    }

    /**
     * Resources with an available presence: Openfire marks a session initialized after its first one. The sessions
     * come from {@link SessionDirectory} (no lock, no JID parsed); each is checked live here. Then those of other
     * nodes, as their node last shared them.
     */
    @Override
    public List<ResourcePresence> availableResources(JID account) {
        List<ResourcePresence> resources = new ArrayList<>(4);
        for (ClientSession session : sessions.openSessions(account)) {
            if (isAvailable(session)) {
                resources.add(new ResourcePresence(session.getAddress(), session.isMessageCarbonsEnabled()));
            }
        }
        addOtherNodes(account, resources);
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
        for (OtherNodeSessions.Held held : otherNodes.of(account)) {
            if (held.available()) {
                available++;
            }
        }
        return available;
    }

    @Override
    public boolean hasResourcesOnOtherNodes(JID account) {
        return otherNodes.hasAvailable(account);
    }

    @Override
    public boolean clustered() {
        return otherNodes.joined();
    }

    @Override
    public long membershipChangedAt() {
        return otherNodes.changedAt();
    }

    /** With each session's priority and show, which Openfire's routing to the bare JID reads (this node's: local reads). */
    @Override
    public List<ResourcePresence> resourcesAcrossNodes(JID account) {
        List<ResourcePresence> resources = new ArrayList<>(4);
        for (ClientSession session : sessions.openSessions(account)) {
            if (isAvailable(session)) {
                Presence presence = session.getPresence();
                String show = presence == null || presence.getShow() == null ? null : presence.getShow().name();
                resources.add(new ResourcePresence(session.getAddress(), session.isMessageCarbonsEnabled(), false,
                        presence == null ? 0 : presence.getPriority(), ResourcePresence.showRank(show)));
            }
        }
        addOtherNodes(account, resources);
        return resources;
    }

    private void addOtherNodes(JID account, List<ResourcePresence> resources) {
        for (OtherNodeSessions.Held held : otherNodes.of(account)) {
            if (held.available()) {
                resources.add(held.presence());
            }
        }
    }

    /** Openfire's properties, as {@code RoutingTableImpl.routeToBareJID} reads them (only for accounts spread over nodes). */
    @Override
    public BareJidRouting bareJidRouting() {
        if (JiveGlobals.getBooleanProperty("route.really-all-resources", false)) {
            return BareJidRouting.ALL_NON_NEGATIVE;
        }
        return JiveGlobals.getBooleanProperty("route.all-resources", false)
                ? BareJidRouting.ALL_OF_THE_HIGHEST : BareJidRouting.ONE_OF_THE_HIGHEST;
    }

    /**
     * Of the open sessions: a bound resource that sent its available presence. Openfire sets the presence (routes to
     * the session, tells presence listeners: catch-up's "came online") before it marks the session initialized, after
     * sending it its roster's pending requests: a message routed in between reaches the session from Openfire, and
     * must get its copies too, or it falls between live and catch-up.
     */
    static boolean isAvailable(ClientSession session) {
        JID address = session.getAddress();
        if (address == null || address.getResource() == null) {
            return false;
        }
        if (session.isInitialized()) {
            return true;
        }
        Presence presence = session.getPresence();
        return presence != null && presence.isAvailable();
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
     * resource's open session is found among its account's (no JID hashed); one on another node gets it through
     * Openfire's ProcessPacketTask ({@link ClusterCopies#process}); a closing one is the routing table's to give, as it
     * would be without xmpproxy (the copy is then refused by the interceptor and caught up later).
     */
    @Override
    public void deliver(JID resource, Message copy) {
        ClientSession session = openSession(resource);
        if (session == null) {
            OtherNodeSessions.Held there = otherNodes.find(resource);
            if (there != null) {
                ClusterCopies.process(there.node(), resource, copy);
                return;
            }
            session = routingTable.getClientRoute(resource);
        }
        if (session != null) {
            session.process(copy);
        }
    }

    @Override
    public String nodeOf(JID resource) {
        OtherNodeSessions.Held there = otherNodes.find(resource);
        return there == null ? null : OtherNodeSessions.nodeKey(there.node());
    }

    /** Left to the session's node ({@link ClusterCopies#leaveTo}); a session of this node saw its deliveries here. */
    @Override
    public void deliverUnlessItGotTheOriginal(JID resource, Message copy, String original) {
        OtherNodeSessions.Held there = otherNodes.find(resource);
        if (there != null) {
            ClusterCopies.leaveTo(there.node(), resource, copy, original);
        } else {
            deliver(resource, copy);
        }
    }

    /** The newest: a session a newer one with its resource replaced may still be open a moment. */
    private ClientSession openSession(JID resource) {
        return sessions.newestOpen(resource);
    }
}
