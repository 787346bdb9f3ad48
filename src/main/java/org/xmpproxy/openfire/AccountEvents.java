package org.xmpproxy.openfire;

import java.util.Map;
import java.util.function.Function;
import org.jivesoftware.openfire.StreamID;
import org.jivesoftware.openfire.event.UserEventListener;
import org.jivesoftware.openfire.session.ClientSession;
import org.jivesoftware.openfire.session.Session;
import org.jivesoftware.openfire.user.PresenceEventListener;
import org.jivesoftware.openfire.user.User;
import org.xmpp.packet.JID;
import org.xmpp.packet.Presence;
import org.xmpproxy.store.StoredSettings;

/**
 * Openfire's user and presence events, as the plugin needs them: deleted users, sessions of resources coming and
 * going. Each presence event names its session (by its stream id), because two sessions may hold one resource for a
 * moment: a client that logs in again with the same resource before Openfire has torn its old session down (a
 * phone changing networks) replaces it, and the old session's events may come late.
 */
final class AccountEvents implements UserEventListener, PresenceEventListener {
    /** Told of one session of a resource. */
    @FunctionalInterface
    interface SessionListener {
        /** @param session the session's stream id (text: nothing of Openfire's is held) */
        void accept(JID resource, String session);
    }

    private final StoredSettings settings;
    private final Function<JID, ClientSession> routeOf;
    private volatile SessionListener onAvailable = (resource, session) -> { };
    private volatile SessionListener onUnavailable = (resource, session) -> { };

    /** @param routeOf the routing table's session for a full JID ({@code RoutingTable::getClientRoute}) */
    AccountEvents(StoredSettings settings, Function<JID, ClientSession> routeOf) {
        this.settings = settings;
        this.routeOf = routeOf;
    }

    /** Tell {@code listener} when a session of a local user's resource becomes available (added to earlier listeners). */
    void onAvailable(SessionListener listener) {
        SessionListener before = onAvailable;
        this.onAvailable = (resource, session) -> {
            before.accept(resource, session);
            listener.accept(resource, session);
        };
    }

    /** Tell {@code listener} when a session of a local user's resource becomes unavailable. */
    void onUnavailable(SessionListener listener) {
        SessionListener before = onUnavailable;
        this.onUnavailable = (resource, session) -> {
            before.accept(resource, session);
            listener.accept(resource, session);
        };
    }

    /** The session's stream id, or null. */
    static String idOf(Session session) {
        StreamID id = session.getStreamID();
        return id == null ? null : id.getID();
    }

    /**
     * Whether the session is its resource's route: not one a newer session with its resource replaced (compared by
     * stream id, as Openfire decides which session owns a route).
     */
    static boolean isRoute(ClientSession session, ClientSession route) {
        String id = idOf(session);
        return route != null && id != null && id.equals(idOf(route));
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

    /** Only a session that is still its resource's route: a replaced one's late event would undo the new one's. */
    @Override
    public void availableSession(ClientSession session, Presence presence) {
        if (isLocalUsersResource(session) && isRoute(session, routeOf.apply(session.getAddress()))) {
            // Once per account and run, one indexed read, here on this session's own thread rather than
            // inside catch-up's lock, which every session coming online shares.
            settings.prepare(session.getAddress().getNode());
            onAvailable.accept(session.getAddress(), idOf(session));
        }
    }

    /** Passed on with its session: whoever follows the resource ignores it when that is not the session it follows. */
    @Override
    public void unavailableSession(ClientSession session, Presence presence) {
        String id = isLocalUsersResource(session) ? idOf(session) : null;
        if (id != null) {
            onUnavailable.accept(session.getAddress(), id);
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
