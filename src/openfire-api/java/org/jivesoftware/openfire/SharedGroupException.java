package org.jivesoftware.openfire;

/** Compile-only mirror of Openfire 5.1.1 {@code SharedGroupException} (a checked exception). */
public class SharedGroupException extends Exception {
    public SharedGroupException() {
        throw new UnsupportedOperationException("compile-only mirror");
    }
}
