package org.xmpproxy.load;

import java.nio.file.Path;
import java.util.List;
import org.xmpproxy.openfire.e2e.OpenfireCluster;
import org.xmpproxy.openfire.e2e.OpenfireServer;

/**
 * The Openfire a configuration runs on, fresh for each run: one server, or for a {@code cluster-*} configuration two
 * clustered nodes on one PostgreSQL ({@link OpenfireCluster}, node 1 on 127.0.0.1, node 2 on 127.0.0.2).
 */
final class LoadServers implements AutoCloseable {
    /** By node: one for a single server. */
    final List<OpenfireServer> nodes;
    private final AutoCloseable owner;
    private final java.util.function.Supplier<String> diagnostics;

    private LoadServers(List<OpenfireServer> nodes, AutoCloseable owner, java.util.function.Supplier<String> diagnostics) {
        this.nodes = nodes;
        this.owner = owner;
        this.diagnostics = diagnostics;
    }

    /** {@code hazelcast} is needed (not null) for a cluster configuration only. */
    static LoadServers start(LoadConfig config, Path installation, Path pluginJar, Path hazelcast, List<String> users,
                             List<String> jvmArguments) throws Exception {
        Path plugin = config.plugin ? pluginJar : null;
        if (config.cluster()) {
            OpenfireCluster cluster = OpenfireCluster.start(installation, plugin, hazelcast, users, config.xmpproxyXml(), jvmArguments);
            return new LoadServers(cluster.nodes(), cluster, cluster::diagnostics);
        }
        OpenfireServer server = OpenfireServer.start(installation, plugin, users, config.xmpproxyXml(), jvmArguments);
        return new LoadServers(List.of(server), server, server::diagnostics);
    }

    /** The node a conversation's client in {@code slot} connects to ({@link Conversation#node}). */
    OpenfireServer nodeFor(int conversation, int slot) {
        return nodes.get(Conversation.node(conversation, slot, nodes.size()));
    }

    ServerProbe probe() {
        return new ServerProbe(nodes.stream().map(OpenfireServer::pid).toList());
    }

    String diagnostics() {
        return diagnostics.get();
    }

    @Override
    public void close() throws Exception {
        owner.close();
    }
}
