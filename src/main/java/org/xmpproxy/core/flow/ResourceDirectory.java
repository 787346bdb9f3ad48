package org.xmpproxy.core.flow;

import java.util.List;
import java.util.Set;
import org.xmpp.packet.JID;

/**
 * The server's view of an account's available resources (those that sent an available presence), in a cluster
 * those on every node.
 */
public interface ResourceDirectory {
    List<ResourcePresence> availableResources(JID account);

    /** How many resources {@link #availableResources} would list; asked for every message, so cheaper where it can be. */
    default int availableCount(JID account) {
        return availableResources(account).size();
    }

    /** The account's resources whose session is closing (its connection is gone, the session not yet removed). */
    default Set<JID> closingResources(JID account) {
        return Set.of();
    }

    /**
     * Whether the account has an available session on another node of a cluster: only then is what Openfire
     * delivered there worked out ({@link OtherNodeDeliveries}). Asked per message: a map look-up, false unclustered.
     */
    default boolean hasResourcesOnOtherNodes(JID account) {
        return false;
    }

    /**
     * The account's available resources with their priority and show ({@link ResourcePresence}), for an account
     * {@link #hasResourcesOnOtherNodes}: what Openfire's routing to the bare JID reads.
     */
    default List<ResourcePresence> resourcesAcrossNodes(JID account) {
        return availableResources(account);
    }

    /**
     * The cluster node that holds this full JID's session, when another node does (an id that {@code leftCluster}
     * names the same way); null when this node holds it, nobody does, or unclustered.
     */
    default String nodeOf(JID resource) {
        return null;
    }

    /** Whether this node is in a cluster of several nodes now (asked per message routed: a field read). */
    default boolean clustered() {
        return false;
    }

    /**
     * When this node last joined or left the cluster, or saw another node leave (epoch millis; {@link Long#MIN_VALUE}
     * if never): the view of the other nodes' sessions changed then, and a routing that began before it reads, after
     * routing, a view that is not the one Openfire routed by (asked once a routing is done: a field read).
     */
    default long membershipChangedAt() {
        return Long.MIN_VALUE;
    }

    /** How Openfire routes a message to a bare JID (its properties, read when an account has sessions on other nodes). */
    default BareJidRouting bareJidRouting() {
        return BareJidRouting.ONE_OF_THE_HIGHEST;
    }
}
