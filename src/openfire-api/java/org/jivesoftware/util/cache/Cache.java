package org.jivesoftware.util.cache;

import java.io.Serializable;
import java.util.concurrent.locks.Lock;
import org.jivesoftware.openfire.cluster.ClusteredCacheEntryListener;

/** Compile-only mirror of Openfire 5.1.1 {@code Cache} (an interface extending Map; in a cluster a Hazelcast map; only what the plugin calls). */
public interface Cache<K extends Serializable, V extends Serializable> extends java.util.Map<K, V> {
    /** A lock on {@code key}: cluster-wide once the node is in a cluster. */
    Lock getLock(final K key);

    /** Change events from the whole cluster; the id removes it. Registered anew after each join (the cache is swapped). */
    String addClusteredCacheEntryListener(ClusteredCacheEntryListener<K, V> listener, boolean includeValues,
                                          boolean includeEventsFromLocalNode);

    void removeClusteredCacheEntryListener(String listenerId);
}
