package org.xmpproxy.openfire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jivesoftware.openfire.StreamID;
import org.jivesoftware.openfire.session.ClientSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;
import org.xmpproxy.store.HistoryStore;
import org.xmpproxy.store.SettingsStore;
import org.xmpproxy.store.StoreWriter;
import org.xmpproxy.store.StoredSettings;

/** Presence events as catch-up gets them: each of one session, and none of a session that lost its route (issue 17.5). */
class AccountEventsTest {
    private static final JID PHONE = new JID("alice@example.org/phone");

    /** The routing table: full JID → session. */
    private final Map<JID, ClientSession> routes = new HashMap<>();
    private final StoreWriter writer = new StoreWriter(() -> {
        throw new SQLException("no database in this test");
    }, new HistoryStore(org.xmpproxy.store.TestIds.BLOCKS), 10, 10, Duration.ofMinutes(1), Clock.systemUTC());
    private final AccountEvents events = new AccountEvents(new StoredSettings(() -> {
        throw new SQLException("no database in this test");
    }, new SettingsStore(), writer), routes::get);
    private final List<String> told = new ArrayList<>();

    AccountEventsTest() {
        events.onAvailable((resource, session) -> told.add("available " + resource.getResource() + " " + session));
        events.onUnavailable((resource, session) -> told.add("unavailable " + resource.getResource() + " " + session));
    }

    @AfterEach
    void stop() throws Exception {
        writer.close();
    }

    @Test
    void eachEventNamesItsSessionAndALateAvailableOfAReplacedSessionIsNotPassedOn() {
        ClientSession old = session(PHONE, "old");
        ClientSession replacement = session(PHONE, "new");
        routes.put(PHONE, old);
        events.availableSession(old, null);
        routes.put(PHONE, replacement); // the client logged in again with the same resource: the new session's route
        events.availableSession(replacement, null);
        events.availableSession(old, null); // a late event of the old session (or the start-up seed listing it)
        events.unavailableSession(old, null);
        assertEquals(List.of("available phone old", "available phone new", "unavailable phone old"), told,
                "the old session's unavailable is passed on with its session: catch-up ignores it for the new one");
    }

    private static ClientSession session(JID address, String streamId) {
        StreamID id = () -> streamId;
        return (ClientSession) Proxy.newProxyInstance(ClientSession.class.getClassLoader(), new Class<?>[] {ClientSession.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getAddress" -> address;
                    case "getStreamID" -> id;
                    case "isAnonymousUser" -> false;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "session " + streamId;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
