package org.jivesoftware.openfire.admin;

import org.xmpp.packet.JID;

/** Compile-only mirror of Openfire 5.1.1 {@code AdminManager} (a class, singleton). */
public class AdminManager {
    private AdminManager() {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public static AdminManager getInstance() {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public boolean isUserAdmin(JID jid, boolean allowAdminIfEmpty) {
        throw new UnsupportedOperationException("compile-only mirror");
    }
}
