package org.xmpproxy.openfire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jivesoftware.openfire.RoutingTable;
import org.jivesoftware.openfire.session.ClientSession;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;
import org.xmpp.packet.Packet;
import org.xmpp.packet.Presence;
import org.xmpproxy.core.flow.ResourcePresence;

/** The account's resources as xmpproxy sees them, kept from Openfire's session events in any order. */
class SessionDirectoryTest {
    private static final JID ALICE = new JID("alice@example.org");

    /** The routing table: full JID → session, as Openfire keeps it. */
    private final Map<JID, ClientSession> routes = new HashMap<>();
    private final SessionDirectory directory = new SessionDirectory(routes::get);
    private final OpenfireResources resources = new OpenfireResources(new RoutingTable() {
        @Override
        public List<JID> getRoutes(JID route, JID requester) {
            throw new AssertionError("the routing table's routes are not read per message any more");
        }

        @Override
        public ClientSession getClientRoute(JID jid) {
            return routes.get(jid);
        }
    }, directory);

    @Test
    void aSessionIsListedOnceAvailableWhicheverEventComesFirstAndGoneWhenDestroyed() {
        FakeSession phone = session("alice@example.org/phone");
        directory.resourceBound(phone);
        directory.sessionCreated(phone);
        directory.resourceBound(phone);
        assertEquals(List.of(), available(), "no available presence yet");

        phone.initialized = true;
        assertEquals(List.of("alice@example.org/phone"), available());

        close(phone);
        directory.sessionDestroyed(phone);
        assertEquals(List.of(), available());
        assertEquals(0, directory.size());
    }

    @Test
    void carbonsAndPriorityAreReadFromTheSessionEachTime() {
        FakeSession phone = available("alice@example.org/phone");
        assertEquals(List.of(new ResourcePresence(new JID("alice@example.org/phone"), false, 0)),
                resources.availableResources(ALICE));
        phone.carbons = true;
        phone.presence.setPriority(5);
        assertEquals(List.of(new ResourcePresence(new JID("alice@example.org/phone"), true, 5)),
                resources.availableResources(new JID("alice@example.org/laptop")));
    }

    @Test
    void aDestroyedSessionComesBackNeitherByALateEventNorByTheSeed() {
        FakeSession phone = session("alice@example.org/phone");
        phone.initialized = true;
        directory.sessionDestroyed(phone); // its removal overtook its creation
        directory.sessionCreated(phone);
        directory.resourceBound(phone);
        directory.seed(List.of(phone));
        assertEquals(List.of(), available());
        assertEquals(0, directory.size());
    }

    @Test
    void theSeedAddsWhatExistedBeforeTheListenerAndKeepsWhatItsEventsSaid() {
        FakeSession laptop = available("alice@example.org/laptop");
        FakeSession gone = session("alice@example.org/gone");
        gone.initialized = true;
        directory.sessionDestroyed(gone);
        FakeSession older = session("alice@example.org/older");
        older.initialized = true;
        routes.put(older.address, older);
        FakeSession bob = session("bob@example.org/desk");
        bob.initialized = true;

        directory.seed(List.of(older, laptop, gone, bob)); // a snapshot taken after the events

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
        directory.sessionDestroyed(first); // or it does, late: nothing changes
        assertEquals(List.of("alice@example.org/phone"), available());

        close(second);
        routes.remove(second.address);
        directory.sessionDestroyed(second);
        assertEquals(List.of(), available());
        assertEquals(0, directory.size());
    }

    @Test
    void aClosingSessionIsNotAvailableButKeptUntilOpenfireRemovesIt() {
        FakeSession phone = available("alice@example.org/phone");
        FakeSession laptop = available("alice@example.org/laptop");
        phone.closed = true; // connection gone, route still there
        assertEquals(List.of("alice@example.org/laptop"), available());
        assertEquals(2, directory.size());
        routes.remove(phone.address);
        directory.sessionDestroyed(phone);
        assertEquals(1, directory.size());
        assertEquals(List.of("alice@example.org/laptop"), available());
        directory.sessionDestroyed(laptop);
        assertEquals(List.of(), available());
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
        routes.put(session.address, session);
        directory.sessionCreated(session);
        directory.resourceBound(session);
        return session;
    }

    private void close(FakeSession session) {
        session.closed = true;
    }

    private static FakeSession session(String jid) {
        return new FakeSession(new JID(jid));
    }

    private static final class FakeSession implements ClientSession {
        final JID address;
        final Presence presence = new Presence();
        volatile boolean initialized;
        volatile boolean closed;
        volatile boolean carbons;

        FakeSession(JID address) {
            this.address = address;
        }

        @Override
        public JID getAddress() {
            return address;
        }

        @Override
        public boolean isClosed() {
            return closed;
        }

        @Override
        public void process(Packet packet) {
        }

        @Override
        public Locale getLanguage() {
            return Locale.ENGLISH;
        }

        @Override
        public boolean isAnonymousUser() {
            return false;
        }

        @Override
        public boolean isInitialized() {
            return initialized;
        }

        @Override
        public Presence getPresence() {
            return presence;
        }

        @Override
        public boolean isMessageCarbonsEnabled() {
            return carbons;
        }
    }
}
