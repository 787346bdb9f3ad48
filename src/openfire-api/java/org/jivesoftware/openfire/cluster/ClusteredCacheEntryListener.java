package org.jivesoftware.openfire.cluster;

/** Compile-only mirror of Openfire 5.1.1 {@code ClusteredCacheEntryListener} (an interface, no default methods). */
public interface ClusteredCacheEntryListener<K, V> {
    void entryAdded(K key, V newValue, NodeID nodeID);

    void entryRemoved(K key, V oldValue, NodeID nodeID);

    void entryUpdated(K key, V oldValue, V newValue, NodeID nodeID);

    void entryEvicted(K key, V oldValue, NodeID nodeID);

    void mapCleared(NodeID nodeID);

    void mapEvicted(NodeID nodeID);
}
