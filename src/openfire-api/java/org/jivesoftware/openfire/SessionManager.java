package org.jivesoftware.openfire;

import java.util.Collection;
import org.jivesoftware.openfire.session.ClientSession;
import org.xmpp.packet.JID;

/** Compile-only mirror of Openfire 5.1.1 {@code SessionManager} (a class; get it from XMPPServer). */
public class SessionManager {
    private SessionManager() {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    /** For a bare JID: every session of the user, available or not (closing ones too, until they are removed). */
    public Collection<ClientSession> getSessions(JID from) {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    /** Each client session of the cluster, by full JID: what its node shares of it (presence, carbons flag, node). */
    public org.jivesoftware.util.cache.Cache<String, org.jivesoftware.openfire.session.ClientSessionInfo> getSessionInfoCache() {
        throw new UnsupportedOperationException("compile-only mirror");
    }
}
