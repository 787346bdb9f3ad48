package org.xmpproxy.load;

import java.util.List;

/** The figures of one configuration in one run (the measured messages only; the warm-up is only checked). */
record Result(LoadConfig config, int run, long originals, long copies, long elapsedNanos,
              long[] originalLatencies, long[] copyDelays, long[] pacedCopyDelays, List<Long> heapAfterGc, long serverCpuMillis,
              long harnessCpuMillis, java.util.Map<String, Long> serverCpuByThread, Flow.Check warmup, Flow.Check measured,
              String serverStats, String failure) {

    double seconds() {
        return elapsedNanos / 1e9;
    }

    double originalsPerSecond() {
        return originals / seconds();
    }

    double copiesPerSecond() {
        return copies / seconds();
    }

    double deliveriesPerSecond() {
        return (originals + copies) / seconds();
    }

    double cpuPerThousand() {
        return serverCpuMillis * 1000.0 / originals;
    }

    /** Server CPU without the JIT compiler's threads: what the server does per message once its code is compiled. */
    double cpuWithoutJitPerThousand() {
        long jit = serverCpuByThread.entrySet().stream().filter(e -> e.getKey().contains("CompilerThre"))
                .mapToLong(java.util.Map.Entry::getValue).sum();
        return Math.max(0, serverCpuMillis - jit) * 1000.0 / originals;
    }

    double harnessCpuPerThousand() {
        return harnessCpuMillis * 1000.0 / originals;
    }

    /** History entries xmpproxy dropped (its queue full or the database away), from its {@code stats}; 0 without history. */
    long historyDropped() {
        var matcher = java.util.regex.Pattern.compile("history entries dropped[^:]*: (\\d+)").matcher(serverStats == null ? "" : serverStats);
        return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
    }

    boolean ok() {
        return failure == null && warmup.clean() && measured.clean();
    }

    /** Percentile {@code p} (0..100) of sorted nanoseconds, in ms. */
    static double percentileMillis(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }
}
