package org.xmpproxy.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import java.util.ArrayList;
import org.xmpp.packet.JID;
import org.xmpproxy.core.settings.Settings;
import org.xmpproxy.core.Stanza;
import org.xmpproxy.core.catchup.CatchupCoordinator;
import org.xmpproxy.core.catchup.CatchupPort;
import org.xmpproxy.core.catchup.CatchupSelector;
import org.xmpproxy.core.catchup.HistoryItem;
import org.xmpproxy.core.catchup.LiveSpans;
import org.xmpproxy.core.rule.MessageAt;
import org.xmpproxy.core.rule.MessageKey;
import org.xmpproxy.core.rule.RoutedMessage;
import org.xmpproxy.core.rule.Direction;
import org.xmpproxy.core.rule.ResourceMode;

/** The store's behaviour, the same on every database: each subclass runs it on one real server. */
abstract class StoreContract {
    static final String ODD_RESOURCE = "Laptop <script>alert(1)</script> ✈ 日本語 \"quoted\" ' " + "x".repeat(900);

    private TestDatabase db;
    private StoreWriter writer;
    private final SettingsStore settingsStore = new SettingsStore();
    private HistoryStore historyStore;

    abstract TestDatabase database() throws Exception;

    @BeforeEach
    void install() throws Exception {
        db = database().install();
        historyStore = new HistoryStore(new OfIdSequence(db)); // ids as Openfire's SequenceManager gives them
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
        assertEquals(Optional.of(2), db.schemaVersion());
    }

    /** Two nodes of a cluster write one account's history into one database at once: every row is kept (issue 18). */
    @Test
    void twoNodesWritingAtOnceKeepEveryRow() throws Exception {
        OfIdSequence cluster = new OfIdSequence(db); // SequenceManager: one sequence for the whole cluster
        try (StoreWriter node1 = new StoreWriter(db, new HistoryStore(cluster), 10_000, 100, Duration.ofSeconds(60), Clock.systemUTC());
             StoreWriter node2 = new StoreWriter(db, new HistoryStore(cluster), 10_000, 100, Duration.ofSeconds(60), Clock.systemUTC())) {
            Thread other = new Thread(() -> {
                for (int i = 0; i < 1_500; i++) {
                    node2.offer(entry("john", 1_000_000L + i, "n2-" + i));
                }
            });
            other.start();
            for (int i = 0; i < 1_500; i++) {
                node1.offer(entry("john", 1_000_000L + i, "n1-" + i));
            }
            other.join();
            assertTrue(node1.flush(Duration.ofSeconds(30)) && node2.flush(Duration.ofSeconds(30)));
            assertEquals(0, node1.rejected() + node2.rejected(), db.type() + ": no row refused as a duplicate");
            assertEquals(3_000, node1.written() + node2.written());
        }
        try (Connection c = db.connection()) {
            assertEquals(3_000, historyStore.count(c, "john"), "every row is kept");
        }
    }

    /** A database of version 1 holds rows with ids from 1 up: after the upgrade to 2, the sequence starts above them. */
    @Test
    void anUpgradedDatabaseIssuesIdsAboveEveryRowItHolds() throws Exception {
        try (StoreWriter old = new StoreWriter(db, new HistoryStore(() -> 4_321), 1_000, 100, Duration.ofSeconds(60), Clock.systemUTC())) {
            for (int i = 0; i < 999; i++) {
                old.offer(entry("john", i, "old" + i)); // ids 4,321,000 to 4,321,998: as if MAX(id) + 1 had counted there
            }
            assertTrue(old.flush(Duration.ofSeconds(10)));
        }
        try (Connection c = db.connection(); var s = c.createStatement()) {
            s.execute("DELETE FROM ofID WHERE idType = " + HistoryStore.ID_SEQUENCE_TYPE); // version 1 had no row
            s.execute("UPDATE ofVersion SET version = 1 WHERE name = 'xmpproxy'");
            TestDatabase.runScript(c, java.nio.file.Path.of("src/main/database/upgrade/2/xmpproxy_" + db.type() + ".sql"));
        }
        assertEquals(Optional.of(2), db.schemaVersion());
        assertEquals(4_322, new OfIdSequence(db).next(), db.type() + ": the first block after the upgrade is above every id in use");
        for (int i = 0; i < 10; i++) {
            writer.offer(entry("john", 10_000 + i, "new" + i));
        }
        assertTrue(writer.flush(Duration.ofSeconds(10)));
        assertEquals(0, writer.rejected());
        try (Connection c = db.connection()) {
            assertEquals(1_009, historyStore.count(c, "john"));
        }
    }

    /** Ids do not follow time across the nodes: the newest by time are kept, by the pruner and by the trim. */
    @Test
    void pruningKeepsTheNewestByTimeWhateverTheirIds() throws Exception {
        try (StoreWriter high = new StoreWriter(db, new HistoryStore(() -> 900), 100, 100, Duration.ofSeconds(60), Clock.systemUTC());
             StoreWriter low = new StoreWriter(db, new HistoryStore(() -> 5), 100, 100, Duration.ofSeconds(60), Clock.systemUTC())) {
            for (int i = 0; i < 10; i++) {
                high.offer(entry("john", 1_000 + i, "older" + i)); // the higher ids, routed earlier
                low.offer(entry("john", 2_000 + i, "newer" + i));
            }
            assertTrue(high.flush(Duration.ofSeconds(10)) && low.flush(Duration.ofSeconds(10)));
        }
        try (Connection c = db.connection()) {
            assertEquals(10, historyStore.pruneBeyond(c, "john", 10));
            assertEquals(List.of("newer0", "newer1", "newer2", "newer3", "newer4", "newer5", "newer6", "newer7", "newer8", "newer9"),
                    bodies(historyStore.latest(c, "john", 100)));
        }
    }

    /** In a cluster only the node on duty (the senior member) prunes; asked at each run. */
    @Test
    void onlyTheNodeOnDutyPrunes() throws Exception {
        long now = 100_000_000L;
        writer.offer(entry("jane", now - 86_400_000L, "too old"));
        assertTrue(writer.flush(Duration.ofSeconds(10)));
        HistoryConfig bounds = new FixedHistoryConfig(true, 100_000, 10, Duration.ofHours(1));
        Clock at = Clock.fixed(java.time.Instant.ofEpochMilli(now), java.time.ZoneOffset.UTC);
        java.util.concurrent.atomic.AtomicBoolean senior = new java.util.concurrent.atomic.AtomicBoolean(false);
        HistoryPruner pruner = new HistoryPruner(db, historyStore, bounds, at, null, null, senior::get);
        pruner.run();
        try (Connection c = db.connection()) {
            assertEquals(1, historyStore.count(c, "jane"), "a junior member leaves the shared database alone");
        }
        senior.set(true); // the senior left: this node is senior now
        pruner.run();
        try (Connection c = db.connection()) {
            assertEquals(0, historyStore.count(c, "jane"));
        }
    }

    private Store node(FakeCluster.Member member) {
        Store store = new Store(db, username -> true, new FixedHistoryConfig(true, 65_536, 1000, Duration.ofDays(30)),
                new Store.Options(1000, () -> StoreWriter.DEFAULT_MAX_BYTES, () -> 50, () -> Duration.ofDays(30)), Clock.systemUTC(), member);
        member.store = store;
        return store;
    }

    private static void waitFor(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "waited 10 s for: " + what);
            Thread.sleep(10);
        }
    }

    /** A choice made on one node of a cluster (bot, ad-hoc, admin page) applies on the other once committed (issue 18). */
    @Test
    void aChoiceMadeOnOneNodeAppliesOnTheOther() throws Exception {
        JID john = new JID("john@example.org");
        FakeCluster cluster = new FakeCluster();
        Store node1 = node(cluster.join());
        Store node2 = node(cluster.join());
        try {
            node2.settings().prepare("john"); // john's resources are in node 2's memory: a client of his is there
            node1.settings().setMirroring(john, false);
            node1.settings().setCatchup(john, 25, null);
            node1.settings().setMode(john, "work", ResourceMode.LEGACY);
            waitFor("node 2 sees john's choices", () -> node2.settings().own(john, Settings.MIRRORING).equals(Optional.of(false))
                    && node2.settings().own(john, Settings.CATCHUP_COUNT).equals(Optional.of(25))
                    && node2.settings().mode(john, "work").equals(Optional.of(ResourceMode.LEGACY)));
            assertFalse(node2.effective().mirroring(john), "node 2's packet path reads it from memory");

            node1.settings().clearMirroring(john); // back to the server default
            node1.settings().setMode(john, "work", null);
            waitFor("node 2 follows the server default again", () -> node2.settings().own(john, Settings.MIRRORING).isEmpty()
                    && node2.settings().mode(john, "work").isEmpty());
            assertEquals(Optional.of(25), node2.settings().own(john, Settings.CATCHUP_COUNT), "what was not changed stays");
        } finally {
            node1.close();
            node2.close();
            cluster.close();
        }
    }

    /**
     * Issue 18: john/work was on node 1 (which holds its mark), went to node 2, got messages there and left; it comes
     * back on node 1. Before its catch-up reads, node 1 has node 2 write what it queued (the rows it routed, the mark it
     * moved) and reads the mark again: it starts where node 2 left it, and the history holds every row node 2 routed.
     */
    @Test
    void aCatchupOnOneNodeStartsFromTheMarkAndRowsTheOtherNodeQueued() throws Exception {
        JID work = new JID("john@example.org/work");
        FakeCluster cluster = new FakeCluster();
        FakeCluster.Member first = cluster.join();
        Store node1 = node(first);
        Store node2 = node(cluster.join());
        try {
            long t = System.currentTimeMillis() - 60_000;
            node1.settings().prepare("john");
            node1.settings().setCatchupState(work, t, LiveSpans.NONE); // it left node 1 at t
            assertTrue(node1.flushHistory(Duration.ofSeconds(10)));
            node2.settings().prepare("john");
            for (int i = 1; i <= 20; i++) {
                node2.recorder().record(RoutedMessage.received(Stanza.chat("m" + i, "jane@example.org/x", "john@example.org/home", "m" + i),
                        new JID("john@example.org"), Set.of(new JID("john@example.org/home")), Set.of()), t + i);
            }
            node2.settings().setCatchupState(work, t + 10, LiveSpans.NONE); // it got the first 10 on node 2, then left

            assertTrue(node1.settleForCatchup("john", "work", Duration.ofSeconds(10)));
            assertEquals(1, first.flushes.get(), "node 1 asked the other node to write its queue");
            assertEquals(Long.valueOf(t + 10), node1.settings().resource("john", "work").lastSeen(),
                    "node 1 starts from the mark node 2 moved, not from the one it held");
            assertEquals(20, node1.window("john", t, t + 20, 100).size(), "every row node 2 routed is there to read");
        } finally {
            node1.close();
            node2.close();
            cluster.close();
        }
    }

    /**
     * Issue 18, a node that failed: john/work was on node 1 (which holds its mark), moved to node 2, which wrote the
     * mark it moved, then failed. Alone now, node 1 still reads the mark again before the catch-up: it starts where
     * node 2 left it, not from the older one it held (before, a node alone trusted its own).
     */
    @Test
    void aCatchupOnANodeLeftAloneStartsFromTheMarkTheFailedNodeWrote() throws Exception {
        JID work = new JID("john@example.org/work");
        FakeCluster cluster = new FakeCluster();
        FakeCluster.Member first = cluster.join();
        Store node1 = node(first);
        FakeCluster.Member secondMember = cluster.join();
        Store node2 = node(secondMember);
        try {
            long t = System.currentTimeMillis() - 60_000;
            node1.settings().prepare("john");
            node1.settings().setCatchupState(work, t, LiveSpans.NONE);
            assertTrue(node1.flushHistory(Duration.ofSeconds(10)));
            node2.settings().prepare("john");
            node2.settings().setCatchupState(work, t + 10, LiveSpans.NONE);
            assertTrue(node2.flushHistory(Duration.ofSeconds(10))); // written before it failed
            cluster.leave(secondMember);

            assertTrue(node1.settleForCatchup("john", "work", Duration.ofSeconds(10)));
            assertEquals(Long.valueOf(t + 10), node1.settings().resource("john", "work").lastSeen(),
                    "node 1 starts from the mark node 2 wrote, not from the one it held");
        } finally {
            node1.close();
            node2.close();
            cluster.close();
        }
    }

    /**
     * Issue 18, a rolling restart: jane/desk was caught up on node 1, which wrote its mark. Node 2 never saw desk, and
     * saves a state for it without a mark (what it owed desk, moved back from nothing): the mark node 1 wrote stays.
     * Before, it became no mark, desk a resource seen for the first time, and its next catch-up sent it nothing.
     */
    @Test
    void noMarkNeverReplacesTheMarkAnotherNodeWrote() throws Exception {
        JID desk = new JID("jane@example.org/desk");
        FakeCluster cluster = new FakeCluster();
        Store node1 = node(cluster.join());
        Store node2 = node(cluster.join());
        try {
            long t = System.currentTimeMillis() - 60_000;
            node1.settings().prepare("jane");
            node1.settings().setCatchupState(desk, t, LiveSpans.NONE);
            assertTrue(node1.flushHistory(Duration.ofSeconds(10)));
            node2.settings().prepare("jane");
            node2.settings().setCatchupState(desk, null, LiveSpans.NONE);
            assertTrue(node2.flushHistory(Duration.ofSeconds(10)));

            assertTrue(node2.settleForCatchup("jane", "desk", Duration.ofSeconds(10)));
            assertEquals(Long.valueOf(t), node2.settings().resource("jane", "desk").lastSeen(), "node 1's mark is kept");
        } finally {
            node1.close();
            node2.close();
            cluster.close();
        }
    }

    /** A junior member's trims run on the senior: the junior hands each due trim over, the history stays near its bound. */
    @Test
    void aJuniorMembersTrimsRunOnTheSenior() throws Exception {
        FakeCluster cluster = new FakeCluster();
        FakeCluster.Member seniorMember = cluster.join();
        FakeCluster.Member juniorMember = cluster.join();
        Store senior = node(seniorMember);
        Store junior = node(juniorMember);
        int bound = 1000; // the nodes' FixedHistoryConfig
        try {
            JID john = new JID("john@example.org");
            JID home = new JID("john@example.org/home");
            for (int i = 0; i < 3 * bound; i++) {
                junior.recorder().record(RoutedMessage.received(Stanza.chat("m" + i, "jane@example.org/x", "john@example.org/home", "m" + i),
                        john, Set.of(home), Set.of()), 1_000_000L + i);
            }
            assertTrue(junior.flushHistory(Duration.ofSeconds(30)));
            waitFor("the senior trims john", () -> {
                try (Connection c = db.connection()) {
                    return historyStore.count(c, "john") < bound + HistoryTrim.step(bound) && senior.flushHistory(Duration.ofSeconds(5));
                } catch (Exception e) {
                    return false;
                }
            });
            assertTrue(juniorMember.sent.contains("trim john"), "the junior handed its trims over: " + juniorMember.sent);
            assertFalse(seniorMember.sent.contains("trim john"), "the senior trims itself");
        } finally {
            senior.close();
            junior.close();
            cluster.close();
        }
    }

    /** Hazelcast starts after the plugin: what another node changed until this node joined, it reads on joining. */
    @Test
    void aNodeJoiningReadsWhatOtherNodesChangedBeforeIt() throws Exception {
        JID john = new JID("john@example.org");
        FakeCluster cluster = new FakeCluster();
        Store node1 = node(cluster.join());
        node1.settings().setHistory(john, false);
        node1.settings().setMode(john, "home", ResourceMode.CARBONS);
        assertTrue(node1.flushHistory(Duration.ofSeconds(10)));
        Store node2 = new Store(db, username -> true, new FixedHistoryConfig(true, 65_536, 1000, Duration.ofDays(30)),
                new Store.Options(1000, () -> StoreWriter.DEFAULT_MAX_BYTES, () -> 50, () -> Duration.ofDays(30)), Clock.systemUTC(),
                Cluster.alone(TestIds.BLOCKS)); // started, not yet in the cluster: nobody can tell it anything
        try {
            assertEquals(Optional.of(false), node2.settings().own(john, Settings.HISTORY));
            node1.settings().setHistory(john, true);
            node1.settings().setMirroring(john, false);
            node1.settings().setMode(john, "home", null);
            node1.settings().setMode(john, "work", ResourceMode.LEGACY);
            assertTrue(node1.flushHistory(Duration.ofSeconds(10)));
            assertEquals(Optional.of(false), node2.settings().own(john, Settings.HISTORY), "not told");

            node2.joinedCluster();
            waitFor("node 2 reads john's choices on joining", () -> node2.settings().own(john, Settings.HISTORY).equals(Optional.of(true))
                    && node2.settings().own(john, Settings.MIRRORING).equals(Optional.of(false))
                    && node2.settings().mode(john, "home").isEmpty()
                    && node2.settings().mode(john, "work").equals(Optional.of(ResourceMode.LEGACY)));
        } finally {
            node1.close();
            node2.close();
            cluster.close();
        }
    }

    /** Openfire tells only the node where a user is deleted: every node forgets it; created again, every node keeps it. */
    @Test
    void aUserDeletedOnOneNodeIsForgottenOnEveryNode() throws Exception {
        JID john = new JID("john@example.org");
        FakeCluster cluster = new FakeCluster();
        FakeCluster.Member first = cluster.join();
        Store node1 = node(first);
        Store node2 = node(cluster.join());
        try {
            node2.settings().setHistory(john, false);
            waitFor("node 1 sees john's choice", () -> node1.settings().own(john, Settings.HISTORY).equals(Optional.of(false)));

            node1.settings().forget("john");
            waitFor("node 2 forgets john", () -> node2.settings().own(john, Settings.HISTORY).isEmpty());
            assertTrue(node2.flushHistory(Duration.ofSeconds(10)) && node1.flushHistory(Duration.ofSeconds(10)));
            try (Connection c = db.connection()) {
                assertEquals(Map.of(), settingsStore.loadAccounts(c), "nothing of john's is stored");
            }
            node2.settings().setHistory(john, true);
            assertEquals(Optional.empty(), node2.settings().own(john, Settings.HISTORY), "node 2 keeps nothing of a deleted user");

            node1.settings().created("john");
            waitFor("node 2 keeps john's choices again", () -> {
                node2.settings().setHistory(john, true);
                return node2.settings().own(john, Settings.HISTORY).equals(Optional.of(true));
            });
            assertEquals(List.of("deleted john", "created john"), first.sent, "node 1 told the others, and of nothing else");
        } finally {
            node1.close();
            node2.close();
            cluster.close();
        }
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
        assertEquals(AccountPrefs.NONE.withMirroring(false).withHistory(true).withCatchup(50, 3600L), after.account("john"));
        assertTrue(after.isBotAdded("jane"));
        assertEquals(List.of("john"), after.accountsWithChoices(), "the bot's roster entry is not a choice");
        assertEquals(Optional.of(ResourceMode.LEGACY), after.mode(john, ODD_RESOURCE));
        assertEquals(new ResourcePrefs(ResourceMode.CARBONS, 1234L, org.xmpproxy.core.catchup.LiveSpans.parse("1300-1400,1500-1600")),
                after.resource("john", "phone"));
        assertEquals(Optional.empty(), after.mirroring(new JID("jane@example.org")), "no choice: server default");
    }

    /** Set on the admin page's account row, then one of them set back to "default": so it is after a restart. */
    @Test
    void anAccountSettingDroppedIsDroppedInTheDatabase() throws Exception {
        JID john = new JID("john@example.org");
        StoredSettings before = loadedSettings();
        before.set(john, Settings.CATCHUP_COUNT, 7);
        before.set(john, Settings.CATCHUP_AGE, Duration.ofHours(5));
        assertTrue(writer.flush(Duration.ofSeconds(10)));
        before.set(john, Settings.CATCHUP_COUNT, null);
        assertTrue(writer.flush(Duration.ofSeconds(10)));

        StoredSettings after = loadedSettings();
        assertEquals(Optional.empty(), after.own(john, Settings.CATCHUP_COUNT));
        assertEquals(Optional.of(Duration.ofHours(5)), after.own(john, Settings.CATCHUP_AGE));
        assertEquals(5 * 3600L, after.account("john").catchupAgeSeconds(), "kept in seconds, as the bot sets it");
        assertEquals(List.of("john"), after.accountsWithChoices());
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

    /** Issue 11: the bot, the page and catch-up ask the store; none of them opens a connection itself. */
    @Test
    void theStoreAnswersTheBotThePageAndCatchupWithoutTheirOwnConnections() throws Exception {
        Store store = aloneStore();
        try {
            JID john = new JID("john@example.org");
            JID home = new JID("john@example.org/home");
            store.settings().setCatchupState(home, 5_000L, LiveSpans.NONE);
            store.settings().setMode(john, "desk", ResourceMode.LEGACY);
            for (int i = 1; i <= 5; i++) {
                store.recorder().record(RoutedMessage.received(Stanza.chat("m" + i, "jane@example.org/x", "john@example.org/home", "m" + i),
                        john, Set.of(home), Set.of()), i * 1000L);
            }
            assertTrue(store.flushHistory(Duration.ofSeconds(10)));
            assertEquals(5, store.historySize("john"));
            assertEquals(List.of("m4", "m5"), bodies(store.latest("john", 2)), "replay");
            assertEquals(List.of("m2", "m3"), bodies(store.window("john", 1000, 3000, 10)), "catch-up");
            assertEquals(Set.of("home", "desk"), Set.copyOf(store.knownResources("john")));
            assertEquals(5_000L, store.lastSeen("john"));
            assertFalse(store.lengthsInBytes(), db.type() + " counts characters");
            assertTrue(store.clearHistory("john"));
            assertEquals(0, store.historySize("john"));
            Map<String, Long> counted = new java.util.HashMap<>();
            store.counters().forEach(counter -> counted.put(counter.labelKey(), counter.value()));
            assertEquals(5L, counted.get("counter.historyWritten"));
            assertEquals(0L, counted.get("counter.databaseDown"));
        } finally {
            store.close();
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
            List<HistoryEntry> after = historyStore.window(c, "john", 15_000, Long.MAX_VALUE, 100);
            assertEquals(List.of("m16", "m17", "m18", "m19", "m20"), bodies(after));
            assertEquals(List.of("m19", "m20"), bodies(historyStore.window(c, "john", 15_000, Long.MAX_VALUE, 2)), "the newest of the window");
            assertEquals(List.of("m16", "m17"), bodies(historyStore.window(c, "john", 15_000, 17_000, 100)));
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
    void aBusyAccountsHistoryStaysNearItsBoundBetweenPrunes() throws Exception {
        int bound = 200;
        writer.trimWith(new HistoryTrim(historyStore::pruneBeyond, () -> bound));
        for (int i = 0; i < 3_000; i++) {
            writer.offer(entry("john", i, "m" + i));
            if (i % 500 == 499) {
                assertTrue(writer.flush(Duration.ofSeconds(30)));
                try (Connection c = db.connection()) {
                    long kept = historyStore.count(c, "john");
                    // The embedded database keeps the rows in the server's heap: the count must not grow with traffic.
                    assertTrue(kept >= bound && kept < bound + HistoryTrim.step(bound),
                            db.type() + ": after " + (i + 1) + " messages john has " + kept + " rows, bound " + bound);
                }
            }
        }
        try (Connection c = db.connection()) {
            List<HistoryEntry> latest = historyStore.latest(c, "john", 1);
            assertEquals(List.of("m2999"), bodies(latest), "the newest message is always kept");
        }
        assertEquals(3_000, writer.written(), "trimming drops nothing on its way in");
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

    @Test
    void whatReachedNobodyIsNeverCaughtUpOrReplayed() throws Exception {
        StoredSettings settings = loadedSettings();
        HistoryRecorder recorder = new HistoryRecorder(new FixedHistoryConfig(true, 100_000, 1_000_000, Duration.ofDays(1)),
                settings, writer);
        JID john = new JID("john@example.org");
        JID home = new JID("john@example.org/home");
        long t = 1_000_000L;
        RoutedMessage seen = RoutedMessage.received(Stanza.chat("1", "jane@example.org/x", "john@example.org/home", "seen"),
                john, Set.of(home), Set.of());
        recorder.record(seen, t + 1);
        // Nobody of john's was online: Openfire stored it offline.
        recorder.record(RoutedMessage.received(Stanza.chat("2", "jane@example.org/x", "john@example.org", "stored offline"),
                john, Set.of(), Set.of()), t + 2);
        // john/home was online, but a privacy list blocked the message: it reached nobody either.
        recorder.record(RoutedMessage.received(Stanza.chat("3", "spam@example.org/x", "john@example.org/home", "blocked"),
                john, Set.of(), Set.of()), t + 3);
        RoutedMessage reply = RoutedMessage.sent(Stanza.chat("1", "john@example.org/home", "jane@example.org", "reply"),
                home, Set.of(), Set.of());
        recorder.record(reply, t + 4);
        assertTrue(writer.flush(Duration.ofSeconds(10)));

        List<String> received = List.of("seen", "reply");
        try (Connection c = db.connection()) {
            assertEquals(received, bodies(historyStore.latest(c, "john", 100)), "replay");
            assertEquals(received, bodies(historyStore.window(c, "john", t, t + 10, 100)), "catch-up");
            assertEquals(List.of("reply"), bodies(historyStore.latest(c, "john", 1)), "the count is of what can be sent");
            assertEquals(4, historyStore.count(c, "john"), "all kept: what reached nobody waits for a client of the account");
            List<HistoryEntry> entries = historyStore.latest(c, "john", 100);
            assertEquals(MessageKey.of(seen), entries.get(0).key(), "the history knows a message as the engine reports it live");
            assertEquals(MessageKey.of(reply), entries.get(1).key());
            assertTrue(!entries.get(0).key().equals(entries.get(1).key()), "jane's 1 and john's own 1 to jane differ");
        }

        // john/phone, away since t, comes online: its catch-up reads this database.
        JID phone = new JID("john@example.org/phone");
        List<String> caughtUp = new ArrayList<>();
        java.util.Deque<Runnable> tasks = new java.util.ArrayDeque<>();
        CatchupPort port = new CatchupPort() {
            public Long mark(JID resource) { return t; }
            public LiveSpans live(JID resource) { return LiveSpans.NONE; }
            public void save(JID resource, Long mark, LiveSpans live) { }
            public boolean wantsCatchup(JID resource) { return true; }
            public CatchupSelector.Limits limits(JID account) { return new CatchupSelector.Limits(100, 86_400_000L, 0); }
            public boolean flushHistory() { return true; }
            public List<? extends HistoryItem> window(JID account, long from, long to, int limit) throws Exception {
                try (Connection c = db.connection()) {
                    return historyStore.window(c, account.getNode(), from, to, limit);
                }
            }
            public boolean deliver(JID resource, String session, HistoryItem item) {
                caughtUp.add(((HistoryEntry) item).stanza().replaceAll(".*<body>(.*)</body>.*", "$1"));
                return true;
            }
            public void schedule(Runnable task, long delayMillis) { tasks.add(task); }
        };
        new CatchupCoordinator(port, () -> t + 100, 0).onAvailable(phone, "phone's session");
        while (!tasks.isEmpty()) {
            tasks.poll().run();
        }
        assertEquals(received, caughtUp);
    }

    /**
     * Issue 9: a row the database refuses (a username longer than its column, a peer longer than its
     * column) between good ones, and settings writes it refuses (too long, a duplicate key, a bug) between
     * good ones, all in one turn of the writer: each bad one is dropped alone and counted, every good one
     * is written, and the writer goes on.
     */
    @Test
    void aRowTheDatabaseRefusesIsDroppedAloneAndEveryOtherIsWritten() throws Exception {
        writer.close();
        SwitchableSource source = new SwitchableSource(db);
        writer = new StoreWriter(source, historyStore, 10_000, 500, Duration.ofSeconds(60), Clock.systemUTC());
        StoredSettings settings = new StoredSettings(source, settingsStore, writer);
        assertTrue(settings.load());
        String tooLongUser = "u".repeat(ColumnLimits.Column.USERNAME.size() + 1);
        String tooLongPeer = "p".repeat(ColumnLimits.Column.PEER.size() - "@example.org".length() + 1) + "@example.org";
        // A catch-up mark is written only over a stored one that could be read: set while the database is up.
        settings.setCatchupState(new JID("bob", "example.org", "phone"), 42L, LiveSpans.NONE);
        source.down(); // everything below waits, then goes to the database in one turn: the bad rows amid the good
        int good = 300;
        for (int i = 0; i < good; i++) {
            if (i == 100) {
                writer.offer(entry(tooLongUser, i, "refused: username"));
            }
            if (i == 200) {
                writer.offer(new HistoryEntry(0, "john", i, Direction.RECEIVED, tooLongPeer, true, "<message><body>refused: peer</body></message>"));
            }
            writer.offer(entry("john", i, "m" + i));
        }
        settings.setMirroring(new JID("anna@example.org"), false);
        writer.submit("bad:username", (c, now) -> settingsStore.saveAccount(c, tooLongUser, AccountPrefs.NONE.withMirroring(true), now));
        writer.submit("bad:duplicate", (c, now) -> {
            for (int i = 0; i < 2; i++) { // class 23: the second insert breaks the primary key
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO ofXmpproxyAccount (username, modified) VALUES ('dup', 0)")) {
                    ps.executeUpdate();
                }
            }
        });
        writer.submit("bad:bug", (c, now) -> {
            throw new IllegalStateException("a bug in one settings write");
        });
        settings.setMode(new JID("bob@example.org"), "phone", ResourceMode.CARBONS);
        source.up();

        assertTrue(writer.flush(Duration.ofSeconds(60)), "the writer is not stuck on the refused rows");
        try (Connection c = db.connection()) {
            assertEquals(good, historyStore.count(c, "john"), "every good row is written");
            assertEquals(0, historyStore.count(c, tooLongUser));
            Map<String, AccountPrefs> accounts = settingsStore.loadAccounts(c);
            assertEquals(Set.of("anna"), accounts.keySet(), "the good settings are written, nothing of the bad ones");
            assertEquals(new ResourcePrefs(ResourceMode.CARBONS, 42L, LiveSpans.NONE), settingsStore.loadResources(c).get("bob").get("phone"));
        }
        assertEquals(2, writer.rejected());
        assertEquals(3, writer.settingsRejected());
        assertEquals(good, writer.written());
        assertEquals(0, writer.dropped());
        assertEquals(0, writer.queuedBytes(), "nothing held");
        assertFalse(writer.isDatabaseDown());
        System.out.printf("%s: refused rows between %d good ones: %d written, %d history and %d settings writes dropped%n",
                db.type(), good, writer.written(), writer.rejected(), writer.settingsRejected());

        writer.offer(entry("john", 1000, "after"));
        assertTrue(writer.flush(Duration.ofSeconds(10)));
        try (Connection c = db.connection()) {
            assertEquals(good + 1, historyStore.count(c, "john"), "writes go on");
        }
    }

    /** The length check before queueing matches this database: what it accepts fits, one more character does not. */
    @Test
    void theColumnLimitsMatchTheDatabase() throws Exception {
        writer.offer(entry("john", 1, "first")); // the writer learns the database's limits on its first connection
        assertTrue(writer.flush(Duration.ofSeconds(10)));
        ColumnLimits limits = writer.limits();
        assertEquals(db.type().equals("mariadb") ? ColumnLimits.MYSQL : ColumnLimits.CHARACTERS, limits);

        String user = "ж".repeat(62) + "😀"; // 64 UTF-16 units, 63 characters, 128 UTF-8 bytes
        String peer = "日".repeat(ColumnLimits.Column.PEER.size() - "@example.org".length()) + "@example.org";
        assertTrue(limits.fitsUsername(user));
        assertTrue(limits.fitsPeer(peer));
        assertFalse(ColumnLimits.BYTES.fitsUsername(user), "on Oracle and DB2 it would not fit");
        writer.offer(new HistoryEntry(0, user, 2, Direction.SENT, peer, true, "<message><body>x</body></message>"));
        String longer = "ж".repeat(ColumnLimits.Column.USERNAME.size() + 1);
        assertFalse(limits.fitsUsername(longer));
        writer.offer(entry(longer, 3, "refused"));
        assertTrue(writer.flush(Duration.ofSeconds(30)));
        try (Connection c = db.connection()) {
            List<HistoryEntry> stored = historyStore.latest(c, user, 10);
            assertEquals(1, stored.size());
            assertEquals(user, stored.get(0).username());
            assertEquals(peer, stored.get(0).peer());
        }
        assertEquals(1, writer.rejected(), "the database refuses what the check refuses");
    }

    /**
     * Issue 9: a user's deletion comes after every write of theirs queued before it, and nothing queued
     * before it is written after it, even with more queued than one batch while the database is away; a
     * catch-up mark set as the last session closes after the deletion leaves no row either.
     */
    @Test
    void nothingOfADeletedUserSurvivesItsDeletion() throws Exception {
        writer.close();
        SwitchableSource source = new SwitchableSource(db);
        writer = new StoreWriter(source, historyStore, 10_000, 500, Duration.ofSeconds(60), Clock.systemUTC());
        StoredSettings settings = new StoredSettings(source, settingsStore, writer);
        assertTrue(settings.load());
        JID john = new JID("john@example.org");
        settings.setMirroring(john, true);
        settings.setMode(john, "home", ResourceMode.OFF);
        settings.setMirroring(new JID("jane@example.org"), true);
        writer.offer(entry("john", 1, "written before"));
        writer.offer(entry("jane", 1, "jane's"));
        assertTrue(writer.flush(Duration.ofSeconds(10)));

        source.down();
        for (int i = 2; i < 1_200; i++) {
            writer.offer(entry(i % 2 == 0 ? "john" : "jane", i, "m" + i));
        }
        settings.setMode(john, "work", ResourceMode.LEGACY);
        settings.forget("john");
        settings.setCatchupState(new JID("john", "example.org", "home"), 1_300L, LiveSpans.NONE);
        writer.offer(entry("john", 1_300, "routed as the deletion ran"));
        source.up();
        assertTrue(writer.flush(Duration.ofSeconds(60)));

        try (Connection c = db.connection()) {
            assertEquals(0, historyStore.count(c, "john"));
            assertEquals(1 + 599, historyStore.count(c, "jane"));
            assertFalse(settingsStore.loadResources(c).containsKey("john"), "no resource row, not even the last catch-up mark");
            assertEquals(Set.of("jane"), settingsStore.loadAccounts(c).keySet());
        }
        assertEquals(Map.of(), settings.resources("john"));

        settings.created("john"); // a new account under the same name keeps its own data
        writer.offer(entry("john", 2_000, "the new john's"));
        settings.setMode(john, "home", ResourceMode.CARBONS);
        assertTrue(writer.flush(Duration.ofSeconds(10)));
        try (Connection c = db.connection()) {
            assertEquals(List.of("the new john's"), bodies(historyStore.latest(c, "john", 10)));
            assertEquals(ResourceMode.CARBONS, settingsStore.loadResources(c).get("john").get("home").mode());
        }
    }

    /**
     * Issue 9: only registered accounts get a history and settings; the directory (Openfire's user
     * manager) is asked once per name, on the writer thread, and afterwards the packet path does not
     * even queue what would not be written.
     */
    @Test
    void onlyRegisteredAccountsAreRecorded() throws Exception {
        writer.close();
        AtomicInteger asked = new AtomicInteger();
        Set<String> registered = Set.of("john", "jane");
        RegisteredUsers accounts = new RegisteredUsers(username -> {
            asked.incrementAndGet();
            return registered.contains(username);
        }, Clock.systemUTC(), Duration.ofHours(1), Duration.ofHours(1), 1_000);
        writer = new StoreWriter(db, historyStore, 10_000, () -> StoreWriter.DEFAULT_MAX_BYTES, 500, Duration.ofSeconds(60),
                Clock.systemUTC(), accounts);
        StoredSettings settings = loadedSettings();
        HistoryRecorder recorder = new HistoryRecorder(new FixedHistoryConfig(true, 100_000, 1_000_000, Duration.ofDays(1)), settings, writer);
        for (int i = 0; i < 10; i++) {
            for (String user : List.of("john", "x7k2q9fz", "nobody")) { // an anonymous session's generated name, a user that does not exist
                recorder.record(RoutedMessage.received(Stanza.chat("m" + i, "jane@example.org/laptop", user + "@example.org/home", "hi " + i),
                        new JID(user + "@example.org"), Set.of(new JID(user + "@example.org/home")), Set.of()), i);
            }
        }
        settings.setMirroring(new JID("nobody@example.org"), true);
        assertTrue(writer.flush(Duration.ofSeconds(10)));
        try (Connection c = db.connection()) {
            assertEquals(10, historyStore.count(c, "john"));
            assertEquals(0, historyStore.count(c, "x7k2q9fz"));
            assertEquals(0, historyStore.count(c, "nobody"));
            assertEquals(Set.of(), settingsStore.loadAccounts(c).keySet(), "no settings row for a user that does not exist");
        }
        assertEquals(3, asked.get(), "each name asked once");
        long offered = writer.offered();
        recorder.record(RoutedMessage.received(Stanza.chat("later", "jane@example.org/laptop", "nobody@example.org/home", "hi"),
                new JID("nobody@example.org"), Set.of(new JID("nobody@example.org/home")), Set.of()), 100);
        assertEquals(offered, writer.offered(), "known not registered: not even queued");
        assertEquals(20 + 1, recorder.notRegistered() + writer.notRegistered());
    }

    /**
     * Issue 17.6: a gateway sends every message with the same id, and some messages have none. A missed copy is found
     * by its row (time, direction, peer, id or none) in one indexed read, not as the newest message with its key; by
     * key alone, the newest n.
     */
    @Test
    void aMessageIsFoundByItsRowWhenItsWriterReusesItsIdOrGivesNone() throws Exception {
        String gateway = "<message type=\"chat\" from=\"bot@gw.example.net/x\" to=\"john@example.org\"";
        try (Connection c = db.connection()) {
            historyStore.insert(c, List.of(
                    new HistoryEntry(0, "john", 5_000, Direction.RECEIVED, "bot@gw.example.net", true, gateway + " id=\"same\"><body>one</body></message>"),
                    new HistoryEntry(0, "john", 5_001, Direction.RECEIVED, "bot@gw.example.net", true, gateway + " id=\"same\"><body>two</body></message>"),
                    new HistoryEntry(0, "john", 5_002, Direction.RECEIVED, "bot@gw.example.net", true, gateway + " id=\"same\"><body>three</body></message>"),
                    new HistoryEntry(0, "john", 5_002, Direction.RECEIVED, "bot@gw.example.net", true, gateway + "><body>no id</body></message>")));
            MessageKey same = new MessageKey(Direction.RECEIVED, "bot@gw.example.net", "same");
            assertEquals(List.of("two"), bodies(List.of(historyStore.find(c, "john",
                    new MessageAt(Direction.RECEIVED, "bot@gw.example.net", "same", 5_001)))), "the one of its time");
            assertEquals(List.of("no id"), bodies(List.of(historyStore.find(c, "john",
                    new MessageAt(Direction.RECEIVED, "bot@gw.example.net", null, 5_002)))), "one without an id, by its time");
            assertEquals(null, historyStore.find(c, "john", new MessageAt(Direction.SENT, "bot@gw.example.net", "same", 5_001)),
                    "not one the account sent");
            assertEquals(List.of("three", "two"), bodies(historyStore.find(c, "john", same, 100, 2)), "by key: the newest 2");
        }
    }

    /**
     * Issue 18, a node killed: a node writing rows in a failed node's place first reads which that node wrote, by key,
     * in a time range; delivered or not, sent or received, those with an id (their stanza's, however escaped).
     */
    @Test
    void theKeysOfTheRowsInATimeRangeSayWhatAFailedNodeWrote() throws Exception {
        String toJane = "<message type=\"chat\" from=\"john@example.org/work\" to=\"jane@example.org\"";
        String fromJane = "<message type=\"chat\" from=\"jane@example.org/phone\" to=\"john@example.org\"";
        try (Connection c = db.connection()) {
            historyStore.insert(c, List.of(
                    new HistoryEntry(0, "john", 4_999, Direction.SENT, "jane@example.org", true, toJane + " id=\"before\"><body>x</body></message>"),
                    new HistoryEntry(0, "john", 5_000, Direction.SENT, "jane@example.org", true, toJane + " id=\"a&amp;b\"><body>x</body></message>"),
                    new HistoryEntry(0, "john", 5_500, Direction.RECEIVED, "jane@example.org", false, fromJane + " id=\"offline\"><body>x</body></message>"),
                    new HistoryEntry(0, "john", 5_600, Direction.RECEIVED, "jane@example.org", true, fromJane + "><body>no id</body></message>"),
                    new HistoryEntry(0, "jane", 5_700, Direction.RECEIVED, "john@example.org", true, toJane + " id=\"janes\"><body>x</body></message>"),
                    new HistoryEntry(0, "john", 6_001, Direction.SENT, "jane@example.org", true, toJane + " id=\"after\"><body>x</body></message>")));
            assertEquals(Set.of(new MessageKey(Direction.SENT, "jane@example.org", "a&b"),
                            new MessageKey(Direction.RECEIVED, "jane@example.org", "offline")),
                    historyStore.keysBetween(c, "john", 5_000, 6_000));
            assertEquals(Set.of(), historyStore.keysBetween(c, "nobody", 0, Long.MAX_VALUE));
        }
    }

    @Test
    void aMessageTheOfflineStoreHandedToAClientIsCaughtUpAndReplayedFromThenOn() throws Exception {
        StoredSettings settings = loadedSettings();
        HistoryRecorder recorder = new HistoryRecorder(new FixedHistoryConfig(true, 100_000, 1_000_000, Duration.ofDays(1)),
                settings, writer);
        DeliveredLater later = new DeliveredLater(writer, historyStore);
        List<String> changed = java.util.Collections.synchronizedList(new ArrayList<>());
        later.onChanged((entry, resource) -> changed.add(entry.messageId() + " " + resource));
        JID john = new JID("john@example.org");
        long t = 2_000_000L;
        RoutedMessage offline = RoutedMessage.received(Stanza.chat("5", "jane@example.org/x", "john@example.org", "stored offline"),
                john, Set.of(), Set.of());
        recorder.record(RoutedMessage.received(Stanza.chat("5", "bob@example.org/x", "john@example.org/home", "bob's 5"),
                john, Set.of(new JID("john@example.org/home")), Set.of()), t);
        // A client takes it from Openfire's offline store before its history entry is even queued: found a turn later.
        later.delivered("john", MessageKey.of(offline), "phone");
        recorder.record(offline, t + 1);
        later.delivered("john", new MessageKey(Direction.RECEIVED, "jane@example.org", "never-kept"), "phone");
        assertTrue(writer.flush(Duration.ofSeconds(10)), "a key never found is given up");

        List<String> both = List.of("bob's 5", "stored offline");
        try (Connection c = db.connection()) {
            assertEquals(both, bodies(historyStore.window(c, "john", t - 1, t + 10, 100)), "catch-up sends it now");
            assertEquals(both, bodies(historyStore.latest(c, "john", 10)), "replay too");
            assertEquals(2, historyStore.count(c, "john", t - 1, t + 10));
            assertEquals(List.of("stored offline"), bodies(List.of(historyStore.find(c, "john", MessageKey.of(offline), 100))));
            assertEquals(null, historyStore.find(c, "john", new MessageKey(Direction.RECEIVED, "jane@example.org", "6"), 100));
        }
        assertEquals(List.of("5 phone"), changed, "told once, with the resource it went to");

        later.delivered("john", MessageKey.of(offline), "laptop"); // already the account's: nothing changes
        assertTrue(writer.flush(Duration.ofSeconds(10)));
        assertEquals(List.of("5 phone"), changed);
    }

    /**
     * Openfire's offline store reads a user's messages and then deletes all of them as a session becomes available; one
     * stored in between is deleted unread. Its row (stored offline, not handed to anyone) is what the store no longer
     * holds: it becomes the account's, and catch-up sends it. Not what the store still holds, what a client took from it,
     * what was blocked (never stored), or what is older than the check looks.
     */
    @Test
    void aMessageTheOfflineStoreDeletedUnreadBecomesTheAccountsAndNothingElseDoes() throws Exception {
        Store store = aloneStore();
        try {
            JID jane = new JID("jane@example.org");
            long t = 3_000_000L;
            java.util.function.BiConsumer<String, Long> storedOffline = (id, at) -> store.recorder().record(RoutedMessage.received(
                    Stanza.chat(id, "john@example.org/work", "jane@example.org", id), jane, Set.of(), Set.of()), at, true);
            storedOffline.accept("old", t - 100_000);
            storedOffline.accept("taken", t + 1);
            storedOffline.accept("lost", t + 2);
            storedOffline.accept("waiting", t + 3);
            store.recorder().record(RoutedMessage.received(Stanza.chat("blocked", "john@example.org/work", "jane@example.org", "blocked"),
                    jane, Set.of(), Set.of()), t + 4);
            store.deliveredLater().delivered("jane", new MessageKey(Direction.RECEIVED, "john@example.org", "taken"), "desk");
            assertTrue(store.flushHistory(Duration.ofSeconds(10)));
            assertEquals(List.of("taken"), bodies(store.window("jane", t - 200_000, t + 10, 100)), "what a client took is the account's");

            Set<MessageKey> stillStored = Set.of(new MessageKey(Direction.RECEIVED, "john@example.org", "waiting"));
            List<HistoryEntry> lost = store.lostOffline("jane", t, () -> stillStored);
            assertEquals(List.of("lost"), bodies(lost));
            assertTrue(lost.get(0).delivered());
            assertEquals(List.of("taken", "lost"), bodies(store.window("jane", t - 200_000, t + 10, 100)), "catch-up sends it now");
            assertEquals(List.of(), store.lostOffline("jane", t, () -> stillStored), "found once");
            assertEquals(List.of("old", "waiting"), bodies(store.lostOffline("jane", t - 200_000, Set::of)),
                    "looking further back, and the store emptied: what it held is lost too; never what was blocked");
        } finally {
            store.close();
        }
    }

    /** A store of one server on the test database, as the plugin builds it. */
    private Store aloneStore() {
        return new Store(db, username -> true, new FixedHistoryConfig(true, 65_536, 1000, Duration.ofDays(30)),
                new Store.Options(1000, () -> StoreWriter.DEFAULT_MAX_BYTES, () -> 50, () -> Duration.ofDays(30)), Clock.systemUTC(),
                Cluster.alone(TestIds.BLOCKS));
    }

    private static List<String> bodies(List<HistoryEntry> entries) {
        return entries.stream().map(e -> e.stanza().replaceAll(".*<body>(.*)</body>.*", "$1")).toList();
    }
}
