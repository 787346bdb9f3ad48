package org.xmpproxy.openfire;

import java.util.Map;
import java.util.function.Consumer;
import org.jivesoftware.openfire.event.UserEventListener;
import org.jivesoftware.openfire.session.ClientSession;
import org.jivesoftware.openfire.user.PresenceEventListener;
import org.jivesoftware.openfire.user.User;
import org.xmpp.packet.JID;
import org.xmpp.packet.Presence;
import org.xmpproxy.store.StoredSettings;

/** Openfire's user and presence events, as the plugin needs them: deleted users, resources coming and going. */
final class AccountEvents implements UserEventListener, PresenceEventListener {
    private final StoredSettings settings;
    private volatile Consumer<JID> onAvailable = resource -> { };
    private volatile Consumer<JID> onUnavailable = resource -> { };

    AccountEvents(StoredSettings settings) {
        this.settings = settings;
    }

    /** Tell {@code listener} when a local user's resource becomes available (added to earlier listeners). */
    void onAvailable(Consumer<JID> listener) {
        this.onAvailable = this.onAvailable.andThen(listener);
    }

    /** Tell {@code listener} when a local user's resource becomes unavailable. */
    void onUnavailable(Consumer<JID> listener) {
        this.onUnavailable = this.onUnavailable.andThen(listener);
    }

    @Override
    public void userDeleting(User user, Map<String, Object> params) {
        settings.forget(user.getUsername());
    }

    @Override
    public void userCreated(User user, Map<String, Object> params) {
        settings.created(user.getUsername()); // nothing kept until the user chooses something; a deleted name is usable again
    }

    @Override
    public void userModified(User user, Map<String, Object> params) {
        // nothing of ours depends on a user's profile
    }

    @Override
    public void availableSession(ClientSession session, Presence presence) {
        if (isLocalUsersResource(session)) {
            // Once per account and run, one indexed read, here on this session's own thread rather than
            // inside catch-up's lock, which every session coming online shares.
            settings.prepare(session.getAddress().getNode());
            onAvailable.accept(session.getAddress());
        }
    }

    @Override
    public void unavailableSession(ClientSession session, Presence presence) {
        if (isLocalUsersResource(session)) {
            onUnavailable.accept(session.getAddress());
        }
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

    private static boolean isLocalUsersResource(ClientSession session) {
        JID address = session.getAddress();
        return address != null && address.getNode() != null && address.getResource() != null && !session.isAnonymousUser();
    }
}
