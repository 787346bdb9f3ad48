package org.jivesoftware.openfire;

/**
 * Compile-only mirror of Openfire 5.1.1 {@code OfflineMessageStrategy} (a class; its listeners are static).
 */
public class OfflineMessageStrategy {
    public static void addListener(OfflineMessageListener listener) {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public static void removeListener(OfflineMessageListener listener) {
        throw new UnsupportedOperationException("compile-only mirror");
    }
}
