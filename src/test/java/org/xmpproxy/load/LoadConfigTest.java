package org.xmpproxy.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The load benchmark's choice of configurations, and where a cluster run puts each client. */
class LoadConfigTest {
    @Test
    void theClusterRowsRunByDefaultOnlyWhenAClusterCanBeStarted() {
        assertEquals(LoadConfig.DEFAULT, LoadConfig.parse("", false));
        assertTrue(LoadConfig.parse(null, false).stream().noneMatch(LoadConfig::cluster));
        List<LoadConfig> clustered = LoadConfig.parse(" ", true);
        assertTrue(clustered.containsAll(LoadConfig.DEFAULT), "the single-node rows still run");
        assertTrue(clustered.containsAll(List.of(LoadConfig.CLUSTER_STOCK_CARBONS, LoadConfig.CLUSTER_LEGACY)));
        assertEquals(List.of(LoadConfig.CLUSTER_LEGACY, LoadConfig.LEGACY), LoadConfig.parse("cluster-legacy, legacy", false));
    }

    @Test
    void aClusterRowIsComparedWithOpenfiresCarbonsInTheSameCluster() {
        for (LoadConfig config : LoadConfig.CLUSTER) {
            assertEquals(LoadConfig.CLUSTER_STOCK_CARBONS, config.baseline(), config.label);
            assertTrue(config.description.startsWith("CLUSTER"), "the report says it is a cluster row: " + config.label);
        }
        assertTrue(LoadConfig.CLUSTER_STOCK_CARBONS.isBaseline());
        assertFalse(LoadConfig.CLUSTER_STOCK_CARBONS.plugin);
        assertTrue(LoadConfig.CLUSTER_LEGACY.plugin && !LoadConfig.CLUSTER_LEGACY.carbons);
        assertEquals(LoadConfig.STOCK_CARBONS, LoadConfig.LEGACY.baseline());
        assertFalse(LoadConfig.LEGACY.cluster());
    }

    /** Slot 0 sends and receives the originals with the peer (slot 3); slots 1 and 2 get the copies. */
    @Test
    void onTwoNodesEveryCopyCrossesNodes() {
        for (int conversation = 1; conversation <= 4; conversation++) {
            int sender = Conversation.node(conversation, 0, 2);
            assertEquals(sender, Conversation.node(conversation, 3, 2), "the peer is on client 0's node");
            assertNotEquals(sender, Conversation.node(conversation, 1, 2));
            assertNotEquals(sender, Conversation.node(conversation, 2, 2));
        }
        assertNotEquals(Conversation.node(1, 0, 2), Conversation.node(2, 0, 2), "both nodes route when there are several");
        for (int slot = 0; slot < 4; slot++) {
            assertEquals(0, Conversation.node(1, slot, 1), "one server: everyone on it");
        }
    }
}
