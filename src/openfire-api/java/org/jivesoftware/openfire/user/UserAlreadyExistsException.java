package org.jivesoftware.openfire.user;

/** Compile-only mirror of Openfire 5.1.1 {@code UserAlreadyExistsException} (a checked exception). */
public class UserAlreadyExistsException extends Exception {
    public UserAlreadyExistsException() {
        throw new UnsupportedOperationException("compile-only mirror");
    }
}
