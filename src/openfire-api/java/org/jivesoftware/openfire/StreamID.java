package org.jivesoftware.openfire;

import java.io.Serializable;

/** Compile-only mirror of Openfire 5.1.1 {@code StreamID} (an interface): a unique identifier of a stream. */
public interface StreamID extends Serializable {
    String getID();
}
