package org.xmpproxy.core.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xmpproxy.core.Stanza.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xmpproxy.core.settings.InMemoryAccountSettings;

/**
 * Two nodes of a cluster ({@link SimulatedOpenfire#connectOn}): john/home on node 1, john/work on node 2, jane on
 * either. Interceptors before and after routing run on the routing node only; a delivery to the other node runs
 * there, outside that routing. Every client must show every message once, whichever node routed it.
 */
class ClusterMirroringTest {
    private final SimulatedOpenfire cluster = new SimulatedOpenfire();
    private final MirrorCounters counters = new MirrorCounters();

    @BeforeEach
    void start() {
        InMemoryAccountSettings settings = new InMemoryAccountSettings(); // one database: both nodes read the same choices
        cluster.engine = new MirrorEngine(SimulatedOpenfire.DOMAIN, FixedMirrorConfig.defaults(), settings,
                cluster.node(1), cluster.node(1), counters, (routed, routedAt) -> { });
        cluster.engineOnNode2 = new MirrorEngine(SimulatedOpenfire.DOMAIN, FixedMirrorConfig.defaults(), settings,
                cluster.node(2), cluster.node(2), counters, (routed, routedAt) -> { });
    }

    /**
     * The measurement: jane writes to john's bare JID and to each full JID, both of john's clients write to
     * jane; Openfire breaks the tie for the bare JID by the most recently active session, home or work.
     */
    @ParameterizedTest(name = "home carbons {0}, work carbons {1}, jane on node {2}, most recently active: {3}")
    @CsvSource({
            "false,false,1,home", "false,false,1,work", "false,false,2,home", "false,false,2,work",
            "true,false,1,home", "true,false,1,work", "true,false,2,home", "true,false,2,work",
            "false,true,1,home", "false,true,1,work", "false,true,2,home", "false,true,2,work",
            "true,true,1,home", "true,true,1,work", "true,true,2,home", "true,true,2,work"})
    void everyClientOnEitherNodeSeesEveryMessageOnce(boolean homeCarbons, boolean workCarbons, int janeNode,
                                                     String mostRecentlyActive) {
        var home = cluster.connectOn(1, "john@example.org/home", homeCarbons, 0);
        var work = cluster.connectOn(2, "john@example.org/work", workCarbons, 0);
        var jane = cluster.connectOn(janeNode, "jane@example.org/laptop", false, 0);
        var recent = mostRecentlyActive.equals("home") ? home : work;

        List<String> ids = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            recent.lastActive = 1_000_000 + round; // Openfire's tie-break among equal sessions
            ids.add(send(jane, "john@example.org", "r" + round + "-to-bare"));
            ids.add(send(jane, "john@example.org/home", "r" + round + "-to-home"));
            ids.add(send(jane, "john@example.org/work", "r" + round + "-to-work"));
            ids.add(send(home, "jane@example.org", "r" + round + "-from-home"));
            ids.add(send(work, "jane@example.org", "r" + round + "-from-work"));
        }

        assertEquals(once(ids, "from-home"), ConversationView.counts(home.inbox), "john/home on node 1");
        assertEquals(once(ids, "from-work"), ConversationView.counts(work.inbox), "john/work on node 2");
        assertEquals(once(ids.stream().filter(id -> id.contains("from-")).toList(), "-to-"),
                ConversationView.counts(jane.inbox), "jane gets each of john's messages once");
    }

    /**
     * Issue 18, a rolling restart: node 1 hands jane's message to john/work on node 2 and leaves the cluster (it shuts
     * down) before its after-routing call, its view now without node 2's sessions. john/home, on node 1, is sent its
     * copy and the row counts the message as john's: before, it counted as reaching nobody, home got no copy and its
     * catch-up on the node that stays left the message out (lost once or twice a rolling restart). The same for a
     * message to john's bare JID that Openfire gave work.
     */
    @ParameterizedTest(name = "to {0}")
    @CsvSource({"john@example.org/work", "john@example.org"})
    void aMessageRoutedAsItsNodeLeavesTheClusterReachesTheClientsThere(String to) {
        List<String> rows = new ArrayList<>();
        cluster.engine = new MirrorEngine(SimulatedOpenfire.DOMAIN, FixedMirrorConfig.defaults(), new InMemoryAccountSettings(),
                cluster.node(1), cluster.node(1), counters, (routed, routedAt) -> rows.add(routed.direction() + " "
                        + routed.account().getNode() + (routed.reachedTheAccount() ? " delivered" : " reached nobody")));
        var home = cluster.connectOn(1, "john@example.org/home", false, 0);
        var work = cluster.connectOn(2, "john@example.org/work", false, 0);
        work.lastActive = 1_000_000; // Openfire gives the bare JID's message to work
        var desk = cluster.connectOn(1, "jane@example.org/desk", false, 0);
        cluster.meanwhile = () -> cluster.leaves(1);
        send(desk, to, "as-node-1-leaves");
        assertEquals(Map.of("as-node-1-leaves", 1), ConversationView.counts(work.inbox));
        assertEquals(Map.of("as-node-1-leaves", 1), ConversationView.counts(home.inbox), "its copy");
        assertEquals(List.of("SENT jane reached nobody", "RECEIVED john delivered"), rows, "(a sent row is the account's anyway)");
    }

    /**
     * Issue 18, a node killed: what the routing node hands a session of another node (the original through Openfire,
     * a copy) goes by a cluster task, lost if that node fails first. The routing node tells catch-up only of its own
     * sessions' deliveries; the session's node tells of its own when they arrive. Before, node 1 told of work's too,
     * and work, back on node 1 after node 2 failed, was not caught up on what never reached it.
     */
    @Test
    void eachNodeTellsCatchupOnlyOfWhatItsOwnSessionsGot() {
        List<String> toldOn1 = new ArrayList<>();
        cluster.engine.onLiveDelivery((resource, message) -> toldOn1.add(resource.getResource()));
        var home = cluster.connectOn(1, "john@example.org/home", false, 0);
        var work = cluster.connectOn(2, "john@example.org/work", false, 0);
        var jane = cluster.connectOn(1, "jane@example.org/laptop", false, 0);

        send(jane, "john@example.org/work", "m1"); // the original to work on node 2, a copy to home here
        send(home, "jane@example.org", "m2");      // a sent copy to work on node 2

        assertEquals(Map.of("m1", 1, "m2", 1), ConversationView.counts(work.inbox));
        assertTrue(toldOn1.contains("home"), "node 1 tells of its own sessions: " + toldOn1);
        assertTrue(toldOn1.stream().noneMatch("work"::equals), "never of work, on node 2: " + toldOn1);
    }

    /** Today's first gap: a message to john/work on node 2, routed on node 1, was "reached nobody" there. */
    @Test
    void aMessageToAFullJidOnTheOtherNodeReachesTheAccountsClientHere() {
        var home = cluster.connectOn(1, "john@example.org/home", false, 0);
        var work = cluster.connectOn(2, "john@example.org/work", false, 0);
        var jane = cluster.connectOn(1, "jane@example.org/laptop", false, 0);
        send(jane, "john@example.org/work", "m1");
        assertEquals(Map.of("m1", 1), ConversationView.counts(work.inbox), "the original, delivered on node 2");
        assertEquals(Map.of("m1", 1), ConversationView.counts(home.inbox), "a copy from node 1, which routed it");
        assertEquals(0, cluster.copiesLeftToTheSessionsNode, "node 1 knew: nothing left to node 2");
    }

    /**
     * Where the routing node cannot know: john/home with carbons on node 1 and john/work without on node 2 tie, so
     * Openfire gives the original to home by carbons and to work only if work was active last, which node 1 cannot
     * read without a synchronous cluster call. Node 1 leaves work's copy to node 2, which saw what work got.
     */
    @ParameterizedTest(name = "most recently active: {0}")
    @CsvSource({"home", "work"})
    void whereOpenfireBrokeATieTheDeliveringNodeDecides(String mostRecentlyActive) {
        var home = cluster.connectOn(1, "john@example.org/home", true, 0);
        var work = cluster.connectOn(2, "john@example.org/work", false, 0);
        var jane = cluster.connectOn(1, "jane@example.org/laptop", false, 0);
        (mostRecentlyActive.equals("home") ? home : work).lastActive = 1_000_000;

        send(jane, "john@example.org", "m1");

        assertEquals(1, cluster.copiesLeftToTheSessionsNode, "node 1 handed work's copy to node 2 to decide");
        assertEquals(Map.of("m1", 1), ConversationView.counts(home.inbox), "home: the original (carbons)");
        assertEquals(Map.of("m1", 1), ConversationView.counts(work.inbox),
                mostRecentlyActive.equals("work") ? "work: the original, node 2 dropped the copy" : "work: node 2's copy");
        boolean copy = work.inbox.get(0).getChildElement("copy", "urn:xmpproxy:copy:0") != null;
        assertEquals(mostRecentlyActive.equals("home"), copy);
    }

    /** Openfire's other routings to the bare JID leave nothing to guess: a higher priority, route.all-resources. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"priority", "ALL_OF_THE_HIGHEST", "ALL_NON_NEGATIVE"})
    void otherRoutingsToTheBareJidAreKnownOnTheRoutingNode(String how) {
        var home = cluster.connectOn(1, "john@example.org/home", false, 0);
        var work = cluster.connectOn(2, "john@example.org/work", false, how.equals("priority") ? 5 : 0);
        var jane = cluster.connectOn(1, "jane@example.org/laptop", false, 0);
        if (!how.equals("priority")) {
            cluster.bareJidRouting = BareJidRouting.valueOf(how);
        }
        send(jane, "john@example.org", "m1");
        assertEquals(Map.of("m1", 1), ConversationView.counts(home.inbox));
        assertEquals(Map.of("m1", 1), ConversationView.counts(work.inbox));
        assertEquals(0, cluster.copiesLeftToTheSessionsNode);
    }

    /**
     * Issue 18, a node killed: a message node 1 routes to jane/phone on node 2 is delivered there, and Openfire's
     * received carbon of it goes from node 2 to jane/desk here. Node 2 dies before it sends it: desk, online all along,
     * would have no catch-up to bring it. Node 1 noted the carbon it expected; when node 2 leaves the cluster, desk is
     * reported to have missed it (its catch-up sends it now).
     */
    @Test
    void aCarbonTheFailedNodeNeverSentIsCaughtUp() {
        List<String> missed = tellMissedOn1();
        var desk = cluster.connectOn(1, "jane@example.org/desk", true, 0);
        cluster.connectOn(2, "jane@example.org/phone", false, 0);
        var home = cluster.connectOn(1, "john@example.org/home", false, 0);
        cluster.failedNodes.add(2);

        send(home, "jane@example.org/phone", "m1");

        assertEquals(Map.of(), ConversationView.counts(desk.inbox), "the carbon was to come from node 2");
        assertEquals(List.of(), missed, "nothing is missed while node 2 may still send it");
        assertEquals(1, cluster.engine.nodeLeft("node2"), "node 2 left: one carbon it never sent");
        assertEquals(List.of("desk m1"), missed);
        assertEquals(0, cluster.engine.nodeLeft("node2"), "handed back once");
    }

    /**
     * Node 2 leaves (shutting down, it had emptied its routing caches as it left the cluster: what node 1 routed to its
     * sessions meanwhile reached none of them, and went to the offline store). What node 1 handed node 2's sessions in
     * their last seconds is reported missed by them: they catch it up where they log in again. Node 1's own clients
     * are not reported; a second leave reports nothing more.
     */
    @Test
    void whatWasHandedToALeavingNodesClientsInItsLastMomentIsCaughtUpByThem() {
        List<String> missedHere = new ArrayList<>();
        List<String> missedThere = new ArrayList<>();
        cluster.engine.onLiveDelivery(missedInto(missedHere, missedThere));
        var desk = cluster.connectOn(1, "jane@example.org/desk", true, 0);
        var phone = cluster.connectOn(2, "jane@example.org/phone", false, 0);
        var home = cluster.connectOn(1, "john@example.org/home", false, 0);
        cluster.connectOn(2, "john@example.org/work", false, 0);

        send(home, "jane@example.org/phone", "m1"); // the original to phone on node 2; work gets john's copy there
        send(home, "jane@example.org", "m2");

        assertEquals(Map.of("m1", 1, "m2", 1), ConversationView.counts(phone.inbox), "delivered, as far as node 1 can tell");
        assertEquals(Map.of("m1", 1, "m2", 1), ConversationView.counts(desk.inbox));
        cluster.engine.nodeLeft("node2");
        assertEquals(List.of(), missedThere, "not yet: a node that shuts down writes their state as it stops");
        writeInPlaceOfNode2();
        assertEquals(List.of("work m1", "phone m1", "work m2", "phone m2"), missedThere, "john's sent row, then jane's received one");
        assertEquals(List.of(), missedHere, "node 1's own clients had them");
        cluster.engine.nodeLeft("node2");
        writeInPlaceOfNode2();
        assertEquals(4, missedThere.size(), "reported once");
    }

    /**
     * Openfire's carbons this node sent to carbons-enabled sessions of a leaving node in its last moment went nowhere
     * as well: john's sent carbon to work, jane's received carbon to phone of a message delivered here. Not those of a
     * message to a full JID there: its carbons go from there ({@link AwaitedCarbons}).
     */
    @Test
    void theCarbonsThisNodeSentALeavingNodesClientsInItsLastMomentAreCaughtUpByThem() {
        List<String> missedHere = new ArrayList<>();
        List<String> missedThere = new ArrayList<>();
        cluster.engine.onLiveDelivery(missedInto(missedHere, missedThere));
        var desk = cluster.connectOn(1, "jane@example.org/desk", false, 0);
        var phone = cluster.connectOn(2, "jane@example.org/phone", true, 0);
        var home = cluster.connectOn(1, "john@example.org/home", false, 0);
        var work = cluster.connectOn(2, "john@example.org/work", true, 0);

        send(home, "jane@example.org/desk", "m1"); // delivered here; carbons to work (sent) and phone (received) from here
        send(home, "jane@example.org/phone", "m2"); // phone's node delivers it and sends the received carbons

        assertEquals(Map.of("m1", 1, "m2", 1), ConversationView.counts(work.inbox), "Openfire's sent carbons");
        assertEquals(Map.of("m1", 1, "m2", 1), ConversationView.counts(phone.inbox));
        assertEquals(Map.of("m1", 1, "m2", 1), ConversationView.counts(desk.inbox));
        cluster.engine.nodeLeft("node2");
        writeInPlaceOfNode2();
        assertEquals(List.of("work m1", "phone m1", "work m2", "phone m2"), missedThere,
                "m1's carbons from here; m2's original to phone, and work's sent carbon from here");
        assertEquals(List.of(), missedHere);
    }

    /** A healthy node sends the carbon: crossed off as it arrives, so a later leave (a restart) reports nothing. */
    @Test
    void aCarbonThatArrivedIsNotCaughtUpWhenItsNodeLeavesLater() {
        List<String> missed = tellMissedOn1();
        var desk = cluster.connectOn(1, "jane@example.org/desk", true, 0);
        var phone = cluster.connectOn(2, "jane@example.org/phone", true, 0);
        var home = cluster.connectOn(1, "john@example.org/home", false, 0);

        send(home, "jane@example.org/phone", "m1");
        send(home, "jane@example.org/phone", "m2");

        assertEquals(Map.of("m1", 1, "m2", 1), ConversationView.counts(desk.inbox), "node 2's carbons");
        assertEquals(Map.of("m1", 1, "m2", 1), ConversationView.counts(phone.inbox));
        assertEquals(0, cluster.engine.awaitedCarbons(), "both crossed off");
        assertEquals(0, cluster.engine.nodeLeft("node2"));
        assertEquals(List.of(), missed);
    }

    /**
     * Openfire's cluster tasks run while the routing node is still routing: node 2 may deliver the original and send
     * desk its carbon before node 1's routing is done. The carbon is awaited from before routing, so it is crossed off
     * all the same (noted after routing, it stayed open, and a later leave of node 2 sent desk the message again).
     */
    @Test
    void aCarbonThatArrivesBeforeRoutingIsDoneIsCrossedOff() {
        List<String> missed = tellMissedOn1();
        cluster.clusterTasksAtOnce = true;
        var desk = cluster.connectOn(1, "jane@example.org/desk", true, 0);
        cluster.connectOn(2, "jane@example.org/phone", false, 0);
        var home = cluster.connectOn(1, "john@example.org/home", false, 0);

        send(home, "jane@example.org/phone", "m1");

        assertEquals(Map.of("m1", 1), ConversationView.counts(desk.inbox), "node 2's carbon, during node 1's routing");
        assertEquals(0, cluster.engine.awaitedCarbons(), "crossed off");
        assertEquals(0, cluster.engine.nodeLeft("node2"));
        assertEquals(List.of(), missed);
    }

    /**
     * Only Openfire's carbon crosses one off: a wrapper another account wrote (anyone can) does not, nor does another
     * node's leave; a client without carbons expects none (node 1 sent its copy itself).
     */
    @Test
    void onlyTheCarbonFromTheFailedNodeCounts() {
        List<String> missed = tellMissedOn1();
        var desk = cluster.connectOn(1, "jane@example.org/desk", true, 0);
        cluster.connectOn(2, "jane@example.org/phone", false, 0);
        var laptop = cluster.connectOn(1, "jane@example.org/laptop", false, 0);
        var home = cluster.connectOn(1, "john@example.org/home", false, 0);
        cluster.failedNodes.add(2);

        send(home, "jane@example.org/phone", "m1");
        cluster.engine.delivered(forgedCarbon("m1"), desk.address);

        assertEquals(Map.of("m1", 1), ConversationView.counts(laptop.inbox), "laptop: node 1's own copy");
        assertEquals(0, cluster.engine.nodeLeft("node3"), "another node's leave");
        assertEquals(1, cluster.engine.nodeLeft("node2"));
        assertEquals(List.of("desk m1"), missed, "desk only; the forged carbon did not cross it off");
    }

    /**
     * Three nodes: node 1 routes john/home's message to jane/phone on node 2, whose Openfire sends the received carbons to
     * jane/desk here and jane/tab on node 3. Node 2 dies first: desk is caught up here, and node 1 hands tab's carbon to
     * node 3, which saw it never came (before: only the routing node's own clients were caught up).
     */
    @Test
    void withThreeNodesTheThirdNodesClientsAreCaughtUpOnTheCarbonsTheFailedNodeNeverSent() {
        List<String> missed = tellMissedOn1();
        List<String> missedOn3 = new ArrayList<>();
        threeNodes(missedOn3);
        var desk = cluster.connectOn(1, "jane@example.org/desk", true, 0);
        cluster.connectOn(2, "jane@example.org/phone", false, 0);
        var tab = cluster.connectOn(3, "jane@example.org/tab", true, 0);
        var home = cluster.connectOn(1, "john@example.org/home", false, 0);
        cluster.failedNodes.add(2);

        send(home, "jane@example.org/phone", "m1");

        assertEquals(Map.of(), ConversationView.counts(tab.inbox), "the carbon was to come from node 2");
        assertEquals(1, cluster.engine.nodeLeft("node2"), "desk, here");
        assertEquals(List.of("desk m1"), missed);
        assertEquals(List.of("tab m1"), missedOn3, "node 3 saw no carbon for tab");
        assertEquals(Map.of(), ConversationView.counts(desk.inbox));
    }

    /** The carbons came: node 3 saw tab's, so a later leave of node 2 (a restart) sends nobody anything again. */
    @Test
    void withThreeNodesACarbonThatCameToTheThirdNodeIsNotSentAgain() {
        List<String> missed = tellMissedOn1();
        List<String> missedOn3 = new ArrayList<>();
        threeNodes(missedOn3);
        cluster.connectOn(1, "jane@example.org/desk", true, 0);
        cluster.connectOn(2, "jane@example.org/phone", false, 0);
        var tab = cluster.connectOn(3, "jane@example.org/tab", true, 0);
        var home = cluster.connectOn(1, "john@example.org/home", false, 0);

        send(home, "jane@example.org/phone", "m1");

        assertEquals(Map.of("m1", 1), ConversationView.counts(tab.inbox), "node 2's carbon");
        assertEquals(0, cluster.engine.nodeLeft("node2"));
        assertEquals(List.of(), missed);
        assertEquals(List.of(), missedOn3);
    }

    /** A third node's engine, to which node 1 hands the carbons to check (Openfire's cluster task, here a call). */
    private void threeNodes(List<String> missedOn3) {
        MirrorEngine third = new MirrorEngine(SimulatedOpenfire.DOMAIN, FixedMirrorConfig.defaults(), new InMemoryAccountSettings(),
                cluster.node(3), cluster.node(3), counters, (routed, routedAt) -> { });
        third.onLiveDelivery(missedInto(missedOn3));
        cluster.moreEngines.put(3, third);
        cluster.engine.checkCarbonsElsewhereWith((node, resource, message) ->
                cluster.engineOn(Integer.parseInt(node.substring("node".length()))).carbonMaybeMissed(resource, message));
    }

    /** Some seconds after node 2 left (the plugin's {@code writeInPlaceOf}), node 2 having written all its rows. */
    private void writeInPlaceOfNode2() {
        try {
            cluster.engine.writeInPlaceOf("node2", FailedNodeRows.alone(account -> java.util.Set.of()));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** What node 1 reports its own clients missed (what it reports those of other nodes missed is not kept here). */
    private List<String> tellMissedOn1() {
        List<String> missed = new ArrayList<>();
        cluster.engine.onLiveDelivery(missedInto(missed, new ArrayList<>()));
        return missed;
    }

    /** Catch-up as far as these tests look: what a resource missed, as "resource id"; node 1's clients' apart. */
    private LiveDeliveries missedInto(List<String> onNode1, List<String> elsewhere) {
        return missedInto((resource, missed) -> (cluster.nodeNumberOf(resource) == 1 ? onNode1 : elsewhere).add(missed));
    }

    private static LiveDeliveries missedInto(List<String> missed) {
        return missedInto((resource, one) -> missed.add(one));
    }

    private static LiveDeliveries missedInto(java.util.function.BiConsumer<org.xmpp.packet.JID, String> into) {
        return new LiveDeliveries() {
            @Override
            public void delivered(org.xmpp.packet.JID resource, org.xmpproxy.core.rule.MessageKey message) {
            }

            @Override
            public void missed(org.xmpp.packet.JID resource, org.xmpproxy.core.rule.MessageAt message) {
                into.accept(resource, resource.getResource() + " " + message.id());
            }
        };
    }

    /** What looks like Openfire's received carbon of john's m1 to jane, but from mallory's account. */
    private static org.xmpp.packet.Message forgedCarbon(String id) {
        org.xmpp.packet.Message carbon = new org.xmpp.packet.Message();
        carbon.setType(org.xmpp.packet.Message.Type.chat);
        carbon.setFrom("mallory@example.org");
        carbon.setTo("jane@example.org/desk");
        carbon.getElement().addElement(org.dom4j.QName.get("received", "urn:xmpp:carbons:2"))
                .add(org.xmpproxy.core.copy.CopyFactory.forwarded(chat(id, "john@example.org/home", "jane@example.org/phone", "x")));
        return carbon;
    }

    private String send(SimulatedOpenfire.Client from, String to, String id) {
        cluster.route(chat(id, from.address.toString(), to, "text of " + id), from);
        return id;
    }

    private static Map<String, Integer> once(List<String> ids, String leftOut) {
        return ids.stream().filter(id -> !id.endsWith(leftOut) && !id.contains(leftOut + "-"))
                .collect(Collectors.toMap(id -> id, id -> 1, (a, b) -> a, java.util.LinkedHashMap::new));
    }
}
