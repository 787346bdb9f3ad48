package org.jivesoftware.openfire.roster;

import java.util.List;
import org.jivesoftware.openfire.SharedGroupException;
import org.jivesoftware.openfire.user.UserAlreadyExistsException;
import org.jivesoftware.openfire.user.UserNotFoundException;
import org.xmpp.packet.JID;

/** Compile-only mirror of Openfire 5.1.1 {@code Roster} (a class). */
public class Roster {
    private Roster() {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public boolean isRosterItem(JID user) {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    /** Always creates subscription NONE and does not check for an existing item. */
    public RosterItem createRosterItem(JID user, String nickname, List<String> groups, boolean push, boolean persistent)
            throws UserAlreadyExistsException, SharedGroupException {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public void updateRosterItem(RosterItem item) throws UserNotFoundException {
        throw new UnsupportedOperationException("compile-only mirror");
    }
}
