package org.jivesoftware.openfire.user;

import org.xmpp.packet.JID;

/** Compile-only mirror of Openfire 5.1.1 {@code UserManager} (a final class, singleton). */
public final class UserManager {
    private UserManager() {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public static UserManager getInstance() {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public boolean isRegisteredUser(JID user, boolean checkRemoteDomains) {
        throw new UnsupportedOperationException("compile-only mirror");
    }
}
