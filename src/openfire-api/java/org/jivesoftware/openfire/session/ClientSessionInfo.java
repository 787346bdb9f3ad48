package org.jivesoftware.openfire.session;

import java.io.Externalizable;
import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import org.jivesoftware.openfire.cluster.NodeID;
import org.xmpp.packet.Presence;

/** Compile-only mirror of Openfire 5.1.1 {@code ClientSessionInfo} (a class: what a node shares of each client session). */
public class ClientSessionInfo implements Externalizable {
    public ClientSessionInfo() {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public Presence getPresence() {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public boolean isMessageCarbonsEnabled() {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public NodeID getNodeID() {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    @Override
    public void writeExternal(ObjectOutput out) throws IOException {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    @Override
    public void readExternal(ObjectInput in) throws IOException, ClassNotFoundException {
        throw new UnsupportedOperationException("compile-only mirror");
    }
}
