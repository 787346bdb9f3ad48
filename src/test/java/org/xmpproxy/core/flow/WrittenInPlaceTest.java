package org.xmpproxy.core.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.xmpproxy.core.Stanza.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;
import org.xmpproxy.core.rule.MessageAt;
import org.xmpproxy.core.rule.MessageKey;
import org.xmpproxy.core.rule.RoutedMessage;
import org.xmpproxy.core.settings.InMemoryAccountSettings;

/**
 * Issue 18, a node killed: node 2 routes what its clients send; Openfire delivers to node 1's sessions at once (its
 * cluster tasks), xmpproxy's copies and history rows follow. Killed in between, node 2 takes the rows (its write queue)
 * and the copies with it: john/home on node 1 never gets john/work's message, and jane/phone, back on node 1, has no
 * row to catch up on. Node 1 saw the message reach its own sessions; when node 2 has left and not written the rows,
 * node 1 writes them and reports who missed the message (its catch-up sends it). The clients are those of the
 * end-to-end suite: john/home, jane/desk (carbons) on node 1; john/work, jane/phone on node 2.
 */
class WrittenInPlaceTest {
    private final SimulatedOpenfire cluster = new SimulatedOpenfire();
    /** The rows each node's history queue took, as "account direction id". */
    private final List<String> rowsOn1 = new ArrayList<>();
    private final Map<JID, Set<MessageKey>> writtenBy2 = new ConcurrentHashMap<>();
    private final Map<JID, Set<MessageKey>> writtenBy1 = new ConcurrentHashMap<>();
    private final List<String> missedOn1 = new ArrayList<>();
    private final List<MessageAt> missedRows = new ArrayList<>();
    private SimulatedOpenfire.Client home;
    private SimulatedOpenfire.Client desk;
    private SimulatedOpenfire.Client work;
    private SimulatedOpenfire.Client phone;

    @BeforeEach
    void start() {
        InMemoryAccountSettings settings = new InMemoryAccountSettings();
        cluster.engine = new MirrorEngine(SimulatedOpenfire.DOMAIN, FixedMirrorConfig.defaults(), settings,
                cluster.node(1), cluster.node(1), new MirrorCounters(), (routed, at) -> {
                    rowsOn1.add(row(routed));
                    writtenBy1.computeIfAbsent(routed.account(), a -> ConcurrentHashMap.newKeySet()).add(MessageKey.of(routed));
                });
        cluster.engineOnNode2 = new MirrorEngine(SimulatedOpenfire.DOMAIN, FixedMirrorConfig.defaults(), settings,
                cluster.node(2), cluster.node(2), new MirrorCounters(), (routed, at) ->
                writtenBy2.computeIfAbsent(routed.account(), a -> ConcurrentHashMap.newKeySet()).add(MessageKey.of(routed)));
        org.xmpproxy.core.copy.CopySeal seal = org.xmpproxy.core.copy.CopySeal.of(org.xmpproxy.core.copy.CopySeal.newSecret());
        cluster.engine.sealCopiesWith(seal); // the kept secret: one for the cluster
        cluster.engineOnNode2.sealCopiesWith(seal);
        cluster.engine.onLiveDelivery(new LiveDeliveries() {
            @Override
            public void delivered(JID resource, MessageKey message) {
            }

            @Override
            public void missed(JID resource, MessageAt message) {
                missedOn1.add(resource.getResource() + " " + message.id());
                missedRows.add(message);
            }

            @Override
            public void missed(JID resource, MessageKey message) {
                missedOn1.add(resource.getResource() + " " + message.id() + " (by key)");
            }
        });
        home = cluster.connectOn(1, "john@example.org/home", false, 0);
        desk = cluster.connectOn(1, "jane@example.org/desk", true, 0);
        work = cluster.connectOn(2, "john@example.org/work", false, 0);
        phone = cluster.connectOn(2, "jane@example.org/phone", false, 0);
    }

    /** What node 2 wrote before it went (nothing, when killed before its copies). */
    private FailedNodeRows database() {
        return FailedNodeRows.alone(account -> cluster.diesBeforeItsCopies.contains(2) ? Set.of()
                : writtenBy2.getOrDefault(account, Set.of()));
    }

    @Test
    void aMessageToAFullJidHereIsWrittenAndCaughtUpByWhoeverMissedIt() throws Exception {
        cluster.diesBeforeItsCopies.add(2);
        send(work, "jane@example.org/desk", "m1");
        assertEquals(Map.of("m1", 1), ConversationView.counts(desk.inbox), "Openfire delivered it before node 2 died");
        assertEquals(Map.of(), ConversationView.counts(home.inbox), "node 2's copy died with it");

        cluster.engine.nodeLeft("node2");
        assertEquals(2, cluster.engine.writeInPlaceOf("node2", database()), "john's sent row, jane's received row");

        assertEquals(List.of("john@example.org S m1", "jane@example.org R m1"), rowsOn1);
        // home here; phone was on node 2 (it catches up wherever it logs in again); not desk (it has it), not work (it wrote it)
        assertEquals(List.of("home m1", "phone m1"), missedOn1);
        assertEquals(0, cluster.engine.writeInPlaceOf("node2", database()), "written once");
    }

    @Test
    void aNodeThatWroteItsRowsBeforeItLeftLeavesNothingToWrite() throws Exception {
        send(work, "jane@example.org/desk", "m1");
        send(phone, "john@example.org", "m2");
        assertEquals(Map.of("m1", 1, "m2", 1), ConversationView.counts(home.inbox), "node 2's copy, and m2 itself or a copy");

        cluster.engine.nodeLeft("node2"); // shut down in order: its queue was written
        assertEquals(0, cluster.engine.writeInPlaceOf("node2", database()));
        assertEquals(List.of(), rowsOn1);
        assertEquals(List.of(), missedOn1, "nobody gets it twice");
    }

    /**
     * Jane/phone writes to john's bare JID; Openfire gives it to john/work on node 2 (most recently active), and its sent
     * carbon to jane/desk here is all node 1 sees of it: enough to write both rows. John/home missed it.
     */
    @Test
    void aMessageSeenOnlyInOneOfOpenfiresCarbonsIsWrittenToo() throws Exception {
        cluster.diesBeforeItsCopies.add(2);
        work.lastActive = 1_000_000;
        send(phone, "john@example.org", "m1");
        assertEquals(Map.of("m1", 1), ConversationView.counts(desk.inbox), "Openfire's sent carbon");
        assertEquals(Map.of(), ConversationView.counts(home.inbox));

        cluster.engine.nodeLeft("node2");
        assertEquals(2, cluster.engine.writeInPlaceOf("node2", database()));

        assertEquals(List.of("jane@example.org S m1", "john@example.org R m1"), rowsOn1);
        assertEquals(List.of("home m1"), missedOn1, "work had the original on node 2; desk the carbon; phone wrote it");
    }

    /**
     * Node 2 shut down: it wrote its rows, but in its last moment it had left the cluster before its copy for home went
     * (nothing a node hands over after it has left goes anywhere). Home did not get it: reported, by key.
     */
    @Test
    void aRowTheStoppingNodeWroteWhoseCopyWentNowhereIsCaughtUpHere() throws Exception {
        cluster.diesBeforeItsCopies.add(2); // its copies go nowhere; its queue is written all the same
        send(work, "jane@example.org/desk", "m1");
        assertEquals(Map.of(), ConversationView.counts(home.inbox));

        cluster.engine.nodeLeft("node2");
        assertEquals(0, cluster.engine.writeInPlaceOf("node2", FailedNodeRows.alone(account -> writtenBy2.getOrDefault(account, Set.of()))),
                "node 2 wrote both rows");
        assertEquals(List.of("home m1 (by key)"), missedOn1, "home here; not desk (it has it), not node 2's phone (its marks tell)");
    }

    /**
     * Node 2 shut down in the middle of routing m1 (to phone, there): it had left the cluster before its copies for home
     * and desk went, and it wrote the rows. Nothing of m1 reached node 1, which learns of it from the rows of node 2's
     * last moment: home and desk are sent it. Not what node 1 routed itself (m2), nor what reached them (m0).
     */
    @Test
    void aRowOfTheLeavingNodesLastMomentThatNothingHereGotIsCaughtUpHere() throws Exception {
        desk.carbons = false; // no carbon from node 2 either: only xmpproxy's copies, which went nowhere
        send(work, "jane@example.org/desk", "m0"); // reached desk and home here
        send(home, "jane@example.org/phone", "m2"); // routed here
        cluster.diesBeforeItsCopies.add(2);
        send(work, "jane@example.org/phone", "m1");
        assertEquals(Map.of("m0", 1, "m2", 1), ConversationView.counts(desk.inbox));
        assertEquals(Map.of("m0", 1), ConversationView.counts(home.inbox));

        cluster.engine.nodeLeft("node2");
        FailedNodeRows shared = FailedNodeRows.alone(account -> {
            Set<MessageKey> all = new java.util.HashSet<>(writtenBy2.getOrDefault(account, Set.of()));
            all.addAll(writtenBy1.getOrDefault(account, Set.of()));
            return all;
        });
        assertEquals(0, cluster.engine.writeInPlaceOf("node2", shared), "node 2 wrote its rows");
        assertEquals(List.of("work m2", "phone m2"), missedOn1.subList(0, 2), "what node 1 handed node 2's clients (HandedOver)");
        assertEquals(List.of("home m1 (by key)", "desk m1 (by key)"), missedOn1.subList(2, missedOn1.size()), "and nothing of m0 or m2");
    }

    /** The copy from node 2 reached home before node 2 died, the rows did not: home is not sent it again. */
    @Test
    void whoGotACopyFromTheFailedNodeIsNotSentItAgain() throws Exception {
        send(work, "jane@example.org/desk", "m1");
        assertEquals(Map.of("m1", 1), ConversationView.counts(home.inbox), "node 2's copy");
        writtenBy2.clear(); // killed before its queue was written

        cluster.engine.nodeLeft("node2");
        assertEquals(2, cluster.engine.writeInPlaceOf("node2", database()));
        assertEquals(List.of("phone m1"), missedOn1);
    }

    /**
     * With three nodes, another survivor may have seen the message too and written its rows first (the shared record of
     * rows written in place): this node writes nothing, and reports its own clients that missed it at that row's time.
     */
    @Test
    void aRowAnotherSurvivorWroteIsNotWrittenAgainButItsMissesAreReported() throws Exception {
        cluster.diesBeforeItsCopies.add(2);
        send(work, "jane@example.org/desk", "m1");
        FailedNodeRows shared = database();
        shared.wroteInPlace("node2\u0000john@example.org\u0000SENT\u0000jane@example.org\u0000m1", 42L);

        cluster.engine.nodeLeft("node2");
        assertEquals(1, cluster.engine.writeInPlaceOf("node2", shared), "jane's row only");

        assertEquals(List.of("jane@example.org R m1"), rowsOn1);
        assertEquals(List.of("home m1", "phone m1"), missedOn1);
        assertEquals(42L, missedRows.get(0).at(), "home misses the row the other survivor wrote");
    }

    /** The database is down when node 1 looks: nothing is lost, the next look writes the rows. */
    @Test
    void aDatabaseDownWhenItLooksLosesNothing() throws Exception {
        cluster.diesBeforeItsCopies.add(2);
        send(work, "jane@example.org/desk", "m1");
        cluster.engine.nodeLeft("node2");
        FailedNodeRows down = new FailedNodeRows() {
            @Override
            public Set<MessageKey> written(JID account, long from, long to) throws java.sql.SQLException {
                throw new java.sql.SQLException("connection refused");
            }

            @Override
            public Long writtenInPlace(String tag) {
                throw new AssertionError("not asked while the rows are unknown");
            }

            @Override
            public void wroteInPlace(String tag, long at) {
                throw new AssertionError("nothing written while the rows are unknown");
            }

            @Override
            public void flush() {
            }

            @Override
            public <T> T oneNodeAtATime(String failedNode, java.util.function.Supplier<T> work) {
                return work.get();
            }
        };
        org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class, () -> cluster.engine.writeInPlaceOf("node2", down));
        assertEquals(true, cluster.engine.hasLeftBehind("node2"), "kept for the next try");
        assertEquals(List.of(), missedOn1);
        assertEquals(2, cluster.engine.writeInPlaceOf("node2", database()));
        assertEquals(List.of("home m1", "phone m1"), missedOn1);
    }

    /** Only what the node that left routed: another node's leave, or what this node routed itself, writes nothing. */
    @Test
    void onlyTheMessagesOfTheNodeThatLeft() throws Exception {
        cluster.diesBeforeItsCopies.add(2);
        send(work, "jane@example.org/desk", "m1");
        send(home, "jane@example.org/phone", "m2"); // routed here: its rows are this node's own

        cluster.engine.nodeLeft("node3");
        assertEquals(0, cluster.engine.writeInPlaceOf("node3", database()));
        assertEquals(List.of("john@example.org S m2", "jane@example.org R m2"), rowsOn1, "another node's leave writes nothing");
        cluster.engine.nodeLeft("node2");
        assertEquals(2, cluster.engine.writeInPlaceOf("node2", database()));
        assertEquals(List.of("john@example.org S m2", "jane@example.org R m2", "john@example.org S m1", "jane@example.org R m1"),
                rowsOn1, "m2 when it was routed, m1 in node 2's place");
    }

    /** One server: nothing is kept of any message (no node can fail under it). */
    @Test
    void unclusteredNothingIsKept() {
        SimulatedOpenfire alone = new SimulatedOpenfire();
        alone.engine = new MirrorEngine(SimulatedOpenfire.DOMAIN, FixedMirrorConfig.defaults(), new InMemoryAccountSettings(),
                alone, alone, new MirrorCounters(), (routed, at) -> { });
        var a = alone.connect("john@example.org/home", false);
        alone.connect("john@example.org/work", true);
        var b = alone.connect("jane@example.org/desk", true);
        alone.route(chat("m1", a.address.toString(), "jane@example.org", "x"), a);
        alone.route(chat("m2", b.address.toString(), "john@example.org/work", "x"), b);
        assertEquals(0, alone.engine.witnessedMessages());
    }

    private void send(SimulatedOpenfire.Client from, String to, String id) {
        cluster.route(chat(id, from.address.toString(), to, "text of " + id), from);
    }

    private static String row(RoutedMessage routed) {
        return routed.account() + " " + (routed.direction() == org.xmpproxy.core.rule.Direction.SENT ? "S" : "R") + " "
                + routed.stanza().getID();
    }
}
