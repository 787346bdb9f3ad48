package org.xmpproxy.load;

import java.util.Arrays;
import java.util.List;

/**
 * The server configurations the benchmark compares, each on a fresh Openfire with the same traffic.
 * Apart from {@code history} (and {@code off-history}), xmpproxy runs with its history off, so that
 * each row measures one thing.
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
            "xmpproxy installed with its defaults (history on), the account's mirroring off; the peer's is on");

    static final List<LoadConfig> DEFAULT = List.of(STOCK_CARBONS, STOCK, LEGACY, CARBONS, OFF, OFF_ALL, HISTORY);

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

    /** The configuration this one's throughput is compared with. */
    LoadConfig baseline() {
        return copies ? STOCK_CARBONS : STOCK;
    }

    /** xmpproxy's properties for this configuration (children of {@code <xmpproxy>} in openfire.xml). */
    String xmpproxyXml() {
        return history
                ? "<history><enabled>true</enabled><maxPerAccount>1000</maxPerAccount></history>"
                : "<history><enabled>false</enabled></history>";
    }

    static List<LoadConfig> parse(String labels) {
        if (labels == null || labels.isBlank()) {
            return DEFAULT;
        }
        return Arrays.stream(labels.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(label -> Arrays.stream(values()).filter(c -> c.label.equals(label)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("unknown configuration '" + label + "'; known: "
                                + Arrays.stream(values()).map(c -> c.label).toList())))
                .toList();
    }
}
