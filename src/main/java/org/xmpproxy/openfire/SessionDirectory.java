package org.xmpproxy.openfire;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jivesoftware.openfire.event.SessionEventListener;
import org.jivesoftware.openfire.session.ClientSession;
import org.jivesoftware.openfire.session.Session;
import org.xmpp.packet.JID;

/**
 * Each local account's client sessions, kept from Openfire's session events, so that reading an account's
 * resources takes no lock and parses no JID (RoutingTable.getRoutes does both, once per message).
 *
 * <p>It never misses a session: it is registered before it is seeded from this node's routes (RoutingTable.getClientsRoutes(true)), and a
 * session is added on any of sessionCreated, resourceBound or the seed, so an event and the seed may come in any
 * order. A session destroyed is remembered (weakly) so that a late seed or event does not bring it back. It may
 * hold a session too many for a while: {@link #openSessions} leaves out closed ones (its callers check the rest
 * live), and drops a closed session that is no longer its address's route (Openfire does not announce the removal
 * of a session whose route another session with its resource took over).
 */
final class SessionDirectory implements SessionEventListener {
    private static final ClientSession[] NONE = new ClientSession[0];

    private final Function<JID, ClientSession> routeOf;
    /**
     * Account (its username: every client session is of this server's domain) → its sessions; an array replaced on
     * change, read without a lock. Keyed by the username, which caches its hash: read for every message.
     */
    private final ConcurrentHashMap<String, ClientSession[]> byAccount = new ConcurrentHashMap<>();
    /**
     * Sessions destroyed (guarded by itself; weak: a session object is never reused once destroyed). Compared by
     * identity (the value), so that a session equal to a destroyed one, were Openfire to define equals, still counts.
     */
    private final Map<Session, WeakReference<Session>> destroyed = new WeakHashMap<>();
    /**
     * Closed sessions dropped by {@link #openSessions} because a newer session with their resource took their route
     * (guarded by {@link #destroyed}; weak), with when: Openfire re-routes what such a session left unacknowledged a
     * moment after it closed, and {@link #closingResources} must still see it then. Kept until it is destroyed, for
     * {@value #REPLACED_KEPT_SECONDS} s at most (Openfire never destroys a kicked session that was detached).
     */
    private final Map<Session, Long> replaced = new WeakHashMap<>();
    static final long REPLACED_KEPT_SECONDS = 60;
    private final java.util.function.LongSupplier nanos;

    /** @param routeOf the routing table's session for a full JID ({@code RoutingTable::getClientRoute}) */
    SessionDirectory(Function<JID, ClientSession> routeOf) {
        this(routeOf, System::nanoTime);
    }

    SessionDirectory(Function<JID, ClientSession> routeOf, java.util.function.LongSupplier nanos) {
        this.routeOf = routeOf;
        this.nanos = nanos;
    }

    /**
     * The account's resources whose session is closing (Openfire re-routes what they left unacknowledged), also one
     * whose route a newer session with the same resource has taken: that one is no longer among the routing
     * table's sessions, but what it left unacknowledged is re-routed all the same.
     */
    Set<JID> closingResources(JID account) {
        Set<JID> closing = new HashSet<>(2);
        ClientSession[] sessions = account.getNode() == null ? null : byAccount.get(account.getNode());
        if (sessions != null && account.getDomain().equals(domainOf(sessions))) {
            for (ClientSession session : sessions) {
                addIfClosing(session, account, closing);
            }
        }
        synchronized (destroyed) {
            long oldest = nanos.getAsLong() - java.util.concurrent.TimeUnit.SECONDS.toNanos(REPLACED_KEPT_SECONDS);
            replaced.values().removeIf(at -> at - oldest < 0);
            for (Session session : replaced.keySet()) {
                if (session instanceof ClientSession client) {
                    addIfClosing(client, account, closing);
                }
            }
        }
        return closing;
    }

    private static void addIfClosing(ClientSession session, JID account, Set<JID> closing) {
        JID address = session.getAddress();
        if (address != null && address.getResource() != null && Objects.equals(address.getNode(), account.getNode())
                && address.getDomain().equals(account.getDomain()) && session.isClosed()) {
            closing.add(address);
        }
    }

    /** Adds the sessions that existed before this listener was registered (call after registering it). */
    void seed(Collection<ClientSession> sessions) {
        for (ClientSession session : sessions) {
            add(session);
        }
    }

    /**
     * The account's sessions that are not closed, possibly not yet available: the caller checks. Each session's
     * {@code isClosed} is read once (Openfire reads a system property in it); a closed session that is no longer its
     * address's route is dropped here.
     */
    ClientSession[] openSessions(JID account) {
        ClientSession[] sessions = account.getNode() == null ? null : byAccount.get(account.getNode());
        if (sessions == null || !account.getDomain().equals(domainOf(sessions))) {
            return NONE; // a remote account of the same name has no session here
        }
        for (int i = 0; i < sessions.length; i++) {
            if (sessions[i].isClosed()) {
                return withoutClosed(sessions, i);
            }
        }
        return sessions; // the usual case: nothing built
    }

    private ClientSession[] withoutClosed(ClientSession[] sessions, int firstClosed) {
        List<ClientSession> open = new ArrayList<>(Arrays.asList(sessions).subList(0, firstClosed));
        for (int i = firstClosed; i < sessions.length; i++) {
            ClientSession session = sessions[i];
            if (i == firstClosed || session.isClosed()) {
                if (routeOf.apply(session.getAddress()) != session) {
                    remove(session, false);
                    synchronized (destroyed) {
                        if (!destroyed.containsKey(session)) {
                            replaced.put(session, nanos.getAsLong());
                        }
                    }
                }
            } else {
                open.add(session);
            }
        }
        return open.toArray(NONE);
    }

    /**
     * The resource's route: the routing table's, or, where Openfire lists none, this node's newest open session of
     * it. After another node fails, Openfire removes that node's routes by address, also one a new session here has
     * just taken with the resource (a client back from the failed node): Openfire then lists no route for a session
     * that is open here and sent its presence.
     */
    ClientSession routeOrNewest(JID resource) {
        ClientSession route = routeOf.apply(resource);
        return route != null ? route : newestOpen(resource);
    }

    /** This node's newest open session of the full JID (the one Openfire bound last), or null. */
    ClientSession newestOpen(JID resource) {
        ClientSession[] sessions = openSessions(resource);
        for (int i = sessions.length - 1; i >= 0; i--) {
            if (resource.equals(sessions[i].getAddress())) {
                return sessions[i];
            }
        }
        return null;
    }

    /** How many sessions are held (for tests). */
    int size() {
        return byAccount.values().stream().mapToInt(s -> s.length).sum();
    }

    @Override
    public void sessionCreated(Session session) {
        add(session);
    }

    @Override
    public void resourceBound(Session session) {
        add(session);
    }

    @Override
    public void anonymousSessionCreated(Session session) {
        add(session);
    }

    @Override
    public void sessionDestroyed(Session session) {
        remove(session, true);
    }

    @Override
    public void anonymousSessionDestroyed(Session session) {
        remove(session, true);
    }

    private void add(Session session) {
        if (!(session instanceof ClientSession client)) {
            return;
        }
        String account = accountOf(client);
        if (account == null) {
            return;
        }
        synchronized (destroyed) {
            WeakReference<Session> gone = destroyed.get(client);
            if (gone != null && gone.get() == client) {
                return;
            }
            byAccount.compute(account, (key, old) -> {
                if (old == null) {
                    return new ClientSession[] {client};
                }
                for (ClientSession s : old) {
                    if (s == client) {
                        return old;
                    }
                }
                ClientSession[] grown = Arrays.copyOf(old, old.length + 1);
                grown[old.length] = client;
                return grown;
            });
        }
    }

    private void remove(Session session, boolean forever) {
        synchronized (destroyed) {
            if (forever) {
                destroyed.put(session, new WeakReference<>(session));
                replaced.remove(session);
            }
            // Its address may be gone by now: look in every account (events are rare, accounts' arrays short).
            String account = session instanceof ClientSession client ? accountOf(client) : null;
            if (account != null && removeFrom(account, session)) {
                return;
            }
            for (String key : byAccount.keySet()) {
                if (removeFrom(key, session)) {
                    return;
                }
            }
        }
    }

    private boolean removeFrom(String account, Session session) {
        boolean[] removed = {false};
        byAccount.computeIfPresent(account, (key, old) -> {
            ClientSession[] kept = Arrays.stream(old).filter(s -> s != session).toArray(ClientSession[]::new);
            removed[0] = kept.length < old.length;
            return kept.length == 0 ? null : kept;
        });
        return removed[0];
    }

    private static String accountOf(ClientSession session) {
        JID address = session.getAddress();
        return address == null ? null : address.getNode();
    }

    /** The domain of the sessions of one account (this server's). */
    private static String domainOf(ClientSession[] sessions) {
        JID address = sessions[0].getAddress();
        return address == null ? null : address.getDomain();
    }
}
