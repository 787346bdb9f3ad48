package org.jivesoftware.openfire.auth;

/**
 * Compile-only mirror of Openfire 5.1.1 {@code AuthToken} (a class): the admin console keeps the logged-in
 * admin's token in the HTTP session attribute {@code jive.admin.authToken} ({@code WebManager.getAuthToken},
 * {@code AuthCheckFilter}).
 */
public class AuthToken {
    protected AuthToken(String username) {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public String getUsername() {
        throw new UnsupportedOperationException("compile-only mirror");
    }
}
