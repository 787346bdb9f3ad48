package org.xmpproxy.openfire.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.xmpproxy.core.flow.ConversationView;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
}
