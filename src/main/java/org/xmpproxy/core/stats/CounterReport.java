package org.xmpproxy.core.stats;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The counters of every node that reports, what the bot's {@code stats} and the admin page show: each counter's sum
 * over the nodes and each node's own value. A server alone is one node, and the sums are its own counters.
 *
 * @param nodes  the nodes that reported, this one first
 * @param rows   one per counter, in the order of this node's list
 * @param asked  how many nodes were asked (this one included): more than reported when a node did not answer
 */
public record CounterReport(List<String> nodes, List<Row> rows, int asked) {
    /**
     * @param byNode  the value on each node, in the order of {@link #nodes}; null where that node did not report it
     */
    public record Row(String labelKey, long total, List<Long> byNode) {
    }

    /** A server alone. */
    public static CounterReport alone(List<Counter> counters) {
        return of("", counters, Map.of(), 1);
    }

    /**
     * @param here    this node's name
     * @param others  the other nodes' counters by node name (label key to value), those that answered
     * @param asked   how many nodes were asked, this one included
     */
    public static CounterReport of(String here, List<Counter> counters, Map<String, Map<String, Long>> others, int asked) {
        Map<String, Map<String, Long>> byNode = new LinkedHashMap<>();
        byNode.put(here, values(counters));
        others.forEach(byNode::putIfAbsent);
        List<Row> rows = new ArrayList<>();
        for (Counter counter : counters) {
            long total = 0;
            List<Long> values = new ArrayList<>();
            for (Map<String, Long> node : byNode.values()) {
                Long value = node.get(counter.labelKey());
                values.add(value);
                total += value == null ? 0 : value;
            }
            rows.add(new Row(counter.labelKey(), total, Collections.unmodifiableList(values)));
        }
        return new CounterReport(List.copyOf(byNode.keySet()), List.copyOf(rows), Math.max(asked, byNode.size()));
    }

    /** This node's counters as JDK types, what another node is sent. */
    public static Map<String, Long> values(List<Counter> counters) {
        Map<String, Long> values = new LinkedHashMap<>();
        counters.forEach(counter -> values.put(counter.labelKey(), counter.value()));
        return values;
    }

    /** Whether more than this node reports (a cluster): then the sums and each node's values are shown. */
    public boolean clustered() {
        return asked > 1;
    }
}
