package org.jivesoftware.openfire.user;

/** Compile-only mirror of Openfire 5.1.1 {@code PresenceEventDispatcher} (a class of static methods). */
public class PresenceEventDispatcher {
    private PresenceEventDispatcher() {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public static void addListener(PresenceEventListener listener) {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public static void removeListener(PresenceEventListener listener) {
        throw new UnsupportedOperationException("compile-only mirror");
    }
}
