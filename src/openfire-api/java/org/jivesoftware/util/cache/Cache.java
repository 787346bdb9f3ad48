package org.jivesoftware.util.cache;

import java.io.Serializable;
import java.util.concurrent.locks.Lock;

/** Compile-only mirror of Openfire 5.1.1 {@code Cache} (an interface extending Map; only what the plugin calls). */
public interface Cache<K extends Serializable, V extends Serializable> extends java.util.Map<K, V> {
    /** A lock on {@code key}: cluster-wide once the node is in a cluster. */
    Lock getLock(final K key);
}
