package org.xmpproxy.core.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpproxy.core.stanza.JidSet;

/**
 * What Openfire delivered of a message this node routed to an account, on the account's sessions held by other
 * nodes of a cluster: those deliveries run there (a cluster task) and are never seen here. Worked out from
 * Openfire 5.1.1's own rules ({@code RoutingTableImpl.routeToLocalDomain} and {@code routeToBareJID}) over the
 * cluster-wide view of the account's sessions (priority, show, carbons flag: the clustered session information,
 * read without a cluster call). For each message the first row that matches decides.
 *
 * <pre>
 *  addressed to                                    -> got the original on another node
 *  a full JID held by another node                 -> that resource (RemotePacketExecution: its node delivers,
 *                                                     and its carbons follow the usual rule)
 *  a full JID held here                            -> nobody there (delivered here, seen)
 *  a full JID nobody holds, chat                   -> as to the bare JID (MessageRouter.routingFailed)
 *  a full JID nobody holds, other types            -> nobody (stored offline or bounced)
 *  the bare JID, an error                          -> nobody (Openfire drops it)
 *  the bare JID, no non-negative session           -> nobody (stored offline)
 *  the bare JID:
 *    carbons enabled, message carbons-eligible     -> every such session of non-negative priority
 *    route.really-all-resources                    -> every session of non-negative priority
 *    one session of the highest priority           -> it
 *    route.all-resources                           -> every session of the highest priority
 *    one session of the highest priority and show  -> it
 *    a tie (Openfire picks the most recently active, a synchronous cluster call this node must not make):
 *      a tied session here got the original        -> nobody else (it was the one)
 *      the tied sessions not seen here all have it -> nobody else (carbons)
 *      one tied session not seen here is left      -> it
 *      otherwise                                   -> undecided: each tied session on another node without
 *                                                     carbons gets its copy from its own node, unless the
 *                                                     original reached it there ({@link CopySink#deliverUnlessItGotTheOriginal})
 * </pre>
 */
final class OtherNodeDeliveries {
    /**
     * @param receivedOriginal the account's resources on other nodes that got the original
     * @param undecided        resources on other nodes that may have got it: their node decides
     */
    record Outcome(Set<JID> receivedOriginal, Set<JID> undecided) {
        static final Outcome NONE = new Outcome(Set.of(), Set.of());
    }

    private OtherNodeDeliveries() {
    }

    /**
     * @param stanza          the message as routed (Openfire removed {@code <private/>})
     * @param seenHere        the account's resources this node saw get the original
     * @param resources       the account's available resources on every node
     * @param carbonsEligible whether Openfire deems the message eligible for carbons ({@code Forwarded.isEligibleForCarbonsDelivery})
     */
    static Outcome of(Message stanza, Set<JID> seenHere, List<ResourcePresence> resources, boolean carbonsEligible,
                      BareJidRouting routing) {
        JID to = stanza.getTo();
        if (to != null && to.getResource() != null) {
            for (ResourcePresence resource : resources) {
                if (resource.address().equals(to)) {
                    return resource.onOtherNode() ? new Outcome(Set.of(to), Set.of()) : Outcome.NONE;
                }
            }
            if (stanza.getType() != Message.Type.chat) {
                return Outcome.NONE;
            }
        }
        return toBareJid(stanza, seenHere, resources, carbonsEligible, routing);
    }

    private static Outcome toBareJid(Message stanza, Set<JID> seenHere, List<ResourcePresence> resources,
                                     boolean carbonsEligible, BareJidRouting routing) {
        if (stanza.getType() == Message.Type.error) {
            return Outcome.NONE;
        }
        List<ResourcePresence> nonNegative = new ArrayList<>(resources.size());
        for (ResourcePresence resource : resources) {
            if (resource.priority() >= 0) {
                nonNegative.add(resource);
            }
        }
        Set<JID> got = new JidSet();
        for (ResourcePresence resource : nonNegative) {
            if ((resource.carbonsEnabled() && carbonsEligible) || routing == BareJidRouting.ALL_NON_NEGATIVE) {
                got.add(resource.address());
            }
        }
        if (nonNegative.isEmpty() || routing == BareJidRouting.ALL_NON_NEGATIVE) {
            return onOtherNodes(got, Set.of(), resources);
        }
        int highest = nonNegative.stream().mapToInt(ResourcePresence::priority).max().getAsInt();
        List<ResourcePresence> top = nonNegative.stream().filter(r -> r.priority() == highest).toList();
        if (top.size() > 1 && routing == BareJidRouting.ONE_OF_THE_HIGHEST) {
            int bestShow = top.stream().mapToInt(ResourcePresence::showRank).min().getAsInt();
            top = top.stream().filter(r -> r.showRank() == bestShow).toList();
        }
        if (top.size() == 1 || routing == BareJidRouting.ALL_OF_THE_HIGHEST) {
            top.forEach(r -> got.add(r.address()));
            return onOtherNodes(got, Set.of(), resources);
        }
        // A tie: Openfire delivers to the most recently active of 'top' (unless that one has it already, by carbons).
        List<ResourcePresence> notSeen = new ArrayList<>(top.size());
        for (ResourcePresence tied : top) {
            boolean hasIt = got.contains(tied.address());
            if (!hasIt && !tied.onOtherNode()) {
                if (seenHere.contains(tied.address())) {
                    return onOtherNodes(got, Set.of(), resources); // this node delivered to the one it picked
                }
                continue; // here and not seen: not the one picked
            }
            notSeen.add(tied);
        }
        Set<JID> undecided = new JidSet();
        for (ResourcePresence candidate : notSeen) {
            if (!got.contains(candidate.address())) {
                undecided.add(candidate.address());
            }
        }
        if (notSeen.size() == 1) {
            got.addAll(undecided); // the only one it can have been
            undecided.clear();
        }
        return onOtherNodes(got, undecided, resources);
    }

    /** Only what happened on other nodes: this node's own deliveries are seen as they happen. */
    private static Outcome onOtherNodes(Set<JID> got, Set<JID> undecided, List<ResourcePresence> resources) {
        Set<JID> there = new JidSet();
        for (ResourcePresence resource : resources) {
            if (resource.onOtherNode() && got.contains(resource.address())) {
                there.add(resource.address());
            }
        }
        return there.isEmpty() && undecided.isEmpty() ? Outcome.NONE : new Outcome(there, undecided);
    }
}
