package org.xmpproxy.openfire;

import org.jivesoftware.openfire.user.UserManager;
import org.jivesoftware.openfire.user.UserNotFoundException;

/** Openfire's users, as the store asks about them. */
final class OpenfireUsers {
    private OpenfireUsers() {
    }

    /**
     * Whether a local username is a registered account (anonymous sessions' generated names are not).
     * Openfire's user providers report a failure to read (database or LDAP away) as "not found" with the
     * failure as its cause: that is no answer, and the user's data is kept (see {@link org.xmpproxy.store.RegisteredUsers}).
     */
    static boolean isRegistered(String username) {
        try {
            UserManager.getInstance().getUser(username);
            return true;
        } catch (UserNotFoundException e) {
            Throwable cause = e.getCause();
            while (cause instanceof UserNotFoundException) { // DefaultUserProvider wraps its own "not found" once more
                cause = cause.getCause();
            }
            if (cause != null) {
                throw new IllegalStateException("cannot read the user " + username, cause);
            }
            return false;
        }
    }
}
