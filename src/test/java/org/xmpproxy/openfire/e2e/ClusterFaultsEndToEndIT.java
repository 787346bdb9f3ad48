package org.xmpproxy.openfire.e2e;

import static org.xmpproxy.openfire.e2e.Shown.once;
import static org.xmpproxy.openfire.e2e.Shown.onlyOf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.xmpproxy.core.flow.ConversationView;

/**
 * Issue 18, point 4: a two-node cluster under faults while john and jane, two clients each, talk across the nodes. A
 * node that joins late; the plugin reloaded on one node while the other routes; a node killed ({@code kill -9}) and its
 * clients reconnecting to the other; both nodes restarted one after the other. Every message that reached the server
 * must end up shown by every client of both accounts but its sender (live or by catch-up); what a client shows twice is
 * counted and printed. One cluster for the class, the tests in order (the first starts node 2 itself).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFaultsEndToEndIT {
    private static OpenfireCluster cluster;

    @BeforeAll
    static void startFirstNode() throws Exception {
        cluster = OpenfireCluster.startFirstFor(ClusterFaultsEndToEndIT.class, List.of("john", "jane"));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static OpenfireServer node(int number) {
        return cluster.nodes.get(number - 1);
    }

    /**
     * Node 2 joins while john's two clients are online on node 1: node 2 knows them from the start. Jane on node 2
     * writes to john/home and to john's bare JID, john/work on node 2 writes to jane: node 2 routes each, and each of
     * john's clients on node 1 shows each once, without having changed presence since before the join.
     */
    @Order(1)
    @Test
    void aNodeThatJoinsLateSeesTheSessionsAlreadyOnline() throws Exception {
        try (ChatClient home = ChatClient.connect(node(1), "john", "home", false);
             ChatClient laptop = ChatClient.connect(node(1), "john", "laptop", false)) {
            cluster.joinSecond();
            try (ChatClient work = ChatClient.connect(node(2), "john", "work", false);
                 ChatClient jane = ChatClient.connect(node(2), "jane", "phone", false)) {
                // work's own presence reached node 1 (Openfire's clustered session information): a copy gets there.
                Await.mirroring(work, laptop, jane.fullJid(), "late-ready");
                List<String> ids = List.of("late-to-home", "late-to-bare", "late-from-work");
                jane.chat(home.fullJid(), "late-to-home");
                jane.chat("john@" + OpenfireServer.DOMAIN, "late-to-bare");
                work.chat(jane.fullJid(), "late-from-work");
                List<String> forWork = List.of("late-to-home", "late-to-bare");
                Await.shown(home, ids);
                Await.shown(laptop, ids);
                Await.shown(work, forWork);
                Await.quiet();
                assertEquals(once(ids), onlyOf(ids, ConversationView.counts(home.inbox())), "john/home on node 1");
                assertEquals(once(ids), onlyOf(ids, ConversationView.counts(laptop.inbox())), "john/laptop on node 1");
                assertEquals(once(forWork), onlyOf(ids, ConversationView.counts(work.inbox())), "john/work on node 2");
            }
        }
    }

    /** The plugin reloaded on node 2 while messages flow through both nodes: nothing lost; afterwards each once. */
    @Order(2)
    @Test
    void thePluginReloadedOnOneNodeWhileTheOtherRoutesLosesNothing() throws Exception {
        cluster.ensureBoth();
        try (Talk talk = Talk.start(cluster, "reload", 1, 2)) {
            talk.awaitRounds(10);
            long started = node(2).countInLog("xmpproxy started");
            int unloaded = talk.round();
            node(2).touchPlugin();
            node(2).awaitLogCount("xmpproxy started", started + 1, Duration.ofSeconds(60));
            int reloaded = talk.round();
            talk.awaitRounds(reloaded + 20);
            Talk.Outcome outcome = talk.finish();
            System.out.printf("cluster reload on node 2 under traffic (rounds %d to %d without the plugin on node 2): %s%n",
                    unloaded, reloaded, outcome);
            // What node 2's clients sent while its plugin was unloaded was routed there without xmpproxy, as on one node.
            // Rounds are counted as sent, routed a moment later: the window opens two rounds early.
            assertEquals(Map.of(), outcome.missingBut(talk.on(node(2)), unloaded - 2, reloaded + 1),
                    "every message routed by a node running xmpproxy is shown by every other client");
            assertEquals(Map.of(), outcome.duplicatedFrom(reloaded + 2),
                    "from two rounds after the reload finished, every client shows each message once");
        }
    }

    /**
     * Last, as it leaves the cluster least healthy (Openfire after a failure). Node 2 is killed while both nodes route; its
     * clients (john/work, jane/phone) reconnect to node 1 once node 1 has dropped node 2's sessions (Openfire removes them
     * by address: a client back before then loses its new route). Nothing node 1 routed is lost (also not Openfire's
     * carbons node 2 was to send of what node 1 routed to its clients: node 1 sends those its own clients did not get).
     * Nor what node 2 routed in its last moment and had not written (its write queue died with it): node 1 saw it reach
     * its clients, and writes it in node 2's place; its accounts' clients that did not get it catch up on it. Lost is
     * only what node 2 routed and nothing of which reached node 1 (counted). Duplicates are what node 2's sessions got
     * live since their marks were last written, counted; after the clients are back, each message once.
     */
    @Order(4)
    @Test
    void aNodeKilledUnderTrafficLosesNothingOnceItsClientsReconnectToTheOther() throws Exception {
        cluster.ensureBoth();
        try (Talk talk = Talk.start(cluster, "kill", 1, 2)) {
            talk.awaitRounds(10);
            List<String> onKilled = talk.on(node(2));
            List<String> onSurvivor = talk.on(node(1));
            int killedAt = talk.round();
            cluster.kill(2);
            int noticedAt = talk.round();
            talk.moveFrom(node(2), node(1));
            int backAt = talk.round();
            talk.awaitRounds(backAt + 20);
            Talk.Outcome outcome = talk.finish();
            // Its last rounds: what its clients sent, routed there, of which nothing reached node 1 before it died.
            // (Rounds are counted as sent; routing follows a moment later, on a loaded machine a few hundred ms.)
            java.util.Set<String> diedInNode2 = outcome.unseenBy(onSurvivor, new Talk.Window(onKilled, killedAt - 5, noticedAt));
            List<Talk.Window> lostRoutes = talk.lostRoutes(); // what a session Openfire had lost the route of sent
            System.out.printf("cluster kill -9 of node 2 under traffic (killed at round %d, noticed at %d, clients back at %d): %s;"
                            + " died in node 2 before any of it reached node 1: %s; logged in again as Openfire lost a new route: %d%n",
                    killedAt, noticedAt, backAt, outcome, diedInNode2, talk.relogins.get());
            assertEquals(Map.of(), outcome.missingBut(diedInNode2, lostRoutes),
                    "every other message that reached the server is shown by every other client");
            assertEquals(Map.of(), outcome.duplicatedFrom(backAt + 2), "from two rounds after the clients are back, each once");
        } finally {
            cluster.startAgain(2);
        }
    }

    /**
     * A rolling restart: node 1 stopped and started again, then node 2, while both route; each stopped node's clients
     * reconnect to the other. Openfire leaves the cluster first when it shuts down and closes its connections last; in
     * between it would route alone, where no client of the node that stays sees it: xmpproxy refuses what the stopping
     * node's clients send then, with an error to the sender (counted: a refused message must reach nobody), and closes
     * their sessions once the node has left, so that they come back on the other. Every message that reached the
     * server is shown by every other client, also during the stops (before xmpproxy handed the clients over: 25 lost
     * a run; before it healed what Openfire's offline store deleted unread and copied across a change of the cluster:
     * 0 to 6), but what Openfire itself never routed: the rest of a connection it closed as it broke a routing off,
     * and what a client sent from a session whose route Openfire had lost (both counted and printed). What is lost
     * during the stops is printed too. Twice only what was routed in the seconds before a stop (sent again rather
     * than lost: a closing connection drops what was queued for it).
     */
    @Order(3)
    @Test
    void aRollingRestartOfBothNodesUnderTrafficLosesNothingOutsideTheStops() throws Exception {
        List<Talk.Window> stops = new java.util.ArrayList<>();
        List<Talk.Window> resent = new java.util.ArrayList<>();
        cluster.ensureBoth();
        try (Talk talk = Talk.start(cluster, "rolling", 1, 2)) {
            List<String> everyone = new java.util.ArrayList<>(talk.on(node(1)));
            everyone.addAll(talk.on(node(2)));
            for (int stopped = 1; stopped <= 2; stopped++) {
                int other = 3 - stopped;
                talk.awaitRounds(talk.round() + 10);
                List<String> onStopped = talk.on(node(stopped));
                int stopAt = talk.round();
                cluster.stop(stopped);
                talk.moveFrom(node(stopped), node(other));
                stops.add(new Talk.Window(everyone, Math.max(0, stopAt - 2), talk.round() + 1));
                // Twice also what came up to 2 s before a stop (100 ms a round or slower)
                resent.add(new Talk.Window(onStopped, Math.max(0, stopAt - 21), talk.round() + 1));
                cluster.startAgain(stopped);
            }
            talk.awaitRounds(talk.round() + 20);
            Talk.Outcome outcome = talk.finish();
            List<Talk.Window> brokenOff = talk.brokenOff();
            List<Talk.Window> excused = new java.util.ArrayList<>(talk.lostRoutes());
            excused.addAll(brokenOff);
            System.out.printf("cluster rolling restart under traffic (stops %s): %s; refused as a node stopped, the sender told"
                    + " to send it again: %d; lost during the stops: %d; logged in again as Openfire lost a new route: %d;"
                    + " as Openfire closed the connection of a client that stayed: %d; whose routing Openfire broke off"
                    + " (internal-server-error): %s%n", stops, outcome, outcome.refused().size(), outcome.missingIn(stops),
                    talk.relogins.get(), talk.droppedByServer.get(), brokenOff);
            assertEquals(Set.of(), outcome.refusedButShown(), "a message refused to its sender reached nobody");
            assertEquals(Map.of(), outcome.missingBut(excused),
                    "every message that reached the server is shown by every other client, during the stops too");
            assertEquals(Map.of(), outcome.duplicatedOutside(resent), "twice only around a stop");
        }
    }
}
