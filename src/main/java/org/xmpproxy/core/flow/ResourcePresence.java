package org.xmpproxy.core.flow;

import org.xmpp.packet.JID;

/**
 * What the server knows of one available resource: its address, whether it enabled carbons, and, for an account
 * whose sessions are spread over the nodes of a cluster, what Openfire's routing to the bare JID reads of it
 * ({@link OtherNodeDeliveries}): whether its session is on another node, its presence priority and show.
 *
 * @param onOtherNode whether its session is held by another cluster node (its deliveries are not seen here)
 * @param priority    its presence priority (read only for accounts with a session on another node)
 * @param showRank    Openfire's order of the presence show ({@code RoutingTableImpl.getShowValue}): 1 chat,
 *                    2 none (available), 3 away, 4 xa, 5 dnd; lower wins
 */
public record ResourcePresence(JID address, boolean carbonsEnabled, boolean onOtherNode, int priority, int showRank) {
    /** Openfire's rank of an available presence without a show. */
    public static final int SHOW_NONE = 2;

    /** A resource of this node, as unclustered: its priority is not read (no rule on one node needs it). */
    public ResourcePresence(JID address, boolean carbonsEnabled) {
        this(address, carbonsEnabled, false, 0, SHOW_NONE);
    }

    /** Openfire's rank of a presence show ({@code RoutingTableImpl.getShowValue}); {@code show} as in XMPP, null for none. */
    public static int showRank(String show) {
        if (show == null) {
            return SHOW_NONE;
        }
        return switch (show) {
            case "chat" -> 1;
            case "away" -> 3;
            case "xa" -> 4;
            default -> 5; // dnd, and what Openfire does not know, ranks last
        };
    }
}
