package org.xmpproxy.core.flow;

import org.xmpp.packet.JID;
import org.xmpp.packet.Message;

/** Hands a copy to the server for delivery to one resource of the account (in a cluster: on any node). Must not block. */
public interface CopySink {
    void deliver(JID resource, Message copy);

    /**
     * Hands a copy to the node of {@code resource}, which delivers it unless the resource got the original there
     * ({@link MirrorEngine#gotOriginalFromAnotherNode}, by {@code original}'s key): Openfire broke a tie among the
     * account's sessions on another node, which only that node sees. Unclustered nothing asks for this.
     */
    default void deliverUnlessItGotTheOriginal(JID resource, Message copy, String original) {
        deliver(resource, copy);
    }
}
