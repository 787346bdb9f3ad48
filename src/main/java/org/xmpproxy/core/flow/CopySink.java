package org.xmpproxy.core.flow;

import org.xmpp.packet.JID;
import org.xmpp.packet.Message;

/** Hands a copy to the server for delivery to one local resource. Must not block. */
public interface CopySink {
    void deliver(JID resource, Message copy);
}
