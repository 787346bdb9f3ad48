package org.jivesoftware.openfire.session;

import org.xmpp.packet.JID;

/** Compile-only mirror of Openfire 5.1.1 {@code RemoteSessionLocator} (an interface; set while clustered, else null). */
public interface RemoteSessionLocator {
    /** A stand-in for a session on another node (no cluster call); its {@code process} sends a ProcessPacketTask there. */
    ClientSession getClientSession(byte[] nodeID, JID address);
}
