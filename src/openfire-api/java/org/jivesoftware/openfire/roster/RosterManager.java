package org.jivesoftware.openfire.roster;

import org.jivesoftware.openfire.user.UserNotFoundException;

/** Compile-only mirror of Openfire 5.1.1 {@code RosterManager} (a class; get it from XMPPServer). */
public class RosterManager {
    private RosterManager() {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public Roster getRoster(String username) throws UserNotFoundException {
        throw new UnsupportedOperationException("compile-only mirror");
    }
}
