package org.jivesoftware.util.cache;

import java.io.Externalizable;

/** Compile-only mirror of Openfire 5.1.1 {@code ClusterTask} (an interface: run on another node, then its result read there). */
public interface ClusterTask<V> extends Runnable, Externalizable {
    V getResult();
}
