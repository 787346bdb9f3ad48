package org.xmpproxy.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xmpproxy.core.Stanza.chat;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpproxy.core.flow.FixedMirrorConfig;
import org.xmpproxy.core.flow.MirrorCounters;
import org.xmpproxy.core.flow.MirrorEngine;
import org.xmpproxy.core.flow.ResourcePresence;

/**
 * The database is down when the plugin starts: the accounts' stored choices cannot be read. An
 * account that opted out must not be mirrored or have its history recorded meanwhile.
 */
class SettingsNotLoadedTest {
    private static final JID JOHN = new JID("john@example.org");
    private static final JID JANE = new JID("jane@example.org");
    private static final JID JOE = new JID("joe@example.org");

    private final AtomicBoolean databaseDown = new AtomicBoolean(true);
    private final List<String> copies = new ArrayList<>();
    private TestDatabase db;
    private StoreWriter writer;
    private StoredSettings settings;
    private MirrorEngine engine;

    @BeforeEach
    void startWithTheDatabaseDown() throws Exception {
        db = TestDatabase.hsqldb().install();
        StoreWriter earlierWriter = new StoreWriter(db, new HistoryStore(TestIds.BLOCKS), 100, 10, Duration.ofMinutes(1), Clock.systemUTC());
        StoredSettings earlier = new StoredSettings(db, new SettingsStore(), earlierWriter);
        assertTrue(earlier.load());
        earlier.setMirroring(JOHN, false); // john opted out, and out of the history, before this start
        earlier.setHistory(JOHN, false);
        assertTrue(earlierWriter.flush(Duration.ofSeconds(5)));
        earlierWriter.close();

        ConnectionSource flaky = () -> {
            if (databaseDown.get()) {
                throw new SQLException("connection refused");
            }
            return db.connection();
        };
        writer = new StoreWriter(flaky, new HistoryStore(TestIds.BLOCKS), 100, 10, Duration.ofMinutes(1), Clock.systemUTC());
        settings = new StoredSettings(flaky, new SettingsStore(), writer);
        assertFalse(settings.load(), "the database is down");
        HistoryRecorder recorder = new HistoryRecorder(new FixedHistoryConfig(true, 65_536, 1000, Duration.ofDays(1)), settings, writer);
        engine = new MirrorEngine("example.org", FixedMirrorConfig.defaults(), settings,
                account -> List.of(new ResourcePresence(new JID(account.getNode(), "example.org", "home"), false),
                        new ResourcePresence(new JID(account.getNode(), "example.org", "work"), false)),
                (resource, copy) -> copies.add(resource + " " + copy.getID()), new MirrorCounters(), recorder);
    }

    @AfterEach
    void stop() throws Exception {
        writer.close();
    }

    /** A peer on another server writes to {@code user}/home, as Openfire routes it. */
    private void receive(String user, String id) {
        Message message = chat(id, "peer@elsewhere.net/x", user + "@example.org/home", "hello");
        engine.beforeRouting(message, null);
        engine.delivered(message, new JID(user, "example.org", "home"));
        engine.afterRouting(message);
    }

    @Test
    void noAccountIsMirroredOrRecordedUntilTheStoredChoicesAreRead() throws Exception {
        receive("john", "j1");
        receive("joe", "o1");
        assertEquals(List.of(), copies, "john opted out and joe may have: neither is mirrored");
        assertEquals(0, writer.offered(), "nothing recorded");
        assertFalse(engine.isMirroringOn(JOE));

        settings.setMirroring(JANE, true); // a choice made now is known
        receive("jane", "a1");
        assertEquals(List.of("jane@example.org/work a1"), copies);
        assertEquals(0, writer.offered(), "jane's history choice is still unknown: not recorded");

        databaseDown.set(false);
        assertTrue(settings.load());
        copies.clear();
        receive("john", "j2");
        receive("joe", "o2");
        assertEquals(List.of("joe@example.org/work o2"), copies, "john's stored opt-out holds, joe follows the server default");
        assertEquals(1, writer.offered(), "joe's message is recorded; john's is not (he turned the history off)");
    }
}
