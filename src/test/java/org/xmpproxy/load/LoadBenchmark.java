package org.xmpproxy.load;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.SmackConfiguration;
import org.xmpproxy.openfire.e2e.OpenfireCluster;
import org.xmpproxy.openfire.e2e.OpenfireServer;

/**
 * Load benchmark on a real Openfire 5.1: xmpproxy's copies against Openfire's own carbons, side by
 * side. For each configuration ({@link LoadConfig}) and run it starts a fresh copy of the installation
 * given by {@code -Dopenfire.home} on free ports, connects K conversations (an account with three
 * clients and a peer), lets the peer and client 0 write to each other as fast as a closed loop with a
 * bounded window allows, and reports deliveries per second (originals and copies), how much later
 * than the original each copy arrives, the server's heap after a GC and its CPU time per 1,000
 * messages, and the ratios against stock Openfire. Every run checks that each client that should see
 * a message saw it exactly once. Not a test: {@code mvn -Pload verify -Dopenfire.home=...}.
 *
 * <p>System properties: {@code load.messages} (per direction and conversation, default 40000),
 * {@code load.warmup} (default 100000: with 20000 the JIT still spent 30-50% of the server's CPU compiling
 * during the measured burst, and runs of the same configuration differed by 20%), {@code load.accounts} (K, default 1), {@code load.window}
 * (default 50), {@code load.runs} (default 1), {@code load.configs} (comma-separated labels, default
 * all but off-history), {@code load.heapCheck} (total messages of a heap check, e.g. 100000: the
 * measured messages, with the heap after a GC read at every tenth), {@code load.paced} (messages each way sent
 * one at a time after the burst, for the copy latency without queueing, default 2000), {@code load.jfr} (record the
 * measured burst with JFR and summarise it), {@code load.out} (default target/load).
 *
 * <p>With {@code -Dopenfire.hazelcast=<the Hazelcast plugin's JAR>} (and PostgreSQL's server binaries) the
 * {@code cluster-*} configurations run too: a fresh two-node cluster ({@link OpenfireCluster}) per configuration and
 * run, the clients spread over the nodes ({@link Conversation#node}), the server figures summed over both nodes.
 */
public final class LoadBenchmark {
    /** Held: java.util.logging keeps loggers weakly, and a collected logger forgets its level. */
    /** The defaults of the numeric options, here only (the load profile passes an empty value for an option not given). */
    private static final java.util.Map<String, Integer> DEFAULTS = java.util.Map.of("load.messages", 40_000,
            "load.warmup", 100_000, "load.accounts", 1, "load.window", 50, "load.paced", 2_000, "load.runs", 1,
            "load.heapCheck", 0);
    private static final java.util.logging.Logger ROSTER_LOG = java.util.logging.Logger.getLogger("org.jivesoftware.smack.roster.Roster");
    private final Path installation;
    private final Path pluginJar;
    /** The Hazelcast plugin's JAR for the cluster configurations, or null (none of them runs). */
    private final Path hazelcast;
    private final int messages;
    private final int warmup;
    private final int accounts;
    private final int window;
    private final int segments;
    private final int paced;
    private final boolean jfr;
    private final Path out;

    private LoadBenchmark(Path installation, Path pluginJar, Path hazelcast, int messages, int warmup, int accounts, int window,
                          int segments, int paced, boolean jfr, Path out) {
        this.installation = installation;
        this.pluginJar = pluginJar;
        this.hazelcast = hazelcast;
        this.messages = messages;
        this.warmup = warmup;
        this.accounts = accounts;
        this.window = window;
        this.segments = segments;
        this.paced = paced;
        this.jfr = jfr;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        String home = System.getProperty("openfire.home", "").trim();
        if (home.isEmpty()) {
            System.err.println("Give an Openfire 5.1 installation: -Dopenfire.home=/path/to/openfire");
            System.exit(2);
        }
        Path jar = Path.of(System.getProperty("xmpproxy.jar", "target/xmpproxy.jar"));
        if (!Files.isRegularFile(jar)) {
            System.err.println("No plugin JAR at " + jar + ": build it first (mvn package)");
            System.exit(2);
        }
        int accounts = option("load.accounts");
        int heapCheck = option("load.heapCheck");
        int messages = heapCheck > 0 ? heapCheck / (2 * accounts) : option("load.messages");
        int runs = option("load.runs");
        Path hazelcast = hazelcast();
        List<LoadConfig> configs = LoadConfig.parse(System.getProperty("load.configs"), hazelcast != null);
        if (configs.stream().anyMatch(LoadConfig::cluster)) {
            java.util.Optional<String> whyNot = OpenfireCluster.whyNot();
            if (whyNot.isPresent()) {
                System.err.println("Cannot run the cluster configurations: " + whyNot.get());
                System.exit(2);
            }
        }
        Path out = Path.of(System.getProperty("load.out", "target/load"));
        Files.createDirectories(out);
        LoadBenchmark benchmark = new LoadBenchmark(Path.of(home), jar, hazelcast, messages, option("load.warmup"),
                accounts, option("load.window"), heapCheck > 0 ? 10 : 1, option("load.paced"), Boolean.getBoolean("load.jfr"), out);
        SmackConfiguration.setDefaultReplyTimeout((int) Duration.ofSeconds(60).toMillis());
        // The bot is in every roster; Smack warns once per client that a component JID has no bare JID.
        ROSTER_LOG.setLevel(java.util.logging.Level.SEVERE);

        String command = "mvn -Pload verify -Dopenfire.home=" + home
                + (hazelcast == null ? "" : " -Dopenfire.hazelcast=" + hazelcast) + options(heapCheck, runs, configs, hazelcast != null);
        System.out.printf("Load benchmark: %d conversation(s) (an account with 3 clients and a peer), %d messages each"
                        + " way per conversation after %d of warm-up, window %d, %d run(s) of %s%n",
                accounts, messages, benchmark.warmup, benchmark.window, runs, configs.stream().map(c -> c.label).toList());
        List<Result> results = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            for (LoadConfig config : configs) {
                Result result = benchmark.run(config, run);
                results.add(result);
                System.out.println(Report.progress(result));
            }
        }
        String report = Report.full(command, results, benchmark.describe(configs), heapCheck);
        System.out.println();
        System.out.println(report);
        Files.writeString(out.resolve("report.md"), report);
        System.out.println("(also in " + out.resolve("report.md") + ")");
        if (results.stream().anyMatch(r -> !r.ok())) {
            System.err.println("FAILED: a run lost, duplicated or misdelivered messages, or did not finish (see above)");
            System.exit(1);
        }
    }

    /** The Hazelcast plugin's JAR of {@code -Dopenfire.hazelcast}, null when not given; exits when it is no file. */
    private static Path hazelcast() {
        String value = System.getProperty("openfire.hazelcast", "").trim();
        if (value.isEmpty()) {
            return null;
        }
        if (OpenfireCluster.hazelcastPlugin().isEmpty()) {
            System.err.println("-Dopenfire.hazelcast=" + value + " is not a file (give the Hazelcast plugin's JAR)");
            System.exit(2);
        }
        return OpenfireCluster.hazelcastPlugin().orElseThrow();
    }

    /** A numeric option as given, or its default when not given (or empty, as the load profile passes it). */
    private static int option(String key) {
        String value = System.getProperty(key, "").trim();
        try {
            return value.isEmpty() ? DEFAULTS.get(key) : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + key + " must be a whole number, not '" + value + "'");
        }
    }

    private static String options(int heapCheck, int runs, List<LoadConfig> configs, boolean clustered) {
        StringBuilder options = new StringBuilder();
        for (String key : List.of("load.messages", "load.warmup", "load.accounts", "load.window", "load.paced")) {
            if (option(key) != DEFAULTS.get(key) && !(heapCheck > 0 && key.equals("load.messages"))) {
                options.append(" -D").append(key).append('=').append(option(key));
            }
        }
        if (Boolean.getBoolean("load.jfr")) {
            options.append(" -Dload.jfr=true");
        }
        if (heapCheck > 0) {
            options.append(" -Dload.heapCheck=").append(heapCheck);
        }
        if (runs != 1) {
            options.append(" -Dload.runs=").append(runs);
        }
        if (!configs.equals(LoadConfig.defaults(clustered))) {
            options.append(" -Dload.configs=").append(String.join(",", configs.stream().map(c -> c.label).toList()));
        }
        return options.toString();
    }

    private String describe(List<LoadConfig> configs) {
        String traffic = String.format("%d conversation(s), %d messages each way per conversation (%d originals) after %d each way"
                        + " of warm-up, at most %d in flight per direction; then %d each way with 1 in flight (copy latency"
                        + " without queueing)", accounts, messages, 2L * messages * accounts, warmup, window, paced);
        if (configs.stream().noneMatch(LoadConfig::cluster)) {
            return traffic;
        }
        return traffic + ". The cluster-* rows: two Openfire nodes (Hazelcast plugin, one PostgreSQL, node 1 on 127.0.0.1,"
                + " node 2 on 127.0.0.2), " + Conversation.placement(2) + "; heap and server CPU summed over both nodes"
                + " (PostgreSQL's own CPU not included)";
    }

    private Result run(LoadConfig config, int run) throws Exception {
        List<String> users = new ArrayList<>();
        for (int i = 1; i <= accounts; i++) {
            users.add(Conversation.account(i));
            users.add(Conversation.peer(i));
        }
        String botDomain = config.plugin ? "xmpproxy." + OpenfireServer.DOMAIN : null;
        int measuredEnd = warmup + messages;
        int total = measuredEnd + paced;
        List<Conversation> conversations = new ArrayList<>();
        LoadClient admin = null;
        LoadServers servers;
        try {
            servers = LoadServers.start(config, installation, pluginJar, hazelcast, users, jvmArguments());
        } catch (Exception | AssertionError e) {
            // A cluster may fail to form (its start says why, with the nodes' logs): that run fails, the others go on.
            System.err.println("Configuration " + config.label + ", run " + run + " did not start: " + e);
            return failed(config, run, "did not start: " + e);
        }
        try {
            ServerProbe probe = servers.probe();
            for (int i = 1; i <= accounts; i++) {
                conversations.add(Conversation.connect(servers, i, config, total, window, botDomain));
            }
            if (config.plugin) {
                // On a cluster, the bot's stats on node 1 sum both nodes' counters.
                admin = LoadClient.connect(servers.nodes.get(0), "admin", OpenfireServer.ADMIN_PASSWORD, "stats", -1, false, botDomain);
                for (Conversation conversation : conversations) {
                    if (config.mirroringOff) {
                        String answer = conversation.clients.get(0).askBot("off", Duration.ofSeconds(30));
                        check(answer.contains("OFF"), "the bot did not turn mirroring off: " + answer);
                    }
                    if (config == LoadConfig.OFF_ALL) {
                        String answer = conversation.clients.get(3).askBot("off", Duration.ofSeconds(30));
                        check(answer.contains("OFF"), "the bot did not turn the peer's mirroring off: " + answer);
                    }
                }
            }
            for (Conversation conversation : conversations) {
                conversation.awaitReady(config.copies, Duration.ofSeconds(60));
            }
            String status = config.plugin ? conversations.get(0).clients.get(0).askBot("status", Duration.ofSeconds(30)) : "";
            check(!config.plugin || status.contains(config.history ? "History: on" : "History: off"),
                    "history is not as configured: " + status);

            Flow.Check warmupCheck = phase(conversations, 0, warmup);
            quiet(conversations);
            List<Long> heap = new ArrayList<>();
            heap.add(probe.heapAfterGc());
            Path recording = out.resolve(config.label + "-run" + run + ".jfr");
            List<Path> recordings = List.of();
            if (jfr) {
                recordings = probe.startRecording(recording);
            }
            java.util.Map<String, Long> threadsBefore = probe.cpuMillisByThread();
            long elapsed = 0;
            long serverCpu = 0;
            long harnessCpu = 0;
            int per = messages / segments;
            for (int segment = 0; segment < segments; segment++) {
                int from = warmup + segment * per;
                int to = segment == segments - 1 ? measuredEnd : from + per;
                long cpu0 = probe.cpuMillis();
                long harness0 = harnessCpuMillis();
                long started = System.nanoTime();
                phase(conversations, from, to);
                elapsed += lastCompletion(conversations) - started;
                serverCpu += probe.cpuMillis() - cpu0;
                harnessCpu += harnessCpuMillis() - harness0;
                if (segments > 1 && segment < segments - 1) {
                    quiet(conversations);
                    heap.add(probe.heapAfterGc());
                }
            }
            java.util.Map<String, Long> byThread = new java.util.HashMap<>(probe.cpuMillisByThread());
            threadsBefore.forEach((group, millis) -> byThread.merge(group, -millis, Long::sum));
            if (jfr) {
                probe.stopRecording();
            }
            quiet(conversations);
            heap.add(probe.heapAfterGc());
            String stats = admin == null ? "" : admin.askBot("stats", Duration.ofSeconds(30));
            if (paced > 0) {
                // One message in flight each way: how much later a copy shows than its original when nothing queues.
                for (Conversation conversation : conversations) {
                    conversation.a.narrowWindow(1);
                    conversation.b.narrowWindow(1);
                }
                phase(conversations, measuredEnd, total);
                quiet(conversations);
            }

            Flow.Check measured = new Flow.Check(0, 0, 0);
            long originals = 0;
            long copies = 0;
            List<long[]> latencies = new ArrayList<>();
            List<long[]> delays = new ArrayList<>();
            List<long[]> pacedDelays = new ArrayList<>();
            for (Conversation conversation : conversations) {
                for (Flow flow : List.of(conversation.a, conversation.b)) {
                    measured = measured.plus(flow.check(warmup, total));
                    originals += measuredEnd - warmup;
                    copies += flow.copiesDelivered(warmup, measuredEnd);
                    latencies.add(flow.originalLatencies(warmup, measuredEnd));
                    delays.add(flow.copyDelays(warmup, measuredEnd));
                    pacedDelays.add(flow.copyDelays(measuredEnd, total));
                }
            }
            Result result = new Result(config, run, originals, copies, elapsed, sorted(latencies), sorted(delays),
                    sorted(pacedDelays), heap,
                    serverCpu, harnessCpu, byThread, warmupCheck, measured, stats, null);
            for (Path node : recordings) {
                String summary = JfrSummary.summarise(node);
                Files.writeString(node.resolveSibling(node.getFileName().toString().replaceFirst("\\.jfr$", "") + "-profile.txt"), summary);
                System.out.println(summary);
            }
            return result;
        } catch (Exception | AssertionError e) {
            System.err.println("Configuration " + config.label + ", run " + run + " failed: " + e);
            e.printStackTrace();
            System.err.println(servers.diagnostics());
            return failed(config, run, e.toString());
        } finally {
            if (admin != null) {
                admin.close();
            }
            conversations.forEach(Conversation::close);
            servers.close();
        }
    }

    private static Result failed(LoadConfig config, int run, String failure) {
        return new Result(config, run, 1, 0, 1, new long[0], new long[0], new long[0], List.of(), 0, 0,
                java.util.Map.of(), new Flow.Check(0, 0, 0), new Flow.Check(0, 0, 0), "", failure);
    }

    /** Extra options for Openfire's JVM, e.g. -Dload.jvmArgs="-XX:+PrintCompilation" (space-separated). */
    private static List<String> jvmArguments() {
        String value = System.getProperty("load.jvmArgs", "").trim();
        return value.isEmpty() ? List.of() : List.of(value.split("\\s+"));
    }

    /** Sends messages [from, to) of every flow and waits until each is complete; returns the check of them. */
    private Flow.Check phase(List<Conversation> conversations, int from, int to) throws Exception {
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        List<Thread> senders = new ArrayList<>();
        for (Conversation conversation : conversations) {
            senders.addAll(conversation.senders(from, to, failures));
        }
        senders.forEach(Thread::start);
        for (Thread sender : senders) {
            sender.join();
        }
        List<Flow> flows = conversations.stream().flatMap(c -> java.util.stream.Stream.of(c.a, c.b)).toList();
        long lastProgress = System.nanoTime();
        int done = -1;
        while (failures.isEmpty()) {
            int now = flows.stream().mapToInt(f -> f.completed.get()).sum();
            if (now == flows.size() * to) {
                break;
            }
            if (now != done) {
                done = now;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > TimeUnit.SECONDS.toNanos(30)) {
                failures.add(new IllegalStateException("no message completed for 30 s; " + now + " of "
                        + flows.size() * to + " completed"));
            }
            Thread.sleep(2);
        }
        if (!failures.isEmpty()) {
            IllegalStateException failure = new IllegalStateException("messages " + from + ".." + to + " did not complete");
            failures.forEach(failure::addSuppressed);
            throw failure;
        }
        Flow.Check check = new Flow.Check(0, 0, 0);
        for (Flow flow : flows) {
            check = check.plus(flow.check(from, to));
        }
        return check;
    }

    /** Waits until no client has received anything for half a second: late duplicates show up before the check. */
    private static void quiet(List<Conversation> conversations) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            long last = conversations.stream().mapToLong(Conversation::lastArrival).max().orElse(0);
            if (System.nanoTime() - last > TimeUnit.MILLISECONDS.toNanos(500)) {
                return;
            }
            Thread.sleep(50);
        }
    }

    private static long lastCompletion(List<Conversation> conversations) {
        return conversations.stream().flatMap(c -> java.util.stream.Stream.of(c.a, c.b))
                .mapToLong(Flow::lastCompletion).max().orElse(System.nanoTime());
    }

    private static long harnessCpuMillis() {
        var os = ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class);
        return os.getProcessCpuTime() / 1_000_000;
    }

    private static long[] sorted(List<long[]> parts) {
        long[] all = parts.stream().flatMapToLong(Arrays::stream).toArray();
        Arrays.sort(all);
        return all;
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }
}
