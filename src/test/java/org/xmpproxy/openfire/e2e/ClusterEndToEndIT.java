package org.xmpproxy.openfire.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xmpproxy.core.flow.ConversationView;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Two Openfire nodes in one cluster, the plugin on both ({@link OpenfireCluster}): what a user on one node sees
 * of a user on the other.
 */
class ClusterEndToEndIT {
    private static OpenfireCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = OpenfireCluster.startFor(ClusterEndToEndIT.class, List.of("john", "jane"));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aMessageFromAUserOnOneNodeReachesTheAddressedClientOnTheOther() throws Exception {
        try (ChatClient home = ChatClient.connect(cluster.nodes.get(0), "john", "home", false);
             ChatClient jane = ChatClient.connect(cluster.nodes.get(1), "jane", "phone", false)) {
            jane.chat(home.fullJid(), "across-1");
            Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
            while (!ConversationView.shownIds(home.inbox()).contains("across-1") && Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
            }
            assertEquals(List.of("across-1"), ConversationView.shownIds(home.inbox()),
                    "john/home on node 1 shows jane's message from node 2 once");
        }
    }

    /**
     * The issue's measurement: john/home on node 1, john/work on node 2, jane on either; jane writes to john's bare
     * JID and to each full JID, both of john's clients write to jane. Each of john's clients must show every message
     * it did not send exactly once (Openfire's own tie-break for the bare JID picks home or work as they were last
     * active, so both outcomes occur over the rounds). Prints what each client missed and got twice.
     */
    @ParameterizedTest(name = "home carbons {0}, work carbons {1}, jane on node {2}")
    @CsvSource({"false,false,1", "true,false,1", "false,true,1", "true,true,1",
            "false,false,2", "true,false,2", "false,true,2", "true,true,2"})
    void everyClientOnEitherNodeSeesEveryMessageExactlyOnce(boolean homeCarbons, boolean workCarbons, int janeNode)
            throws Exception {
        String run = "c" + (homeCarbons ? 1 : 0) + (workCarbons ? 1 : 0) + janeNode;
        try (ChatClient home = ChatClient.connect(cluster.nodes.get(0), "john", "home", homeCarbons);
             ChatClient work = ChatClient.connect(cluster.nodes.get(1), "john", "work", workCarbons);
             ChatClient jane = ChatClient.connect(cluster.nodes.get(janeNode - 1), "jane", "laptop", false)) {
            Thread.sleep(2500); // the presences reach the other node's view, and the clients' catch-up is done
            List<String> ids = new ArrayList<>();
            for (int round = 0; round < 5; round++) {
                String id = run + "-r" + round;
                jane.chat("john@" + OpenfireServer.DOMAIN, id + "-to-bare");
                jane.chat(home.fullJid(), id + "-to-home");
                jane.chat(work.fullJid(), id + "-to-work");
                home.chat(jane.fullJid(), id + "-from-home");
                work.chat(jane.fullJid(), id + "-from-work");
                ids.addAll(List.of(id + "-to-bare", id + "-to-home", id + "-to-work", id + "-from-home", id + "-from-work"));
                Thread.sleep(200); // Openfire's tie-break: whoever wrote last is the most recently active
            }
            List<String> forHome = ids.stream().filter(id -> !id.endsWith("from-home")).toList();
            List<String> forWork = ids.stream().filter(id -> !id.endsWith("from-work")).toList();
            List<String> forJane = ids.stream().filter(id -> id.contains("-from-")).toList();
            awaitAll(home, forHome);
            awaitAll(work, forWork);
            awaitAll(jane, forJane);
            Thread.sleep(1500); // room for a duplicate to show up (a copy left to the session's node waits 500 ms)

            String homeSeen = tally(forHome, ConversationView.counts(home.inbox()));
            String workSeen = tally(forWork, ConversationView.counts(work.inbox()));
            System.out.printf("cluster %s (home carbons %s, work carbons %s, jane on node %d): home %s, work %s%n",
                    run, homeCarbons, workCarbons, janeNode, homeSeen, workSeen);
            assertEquals(once(forHome), onlyOf(ids, ConversationView.counts(home.inbox())), "john/home on node 1");
            assertEquals(once(forWork), onlyOf(ids, ConversationView.counts(work.inbox())), "john/work on node 2");
            assertEquals(once(forJane), onlyOf(ids, ConversationView.counts(jane.inbox())), "jane gets each of john's messages once");
        }
    }

    /** "missing m, duplicated d of n". */
    private static String tally(List<String> expected, Map<String, Integer> counts) {
        long missing = expected.stream().filter(id -> !counts.containsKey(id)).count();
        long duplicated = expected.stream().filter(id -> counts.getOrDefault(id, 0) > 1).count();
        return "missing " + missing + ", duplicated " + duplicated + " of " + expected.size();
    }

    private static Map<String, Integer> once(List<String> ids) {
        Map<String, Integer> expected = new LinkedHashMap<>();
        ids.forEach(id -> expected.put(id, 1));
        return expected;
    }

    private static Map<String, Integer> onlyOf(List<String> ids, Map<String, Integer> counts) {
        Map<String, Integer> kept = new LinkedHashMap<>(counts);
        kept.keySet().retainAll(ids);
        return kept;
    }

    private static void awaitAll(ChatClient client, Collection<String> ids) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
        while (!ConversationView.shownIds(client.inbox()).containsAll(ids) && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
    }
}
