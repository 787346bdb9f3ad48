package org.xmpproxy.core.flow;

import org.xmpp.packet.JID;
import org.xmpproxy.core.rule.MessageAt;

/**
 * Hands the node that holds a session the carbons a failed node was to send it ({@link AwaitedCarbons}, with three
 * nodes or more): only that node saw whether they came ({@link MirrorEngine#carbonMaybeMissed}). Must not block.
 */
@FunctionalInterface
public interface CarbonChecks {
    CarbonChecks NONE = (node, resource, message) -> { };

    /** {@code node} holds {@code resource}'s session, which was to get a carbon of {@code message} from a node that left. */
    void check(String node, JID resource, MessageAt message);
}
