package org.xmpproxy.openfire;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jivesoftware.openfire.XMPPServer;
import org.jivesoftware.openfire.cluster.ClusterEventListener;
import org.jivesoftware.openfire.cluster.ClusterManager;
import org.jivesoftware.openfire.cluster.ClusteredCacheEntryListener;
import org.jivesoftware.openfire.cluster.NodeID;
import org.jivesoftware.openfire.session.ClientSessionInfo;
import org.jivesoftware.util.cache.Cache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.JID;
import org.xmpp.packet.Presence;
import org.xmpproxy.core.flow.ResourcePresence;

/**
 * The client sessions other cluster nodes hold, by account: kept from Openfire's clustered session information
 * ({@code SessionManager.getSessionInfoCache}, which each node updates for its own sessions on every presence and
 * carbons change), so that reading them per message is a map look-up here, never a cluster call. Session events fire
 * only on the session's node; this cache's entry events reach every node.
 *
 * <p>A cache is swapped for a clustered one, and emptied, when the node joins, and for a local one when it leaves:
 * the listener is registered and the map refilled at {@link #joinedCluster()} (also at start when the plugin is
 * loaded into a running cluster), and everything is forgotten at {@link #leftCluster()}. Unclustered it holds
 * nothing.
 */
final class OtherNodeSessions implements ClusteredCacheEntryListener<String, ClientSessionInfo>, ClusterEventListener {
    private static final Logger LOG = LoggerFactory.getLogger(OtherNodeSessions.class);
    private static final Held[] NONE = new Held[0];

    /** One session of another node, as its node shared it last. */
    record Held(JID address, byte[] node, ResourcePresence presence, boolean available) {
    }

    /** Username → its sessions on other nodes (an array replaced on change, read without a lock). */
    private final Map<String, Held[]> byAccount = new ConcurrentHashMap<>();
    private final String domain;
    private volatile Cache<String, ClientSessionInfo> cache;
    private volatile String listenerId;

    OtherNodeSessions(String domain) {
        this.domain = domain;
    }

    void start() {
        ClusterManager.addListener(this);
        if (ClusterManager.isClusteringStarted()) {
            joinedCluster(); // loaded into a running cluster (Hazelcast starts after the plugins at boot)
        }
    }

    void stop() {
        ClusterManager.removeListener(this);
        unlisten();
        byAccount.clear();
    }

    /** A node's id as a String (its bytes in hex), as the engine names the node that holds a session. */
    static String nodeKey(byte[] node) {
        return java.util.HexFormat.of().formatHex(node);
    }

    /** When this view last changed as a whole: this node joined or left, or another node left (epoch millis). */
    private volatile long changedAt = Long.MIN_VALUE;

    /** When this view last changed as a whole (this node joined or left the cluster, another node left it). */
    long changedAt() {
        return changedAt;
    }

    /** Whether this node is in a cluster (its clustered session cache is followed). */
    boolean joined() {
        return cache != null;
    }

    /** The account's sessions on other nodes (available or not yet); empty unclustered. */
    Held[] of(JID account) {
        if (account.getNode() == null || !domain.equals(account.getDomain())) {
            return NONE;
        }
        Held[] held = byAccount.get(account.getNode());
        return held == null ? NONE : held;
    }

    /** Whether the account has an available session on another node. */
    boolean hasAvailable(JID account) {
        for (Held held : of(account)) {
            if (held.available()) {
                return true;
            }
        }
        return false;
    }

    /** The session of this full JID on another node, or null. */
    Held find(JID resource) {
        for (Held held : of(resource)) {
            if (held.address().equals(resource)) {
                return held;
            }
        }
        return null;
    }

    @Override
    public synchronized void joinedCluster() {
        changedAt = System.currentTimeMillis(); // before the view changes: a routing that reads it after knows
        unlisten();
        Cache<String, ClientSessionInfo> joined = XMPPServer.getInstance().getSessionManager().getSessionInfoCache();
        cache = joined;
        listenerId = joined.addClusteredCacheEntryListener(this, true, false); // first, then the refill: nothing slips between
        byAccount.clear();
        for (Map.Entry<String, ClientSessionInfo> entry : joined.entrySet()) {
            put(entry.getKey(), entry.getValue());
        }
        LOG.info("xmpproxy: joined the cluster; {} sessions on other nodes", byAccount.values().stream().mapToInt(h -> h.length).sum());
    }

    @Override
    public void joinedCluster(byte[] nodeID) {
        // Its sessions arrive as entries of the cache.
    }

    @Override
    public synchronized void leftCluster() {
        changedAt = System.currentTimeMillis();
        listenerId = null; // the clustered cache is gone, and its listeners with it
        cache = null;
        byAccount.clear();
    }

    @Override
    public void leftCluster(byte[] nodeID) {
        changedAt = System.currentTimeMillis();
        for (String account : byAccount.keySet()) {
            byAccount.computeIfPresent(account, (key, old) -> {
                Held[] kept = Arrays.stream(old).filter(h -> !Arrays.equals(nodeID, h.node())).toArray(Held[]::new);
                return kept.length == 0 ? null : kept;
            });
        }
    }

    @Override
    public void markedAsSeniorClusterMember() {
    }

    @Override
    public void entryAdded(String key, ClientSessionInfo newValue, NodeID nodeID) {
        put(key, newValue);
    }

    @Override
    public void entryUpdated(String key, ClientSessionInfo oldValue, ClientSessionInfo newValue, NodeID nodeID) {
        put(key, newValue);
    }

    @Override
    public void entryRemoved(String key, ClientSessionInfo oldValue, NodeID nodeID) {
        remove(key);
    }

    @Override
    public void entryEvicted(String key, ClientSessionInfo oldValue, NodeID nodeID) {
        remove(key);
    }

    @Override
    public void mapCleared(NodeID nodeID) {
        byAccount.clear();
    }

    @Override
    public void mapEvicted(NodeID nodeID) {
        byAccount.clear();
    }

    private void unlisten() {
        Cache<String, ClientSessionInfo> old = cache;
        String id = listenerId;
        if (old != null && id != null) {
            try {
                old.removeClusteredCacheEntryListener(id);
            } catch (RuntimeException e) {
                LOG.debug("xmpproxy: the session cache's listener was gone already", e);
            }
        }
        listenerId = null;
        cache = null;
    }

    private void put(String fullJid, ClientSessionInfo info) {
        if (info == null || info.getNodeID() == null) {
            return;
        }
        if (info.getNodeID().equals(XMPPServer.getInstance().getNodeID())) {
            // This node's own sessions come from its session events (SessionDirectory). The resource is here now: a
            // session it had on another node (which failed, or whose removal arrives later) is no longer where it is.
            remove(fullJid);
            return;
        }
        put(fullJid, info.getNodeID().toByteArray(), info.getPresence(), info.isMessageCarbonsEnabled());
    }

    /** A session of another node as that node shared it: its presence (priority, show, available) and carbons flag. */
    void put(String fullJid, byte[] node, Presence presence, boolean carbons) {
        JID address = parse(fullJid);
        if (address == null || address.getNode() == null || address.getResource() == null) {
            return;
        }
        boolean available = presence != null && presence.isAvailable();
        int priority = presence == null ? 0 : presence.getPriority();
        int show = ResourcePresence.showRank(presence == null || presence.getShow() == null ? null : presence.getShow().name());
        Held held = new Held(address, node, new ResourcePresence(address, carbons, true, priority, show), available);
        byAccount.compute(address.getNode(), (key, old) -> {
            if (old == null) {
                return new Held[] {held};
            }
            Held[] others = Arrays.stream(old).filter(h -> !h.address().equals(address)).toArray(Held[]::new);
            Held[] changed = Arrays.copyOf(others, others.length + 1);
            changed[others.length] = held;
            return changed;
        });
    }

    private static JID parse(String fullJid) {
        try {
            return fullJid == null ? null : new JID(fullJid);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    void remove(String fullJid) {
        JID address = parse(fullJid);
        if (address == null || address.getNode() == null) {
            return;
        }
        byAccount.computeIfPresent(address.getNode(), (key, old) -> {
            Held[] kept = Arrays.stream(old).filter(h -> !h.address().equals(address)).toArray(Held[]::new);
            return kept.length == 0 ? null : kept;
        });
    }
}
