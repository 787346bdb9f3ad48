package org.xmpproxy.openfire;

import java.time.Clock;
import java.util.Map;
import java.util.function.Consumer;
import org.jivesoftware.openfire.event.UserEventListener;
import org.jivesoftware.openfire.session.ClientSession;
import org.jivesoftware.openfire.user.PresenceEventListener;
import org.jivesoftware.openfire.user.User;
import org.xmpp.packet.JID;
import org.xmpp.packet.Presence;
import org.xmpproxy.store.StoredSettings;

/** Openfire's user and presence events, as the store needs them: deleted users, resources coming and going. */
final class AccountEvents implements UserEventListener, PresenceEventListener {
    private final StoredSettings settings;
    private final Clock clock;
    private volatile Consumer<JID> onAvailable = resource -> { };

    AccountEvents(StoredSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** Also tell {@code listener} when a local user's resource becomes available. */
    void onAvailable(Consumer<JID> listener) {
        this.onAvailable = listener;
    }

    @Override
    public void userDeleting(User user, Map<String, Object> params) {
        settings.forget(user.getUsername());
    }

    @Override
    public void userCreated(User user, Map<String, Object> params) {
        // nothing kept until the user chooses something
    }

    @Override
    public void userModified(User user, Map<String, Object> params) {
        // nothing of ours depends on a user's profile
    }

    @Override
    public void availableSession(ClientSession session, Presence presence) {
        if (markSeen(session)) {
            onAvailable.accept(session.getAddress());
        }
    }

    @Override
    public void unavailableSession(ClientSession session, Presence presence) {
        markSeen(session);
    }

    @Override
    public void presenceChanged(ClientSession session, Presence presence) {
        // still available: the last-seen mark moves when it leaves
    }

    @Override
    public void subscribedToPresence(JID subscriberJID, JID authorizerJID) {
        // not ours
    }

    @Override
    public void unsubscribedToPresence(JID unsubscriberJID, JID recipientJID) {
        // not ours
    }

    /** Returns whether the session is a local user's resource (and so was marked). */
    private boolean markSeen(ClientSession session) {
        JID address = session.getAddress();
        if (address != null && address.getNode() != null && address.getResource() != null && !session.isAnonymousUser()) {
            settings.markSeen(address, clock.millis());
            return true;
        }
        return false;
    }
}
