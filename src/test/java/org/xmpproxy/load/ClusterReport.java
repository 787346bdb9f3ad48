package org.xmpproxy.load;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The cluster rows' part of the report: their targets against Openfire's own carbons in the same cluster, and a
 * table of their medians to paste into README.md. Every figure here is of two nodes (server CPU and heap summed).
 */
final class ClusterReport {
    private static final LoadConfig STOCK = LoadConfig.CLUSTER_STOCK_CARBONS;

    private ClusterReport() {
    }

    static String targets(List<Result> results) {
        StringBuilder out = new StringBuilder("Targets, CLUSTER rows (two Openfire nodes; server CPU summed over both):\n\n");
        for (LoadConfig config : List.of(LoadConfig.CLUSTER_LEGACY, LoadConfig.CLUSTER_HISTORY)) {
            Optional<Double> copies = Report.medianRatio(results, config, STOCK, Result::copiesPerSecond);
            if (copies.isEmpty() && config == LoadConfig.CLUSTER_HISTORY) {
                continue;
            }
            String figures = copies.map(m -> String.format(Locale.ROOT, "%s/%s copies/s %.2f× (runs: %s), server CPU per"
                            + " message (both nodes) %s", config.label, STOCK.label, m, Report.ratios(results, config, STOCK,
                            Result::copiesPerSecond), Report.medianRatio(results, config, STOCK, Result::cpuPerThousand)
                            .map(c -> String.format(Locale.ROOT, "%.2f×", c)).orElse("-"))).orElse(null);
            out.append(config == LoadConfig.CLUSTER_LEGACY
                    ? Report.line("cluster: xmpproxy's legacy copies per second ≥ 1.0× Openfire's carbons in the same cluster"
                            + " (median of the runs)", Optional.ofNullable(figures), copies.map(m -> m >= 1.0))
                    : "- cluster, with the history on (no target; its cost): " + figures + "\n");
        }
        out.append("- cluster: copy after the original, p99, 1 in flight / under the burst: ");
        for (LoadConfig config : List.of(STOCK, LoadConfig.CLUSTER_LEGACY, LoadConfig.CLUSTER_HISTORY)) {
            String paced = Report.p99s(results, config, Result::pacedCopyDelays);
            if (!paced.equals("-")) {
                out.append(config.label).append(' ').append(paced).append(" / ")
                        .append(Report.p99s(results, config, Result::copyDelays)).append("; ");
            }
        }
        out.append('\n');
        List<Result> cluster = results.stream().filter(r -> r.config().cluster()).toList();
        boolean clean = cluster.stream().allMatch(Result::ok);
        out.append(Report.line("cluster: 0 missing and 0 duplicated, every client on either node, every run",
                Optional.of(clean ? "checked" : "see the table"), Optional.of(clean)));
        return out.toString();
    }

    /** The medians of each cluster configuration, as a Markdown table in README.md's form. */
    static String table(List<Result> results) {
        StringBuilder out = new StringBuilder("CLUSTER rows for README.md (medians of the runs; two nodes, "
                + Conversation.placement(2) + "):\n\n"
                + "| configuration | runs | originals/s | copies/s | server CPU per 1,000 messages, both nodes (ms)"
                + " | copy after the original, p99 under the burst / one in flight (ms) | against cluster-stock-carbons:"
                + " copies/s (runs), CPU | missing / dup. |\n|---|---|---|---|---|---|---|---|\n");
        for (LoadConfig config : LoadConfig.CLUSTER) {
            List<Result> runs = results.stream().filter(r -> r.config() == config).toList();
            if (runs.isEmpty()) {
                continue;
            }
            List<Result> good = runs.stream().filter(r -> r.failure() == null).toList();
            long missing = runs.stream().mapToLong(r -> r.measured().plus(r.warmup()).missing()).sum();
            long duplicated = runs.stream().mapToLong(r -> r.measured().plus(r.warmup()).duplicated()).sum();
            String against = config.isBaseline() ? "–" : String.format(Locale.ROOT, "%s (%s), %s",
                    Report.medianRatio(results, config, STOCK, Result::copiesPerSecond).map(ClusterReport::times).orElse("-"),
                    Report.ratios(results, config, STOCK, Result::copiesPerSecond),
                    Report.medianRatio(results, config, STOCK, Result::cpuPerThousand).map(ClusterReport::times).orElse("-"));
            out.append(String.format(Locale.ROOT, "| `%s` | %d%s | %,.0f | %,.0f | %.0f | %s / %s | %s | %d / %d |%n",
                    config.label, good.size(), good.size() < runs.size() ? " (" + (runs.size() - good.size()) + " failed)" : "",
                    Report.median(results, config, Result::originalsPerSecond),
                    Report.median(results, config, Result::copiesPerSecond),
                    Report.median(results, config, Result::cpuPerThousand),
                    range(good, Result::copyDelays), range(good, Result::pacedCopyDelays), against, missing, duplicated));
        }
        return out.toString();
    }

    private static String times(double ratio) {
        return String.format(Locale.ROOT, "%.2f×", ratio);
    }

    /** "4.0-5.4": the lowest and highest p99 over the runs. */
    private static String range(List<Result> runs, java.util.function.Function<Result, long[]> delays) {
        double[] p99 = runs.stream().mapToDouble(r -> Result.percentileMillis(delays.apply(r), 99))
                .filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (p99.length == 0) {
            return "-";
        }
        return p99[0] == p99[p99.length - 1] ? String.format(Locale.ROOT, "%.2f", p99[0])
                : String.format(Locale.ROOT, "%.2f-%.2f", p99[0], p99[p99.length - 1]);
    }
}
