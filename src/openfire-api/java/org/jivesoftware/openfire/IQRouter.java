package org.jivesoftware.openfire;

/** Compile-only mirror of Openfire 5.1.1 {@code IQRouter} (a class); the plugin only asks what it handles. */
public class IQRouter {
    private IQRouter() {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    /** Whether an IQ handler of this namespace is installed (a map look-up, no round trip). */
    public boolean supports(String namespace) {
        throw new UnsupportedOperationException("compile-only mirror");
    }
}
