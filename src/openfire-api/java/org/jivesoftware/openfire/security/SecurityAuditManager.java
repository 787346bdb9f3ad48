package org.jivesoftware.openfire.security;

/** Compile-only mirror of Openfire 5.1.1 {@code SecurityAuditManager} (a class, singleton): the security audit log. */
public class SecurityAuditManager {
    private SecurityAuditManager() {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public static SecurityAuditManager getInstance() {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    /** What the admin console's {@code WebManager.logEvent(summary, details)} calls with the logged-in admin's username. */
    public void logEvent(String username, String summary, String details) {
        throw new UnsupportedOperationException("compile-only mirror");
    }
}
