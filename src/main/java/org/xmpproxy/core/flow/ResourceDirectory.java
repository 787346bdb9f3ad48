package org.xmpproxy.core.flow;

import java.util.List;
import org.xmpp.packet.JID;

/** The server's view of an account's available resources (those that sent an available presence). */
public interface ResourceDirectory {
    List<ResourcePresence> availableResources(JID account);
}
