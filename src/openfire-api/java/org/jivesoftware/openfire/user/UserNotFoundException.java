package org.jivesoftware.openfire.user;

/** Compile-only mirror of Openfire 5.1.1 {@code UserNotFoundException} (a checked exception). */
public class UserNotFoundException extends Exception {
    public UserNotFoundException() {
        throw new UnsupportedOperationException("compile-only mirror");
    }
}
