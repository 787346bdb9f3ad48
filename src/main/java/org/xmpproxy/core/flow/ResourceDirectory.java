package org.xmpproxy.core.flow;

import java.util.List;
import java.util.Set;
import org.xmpp.packet.JID;

/** The server's view of an account's available resources (those that sent an available presence). */
public interface ResourceDirectory {
    List<ResourcePresence> availableResources(JID account);

    /** How many resources {@link #availableResources} would list; asked for every message, so cheaper where it can be. */
    default int availableCount(JID account) {
        return availableResources(account).size();
    }

    /** The account's resources whose session is closing (its connection is gone, the session not yet removed). */
    default Set<JID> closingResources(JID account) {
        return Set.of();
    }
}
