package org.xmpproxy.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/** The benchmark's tables (Markdown, to paste into README.md) and its verdict on the targets. */
final class Report {
    private static final double MIB = 1024.0 * 1024.0;

    private Report() {
    }

    static String progress(Result r) {
        if (r.failure() != null) {
            return String.format(Locale.ROOT, "  %-21s run %d: FAILED %s", r.config().label, r.run(), r.failure());
        }
        return String.format(Locale.ROOT, "  %-21s run %d: %,8.0f originals/s %,8.0f copies/s, copy +%.2f ms p99"
                        + " (1 in flight: +%.2f ms), heap %s MB, CPU %.0f (without JIT %.0f) ms/1,000, %s", r.config().label,
                r.run(), r.originalsPerSecond(), r.copiesPerSecond(), Result.percentileMillis(r.copyDelays(), 99),
                Result.percentileMillis(r.pacedCopyDelays(), 99), heap(r), r.cpuPerThousand(),
                r.cpuWithoutJitPerThousand(), checks(r));
    }

    static String full(String command, List<Result> results, String setup, int heapCheck) {
        StringBuilder out = new StringBuilder();
        out.append("Command: `").append(command).append("`  \n");
        out.append("Traffic: ").append(setup).append(". Machine: ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
                .append(System.getProperty("java.version")).append(".\n\n");
        out.append("| configuration | run | originals/s | copies/s | deliveries/s | original latency p50 / p99 (ms)"
                + " | copy after original p50 / p99 / max (ms) | the same, 1 in flight | heap after GC (MB)"
                + " | server CPU per 1,000 messages, all / without JIT (ms) | missing / duplicated / unexpected |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Result r : results) {
            if (r.failure() != null) {
                out.append(String.format(Locale.ROOT, "| %s | %d | FAILED: %s ||||||||||%n", r.config().label, r.run(),
                        r.failure().replace('|', '/')));
                continue;
            }
            out.append(String.format(Locale.ROOT,
                    "| %s | %d | %,.0f | %,.0f | %,.0f | %.1f / %.1f | %s | %s | %s | %.0f / %.0f | %s |%n",
                    r.config().label, r.run(), r.originalsPerSecond(), r.copiesPerSecond(), r.deliveriesPerSecond(),
                    Result.percentileMillis(r.originalLatencies(), 50), Result.percentileMillis(r.originalLatencies(), 99),
                    delays(r.copyDelays()), delays(r.pacedCopyDelays()), heap(r), r.cpuPerThousand(), r.cpuWithoutJitPerThousand(), checks(r)));
        }
        out.append('\n');
        out.append(medians(results));
        out.append("Ratios against stock Openfire, run by run (copies against `stock-carbons`, the others against"
                + " `stock`" + clusterBaseline(results) + "; CPU: lower is better):\n\n");
        out.append("| configuration | against | copies/s | originals/s | server CPU per 1,000 | without JIT |\n|---|---|---|---|---|---|\n");
        for (LoadConfig config : configsIn(results)) {
            if (config.isBaseline()) {
                continue;
            }
            LoadConfig baseline = config.baseline();
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", config.label, baseline.label,
                    config.copies ? ratios(results, config, baseline, Result::copiesPerSecond) : "-",
                    ratios(results, config, baseline, Result::originalsPerSecond),
                    ratios(results, config, baseline, Result::cpuPerThousand),
                    ratios(results, config, baseline, Result::cpuWithoutJitPerThousand)));
        }
        // Each kind's targets over its own rows: a cluster's copies cross nodes, a single server's do not.
        List<Result> single = results.stream().filter(r -> !r.config().cluster()).toList();
        if (!single.isEmpty()) {
            out.append('\n').append(targets(single, heapCheck));
        }
        if (single.size() < results.size()) {
            out.append('\n').append(ClusterReport.targets(results)).append('\n').append(ClusterReport.table(results));
        }
        out.append('\n').append("Description of the configurations:\n\n");
        for (LoadConfig config : configsIn(results)) {
            out.append("- `").append(config.label).append("`: ").append(config.description).append('\n');
        }
        out.append('\n').append("Server CPU by thread group during the measured burst (ms per 1,000 messages; groups under 2% left out):\n\n");
        for (Result r : results) {
            if (r.failure() == null) {
                out.append("- ").append(r.config().label).append(" run ").append(r.run()).append(": ").append(threads(r))
                        .append(String.format(Locale.ROOT, " (the benchmark's own clients: %.0f)", r.harnessCpuPerThousand()))
                        .append('\n');
            }
        }
        String stats = serverStats(results);
        if (!stats.isEmpty()) {
            out.append('\n').append("xmpproxy's own counters at the end of each run (bot command `stats`):\n\n").append(stats);
        }
        return out.toString();
    }

    private static String targets(List<Result> results, int heapCheck) {
        StringBuilder out = new StringBuilder("Targets:\n\n");
        Optional<Double> legacy = medianRatio(results, LoadConfig.LEGACY, LoadConfig.STOCK_CARBONS, Result::copiesPerSecond);
        out.append(line("xmpproxy's legacy copies per second ≥ 1.0× native carbons copies per second (median of the runs)",
                legacy.map(m -> String.format(Locale.ROOT, "legacy/stock-carbons copies/s %.2f× (runs: %s), server CPU per"
                        + " message %s", m, ratios(results, LoadConfig.LEGACY, LoadConfig.STOCK_CARBONS, Result::copiesPerSecond),
                        medianRatio(results, LoadConfig.LEGACY, LoadConfig.STOCK_CARBONS, Result::cpuPerThousand)
                                .map(c -> String.format(Locale.ROOT, "%.2f×", c)).orElse("-"))),
                legacy.map(m -> m >= 1.0)));
        StringBuilder offFigures = new StringBuilder();
        Optional<Boolean> offMet = Optional.empty();
        for (LoadConfig config : List.of(LoadConfig.OFF, LoadConfig.OFF_ALL)) {
            Optional<Double> throughput = medianRatio(results, config, LoadConfig.STOCK, Result::originalsPerSecond);
            if (throughput.isEmpty()) {
                continue;
            }
            offFigures.append(offFigures.length() == 0 ? "" : "; ").append(config.label)
                    .append(String.format(Locale.ROOT, "/stock originals/s %.2f× (runs: %s), server CPU per 1,000 %s",
                            throughput.get(), ratios(results, config, LoadConfig.STOCK, Result::originalsPerSecond),
                            medianRatio(results, config, LoadConfig.STOCK, Result::cpuPerThousand)
                                    .map(c -> String.format(Locale.ROOT, "%.2f×", c)).orElse("-")))
                    .append(" (without JIT ").append(medianRatio(results, config, LoadConfig.STOCK, Result::cpuWithoutJitPerThousand)
                            .map(c -> String.format(Locale.ROOT, "%.2f×", c)).orElse("-"))
                    .append(")");
            boolean met = throughput.get() >= 0.98;
            offMet = Optional.of(offMet.orElse(true) && met);
        }
        out.append(line("≤ 2% loss of throughput for an account with mirroring off",
                offFigures.length() == 0 ? Optional.empty() : Optional.of(offFigures.toString()), offMet));
        List<Result> copying = results.stream().filter(r -> r.failure() == null && r.config().plugin && r.config().copies
                && !r.config().cluster()).toList();
        double worstPaced = copying.stream().mapToDouble(r -> Result.percentileMillis(r.pacedCopyDelays(), 99)).max().orElse(Double.NaN);
        double worstBurst = copying.stream().mapToDouble(r -> Result.percentileMillis(r.copyDelays(), 99)).max().orElse(Double.NaN);
        out.append(line("copy p99 ≤ 2 ms over the original on loopback (1 message in flight each way)",
                copying.isEmpty() || Double.isNaN(worstPaced) ? Optional.empty() : Optional.of(String.format(Locale.ROOT,
                        "worst xmpproxy p99 %.2f ms (stock-carbons: %s); under the burst, with the cores saturated, %.2f ms"
                                + " (stock-carbons: %s)", worstPaced, p99s(results, LoadConfig.STOCK_CARBONS, Result::pacedCopyDelays),
                        worstBurst, p99s(results, LoadConfig.STOCK_CARBONS, Result::copyDelays))),
                copying.isEmpty() || Double.isNaN(worstPaced) ? Optional.empty() : Optional.of(worstPaced <= 2.0)));
        if (heapCheck > 0) {
            List<Result> checked = results.stream().filter(r -> r.failure() == null && r.heapAfterGc().size() > 2).toList();
            StringBuilder series = new StringBuilder();
            boolean flat = !checked.isEmpty();
            for (Result r : checked) {
                List<Long> heap = r.heapAfterGc();
                List<Long> firstHalf = heap.subList(0, heap.size() / 2);
                List<Long> secondHalf = heap.subList(heap.size() / 2, heap.size());
                boolean thisFlat = max(secondHalf) <= max(firstHalf) + 2 * 1024 * 1024;
                flat &= thisFlat;
                series.append(String.format(Locale.ROOT, "%s run %d: %s MB%s; ", r.config().label, r.run(),
                        heap.stream().map(b -> String.format(Locale.ROOT, "%.1f", b / MIB)).toList(), thisFlat ? "" : " (growing)"));
            }
            out.append(line("heap flat over " + String.format(Locale.ROOT, "%,d", heapCheck) + " messages",
                    Optional.of("heap after GC before and after each tenth: " + series), Optional.of(flat)));
        } else {
            out.append("- heap flat over 100,000 messages: not measured in this run (add `-Dload.heapCheck=100000`)\n");
        }
        long dropped = results.stream().mapToLong(Result::historyDropped).sum();
        if (results.stream().anyMatch(r -> r.config().history)) {
            out.append(line("history keeps up (no entry dropped)", Optional.of(dropped + " dropped"), Optional.of(dropped == 0)));
        }
        boolean clean = results.stream().allMatch(Result::ok);
        out.append(line("0 missing and 0 duplicated, every client, every run", Optional.of(clean ? "checked" : "see the table"),
                Optional.of(clean)));
        return out.toString();
    }

    static String p99s(List<Result> results, LoadConfig config, java.util.function.Function<Result, long[]> delays) {
        return results.stream().filter(r -> r.failure() == null && r.config() == config)
                .map(r -> String.format(Locale.ROOT, "%.2f ms", Result.percentileMillis(delays.apply(r), 99)))
                .reduce((x, y) -> x + ", " + y).orElse("-");
    }

    static String line(String target, Optional<String> figures, Optional<Boolean> met) {
        return "- " + target + ": " + figures.orElse("not measured") + " — "
                + met.map(m -> m ? "**met**" : "**missed**").orElse("n/a") + "\n";
    }

    private static String threads(Result r) {
        long total = r.serverCpuByThread().values().stream().mapToLong(Long::longValue).sum();
        return String.join(", ", r.serverCpuByThread().entrySet().stream()
                .filter(e -> e.getValue() * 50 >= total && e.getValue() > 0)
                .sorted(java.util.Map.Entry.<String, Long>comparingByValue(java.util.Comparator.reverseOrder()))
                .map(e -> String.format(Locale.ROOT, "%s %.0f", e.getKey(), e.getValue() * 1000.0 / r.originals()))
                .toList());
    }

    private static String heap(Result r) {
        List<Long> heap = r.heapAfterGc();
        if (heap.isEmpty()) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.1f → %.1f", heap.get(0) / MIB, heap.get(heap.size() - 1) / MIB);
    }

    static String checks(Result r) {
        Flow.Check c = r.measured().plus(r.warmup());
        return c.missing() + " / " + c.duplicated() + " / " + c.unexpected();
    }

    private static List<LoadConfig> configsIn(List<Result> results) {
        List<LoadConfig> configs = new ArrayList<>();
        results.forEach(r -> {
            if (!configs.contains(r.config())) {
                configs.add(r.config());
            }
        });
        return configs;
    }

    /** "0.93× / 0.95×": the ratio in each run where both ran. */
    static String ratios(List<Result> results, LoadConfig config, LoadConfig baseline, ToDoubleFunction<Result> figure) {
        List<Double> ratios = ratioList(results, config, baseline, figure);
        return ratios.isEmpty() ? "-" : String.join(" / ", ratios.stream()
                .map(r -> String.format(Locale.ROOT, "%.2f×", r)).toList());
    }

    /** The configuration's median over its runs against the baseline's: steadier than any one run on a shared machine. */
    static Optional<Double> medianRatio(List<Result> results, LoadConfig config, LoadConfig baseline,
                                                ToDoubleFunction<Result> figure) {
        double ofConfig = median(results, config, figure);
        double ofBaseline = median(results, baseline, figure);
        return Double.isNaN(ofConfig) || Double.isNaN(ofBaseline) ? Optional.empty() : Optional.of(ofConfig / ofBaseline);
    }

    static double median(List<Result> results, LoadConfig config, ToDoubleFunction<Result> figure) {
        double[] values = results.stream().filter(r -> r.config() == config && r.failure() == null)
                .mapToDouble(figure).sorted().toArray();
        if (values.length == 0) {
            return Double.NaN;
        }
        return values.length % 2 == 1 ? values[values.length / 2]
                : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
    }

    /** Per configuration, the median of its runs, and against stock the ratio of the medians. */
    private static String medians(List<Result> results) {
        StringBuilder out = new StringBuilder("Medians over the runs, and their ratio against stock (copies against"
                + " `stock-carbons`, the others against `stock`" + clusterBaseline(results) + "):\n\n| configuration | runs | originals/s | copies/s"
                + " | server CPU per 1,000 (ms) | without JIT | copies/s ratio | originals/s ratio | CPU ratio | without JIT |\n"
                + "|---|---|---|---|---|---|---|---|---|---|\n");
        for (LoadConfig config : configsIn(results)) {
            long runs = results.stream().filter(r -> r.config() == config && r.failure() == null).count();
            LoadConfig baseline = config.baseline();
            boolean isBaseline = config.isBaseline();
            out.append(String.format(Locale.ROOT, "| %s | %d | %,.0f | %,.0f | %.0f | %.0f | %s | %s | %s | %s |%n",
                    config.label, runs, median(results, config, Result::originalsPerSecond),
                    median(results, config, Result::copiesPerSecond), median(results, config, Result::cpuPerThousand),
                    median(results, config, Result::cpuWithoutJitPerThousand),
                    isBaseline || !config.copies ? "-" : ratio(results, config, baseline, Result::copiesPerSecond),
                    isBaseline ? "-" : ratio(results, config, baseline, Result::originalsPerSecond),
                    isBaseline ? "-" : ratio(results, config, baseline, Result::cpuPerThousand),
                    isBaseline ? "-" : ratio(results, config, baseline, Result::cpuWithoutJitPerThousand)));
        }
        return out.append('\n').toString();
    }

    private static String clusterBaseline(List<Result> results) {
        return results.stream().anyMatch(r -> r.config().cluster()) ? ", the cluster rows against `cluster-stock-carbons`" : "";
    }

    private static String ratio(List<Result> results, LoadConfig config, LoadConfig baseline, ToDoubleFunction<Result> figure) {
        return medianRatio(results, config, baseline, figure).map(r -> String.format(Locale.ROOT, "%.2f×", r)).orElse("-");
    }

    private static String delays(long[] sorted) {
        return sorted.length == 0 ? "-" : String.format(Locale.ROOT, "%.2f / %.2f / %.1f", Result.percentileMillis(sorted, 50),
                Result.percentileMillis(sorted, 99), Result.percentileMillis(sorted, 100));
    }

    private static List<Double> ratioList(List<Result> results, LoadConfig config, LoadConfig baseline,
                                          ToDoubleFunction<Result> figure) {
        List<Double> ratios = new ArrayList<>();
        for (Result r : results) {
            if (r.config() != config || r.failure() != null) {
                continue;
            }
            results.stream().filter(b -> b.config() == baseline && b.run() == r.run() && b.failure() == null).findFirst()
                    .ifPresent(b -> ratios.add(figure.applyAsDouble(r) / figure.applyAsDouble(b)));
        }
        return ratios;
    }

    private static String serverStats(List<Result> results) {
        StringBuilder out = new StringBuilder();
        for (Result r : results) {
            if (r.serverStats() == null || r.serverStats().isBlank()) {
                continue;
            }
            List<String> lines = r.serverStats().lines().skip(1).map(String::trim).filter(l -> !l.endsWith(": 0") || l.contains("dropped")).toList();
            out.append("- ").append(r.config().label).append(" run ").append(r.run()).append(": ")
                    .append(String.join("; ", lines)).append('\n');
        }
        return out.toString();
    }

    private static long max(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).max().orElse(0);
    }
}
