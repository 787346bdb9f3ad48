package org.jivesoftware.util.cache;

/** Compile-only mirror of Openfire 5.1.1 {@code CacheFactory} (a class of static methods). */
public class CacheFactory {
    private CacheFactory() {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    /** Runs the task on every other node, asynchronously; does nothing when not clustered. */
    public static void doClusterTask(final ClusterTask<?> task) {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    /** Runs the task on one node, asynchronously; throws IllegalStateException when that node is not in the cluster. */
    public static void doClusterTask(final ClusterTask<?> task, byte[] nodeID) {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    /** Runs the task on one node and waits for its result (null when not clustered or it failed). */
    public static <T> T doSynchronousClusterTask(ClusterTask<T> task, byte[] nodeID) {
        throw new UnsupportedOperationException("compile-only mirror");
    }
}
