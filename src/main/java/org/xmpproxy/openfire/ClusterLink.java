package org.xmpproxy.openfire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.concurrent.locks.Lock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jivesoftware.database.SequenceManager;
import org.jivesoftware.openfire.XMPPServer;
import org.jivesoftware.openfire.container.Plugin;
import org.jivesoftware.openfire.cluster.ClusterEventListener;
import org.jivesoftware.openfire.cluster.ClusterManager;
import org.jivesoftware.openfire.cluster.ClusterNodeInfo;
import org.jivesoftware.util.cache.Cache;
import org.jivesoftware.util.cache.CacheFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpproxy.core.stats.Counter;
import org.xmpproxy.core.stats.CounterReport;
import org.xmpproxy.store.Cluster;
import org.xmpproxy.store.HistoryStore;
import org.xmpproxy.store.Store;

/**
 * The store's cluster on Openfire's own facilities, nothing else on the network: history id blocks from
 * {@code SequenceManager}, the pruner on the senior member ({@code ClusterManager.isSeniorClusterMember}, true
 * when not clustered), and cluster tasks ({@link AccountNoticeTask}, {@link CountersTask}, {@link FlushTask}) that carry only JDK
 * types, so that a plugin reloaded on one node never hands the other a class it cannot load. Not clustered,
 * {@code CacheFactory} runs no task and every answer is this node's.
 *
 * <p>A task from another node finds this node's running plugin through Openfire's plugin manager, as a JDK
 * {@code BiFunction} ({@link XmpproxyPlugin#apply}), never through a static of its own class: Hazelcast keeps the
 * classes it has loaded, so after a reload a task may arrive as a class of the plugin's earlier class loader, whose
 * statics belong to the unloaded instance. A task that arrives while no instance runs is dropped (the store reads
 * everything when it starts).
 */
final class ClusterLink implements Cluster, ClusterEventListener {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterLink.class);

    /** The plugin's name in plugin.xml, by which the plugin manager finds the running instance. */
    private static final String PLUGIN_NAME = "xmpproxy";
    /** What a flush task asks for. */
    static final String FLUSH = "flush";
    /** How long a node asked to flush waits for its queue (the asking catch-up tries again later if it did not). */
    private static final java.time.Duration FLUSH_WAIT = java.time.Duration.ofSeconds(2);
    /** What a copy task hands over ({@link ClusterCopyTask}). */
    static final String COPY = "copy";
    /** What a counters task asks for. */
    static final String COUNTERS = "counters";
    /** The cache whose locks guard the bot's roster entry (created by every node, empty). */
    private static final String ROSTER_LOCKS = "xmpproxy bot roster entries";

    private volatile Store store;
    private volatile Supplier<List<Counter>> counters = List::of;
    /** Told, by {@link OtherNodeSessions#nodeKey}, of another node that left the cluster. */
    private volatile java.util.function.Consumer<String> nodeLeft = node -> { };
    /** Told that this node joined, or left, the cluster (it may be shutting down). */
    private volatile Runnable joined = () -> { };
    private volatile Runnable left = () -> { };

    /** From now on, tasks from other nodes reach {@code store} and read {@code counters}, and joining a cluster refreshes it. */
    void receiveFor(Store store, Supplier<List<Counter>> counters) {
        this.store = store;
        this.counters = counters;
        ClusterManager.addListener(this);
    }

    /** Who is told that another node left the cluster (failed or shut down). */
    void onNodeLeft(java.util.function.Consumer<String> listener) {
        this.nodeLeft = listener;
    }

    /** Who is told that this node joined the cluster ({@link StoppingNode}). */
    void onJoined(Runnable listener) {
        this.joined = listener;
    }

    /** Who is told that this node left the cluster (it may be shutting down: {@link StoppingNode}). */
    void onLeft(Runnable listener) {
        this.left = listener;
    }

    /** Tasks from other nodes reach nothing of this plugin any more (unload). */
    void close() {
        ClusterManager.removeListener(this);
        store = null;
        nodeLeft = node -> { };
        joined = () -> { };
        left = () -> { };
    }

    /** Hazelcast starts after every plugin has loaded: what other nodes changed until now, the store reads again. */
    @Override
    public void joinedCluster() {
        joined.run();
        Store current = store;
        if (current != null) {
            current.joinedCluster();
        }
    }

    @Override
    public void joinedCluster(byte[] nodeID) {
        // another node joined: it reads the database itself
    }

    @Override
    public void leftCluster() {
        // alone now: nobody to tell; the database is still the one shared, and a rejoin reads it again
        try {
            left.run();
        } catch (RuntimeException e) {
            LOG.warn("xmpproxy: could not note that this node left the cluster", e);
        }
    }

    @Override
    public void leftCluster(byte[] nodeID) {
        // the senior may have left: the pruner asks at each run
        if (nodeID != null) {
            try {
                nodeLeft.accept(OtherNodeSessions.nodeKey(nodeID));
            } catch (RuntimeException e) {
                LOG.warn("xmpproxy: could not note what a node that left the cluster was to deliver", e);
            }
        }
    }

    @Override
    public void markedAsSeniorClusterMember() {
        // the pruner asks at each run
    }

    @Override
    public long next() {
        return SequenceManager.nextID(HistoryStore.ID_SEQUENCE_TYPE);
    }

    @Override
    public boolean runsSharedJobs() {
        return ClusterManager.isSeniorClusterMember();
    }

    @Override
    public void accountChanged(String username) {
        tell(AccountNoticeTask.CHANGED, username);
    }

    @Override
    public void userDeleted(String username) {
        tell(AccountNoticeTask.DELETED, username);
    }

    @Override
    public void userCreated(String username) {
        tell(AccountNoticeTask.CREATED, username);
    }

    @Override
    public void trimDue(String username) {
        if (!ClusterManager.isClusteringStarted()) {
            return;
        }
        try {
            CacheFactory.doClusterTask(new AccountNoticeTask(AccountNoticeTask.TRIM, username),
                    ClusterManager.getSeniorClusterMember().toByteArray());
        } catch (RuntimeException e) {
            LOG.debug("xmpproxy: could not hand the trim of {} to the senior member ({}); the pruner will", username, e.toString());
        }
    }

    /** Clustering is set up on this node: alone now, it may have been joined before (a node failed or left). */
    @Override
    public boolean othersMayHaveWritten() {
        return ClusterManager.isClusteringEnabled() || hasOthers();
    }

    @Override
    public boolean hasOthers() {
        return ClusterManager.isClusteringStarted() && ClusterManager.getNodesInfo().size() > 1;
    }

    /**
     * Each other node in a synchronous task ({@link FlushTask}, on this catch-up thread): true if every one answered
     * that its queue is written. A node that does not answer within Openfire's time-out counts as not written.
     */
    @Override
    public boolean othersFlushed() {
        if (!ClusterManager.isClusteringStarted()) {
            return true;
        }
        byte[] self = XMPPServer.getInstance().getNodeID().toByteArray();
        for (ClusterNodeInfo node : ClusterManager.getNodesInfo()) {
            byte[] id = node.getNodeID().toByteArray();
            if (Arrays.equals(id, self)) {
                continue;
            }
            try {
                if (!Boolean.TRUE.equals(CacheFactory.doSynchronousClusterTask(new FlushTask(), id))) {
                    return false;
                }
            } catch (RuntimeException e) {
                LOG.debug("xmpproxy: node {} did not say it wrote its queue: {}", nameOf(node.getHostName(), id), e.toString());
                return false;
            }
        }
        return true;
    }

    private static void tell(String kind, String username) {
        if (!ClusterManager.isClusteringStarted()) {
            return;
        }
        try {
            CacheFactory.doClusterTask(new AccountNoticeTask(kind, username));
        } catch (RuntimeException e) {
            LOG.warn("xmpproxy: could not tell the other nodes that {} was {}: {}", username, kind, e.toString());
        }
    }

    /**
     * The counters of every node: this node's now, each other node's from a synchronous task (a node that does not
     * answer within Openfire's time-out is left out and counted as asked). Not clustered: this node's alone.
     */
    CounterReport report(List<Counter> local) {
        if (!ClusterManager.isClusteringStarted()) {
            return CounterReport.alone(local);
        }
        byte[] self = XMPPServer.getInstance().getNodeID().toByteArray();
        String selfName = nameOf(null, self);
        Map<String, Map<String, Long>> others = new LinkedHashMap<>();
        int asked = 1;
        for (ClusterNodeInfo node : ClusterManager.getNodesInfo()) {
            byte[] id = node.getNodeID().toByteArray();
            String name = nameOf(node.getHostName(), id);
            if (Arrays.equals(id, self)) {
                selfName = name;
                continue;
            }
            asked++;
            try {
                Map<String, Long> values = CacheFactory.doSynchronousClusterTask(new CountersTask(), id);
                if (values != null) {
                    others.put(name, values);
                }
            } catch (RuntimeException e) {
                LOG.debug("xmpproxy: node {} did not report its counters: {}", name, e.toString());
            }
        }
        return CounterReport.of(selfName, local, others, asked);
    }

    /** A node as the admin knows it: its host name, and its node id (two nodes may run on one host). */
    private static String nameOf(String hostName, byte[] nodeId) {
        String id = new String(nodeId, StandardCharsets.UTF_8);
        return hostName == null || hostName.isBlank() ? id : hostName + " (" + id + ")";
    }

    /**
     * A lock per username that is cluster-wide in a cluster (a clustered cache's; nothing is put in the cache), for
     * what must happen once for the cluster: the bot's roster entry.
     */
    static Function<String, Lock> rosterLocks() {
        Cache<String, Boolean> cache = CacheFactory.createCache(ROSTER_LOCKS);
        return cache::getLock;
    }

    /**
     * On the node a task reached, in the task's class (perhaps of an earlier class loader): hands the question to the
     * plugin running now, through a JDK interface. Null if none runs.
     */
    @SuppressWarnings("unchecked")
    static Object toRunningPlugin(String kind, String username) {
        Optional<Plugin> plugin = XMPPServer.getInstance().getPluginManager().getPluginByName(PLUGIN_NAME);
        if (plugin.isPresent() && plugin.get() instanceof BiFunction<?, ?, ?> hook) {
            return ((BiFunction<String, String, Object>) hook).apply(kind, username);
        }
        return null;
    }

    /** In the running plugin: a notice from another node reaches the store; a counters question gets this node's counters. */
    Object fromAnotherNode(String kind, String username) {
        Store current = store;
        if (current == null) {
            return null;
        }
        if (COUNTERS.equals(kind)) {
            return new HashMap<>(CounterReport.values(counters.get()));
        }
        if (FLUSH.equals(kind)) {
            return current.flushHistory(FLUSH_WAIT);
        }
        if (username == null) {
            return null;
        }
        switch (kind) {
            case AccountNoticeTask.CHANGED -> current.changedElsewhere(username);
            case AccountNoticeTask.DELETED -> current.deletedElsewhere(username);
            case AccountNoticeTask.CREATED -> current.createdElsewhere(username);
            case AccountNoticeTask.TRIM -> current.trimDue(username);
            default -> LOG.debug("xmpproxy: a notice of an unknown kind {} from another node (another version?)", kind);
        }
        return null;
    }
}
