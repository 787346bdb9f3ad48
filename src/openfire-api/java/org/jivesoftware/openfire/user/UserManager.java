package org.jivesoftware.openfire.user;

import java.util.Collection;
import java.util.Set;
import org.xmpp.packet.JID;

/** Compile-only mirror of Openfire 5.1.1 {@code UserManager} (a final class, singleton). */
public final class UserManager {
    private UserManager() {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public static UserManager getInstance() {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public User getUser(String username) throws UserNotFoundException {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public boolean isRegisteredUser(JID user, boolean checkRemoteDomains) {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public int getUserCount() {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public Collection<User> getUsers(final int startIndex, final int numResults) {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public Set<String> getSearchFields() throws UnsupportedOperationException {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public Collection<User> findUsers(final Set<String> fields, final String query) throws UnsupportedOperationException {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public Collection<User> findUsers(final Set<String> fields, final String query, final int startIndex,
                                      final int numResults) throws UnsupportedOperationException {
        throw new UnsupportedOperationException("compile-only mirror");
    }
}
