package org.jivesoftware.openfire.session;

import org.xmpp.packet.Presence;

/** Compile-only mirror of Openfire 5.1.1 {@code ClientSession} (an interface). */
public interface ClientSession extends Session {
    boolean isAnonymousUser();

    /** True once the session's first available presence has been handled. */
    boolean isInitialized();

    Presence getPresence();

    boolean isMessageCarbonsEnabled();
}
