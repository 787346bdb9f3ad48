package org.xmpproxy.openfire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import org.jivesoftware.openfire.RoutingTable;
import org.jivesoftware.openfire.session.ClientSession;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;
import org.xmpproxy.core.flow.ResourcePresence;

/** The account's resources as xmpproxy sees them, kept from Openfire's session events in any order. */
class SessionDirectoryTest {
    private static final JID ALICE = new JID("alice@example.org");

    /** The routing table: full JID → session, as Openfire keeps it. */
    private final Map<JID, ClientSession> routes = new HashMap<>();
    private final SessionDirectory directory = new SessionDirectory(routes::get);
    private final OtherNodeSessions otherNodes = new OtherNodeSessions("example.org");
    private final OpenfireResources resources = new OpenfireResources(stub(RoutingTable.class, (method, args) -> switch (method) {
        case "getClientRoute" -> routes.get((JID) args[0]);
        case "getRoutes" -> throw new AssertionError("the routing table's routes are not read per message any more");
        default -> throw new UnsupportedOperationException(method);
    }), directory, otherNodes);

    @Test
    void aSessionIsListedOnceAvailableWhicheverEventComesFirstAndGoneWhenDestroyed() {
        FakeSession phone = session("alice@example.org/phone");
        directory.resourceBound(phone.session);
        directory.sessionCreated(phone.session);
        directory.resourceBound(phone.session);
        assertEquals(List.of(), available(), "no available presence yet");

        phone.initialized = true;
        assertEquals(List.of("alice@example.org/phone"), available());

        close(phone);
        directory.sessionDestroyed(phone.session);
        assertEquals(List.of(), available());
        assertEquals(0, directory.size());
    }

    /**
     * Openfire sets the session's available presence (and routes to it, and tells presence listeners) before it marks
     * the session initialized: in between, the session counts as available, or a message routed then would reach it
     * from Openfire while its account's other clients got no copy, and catch-up (which starts at the presence) would
     * not send it either.
     */
    @Test
    void aSessionCountsAsAvailableFromItsAvailablePresenceBeforeOpenfireMarksItInitialized() {
        FakeSession phone = session("alice@example.org/phone");
        directory.sessionCreated(phone.session);
        assertEquals(List.of(), available());
        phone.presence = new org.xmpp.packet.Presence(); // available, not initialized yet
        assertEquals(List.of("alice@example.org/phone"), available());
        phone.presence = new org.xmpp.packet.Presence(org.xmpp.packet.Presence.Type.unavailable);
        assertEquals(List.of(), available(), "and not once it is unavailable again");
    }

    /**
     * Issue 18, a node failed: Openfire removed its routes by address, also the one a client back from it had just
     * bound here. The resource's route is then this node's newest open session of it (catch-up follows it, copies go
     * to it), and with two open sessions of one resource, copies go to the newer one, the one Openfire bound last.
     */
    @Test
    void withoutARouteInOpenfireTheNewestOpenSessionHereIsTheResourcesRoute() {
        FakeSession older = available("alice@example.org/phone");
        FakeSession newer = available("alice@example.org/phone");
        JID phone = new JID("alice@example.org/phone");
        routes.remove(phone); // Openfire's clean-up of the failed node took it
        assertEquals(newer.session, directory.routeOrNewest(phone));
        resources.deliver(phone, new org.xmpp.packet.Message());
        assertEquals(1, newer.processed.size(), "the copy goes to the newer session");
        assertEquals(0, older.processed.size());
        routes.put(phone, older.session);
        assertEquals(older.session, directory.routeOrNewest(phone), "Openfire's route, when it lists one");
    }

    @Test
    void carbonsAreReadFromTheSessionEachTime() {
        FakeSession phone = available("alice@example.org/phone");
        assertEquals(List.of(new ResourcePresence(new JID("alice@example.org/phone"), false)),
                resources.availableResources(ALICE));
        phone.carbons = true;
        assertEquals(List.of(new ResourcePresence(new JID("alice@example.org/phone"), true)),
                resources.availableResources(new JID("alice@example.org/laptop")));
    }

    @Test
    void aDestroyedSessionComesBackNeitherByALateEventNorByTheSeed() {
        FakeSession phone = session("alice@example.org/phone");
        phone.initialized = true;
        directory.sessionDestroyed(phone.session); // its removal overtook its creation
        directory.sessionCreated(phone.session);
        directory.resourceBound(phone.session);
        directory.seed(List.of(phone.session));
        assertEquals(List.of(), available());
        assertEquals(0, directory.size());
    }

    @Test
    void theSeedAddsWhatExistedBeforeTheListenerAndKeepsWhatItsEventsSaid() {
        FakeSession laptop = available("alice@example.org/laptop");
        FakeSession gone = session("alice@example.org/gone");
        gone.initialized = true;
        directory.sessionDestroyed(gone.session);
        FakeSession older = session("alice@example.org/older");
        older.initialized = true;
        routes.put(older.address, older.session);
        FakeSession bob = session("bob@example.org/desk");
        bob.initialized = true;

        directory.seed(List.of(older.session, laptop.session, gone.session, bob.session)); // a snapshot taken after the events

        assertEquals(List.of("alice@example.org/laptop", "alice@example.org/older"), available());
        assertEquals(List.of("bob@example.org/desk"), names(resources.availableResources(new JID("bob@example.org"))));
    }

    @Test
    void aReboundResourceListsTheNewSessionOnlyWhateverTheOrderOfTheOldOnesRemoval() {
        FakeSession first = available("alice@example.org/phone");
        // The client logs in again with the same resource: Openfire closes the old session, routes the new one.
        FakeSession second = available("alice@example.org/phone");
        close(first);
        assertEquals(List.of("alice@example.org/phone"), available());
        // Openfire announces no removal when the route already is the other session's: the old one is dropped when read.
        assertEquals(1, directory.size());
        directory.sessionDestroyed(first.session); // or it does, late: nothing changes
        assertEquals(List.of("alice@example.org/phone"), available());

        close(second);
        routes.remove(second.address);
        directory.sessionDestroyed(second.session);
        assertEquals(List.of(), available());
        assertEquals(0, directory.size());
    }

    /**
     * Issue 17.5: the client logs in again with the same resource while its old session is open; Openfire closes the
     * old one with {@code <conflict/>}, the new one takes the route, and a moment later Openfire re-routes what the old
     * one left unacknowledged. The routing table no longer lists the old session, but it is still closing.
     */
    @Test
    void aSessionReplacedByOneWithItsResourceStillCountsAsClosingUntilDestroyedOrAMinuteLater() {
        long[] now = {0};
        SessionDirectory directory = new SessionDirectory(routes::get, () -> now[0]);
        JID phone = new JID("alice@example.org/phone");
        FakeSession first = session(phone.toString());
        FakeSession second = session(phone.toString());
        for (FakeSession s : List.of(first, second)) {
            s.initialized = true;
            routes.put(phone, s.session);
            directory.sessionCreated(s.session);
        }
        close(first);
        assertEquals(1, directory.openSessions(ALICE).length, "the replaced session is dropped when read");
        assertEquals(java.util.Set.of(phone), directory.closingResources(ALICE), "but it is closing");
        directory.sessionDestroyed(first.session);
        assertEquals(java.util.Set.of(), directory.closingResources(ALICE), "until Openfire removes it");

        FakeSession third = session(phone.toString()); // kicked while detached: Openfire never destroys such a one
        third.initialized = true;
        routes.put(phone, third.session);
        directory.sessionCreated(third.session);
        close(second);
        directory.openSessions(ALICE);
        assertEquals(java.util.Set.of(phone), directory.closingResources(ALICE));
        now[0] += java.util.concurrent.TimeUnit.SECONDS.toNanos(SessionDirectory.REPLACED_KEPT_SECONDS + 1);
        assertEquals(java.util.Set.of(), directory.closingResources(ALICE), "a minute later it is not closing any more");
    }

    @Test
    void aClosingSessionIsNotAvailableButKeptUntilOpenfireRemovesIt() {
        FakeSession phone = available("alice@example.org/phone");
        FakeSession laptop = available("alice@example.org/laptop");
        phone.closed = true; // connection gone, route still there
        assertEquals(List.of("alice@example.org/laptop"), available());
        assertEquals(2, directory.size());
        routes.remove(phone.address);
        directory.sessionDestroyed(phone.session);
        assertEquals(1, directory.size());
        assertEquals(List.of("alice@example.org/laptop"), available());
        directory.sessionDestroyed(laptop.session);
        assertEquals(List.of(), available());
    }

    @Test
    void anAccountOfTheSameNameElsewhereHasNoneOfTheLocalAccountsSessions() {
        available("alice@example.org/phone");
        assertEquals(List.of(), names(resources.availableResources(new JID("alice@elsewhere.example"))));
        assertEquals(0, resources.availableCount(new JID("alice@elsewhere.example")));
        assertEquals(List.of(), names(resources.availableResources(new JID("example.org"))), "the domain itself");
        assertEquals(1, resources.availableCount(ALICE));
    }

    @Test
    void aCopyGoesToTheResourcesOpenSessionAndToAClosingOneOnlyAsTheRoutingTableSays() {
        FakeSession first = available("alice@example.org/phone");
        FakeSession second = available("alice@example.org/phone"); // logged in again: the old session closes
        close(first);
        FakeSession laptop = available("alice@example.org/laptop");
        org.xmpp.packet.Message copy = new org.xmpp.packet.Message();
        resources.deliver(new JID("alice@example.org/phone"), copy);
        assertEquals(List.of(copy), second.processed);
        assertEquals(List.of(), first.processed);
        assertEquals(List.of(), laptop.processed);

        close(second); // its connection is gone; Openfire has not removed its route yet
        org.xmpp.packet.Message late = new org.xmpp.packet.Message();
        resources.deliver(new JID("alice@example.org/phone"), late);
        assertEquals(List.of(copy, late), second.processed, "as Openfire's routing table has it (the interceptor refuses it there)");
        routes.remove(second.address);
        resources.deliver(new JID("alice@example.org/phone"), new org.xmpp.packet.Message());
        assertEquals(List.of(copy, late), second.processed, "no session: nothing delivered");
    }

    private List<String> available() {
        return names(resources.availableResources(ALICE));
    }

    private static List<String> names(List<ResourcePresence> list) {
        return list.stream().map(r -> r.address().toString()).sorted().toList();
    }

    /** A session as Openfire creates it: routed, then announced. */
    private FakeSession available(String jid) {
        FakeSession session = session(jid);
        session.initialized = true;
        routes.put(session.address, session.session);
        directory.sessionCreated(session.session);
        directory.resourceBound(session.session);
        return session;
    }

    private void close(FakeSession session) {
        session.closed = true;
    }

    private static FakeSession session(String jid) {
        return new FakeSession(new JID(jid));
    }

    /**
     * What xmpproxy reads of a client session, and the session itself as a stub built by reflection (the real
     * ClientSession has far more methods than the compile-time mirror: a class implementing it would compile
     * against only one of them).
     */
    private static final class FakeSession {
        final JID address;
        volatile boolean initialized;
        volatile org.xmpp.packet.Presence presence = new org.xmpp.packet.Presence(org.xmpp.packet.Presence.Type.unavailable);
        volatile boolean closed;
        volatile boolean carbons;
        final List<Object> processed = new java.util.concurrent.CopyOnWriteArrayList<>();
        final ClientSession session;

        FakeSession(JID address) {
            this.address = address;
            this.session = stub(ClientSession.class, (method, args) -> switch (method) {
                case "getAddress" -> this.address;
                case "isClosed" -> closed;
                case "isInitialized" -> initialized;
                case "getPresence" -> presence;
                case "isMessageCarbonsEnabled" -> carbons;
                case "isAnonymousUser" -> false;
                case "getLanguage" -> Locale.ENGLISH;
                case "process" -> {
                    processed.add(args[0]);
                    yield null;
                }
                default -> throw new UnsupportedOperationException(method);
            });
        }
    }

    /** An Openfire interface answering only the methods {@code answer} knows; identity for equals and hashCode. */
    @SuppressWarnings("unchecked")
    private static <T> T stub(Class<T> type, BiFunction<String, Object[], Object> answer) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> switch (method.getName()) {
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            case "toString" -> type.getSimpleName() + " stub";
            default -> answer.apply(method.getName(), args);
        });
    }
}
