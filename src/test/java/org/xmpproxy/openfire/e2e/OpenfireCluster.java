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
 * PostgreSQL's server binaries.
 */
final class OpenfireCluster implements AutoCloseable {
    static final List<String> HOSTS = List.of("127.0.0.1", "127.0.0.2");
    private static final List<String> JVM = List.of("-Dhazelcast.phone.home.enabled=false", "-Djava.net.preferIPv4Stack=true",
            "-Dhazelcast.socket.bind.any=false");

    private final PostgresServer database;
    final List<OpenfireServer> nodes = new ArrayList<>();

    private OpenfireCluster(PostgresServer database) {
        this.database = database;
    }

    /** Why the cluster suite cannot run here, or empty. */
    static Optional<String> whyNot() {
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

    private static Optional<Path> hazelcastPlugin() {
        String value = System.getProperty("openfire.hazelcast", "").trim();
        return value.isEmpty() || !Files.isRegularFile(Path.of(value)) ? Optional.empty() : Optional.of(Path.of(value));
    }

    static OpenfireCluster startFor(Class<?> testClass, List<String> users) throws Exception {
        Optional<String> why = whyNot();
        why.ifPresent(reason -> System.out.println("SKIPPED " + testClass.getSimpleName() + ": " + reason + "."));
        org.junit.jupiter.api.Assumptions.assumeTrue(why.isEmpty(), () -> "cluster tests skipped: " + why.orElse(""));
        Path jar = Path.of(System.getProperty("xmpproxy.jar", "target/xmpproxy.jar"));
        OpenfireCluster cluster = new OpenfireCluster(PostgresServer.start(PostgresServer.binaries().orElseThrow()));
        try {
            cluster.start(OpenfireServer.installation().orElseThrow(), jar, hazelcastPlugin().orElseThrow(), users);
        } catch (Exception | AssertionError e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    private void start(Path installation, Path pluginJar, Path hazelcast, List<String> users) throws Exception {
        int clientPort = OpenfireServer.freePort();
        List<Integer> clusterPorts = List.of(OpenfireServer.freePort(), OpenfireServer.freePort());
        Path first = prepare(installation, pluginJar, hazelcast, 0, clusterPorts);
        int admin = OpenfireServer.freePort();
        Files.writeString(first.resolve("conf/openfire.xml"), OpenfireConfig.clusterNode(OpenfireServer.DOMAIN, HOSTS.get(0),
                clientPort, admin, OpenfireServer.freePort(), users, OpenfireServer.PASSWORD, OpenfireServer.ADMIN_PASSWORD,
                database.jdbcUrl()));
        nodes.add(launch(first, 0, clientPort, admin));

        // The second node joins the first one's set-up database: its configuration, security keys and keystore.
        Path second = prepare(installation, pluginJar, hazelcast, 1, clusterPorts);
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
        // Node 1 wrote its cluster node id at its first start: node 2 must make its own. With node 1's, both nodes took
        // every session of the other for one of their own ("Asked to return a RemoteClientSession ... is the local node").
        org.dom4j.Element clustering = config.getRootElement().element("clustering");
        if (clustering != null && clustering.element("nodeid") != null) {
            clustering.remove(clustering.element("nodeid"));
        }
        Files.writeString(second.resolve("conf/openfire.xml"), config.asXML());
        nodes.add(launch(second, 1, clientPort, secondAdmin));
        nodes.get(0).awaitLog("Firing joined cluster event for another node", Duration.ofSeconds(120));
    }

    /** A copy of the installation with both plugins and this node's Hazelcast configuration. */
    private static Path prepare(Path installation, Path pluginJar, Path hazelcast, int node, List<Integer> clusterPorts) throws Exception {
        Path home = Files.createTempDirectory("xmpproxy-cluster-node" + (node + 1) + "-");
        OpenfireServer.copyTree(installation, home);
        Files.createDirectories(home.resolve("plugins"));
        Files.createDirectories(home.resolve("logs"));
        Files.copy(pluginJar, home.resolve("plugins/xmpproxy.jar"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(hazelcast, home.resolve("plugins/hazelcast.jar"), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(home.resolve("conf/hazelcast-local-config.xml"), hazelcastConfig(node, clusterPorts));
        return home;
    }

    private static OpenfireServer launch(Path home, int node, int clientPort, int adminPort) throws Exception {
        // Hazelcast picks its address among the interfaces' own; 127.0.0.2 is none of them, so it is named.
        List<String> jvm = new ArrayList<>(JVM);
        jvm.add("-Dhazelcast.local.localAddress=" + HOSTS.get(node));
        OpenfireServer server = OpenfireServer.launch(home, HOSTS.get(node), clientPort, adminPort, jvm, "xmpproxy started");
        try {
            server.awaitLog("Firing joined cluster event for this node", Duration.ofSeconds(120));
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

    @Override
    public void close() throws Exception {
        try {
            for (int i = nodes.size() - 1; i >= 0; i--) {
                nodes.get(i).close();
            }
        } finally {
            database.close();
        }
    }
}
