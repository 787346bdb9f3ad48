package org.xmpproxy.openfire.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.dom4j.Document;
import org.dom4j.DocumentHelper;

/**
 * Two Openfire nodes in one cluster for end-to-end tests: copies of {@code -Dopenfire.home} with the freshly built
 * plugin and the Hazelcast plugin of {@code -Dopenfire.hazelcast}, on one throwaway PostgreSQL. Node 1 listens on
 * 127.0.0.1, node 2 on 127.0.0.2, on the same ports (Openfire keeps listener ports in the shared database; only
 * {@code network.interface} and the admin console ports are per node). Hazelcast joins by TCP/IP on those two
 * addresses, multicast off, phone-home off and bound to the node's address (JVM properties: the plugin's own
 * configuration, which includes this node's, has the {@code <properties>} section). Skipped, saying why, without the installation, the Hazelcast plugin or
 * PostgreSQL's server binaries. The load benchmark ({@code org.xmpproxy.load}) starts it too, also without xmpproxy
 * (a stock cluster).
 */
public final class OpenfireCluster implements AutoCloseable {
    static final List<String> HOSTS = List.of("127.0.0.1", "127.0.0.2");
    private static final List<String> JVM = List.of("-Dhazelcast.phone.home.enabled=false", "-Djava.net.preferIPv4Stack=true",
            "-Dhazelcast.socket.bind.any=false",
            // Openfire leaves the cluster in order as it stops (ClusterManager.shutdown, then Hazelcast's shutdown): with
            // Hazelcast's own JVM shutdown hook the member goes at once (policy TERMINATE), while both nodes still route
            // through it, and Openfire closes senders' connections on either node (internal-server-error) as a cluster
            // task to the gone member fails. The README tells admins the same.
            "-Dhazelcast.shutdownhook.enabled=false",
            // Log4j's own hook stops the logging as the JVM stops: what a node logs as it shuts down is kept.
            "-Dlog4j2.shutdownHookEnabled=false",
            // A node killed is noticed by its closed connections; a hung one by heartbeats, 60 s by default.
            "-Dhazelcast.max.no.heartbeat.seconds=15");

    /** What Openfire logs when a node joins or leaves (ClusterManager). */
    private static final String JOINED_SELF = "Firing joined cluster event for this node";
    private static final String JOINED_OTHER = "Firing joined cluster event for another node";
    private static final String LEFT_OTHER = "Firing left cluster event for another node";
    /**
     * The last line Openfire logs (SessionManager) before it drops the left node's sessions, by address, right after:
     * a client that logs in again with its resource before then loses its new route to that clean-up (Openfire's
     * RoutingTableImpl and SessionManager remove the left node's routes by full JID).
     */
    private static final String CLEANED_UP = "Found no local domain sessions that are missing from the cache";

    private final PostgresServer database;
    /** What {@link #start(Path, Path, Path, List, String, List)} was given beyond the suite's own set-up. */
    private String xmpproxyXml = "";
    private List<String> jvmArguments = List.of();
    final List<OpenfireServer> nodes = new ArrayList<>();
    private final List<Path> homes = new ArrayList<>();
    private final List<Integer> adminPorts = new ArrayList<>();
    private int clientPort;

    private OpenfireCluster(PostgresServer database) {
        this.database = database;
    }

    /** Why the cluster suite cannot run here, or empty. */
    public static Optional<String> whyNot() {
        if (OpenfireServer.installation().isEmpty()) {
            return Optional.of("no Openfire to test against; run with -Dopenfire.home=<an Openfire 5.1 installation>");
        }
        if (hazelcastPlugin().isEmpty()) {
            return Optional.of("no Hazelcast plugin; run with -Dopenfire.hazelcast=<the plugin's JAR>");
        }
        if (PostgresServer.binaries().isEmpty()) {
            return Optional.of("no PostgreSQL server binaries under /usr/lib/postgresql (Debian's postgresql package)");
        }
        return Optional.empty();
    }

    /** The Hazelcast plugin's JAR of {@code -Dopenfire.hazelcast}, or empty when not given or not a file. */
    public static Optional<Path> hazelcastPlugin() {
        String value = System.getProperty("openfire.hazelcast", "").trim();
        return value.isEmpty() || !Files.isRegularFile(Path.of(value)) ? Optional.empty() : Optional.of(Path.of(value));
    }

    static OpenfireCluster startFor(Class<?> testClass, List<String> users) throws Exception {
        return startFor(testClass, users, true);
    }

    /** Node 1 started alone; node 2 set up, to be started with {@link #joinSecond()} (a node that joins late). */
    static OpenfireCluster startFirstFor(Class<?> testClass, List<String> users) throws Exception {
        return startFor(testClass, users, false);
    }

    /** For a test class: skipped, saying why, without an installation, the Hazelcast plugin or PostgreSQL. */
    private static OpenfireCluster startFor(Class<?> testClass, List<String> users, boolean both) throws Exception {
        Optional<String> why = whyNot();
        why.ifPresent(reason -> System.out.println("SKIPPED " + testClass.getSimpleName() + ": " + reason + "."));
        org.junit.jupiter.api.Assumptions.assumeTrue(why.isEmpty(), () -> "cluster tests skipped: " + why.orElse(""));
        Path jar = Path.of(System.getProperty("xmpproxy.jar", "target/xmpproxy.jar"));
        OpenfireCluster cluster = new OpenfireCluster(PostgresServer.start(PostgresServer.binaries().orElseThrow()));
        try {
            cluster.prepareFirst(OpenfireServer.installation().orElseThrow(), jar, hazelcastPlugin().orElseThrow(), users);
            cluster.nodes.add(cluster.launch(cluster.homes.get(0), 0, cluster.clientPort, cluster.adminPorts.get(0)));
            if (both) {
                cluster.joinSecond();
            }
        } catch (Exception | AssertionError e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /**
     * A fresh cluster on a fresh database (check {@link #whyNot()} first). {@code pluginJar} may be null (stock
     * Openfire on both nodes); {@code xmpproxyXml} goes inside {@code <xmpproxy>} in {@code openfire.xml} (the shared
     * database's system properties); {@code jvmArguments} go to both nodes' JVMs.
     */
    public static OpenfireCluster start(Path installation, Path pluginJar, Path hazelcast, List<String> users,
                                        String xmpproxyXml, List<String> jvmArguments) throws Exception {
        OpenfireCluster cluster = new OpenfireCluster(PostgresServer.start(PostgresServer.binaries().orElseThrow()));
        cluster.xmpproxyXml = xmpproxyXml;
        cluster.jvmArguments = List.copyOf(jvmArguments);
        try {
            cluster.start(installation, pluginJar, hazelcast, users);
        } catch (Exception | AssertionError e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    private void start(Path installation, Path pluginJar, Path hazelcast, List<String> users) throws Exception {
        prepareFirst(installation, pluginJar, hazelcast, users);
        nodes.add(launch(homes.get(0), 0, clientPort, adminPorts.get(0)));
        joinSecond();
    }

    private void prepareFirst(Path installation, Path pluginJar, Path hazelcast, List<String> users) throws Exception {
        clientPort = OpenfireServer.freePort();
        List<Integer> clusterPorts = List.of(OpenfireServer.freePort(), OpenfireServer.freePort());
        Path first = prepare(installation, pluginJar, hazelcast, 0, clusterPorts);
        int admin = OpenfireServer.freePort();
        Files.writeString(first.resolve("conf/openfire.xml"), OpenfireConfig.clusterNode(OpenfireServer.DOMAIN, HOSTS.get(0),
                clientPort, admin, OpenfireServer.freePort(), users, OpenfireServer.PASSWORD, OpenfireServer.ADMIN_PASSWORD,
                database.jdbcUrl(), xmpproxyXml));
        homes.add(first);
        adminPorts.add(admin);
        homes.add(prepare(installation, pluginJar, hazelcast, 1, clusterPorts));
    }

    /** Starts node 2 on node 1's set-up database and waits until both say it joined. */
    void joinSecond() throws Exception {
        // The second node joins the first one's set-up database: its configuration, security keys and keystore.
        Path first = homes.get(0);
        Path second = homes.get(1);
        for (String shared : List.of("conf/openfire.xml", "conf/security.xml")) {
            Files.copy(first.resolve(shared), second.resolve(shared), StandardCopyOption.REPLACE_EXISTING);
        }
        try (var keys = Files.list(first.resolve("resources/security"))) {
            for (Path key : keys.filter(Files::isRegularFile).toList()) {
                Files.copy(key, second.resolve("resources/security").resolve(key.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        int secondAdmin = OpenfireServer.freePort();
        Document config = DocumentHelper.parseText(Files.readString(second.resolve("conf/openfire.xml")));
        config.getRootElement().element("network").element("interface").setText(HOSTS.get(1));
        config.getRootElement().element("adminConsole").element("port").setText(Integer.toString(secondAdmin));
        config.getRootElement().element("adminConsole").element("securePort").setText(Integer.toString(OpenfireServer.freePort()));
        // Node 1 wrote its own node id (clustering.nodeid, an XML-only property) into the file copied: two nodes with one
        // id are one node to Openfire (local and remote routes, the nodes' list). Node 2 makes its own.
        org.dom4j.Element clustering = config.getRootElement().element("clustering");
        if (clustering != null && clustering.element("nodeid") != null) {
            clustering.remove(clustering.element("nodeid"));
        }
        Files.writeString(second.resolve("conf/openfire.xml"), config.asXML());
        long joinedBefore = nodes.get(0).countInLog(JOINED_OTHER);
        nodes.add(launch(second, 1, clientPort, secondAdmin));
        nodes.get(0).awaitLogCount(JOINED_OTHER, joinedBefore + 1, Duration.ofSeconds(120));
        String firstId = nodeId(first);
        String secondId = nodeId(second);
        if (firstId.isEmpty() || firstId.equals(secondId)) {
            throw new AssertionError("the two nodes must have node ids of their own: " + firstId + ", " + secondId);
        }
    }

    /** Starts node 2 unless it runs (a test of a node that joins late ran first, or did not run). */
    void ensureBoth() throws Exception {
        if (nodes.size() < 2) {
            joinSecond();
        }
    }

    /** Kills node {@code number} (1 or 2) as {@code kill -9} does, and waits until the other node has seen it leave and dropped its sessions. */
    void kill(int number) throws Exception {
        takeDown(number, OpenfireServer::kill);
    }

    /** Stops node {@code number} as an admin does (Openfire shuts down), and waits until the other node has seen it leave and dropped its sessions. */
    void stop(int number) throws Exception {
        takeDown(number, OpenfireServer::stop);
    }

    private interface Ending {
        void end(OpenfireServer node) throws Exception;
    }

    private void takeDown(int number, Ending ending) throws Exception {
        OpenfireServer survivor = nodes.get(2 - number);
        long leftBefore = survivor.countInLog(LEFT_OTHER);
        long cleanedBefore = survivor.countInLog(CLEANED_UP);
        ending.end(nodes.get(number - 1));
        survivor.awaitLogCount(LEFT_OTHER, leftBefore + 1, Duration.ofSeconds(120));
        survivor.awaitLogCount(CLEANED_UP, cleanedBefore + 1, Duration.ofSeconds(60));
    }

    /** Starts a stopped or killed node {@code number} again, and waits until the other node has seen it join. */
    void startAgain(int number) throws Exception {
        OpenfireServer node = nodes.get(number - 1);
        OpenfireServer other = nodes.get(2 - number);
        long joinedBefore = other.countInLog(JOINED_OTHER);
        long joinedSelf = node.countInLog(JOINED_SELF);
        node.startAgain();
        node.awaitLogCount(JOINED_SELF, joinedSelf + 1, Duration.ofSeconds(120));
        other.awaitLogCount(JOINED_OTHER, joinedBefore + 1, Duration.ofSeconds(120));
    }

    private static String nodeId(Path home) throws Exception {
        org.dom4j.Element clustering = DocumentHelper.parseText(Files.readString(home.resolve("conf/openfire.xml")))
                .getRootElement().element("clustering");
        return clustering == null || clustering.element("nodeid") == null ? "" : clustering.element("nodeid").getTextTrim();
    }

    /** A copy of the installation with both plugins (Hazelcast's alone without {@code pluginJar}) and this node's Hazelcast configuration. */
    private static Path prepare(Path installation, Path pluginJar, Path hazelcast, int node, List<Integer> clusterPorts) throws Exception {
        Path home = Files.createTempDirectory("xmpproxy-cluster-node" + (node + 1) + "-");
        OpenfireServer.copyTree(installation, home);
        Files.createDirectories(home.resolve("plugins"));
        Files.createDirectories(home.resolve("logs"));
        if (pluginJar != null) {
            Files.copy(pluginJar, home.resolve("plugins/xmpproxy.jar"), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.copy(hazelcast, home.resolve("plugins/hazelcast.jar"), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(home.resolve("conf/hazelcast-local-config.xml"), hazelcastConfig(node, clusterPorts));
        return home;
    }

    private OpenfireServer launch(Path home, int node, int clientPort, int adminPort) throws Exception {
        // Hazelcast picks its address among the interfaces' own; 127.0.0.2 is none of them, so it is named.
        List<String> jvm = new ArrayList<>(JVM);
        jvm.add("-Dhazelcast.local.localAddress=" + HOSTS.get(node));
        jvm.addAll(jvmArguments);
        boolean stock = !Files.exists(home.resolve("plugins/xmpproxy.jar"));
        OpenfireServer server = OpenfireServer.launch(home, HOSTS.get(node), clientPort, adminPort, jvm,
                stock ? OpenfireServer.STOCK_STARTED : "xmpproxy started");
        try {
            server.awaitLog(JOINED_SELF, Duration.ofSeconds(120));
        } catch (Exception | AssertionError e) {
            System.err.println(server.diagnostics());
            server.close();
            throw e;
        }
        return server;
    }

    private static String hazelcastConfig(int node, List<Integer> clusterPorts) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <hazelcast xmlns="http://www.hazelcast.com/schema/config">
                    <network>
                        <port auto-increment="false">%d</port>
                        <join>
                            <multicast enabled="false"/>
                            <tcp-ip enabled="true">
                                <member>%s:%d</member>
                                <member>%s:%d</member>
                            </tcp-ip>
                        </join>
                    </network>
                </hazelcast>
                """.formatted(clusterPorts.get(node), HOSTS.get(0), clusterPorts.get(0), HOSTS.get(1), clusterPorts.get(1));
    }

    /** The database both nodes share (user and password {@code xmpproxy}). */
    java.sql.Connection database() throws java.sql.SQLException {
        return java.sql.DriverManager.getConnection(database.jdbcUrl(), "xmpproxy", "xmpproxy");
    }

    /** Node 1 on 127.0.0.1, node 2 on 127.0.0.2. */
    public List<OpenfireServer> nodes() {
        return java.util.Collections.unmodifiableList(nodes);
    }

    /** Both nodes' last log lines, for a failure's report. */
    public String diagnostics() {
        StringBuilder text = new StringBuilder();
        nodes.forEach(node -> text.append(node.diagnostics()));
        return text.toString();
    }

    @Override
    public void close() throws Exception {
        try {
            for (int i = nodes.size() - 1; i >= 0; i--) {
                nodes.get(i).close();
            }
            if (nodes.size() < homes.size()) {
                OpenfireServer.deleteTree(homes.get(1)); // set up, never started
            }
        } finally {
            database.close();
        }
    }
}
