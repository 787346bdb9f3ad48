package org.jivesoftware.openfire.cluster;

import java.io.Externalizable;
import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectOutput;

/** Compile-only mirror of Openfire 5.1.1 {@code NodeID} (a class). */
public class NodeID implements Externalizable {
    public NodeID() {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public byte[] toByteArray() {
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
