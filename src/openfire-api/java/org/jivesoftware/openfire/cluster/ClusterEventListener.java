package org.jivesoftware.openfire.cluster;

/** Compile-only mirror of Openfire 5.1.1 {@code ClusterEventListener} (an interface, no default methods). */
public interface ClusterEventListener {
    void joinedCluster();

    void joinedCluster(byte[] nodeID);

    void leftCluster();

    void leftCluster(byte[] nodeID);

    void markedAsSeniorClusterMember();
}
