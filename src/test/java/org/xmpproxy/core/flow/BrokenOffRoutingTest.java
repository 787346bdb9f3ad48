package org.xmpproxy.core.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xmpproxy.core.Stanza.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.Message;
import org.xmpproxy.core.rule.MessageAt;
import org.xmpproxy.core.rule.MessageKey;
import org.xmpproxy.core.settings.InMemoryAccountSettings;

/**
 * Openfire breaks a routing off half way in a cluster whose node has just left: its routing table still lists that
 * node's sessions, the cluster task of a sent carbon to one throws in {@code MessageRouter}'s loop of sent carbons,
 * which nothing catches, and the sender's connection is closed with internal-server-error. The message reached its
 * addressee, but the after-routing call never comes: without more, the sender's other clients got neither a copy nor
 * a carbon, and no history row was written to catch them up. Once the sender's session is gone
 * ({@code openfire/SessionEnds}, {@link MirrorEngine#BROKEN_OFF_AFTER_MILLIS} later) the engine completes it.
 */
class BrokenOffRoutingTest {
    private final SimulatedOpenfire cluster = new SimulatedOpenfire();
    /** The history rows written, as "id direction". */
    private final List<String> rows = new ArrayList<>();
    /** What node 1's catch-up is told its clients missed, as "resource id". */
    private final List<String> missed = new ArrayList<>();
    private SimulatedOpenfire.Client home;
    private SimulatedOpenfire.Client tablet;
    private SimulatedOpenfire.Client phone;
    private SimulatedOpenfire.Client jane;

    @BeforeEach
    void start() {
        InMemoryAccountSettings settings = new InMemoryAccountSettings();
        MirrorCounters counters = new MirrorCounters();
        cluster.engine = new MirrorEngine(SimulatedOpenfire.DOMAIN, FixedMirrorConfig.defaults(), settings,
                cluster.node(1), cluster.node(1), counters,
                (routed, routedAt) -> rows.add(routed.stanza().getID() + " " + routed.direction()));
        cluster.engineOnNode2 = new MirrorEngine(SimulatedOpenfire.DOMAIN, FixedMirrorConfig.defaults(), settings,
                cluster.node(2), cluster.node(2), counters, (routed, routedAt) -> { });
        cluster.engine.onLiveDelivery(new LiveDeliveries() {
            @Override
            public void delivered(org.xmpp.packet.JID resource, MessageKey message) {
            }

            @Override
            public void missed(org.xmpp.packet.JID resource, MessageAt message) {
                missed.add(resource.getResource() + " " + message.id());
            }
        });
        // Openfire's loop of sent carbons takes john's sessions in this order: work (node 2) throws, tablet is never reached.
        home = cluster.connectOn(1, "john@example.org/home", false, 0);
        cluster.connectOn(2, "john@example.org/work", true, 0);
        tablet = cluster.connectOn(1, "john@example.org/tablet", true, 0);
        phone = cluster.connectOn(1, "john@example.org/phone", false, 0);
        jane = cluster.connectOn(1, "jane@example.org/laptop", false, 0);
        cluster.leftButStillRouted.add(2);
    }

    @Test
    void aRoutingOpenfireBrokeOffIsCompletedOnceItsSendersSessionIsGone() {
        Message m1 = chat("m1", "john@example.org/home", "jane@example.org/laptop", "see you at noon");
        assertFalse(cluster.route(m1, home), "broken off: home's connection closed");
        assertEquals(List.of(m1), cluster.brokenOff);
        assertEquals(Map.of("m1", 1), ConversationView.counts(jane.inbox), "it reached jane before the loop of sent carbons");
        assertEquals(Map.of(), ConversationView.counts(phone.inbox), "no after-routing call: no copy");
        assertEquals(Map.of(), ConversationView.counts(tablet.inbox), "no carbon: the loop broke off before it");
        assertEquals(List.of(), rows, "and no history row");
        assertTrue(cluster.engine.isRouting(home.address), "its routing waits for an after-routing call that never comes");

        assertEquals(1, cluster.engine.brokenOff(home.address, System.currentTimeMillis()));

        assertEquals(Map.of("m1", 1), ConversationView.counts(phone.inbox), "phone, without carbons, gets its copy");
        assertEquals(List.of("tablet m1"), missed, "tablet got no carbon: its catch-up sends it");
        assertTrue(rows.contains("m1 SENT"), "john's row: work, on the node that left, catches up on it where it logs in again");
        assertTrue(rows.contains("m1 RECEIVED"), "jane's row");
        assertFalse(cluster.engine.isRouting(home.address));
        assertEquals(0, cluster.engine.brokenOff(home.address, System.currentTimeMillis()), "completed once");
        assertEquals(Map.of("m1", 1), ConversationView.counts(phone.inbox));

        cluster.leftButStillRouted.clear();
        cluster.disconnect(cluster.connectOn(1, "john@example.org/work", true, 0)); // gone from Openfire's table too
        var again = cluster.connectOn(1, "john@example.org/home", false, 0);
        cluster.route(chat("m2", "jane@example.org/laptop", "john@example.org/home", "noon it is"), jane);
        assertEquals(Map.of("m1", 1, "m2", 1), ConversationView.counts(phone.inbox), "the engine goes on as before");
        assertEquals(Map.of("m2", 1), ConversationView.counts(again.inbox));
    }

    /**
     * What the client had already written into the connection is read after the close: Openfire calls the interceptors
     * before routing, finds the session no longer authenticated, and returns ({@code MessageRouter.route}), neither
     * routing it nor making the after-routing call. Those reached nobody: only the broken-off one is completed.
     */
    @Test
    void whatTheClientSentAfterTheBrokenOffMessageWasNotRoutedAndIsNotCompleted() {
        Message m1 = chat("m1", "john@example.org/home", "jane@example.org/laptop", "see you at noon");
        cluster.route(m1, home);
        for (String id : List.of("m2", "m3")) {
            cluster.engine.beforeRouting(chat(id, "john@example.org/home", "jane@example.org/laptop", "x"), home.address);
        }

        assertEquals(1, cluster.engine.brokenOff(home.address, System.currentTimeMillis()));

        assertEquals(Map.of("m1", 1), ConversationView.counts(phone.inbox), "no copy of what jane never got");
        assertEquals(Map.of("m1", 1), ConversationView.counts(jane.inbox));
        assertEquals(List.of("tablet m1"), missed);
        assertFalse(rows.stream().anyMatch(row -> row.startsWith("m2") || row.startsWith("m3")), "nor a row: " + rows);
        assertFalse(cluster.engine.isRouting(home.address), "forgotten");
    }

    /**
     * Jane writes to john's bare JID; Openfire's delivery to john/work, on the node that left, throws first (caught:
     * Openfire stores the message offline), then its sent carbon to jane/desk there throws (not caught). No session of
     * john's got it: once completed it is the account's (a session that takes it from the offline store before its row
     * is written would tell no other), so every one gets its copy at once, in its form.
     */
    @Test
    void aBrokenOffMessageThatReachedNobodyIsCaughtUpByAllTheAccountsSessions() {
        cluster.connectOn(2, "jane@example.org/desk", true, 0);
        Message m1 = chat("m1", "jane@example.org/laptop", "john@example.org", "lunch?");
        assertFalse(cluster.route(m1, jane));
        assertEquals(Map.of(), ConversationView.counts(phone.inbox));
        assertEquals(Map.of(), ConversationView.counts(tablet.inbox), "work's delivery threw before tablet's");

        assertEquals(1, cluster.engine.brokenOff(jane.address, System.currentTimeMillis()));

        assertEquals(Map.of("m1", 1), ConversationView.counts(home.inbox), "home's copy");
        assertEquals(Map.of("m1", 1), ConversationView.counts(phone.inbox), "phone's copy");
        assertEquals(Map.of("m1", 1), ConversationView.counts(tablet.inbox), "tablet's, as a carbon: Openfire sent none");
        assertEquals(List.of(), missed, "nothing left to catch up");
        assertEquals(1, rows.stream().filter("m1 RECEIVED"::equals).count(), "one row for john");
    }

    /** The routing thread may still finish (it was slow, not broken off): then nothing is done twice. */
    @Test
    void aRoutingCompletedAsBrokenOffIsNotCompletedAgainByItsAfterRoutingCall() {
        cluster.leftButStillRouted.clear();
        Message m1 = chat("m1", "john@example.org/home", "jane@example.org/laptop", "x");
        cluster.engine.beforeRouting(m1, home.address);
        assertEquals(1, cluster.engine.brokenOff(home.address, System.currentTimeMillis()));
        cluster.engine.afterRouting(m1);
        assertEquals(Map.of("m1", 1), ConversationView.counts(phone.inbox), "one copy");
        assertEquals(1, rows.stream().filter("m1 SENT"::equals).count(), "one row");
        assertEquals(0, cluster.engine.framesOnThisThread(), "its thread's stack let go of it");
    }

    /** What a new session of the same resource sends after the old one ended is its own routing, left alone. */
    @Test
    void aNewSessionOfTheSameResourceIsNotTakenForTheOneThatEnded() {
        long endedAt = System.currentTimeMillis() - 1;
        Message m2 = chat("m2", "john@example.org/home", "jane@example.org/laptop", "x");
        cluster.engine.beforeRouting(m2, home.address);
        assertEquals(0, cluster.engine.brokenOff(home.address, endedAt));
        assertTrue(cluster.engine.isRouting(home.address));
        cluster.engine.afterRouting(m2);
        assertEquals(Map.of("m2", 1), ConversationView.counts(phone.inbox), "completed by its own after-routing call");
        assertFalse(cluster.engine.isRouting(home.address));
    }

    /** A message another interceptor rejected never gets its after-routing call either: the sender's session stays, so nothing is done. */
    @Test
    void aRejectedMessageWhoseSenderStaysIsNeverCompleted() {
        cluster.leftButStillRouted.clear();
        cluster.rejectedByAnotherInterceptor = message -> "m1".equals(message.getID());
        cluster.route(chat("m1", "john@example.org/home", "jane@example.org/laptop", "x"), home);
        assertEquals(Map.of(), ConversationView.counts(jane.inbox));
        assertTrue(cluster.engine.isRouting(home.address), "its frame is left on the thread, as before");
        cluster.route(chat("m2", "john@example.org/home", "jane@example.org/laptop", "x"), home);
        assertEquals(Map.of("m2", 1), ConversationView.counts(phone.inbox), "only m2 is copied");
        assertEquals(List.of("m2 SENT", "m2 RECEIVED"), rows);
    }
}
