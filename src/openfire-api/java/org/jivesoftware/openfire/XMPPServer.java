package org.jivesoftware.openfire;

import org.xmpp.packet.JID;

/** Compile-only mirror of Openfire 5.1.1 {@code XMPPServer} (a class, singleton). */
public class XMPPServer {
    private XMPPServer() {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public static XMPPServer getInstance() {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public boolean isShuttingDown() {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public void addServerListener(XMPPServerListener listener) {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public void removeServerListener(XMPPServerListener listener) {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public XMPPServerInfo getServerInfo() {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public boolean isLocal(JID jid) {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public org.jivesoftware.openfire.roster.RosterManager getRosterManager() {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public SessionManager getSessionManager() {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public org.jivesoftware.openfire.cluster.NodeID getNodeID() {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public org.jivesoftware.openfire.container.PluginManager getPluginManager() {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    /** Null unless clustered. */
    public org.jivesoftware.openfire.session.RemoteSessionLocator getRemoteSessionLocator() {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public RoutingTable getRoutingTable() {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public IQRouter getIQRouter() {
        throw new UnsupportedOperationException("compile-only mirror");
    }
}
