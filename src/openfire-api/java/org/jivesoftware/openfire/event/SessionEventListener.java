package org.jivesoftware.openfire.event;

import org.jivesoftware.openfire.session.Session;

/** Compile-only mirror of Openfire 5.1.1 {@code SessionEventListener} (an interface). */
public interface SessionEventListener {
    /** A client session was added to the routing table (its resource bound). */
    void sessionCreated(Session session);

    /** A client session was removed from the routing table. */
    void sessionDestroyed(Session session);

    void anonymousSessionCreated(Session session);

    void anonymousSessionDestroyed(Session session);

    void resourceBound(Session session);
}
