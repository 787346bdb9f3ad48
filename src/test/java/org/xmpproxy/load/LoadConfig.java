package org.xmpproxy.load;

import java.util.Arrays;
import java.util.List;

/**
 * The server configurations the benchmark compares, each on a fresh Openfire with the same traffic.
 * Apart from {@code history} (and {@code off-history}), xmpproxy runs with its history off, so that
 * each row measures one thing. The {@code cluster-*} ones run on a fresh two-node cluster instead (the Hazelcast
 * plugin, one PostgreSQL; {@link Conversation} spreads the clients over the nodes) and are compared with
 * {@code cluster-stock-carbons} only.
 */
enum LoadConfig {
    STOCK_CARBONS("stock-carbons", false, true, false, false, true,
            "stock Openfire, every client's carbons on (Openfire's own copies)"),
    STOCK("stock", false, false, false, false, false,
            "stock Openfire, no carbons (no copies: the baseline for mirroring off)"),
    LEGACY("legacy", true, false, false, false, true,
            "xmpproxy, clients without carbons (xmpproxy's legacy copies), history off"),
    CARBONS("carbons", true, true, false, false, true,
            "xmpproxy, every client's carbons on (Openfire copies, xmpproxy watches), history off"),
    OFF("off", true, false, true, false, false,
            "xmpproxy installed, the account's mirroring off (its peer, another local account, has it on), history off"),
    OFF_ALL("off-all", true, false, true, false, false,
            "xmpproxy installed, mirroring off for the account and for its peer: xmpproxy copies and records nothing"),
    HISTORY("history", true, false, false, true, true,
            "xmpproxy legacy copies, history on (kept to 1,000 messages per account, already full when the burst starts)"),
    OFF_HISTORY("off-history", true, false, true, true, false,
            "xmpproxy installed with its defaults (history on), the account's mirroring off; the peer's is on"),
    CLUSTER_STOCK_CARBONS("cluster-stock-carbons", false, true, false, false, true,
            "CLUSTER of two stock Openfire nodes, every client's carbons on (Openfire's own copies, handed across nodes)"),
    CLUSTER_LEGACY("cluster-legacy", true, false, false, false, true,
            "CLUSTER of two nodes with xmpproxy on both, clients without carbons (xmpproxy's legacy copies, handed across"
                    + " nodes), history off"),
    CLUSTER_HISTORY("cluster-history", true, false, false, true, true,
            "CLUSTER, as cluster-legacy with the history on (kept to 1,000 messages per account in the shared"
                    + " PostgreSQL, whose own CPU is not counted)");

    static final List<LoadConfig> DEFAULT = List.of(STOCK_CARBONS, STOCK, LEGACY, CARBONS, OFF, OFF_ALL, HISTORY);
    /** Added to the default list when a cluster can be started ({@code -Dopenfire.hazelcast}). */
    static final List<LoadConfig> CLUSTER = List.of(CLUSTER_STOCK_CARBONS, CLUSTER_LEGACY, CLUSTER_HISTORY);

    final String label;
    final boolean plugin;
    final boolean carbons;
    final boolean mirroringOff;
    final boolean history;
    /** Whether the account's other two clients see each message (as copies). */
    final boolean copies;
    final String description;

    LoadConfig(String label, boolean plugin, boolean carbons, boolean mirroringOff, boolean history, boolean copies,
               String description) {
        this.label = label;
        this.plugin = plugin;
        this.carbons = carbons;
        this.mirroringOff = mirroringOff;
        this.history = history;
        this.copies = copies;
        this.description = description;
    }

    /** Whether it runs on two clustered nodes rather than one Openfire. */
    boolean cluster() {
        return CLUSTER.contains(this);
    }

    /** The configuration this one's throughput is compared with. */
    LoadConfig baseline() {
        if (cluster()) {
            return CLUSTER_STOCK_CARBONS;
        }
        return copies ? STOCK_CARBONS : STOCK;
    }

    /** Whether it is itself a baseline (stock Openfire, nothing to compare it with). */
    boolean isBaseline() {
        return baseline() == this;
    }

    /** xmpproxy's properties for this configuration (children of {@code <xmpproxy>} in openfire.xml). */
    String xmpproxyXml() {
        return history
                ? "<history><enabled>true</enabled><maxPerAccount>1000</maxPerAccount></history>"
                : "<history><enabled>false</enabled></history>";
    }

    /** The default list: the single-node configurations, and the cluster ones when a cluster can be started. */
    static List<LoadConfig> defaults(boolean clustered) {
        return clustered ? java.util.stream.Stream.concat(DEFAULT.stream(), CLUSTER.stream()).toList() : DEFAULT;
    }

    static List<LoadConfig> parse(String labels, boolean clustered) {
        if (labels == null || labels.isBlank()) {
            return defaults(clustered);
        }
        return Arrays.stream(labels.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(label -> Arrays.stream(values()).filter(c -> c.label.equals(label)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("unknown configuration '" + label + "'; known: "
                                + Arrays.stream(values()).map(c -> c.label).toList())))
                .toList();
    }
}
