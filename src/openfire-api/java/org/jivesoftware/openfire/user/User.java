package org.jivesoftware.openfire.user;

/** Compile-only mirror of Openfire 5.1.1 {@code User} (a class). */
public class User {
    private User() {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public String getUsername() {
        throw new UnsupportedOperationException("compile-only mirror");
    }
}
