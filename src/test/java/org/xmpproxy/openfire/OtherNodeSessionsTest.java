package org.xmpproxy.openfire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jivesoftware.openfire.RoutingTable;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;
import org.xmpp.packet.Presence;
import org.xmpproxy.core.flow.ResourcePresence;

/**
 * The sessions other cluster nodes hold, as the clustered session information shares them: listed with the account's
 * own, with what Openfire's routing to the bare JID reads of them, and never asked anything over the network.
 */
class OtherNodeSessionsTest {
    private static final byte[] NODE_2 = "node-2".getBytes(StandardCharsets.UTF_8);
    private static final JID JOHN = new JID("john@example.org");

    private final SessionDirectory directory = new SessionDirectory(jid -> null);
    private final OtherNodeSessions otherNodes = new OtherNodeSessions("example.org");
    private final OpenfireResources resources = new OpenfireResources((RoutingTable) Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {RoutingTable.class}, (proxy, method, args) -> {
                throw new AssertionError("the routing table is not asked per message: " + method.getName());
            }), directory, otherNodes);

    @Test
    void aSessionOnAnotherNodeIsListedWithItsPriorityShowAndCarbonsFromTheSharedInformation() {
        assertFalse(resources.hasResourcesOnOtherNodes(JOHN), "unclustered: nothing");
        Presence away = new Presence();
        away.setPriority(3);
        away.setShow(Presence.Show.away);
        otherNodes.put("john@example.org/work", NODE_2, away, true);

        assertTrue(resources.hasResourcesOnOtherNodes(JOHN));
        assertEquals(List.of(new ResourcePresence(new JID("john@example.org/work"), true, true, 3, 3)),
                resources.resourcesAcrossNodes(JOHN));
        assertEquals(1, resources.availableCount(JOHN));
        assertFalse(resources.hasResourcesOnOtherNodes(new JID("john@elsewhere.example")), "another domain's john");
    }

    @Test
    void aPresenceChangeReplacesTheEntryAndAnUnavailableOneIsNotListed() {
        otherNodes.put("john@example.org/work", NODE_2, new Presence(), false);
        otherNodes.put("john@example.org/work", NODE_2, new Presence(Presence.Type.unavailable), false);
        assertEquals(List.of(), resources.availableResources(JOHN));
        assertFalse(resources.hasResourcesOnOtherNodes(JOHN));
        assertEquals(1, otherNodes.of(JOHN).length, "one entry per session");
    }

    @Test
    void aSessionRemovedOrItsNodeGoneIsForgotten() {
        otherNodes.put("john@example.org/work", NODE_2, new Presence(), false);
        otherNodes.put("john@example.org/tablet", NODE_2, new Presence(), false);
        otherNodes.remove("john@example.org/work");
        assertEquals(1, resources.availableCount(JOHN));
        otherNodes.leftCluster(NODE_2.clone());
        assertEquals(0, resources.availableCount(JOHN));
    }

    /** The view changes as a whole when a node leaves, or this one: a routing that began before then is told so. */
    @Test
    void aNodeLeavingOrThisOneLeavingSaysWhenTheViewChanged() {
        assertEquals(Long.MIN_VALUE, resources.membershipChangedAt(), "never");
        otherNodes.put("john@example.org/work", NODE_2, new Presence(), false);
        assertEquals(Long.MIN_VALUE, resources.membershipChangedAt(), "not by a session coming or going");
        long before = System.currentTimeMillis();
        otherNodes.leftCluster(NODE_2.clone());
        long another = resources.membershipChangedAt();
        assertTrue(another >= before && another <= System.currentTimeMillis(), "another node left");
        otherNodes.leftCluster();
        assertTrue(resources.membershipChangedAt() >= another, "this node left");
    }
}
