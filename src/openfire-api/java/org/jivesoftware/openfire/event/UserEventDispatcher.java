package org.jivesoftware.openfire.event;

/** Compile-only mirror of Openfire 5.1.1 {@code UserEventDispatcher} (a class of static methods). */
public class UserEventDispatcher {
    private UserEventDispatcher() {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public static void addListener(UserEventListener listener) {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public static void removeListener(UserEventListener listener) {
        throw new UnsupportedOperationException("compile-only mirror");
    }
}
