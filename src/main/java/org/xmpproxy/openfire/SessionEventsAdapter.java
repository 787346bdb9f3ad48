package org.xmpproxy.openfire;

import org.jivesoftware.openfire.event.SessionEventListener;
import org.jivesoftware.openfire.session.Session;

/** A session listener that ignores every event but those a subclass overrides. */
abstract class SessionEventsAdapter implements SessionEventListener {
    @Override
    public void sessionCreated(Session session) {
    }

    @Override
    public void sessionDestroyed(Session session) {
    }

    @Override
    public void anonymousSessionCreated(Session session) {
    }

    @Override
    public void anonymousSessionDestroyed(Session session) {
    }

    @Override
    public void resourceBound(Session session) {
    }
}
