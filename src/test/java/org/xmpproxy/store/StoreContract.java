package org.xmpproxy.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;
import org.xmpproxy.core.rule.Direction;
import org.xmpproxy.core.rule.ResourceMode;

/** The store's behaviour, the same on every database: each subclass runs it on one real server. */
abstract class StoreContract {
    static final String ODD_RESOURCE = "Laptop <script>alert(1)</script> ✈ 日本語 \"quoted\" ' " + "x".repeat(900);

    private TestDatabase db;
    private StoreWriter writer;
    private final SettingsStore settingsStore = new SettingsStore();
    private final HistoryStore historyStore = new HistoryStore();

    abstract TestDatabase database() throws Exception;

    @BeforeEach
    void install() throws Exception {
        db = database().install();
        writer = newWriter(10_000);
    }

    @AfterEach
    void stop() throws Exception {
        if (writer != null) { // null when the database was not given and the test was skipped
            writer.close();
        }
    }

    private StoreWriter newWriter(int capacity) {
        return new StoreWriter(db, historyStore, capacity, 500, Duration.ofSeconds(60), Clock.systemUTC());
    }

    private StoredSettings loadedSettings() {
        StoredSettings settings = new StoredSettings(db, settingsStore, writer);
        assertTrue(settings.load(), "settings load from " + db.type());
        return settings;
    }

    private static HistoryEntry entry(String user, long sentAt, String body) {
        return new HistoryEntry(0, user, sentAt, Direction.RECEIVED, "jane@example.org", true,
                "<message type=\"chat\" from=\"jane@example.org/x\" to=\"" + user + "@example.org\"><body>" + body + "</body></message>");
    }

    @Test
    void theInstallScriptRecordsItsVersion() throws Exception {
        assertEquals(Optional.of(1), db.schemaVersion());
    }

    @Test
    void settingsSurviveARestart() throws Exception {
        JID john = new JID("john@example.org");
        StoredSettings before = loadedSettings();
        before.setMirroring(john, false);
        before.setHistory(john, true);
        before.setCatchup(john, 50, 3600L);
        before.setMode(john, ODD_RESOURCE, ResourceMode.LEGACY);
        before.setCatchupState(new JID("john", "example.org", "phone"), 1234L,
                org.xmpproxy.core.catchup.LiveSpans.parse("1300-1400,1500-1600"));
        before.setMode(john, "phone", ResourceMode.CARBONS);
        before.markBotAdded("jane");
        assertTrue(writer.flush(Duration.ofSeconds(10)));

        StoredSettings after = loadedSettings(); // as after an Openfire restart: a fresh cache, read from the database
        assertEquals(Optional.of(false), after.mirroring(john));
        assertEquals(Optional.of(true), after.history(john));
        assertEquals(new AccountPrefs(false, true, 50, 3600L, null), after.account("john"));
        assertTrue(after.isBotAdded("jane"));
        assertEquals(List.of("john"), after.accountsWithChoices(), "the bot's roster entry is not a choice");
        assertEquals(Optional.of(ResourceMode.LEGACY), after.mode(john, ODD_RESOURCE));
        assertEquals(new ResourcePrefs(ResourceMode.CARBONS, 1234L, org.xmpproxy.core.catchup.LiveSpans.parse("1300-1400,1500-1600")),
                after.resource("john", "phone"));
        assertEquals(Optional.empty(), after.mirroring(new JID("jane@example.org")), "no choice: server default");
    }

    @Test
    void aDeletedUserLosesAllRows() throws Exception {
        StoredSettings settings = loadedSettings();
        settings.setMirroring(new JID("john@example.org"), true);
        settings.setMode(new JID("john@example.org"), "home", ResourceMode.OFF);
        settings.setMirroring(new JID("jane@example.org"), true);
        writer.offer(entry("john", 1, "a"));
        writer.offer(entry("jane", 2, "b"));
        assertTrue(writer.flush(Duration.ofSeconds(10)));

        settings.forget("john");
        assertTrue(writer.flush(Duration.ofSeconds(10)));

        try (Connection c = db.connection()) {
            assertEquals(0, historyStore.count(c, "john"));
            assertEquals(1, historyStore.count(c, "jane"));
            assertTrue(settingsStore.loadResources(c).getOrDefault("john", java.util.Map.of()).isEmpty());
            assertEquals(List.of("jane"), List.copyOf(settingsStore.loadAccounts(c).keySet()));
        }
    }

    @Test
    void historyReadsAfterATimeInOrderAndTheLatestN() throws Exception {
        for (int i = 1; i <= 20; i++) {
            writer.offer(entry("john", i * 1000L, "m" + i));
        }
        writer.offer(entry("jane", 5000, "not john's"));
        assertTrue(writer.flush(Duration.ofSeconds(10)));
        try (Connection c = db.connection()) {
            List<HistoryEntry> after = historyStore.after(c, "john", 15_000, 100);
            assertEquals(List.of("m16", "m17", "m18", "m19", "m20"), bodies(after));
            assertEquals(List.of("m16", "m17"), bodies(historyStore.after(c, "john", 15_000, 2)));
            assertEquals(List.of("m18", "m19", "m20"), bodies(historyStore.latest(c, "john", 3)));
            assertEquals(20, historyStore.count(c, "john"));
            HistoryEntry first = historyStore.latest(c, "john", 20).get(0);
            assertEquals(Direction.RECEIVED, first.direction());
            assertEquals("jane@example.org", first.peer());
            assertTrue(first.delivered());
            assertEquals(null, first.messageId(), "the test stanzas carry no id");
            assertEquals("a&b\"c", new HistoryEntry(0, "x", 1, Direction.SENT, "p", true,
                    "<message type=\"chat\" id=\"a&amp;b&quot;c\" to=\"y@example.org\"><body>x</body></message>").messageId());
        }
    }

    @Test
    void pruningKeepsEachAccountWithinItsBounds() throws Exception {
        long now = 100_000_000L;
        for (int i = 0; i < 30; i++) {
            writer.offer(entry("john", now - (30 - i) * 1000L, "m" + i)); // one a second, the newest a second ago
        }
        writer.offer(entry("jane", now - 86_400_000L, "too old"));
        writer.offer(entry("jane", now - 1000L, "recent"));
        assertTrue(writer.flush(Duration.ofSeconds(10)));

        HistoryConfig bounds = new FixedHistoryConfig(true, 100_000, 10, Duration.ofHours(1));
        int deleted = new HistoryPruner(db, historyStore, bounds, Clock.fixed(java.time.Instant.ofEpochMilli(now), java.time.ZoneOffset.UTC)).prune();

        assertEquals(21, deleted);
        try (Connection c = db.connection()) {
            assertEquals(List.of("m20", "m21", "m22", "m23", "m24", "m25", "m26", "m27", "m28", "m29"),
                    bodies(historyStore.latest(c, "john", 100)));
            assertEquals(List.of("recent"), bodies(historyStore.latest(c, "jane", 100)));
        }
    }

    @Test
    void everyMessageOfferedIsWrittenOrCountedAsDropped() throws Exception {
        writer.close();
        writer = newWriter(2_000);
        int offered = 100_000;
        for (int i = 0; i < offered; i++) {
            writer.offer(entry("user" + (i % 50), i, "m" + i));
        }
        assertTrue(writer.flush(Duration.ofMinutes(3)), "the writer drains its queue");
        long stored;
        try (Connection c = db.connection(); var ps = c.prepareStatement("SELECT COUNT(*) FROM ofXmpproxyHistory");
             var rs = ps.executeQuery()) {
            rs.next();
            stored = rs.getLong(1);
        }
        System.out.printf("%s: %d offered, %d written, %d dropped%n", db.type(), offered, stored, writer.dropped());
        assertEquals(offered, writer.offered());
        assertEquals(offered, stored + writer.dropped());
        assertEquals(stored, writer.written());
        assertTrue(stored > 0);
    }

    private static List<String> bodies(List<HistoryEntry> entries) {
        return entries.stream().map(e -> e.stanza().replaceAll(".*<body>(.*)</body>.*", "$1")).toList();
    }
}
