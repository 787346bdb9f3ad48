package org.xmpproxy.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xmpp.packet.JID;
import org.xmpproxy.core.catchup.LiveSpans;
import org.xmpproxy.core.rule.ResourceMode;

/**
 * Per-resource state is bounded: resources not seen for a while are forgotten, an account keeps at
 * most so many, and a resource's row is read only when its account needs it. On every database.
 */
class ResourceStateStoreTest {
    private static final long DAY = Duration.ofDays(1).toMillis();
    private static final long NOW = 1_000 * DAY;
    private static final JID JOHN = new JID("john@example.org");

    private final SettingsStore store = new SettingsStore();
    private TestDatabase db;
    private StoreWriter writer;

    private TestDatabase database(String type) throws Exception {
        db = ("hsqldb".equals(type) ? TestDatabase.hsqldb() : TestDatabase.server(type)).install();
        writer = new StoreWriter(db, new HistoryStore(TestIds.BLOCKS), 1000, 100, Duration.ofMinutes(1), Clock.systemUTC());
        return db;
    }

    @AfterEach
    void stop() throws Exception {
        if (writer != null) {
            writer.close();
        }
    }

    private static JID john(String resource) {
        return new JID("john", "example.org", resource);
    }

    private Set<String> storedResources(String username) throws SQLException {
        try (Connection c = db.connection()) {
            return new TreeSet<>(store.loadResources(c, username).keySet());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"hsqldb", "postgresql", "mariadb"})
    void resourcesNotSeenForTheConfiguredDaysAreForgottenButChosenModesStay(String type) throws Exception {
        database(type);
        StoredSettings settings = new StoredSettings(db, store, writer);
        settings.load();
        settings.setCatchupState(john("web-5f3a"), NOW - 31 * DAY, LiveSpans.NONE);
        settings.setCatchupState(john("phone"), NOW - DAY, LiveSpans.NONE);
        settings.setCatchupState(john("old-desktop"), NOW - 90 * DAY, LiveSpans.NONE);
        settings.setMode(JOHN, "old-desktop", ResourceMode.LEGACY);
        assertTrue(writer.flush(Duration.ofSeconds(10)));

        HistoryPruner pruner = new HistoryPruner(db, new HistoryStore(TestIds.BLOCKS), new FixedHistoryConfig(true, 65_536, 1000, Duration.ofDays(30)),
                Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC), settings, () -> Duration.ofDays(30), () -> true);
        assertEquals(1, pruner.pruneResources());

        assertEquals(Set.of("old-desktop", "phone"), storedResources("john"));
        assertEquals(Set.of("old-desktop", "phone"), settings.resources("john").keySet(), "and in memory");
        assertEquals(Optional.of(ResourceMode.LEGACY), settings.mode(JOHN, "old-desktop"), "a user's choice is kept");
        assertEquals(ResourcePrefs.NONE, settings.resource("john", "web-5f3a"), "it counts as new if it comes back");
    }

    @ParameterizedTest
    @ValueSource(strings = {"hsqldb", "postgresql", "mariadb"})
    void aWebClientWithANewResourceAtEveryLoginKeepsOnlyTheMostRecentOnes(String type) throws Exception {
        database(type);
        StoredSettings settings = new StoredSettings(db, store, writer, () -> 5);
        settings.load();
        settings.setMode(JOHN, "desk", ResourceMode.CARBONS); // chosen: forgotten last
        for (int login = 0; login < 12; login++) { // logins some time apart: each written before the next
            settings.setCatchupState(john("web-" + login), NOW + login, LiveSpans.NONE);
            assertTrue(writer.flush(Duration.ofSeconds(10)));
        }
        assertEquals(Set.of("desk", "web-8", "web-9", "web-10", "web-11"), storedResources("john"));
        assertEquals(Set.of("desk", "web-8", "web-9", "web-10", "web-11"), settings.resources("john").keySet());
        assertEquals(5, settings.resourcesInMemory());

        // An admin lowers the bound: the periodic job trims what is there.
        StoredSettings stricter = new StoredSettings(db, store, writer, () -> 2);
        stricter.load();
        assertEquals(3, stricter.pruneResources(NOW - 30 * DAY));
        assertEquals(Set.of("desk", "web-11"), storedResources("john"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"hsqldb", "postgresql", "mariadb"})
    void atStartOnlyChosenModesAreReadAndAnAccountsResourcesWhenItNeedsThem(String type) throws Exception {
        database(type);
        StoredSettings before = new StoredSettings(db, store, writer, () -> 1000);
        before.load();
        for (int i = 0; i < 300; i++) {
            before.setCatchupState(john("web-" + i), NOW + i, LiveSpans.NONE);
        }
        before.setCatchupState(new JID("jane", "example.org", "laptop"), NOW, LiveSpans.parse("1-2"));
        before.setMode(JOHN, "desk", ResourceMode.OFF);
        assertTrue(writer.flush(Duration.ofSeconds(20)));

        AtomicInteger reads = new AtomicInteger();
        ConnectionSource counting = () -> {
            reads.incrementAndGet();
            return db.connection();
        };
        StoredSettings after = new StoredSettings(counting, store, writer, () -> 1000); // as after a restart
        assertTrue(after.load());
        assertEquals(1, after.resourcesInMemory(), "only the chosen mode is read at start");
        assertEquals(Optional.of(ResourceMode.OFF), after.mode(JOHN, "desk"), "the packet path has every chosen mode");
        int atStart = reads.get();

        assertEquals(Long.valueOf(NOW + 7), after.resource("john", "web-7").lastSeen(), "read when needed");
        assertEquals(atStart + 1, reads.get(), "one read for the account");
        assertEquals(Long.valueOf(NOW + 299), after.resource("john", "web-299").lastSeen());
        assertEquals(atStart + 1, reads.get(), "then from memory");
        assertEquals(301, after.resourcesInMemory(), "john's resources; jane's are not read");
        assertEquals(new ResourcePrefs(null, NOW, LiveSpans.parse("1-2")), after.resource("jane", "laptop"));
        assertEquals(atStart + 2, reads.get());
    }

    @Test
    void aMarkIsNotWrittenOverAStoredOneThatCouldNotBeRead() throws Exception {
        database("hsqldb");
        StoredSettings earlier = new StoredSettings(db, store, writer);
        earlier.load();
        earlier.setCatchupState(john("phone"), NOW, LiveSpans.NONE);
        assertTrue(writer.flush(Duration.ofSeconds(10)));

        AtomicBoolean down = new AtomicBoolean();
        ConnectionSource flaky = () -> {
            if (down.get()) {
                throw new SQLException("connection refused");
            }
            return db.connection();
        };
        StoredSettings settings = new StoredSettings(flaky, store, writer);
        assertTrue(settings.load());
        down.set(true);
        assertEquals(ResourcePrefs.NONE, settings.resource("john", "phone"), "unknown while the database is away");
        settings.setCatchupState(john("phone"), NOW + 5 * DAY, LiveSpans.NONE);
        down.set(false);
        assertTrue(writer.flush(Duration.ofSeconds(10)));
        assertEquals(Long.valueOf(NOW), storedMark("phone"), "the stored mark was not overwritten blindly");

        settings.setCatchupState(john("phone"), NOW + 6 * DAY, LiveSpans.NONE); // the next checkpoint, database back
        assertTrue(writer.flush(Duration.ofSeconds(10)));
        assertEquals(Long.valueOf(NOW + 6 * DAY), storedMark("phone"));
    }

    private Long storedMark(String resource) throws SQLException {
        try (Connection c = db.connection()) {
            return store.loadResources(c, "john").get(resource).lastSeen();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"hsqldb", "postgresql", "mariadb"})
    void aModeAndACatchupMarkWrittenApartKeepEachOther(String type) throws Exception {
        database(type);
        StoredSettings settings = new StoredSettings(db, store, writer);
        settings.load();
        settings.setCatchupState(john("phone"), NOW, LiveSpans.parse("5-6"));
        assertTrue(writer.flush(Duration.ofSeconds(10)));
        StoredSettings restarted = new StoredSettings(db, store, writer);
        restarted.load();
        restarted.setMode(JOHN, "phone", ResourceMode.LEGACY); // the mark is not in memory yet: it must not be lost
        assertTrue(writer.flush(Duration.ofSeconds(10)));
        try (Connection c = db.connection()) {
            assertEquals(Map.of("phone", new ResourcePrefs(ResourceMode.LEGACY, NOW, LiveSpans.parse("5-6"))),
                    store.loadResources(c, "john"));
        }
    }
}
