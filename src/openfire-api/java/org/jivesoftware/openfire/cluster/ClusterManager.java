package org.jivesoftware.openfire.cluster;

import java.util.Collection;

/** Compile-only mirror of Openfire 5.1.1 {@code ClusterManager} (a class of static methods). */
public class ClusterManager {
    private ClusterManager() {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public static void addListener(ClusterEventListener listener) {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public static void removeListener(ClusterEventListener listener) {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public static boolean isClusteringEnabled() {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public static boolean isClusteringStarted() {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    /** True on the senior member, and when clustering is not enabled. */
    public static boolean isSeniorClusterMember() {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    /** The senior member's id (this node's when not clustered). */
    public static NodeID getSeniorClusterMember() {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    /** The members of the cluster, this one included; empty when not clustered. */
    public static Collection<ClusterNodeInfo> getNodesInfo() {
        throw new UnsupportedOperationException("compile-only mirror");
    }
}
