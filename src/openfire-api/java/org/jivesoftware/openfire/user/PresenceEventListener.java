package org.jivesoftware.openfire.user;

import org.jivesoftware.openfire.session.ClientSession;
import org.xmpp.packet.JID;
import org.xmpp.packet.Presence;

/** Compile-only mirror of Openfire 5.1.1 {@code PresenceEventListener} (an interface in the user package). */
public interface PresenceEventListener {
    void availableSession(ClientSession session, Presence presence);

    void unavailableSession(ClientSession session, Presence presence);

    void presenceChanged(ClientSession session, Presence presence);

    void subscribedToPresence(JID subscriberJID, JID authorizerJID);

    void unsubscribedToPresence(JID unsubscriberJID, JID recipientJID);
}
