package org.jivesoftware.openfire.event;

/** Compile-only mirror of Openfire 5.1.1 {@code SessionEventDispatcher} (a class of static methods). */
public class SessionEventDispatcher {
    private SessionEventDispatcher() {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public static void addListener(SessionEventListener listener) {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public static void removeListener(SessionEventListener listener) {
        throw new UnsupportedOperationException("compile-only mirror");
    }
}
