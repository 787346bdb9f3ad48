package org.jivesoftware.openfire.cluster;

/** Compile-only mirror of Openfire 5.1.1 {@code ClusterNodeInfo} (an interface). */
public interface ClusterNodeInfo {
    String getHostName();

    NodeID getNodeID();
}
