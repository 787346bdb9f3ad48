package org.xmpproxy.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.hsqldb.server.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpproxy.core.Stanza;
import org.xmpproxy.core.rule.RoutedMessage;

/** A database server that goes away under load and comes back: mirroring never notices, writes resume. */
class DatabaseOutageTest {
    @TempDir
    Path dataDir;

    private Server startServer(int port) {
        Server server = new Server();
        server.setDatabaseName(0, "xmpproxy");
        server.setDatabasePath(0, "file:" + dataDir.resolve("xmpproxy"));
        server.setAddress("127.0.0.1");
        server.setPort(port);
        server.setSilent(true);
        server.setLogWriter(null);
        server.setErrWriter(null);
        server.start();
        return server;
    }

    @Test
    void theDatabaseStopsUnderLoadAndComesBack() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Server server = startServer(port);
        TestDatabase db = new TestDatabase("hsqldb", "jdbc:hsqldb:hsql://127.0.0.1:" + port + "/xmpproxy", "SA", "").install();
        StoreWriter writer = new StoreWriter(db, new HistoryStore(TestIds.BLOCKS), 5_000, 200, Duration.ofSeconds(60), Clock.systemUTC());
        StoredSettings settings = new StoredSettings(db, new SettingsStore(), writer);
        assertTrue(settings.load());
        HistoryRecorder recorder = new HistoryRecorder(new FixedHistoryConfig(true, 100_000, 1_000_000, Duration.ofDays(1)),
                settings, writer);
        JID john = new JID("john@example.org");

        AtomicReference<Throwable> packetPathError = new AtomicReference<>();
        Thread packetPath = new Thread(() -> {
            try {
                for (int i = 0; i < 6_000; i++) {
                    var message = Stanza.chat("m" + i, "jane@example.org/laptop", "john@example.org/home", "message " + i);
                    recorder.record(RoutedMessage.received(message, john, java.util.Set.of(new JID("john@example.org/home")), java.util.Set.of()),
                            System.currentTimeMillis());
                    if (i % 500 == 0) {
                        settings.setMode(john, "home", i % 1000 == 0 ? org.xmpproxy.core.rule.ResourceMode.LEGACY : org.xmpproxy.core.rule.ResourceMode.AUTO);
                    }
                    Thread.sleep(0, 500_000);
                }
            } catch (Throwable t) {
                packetPathError.set(t);
            }
        });
        packetPath.start();
        waitFor(() -> writer.written() >= 1_000, "writes under load");
        server.stop(); // the database goes away under load
        long offeredAtStop = writer.offered();
        waitFor(writer::isDatabaseDown, "the writer noticed");
        waitFor(() -> writer.offered() >= offeredAtStop + 2_000, "messages routed while the database is away");
        server = startServer(port); // and comes back
        packetPath.join();
        try {
            assertEquals(null, packetPathError.get(), "nothing reached the packet path");
            assertTrue(writer.flush(Duration.ofSeconds(60)), "writes resumed and drained");
            assertFalse(writer.isDatabaseDown());
            assertTrue(writer.failures() > 0);
            long stored;
            try (Connection c = db.connection()) {
                stored = new HistoryStore(TestIds.BLOCKS).count(c, "john");
                List<HistoryEntry> last = new HistoryStore(TestIds.BLOCKS).latest(c, "john", 1);
                assertEquals("m5999", last.get(0).stanza().replaceAll(".*id=\"(m\\d+)\".*", "$1"),
                        "messages after the outage are written");
            }
            assertEquals(writer.offered(), stored + writer.dropped());
            System.out.printf("outage: %d offered, %d written, %d dropped, %d failed attempts%n",
                    writer.offered(), stored, writer.dropped(), writer.failures());
        } finally {
            writer.close();
            server.stop();
        }
    }

    /**
     * Issue 9: while the database is away, big messages fill the queue up to its memory bound and no
     * further: 10,000 messages of 65,000 characters (1.3 GB as Java strings, which a queue bounded only by
     * count held) with the default bound of 64 MB. The rest are dropped and counted, and without being
     * serialised first; what was queued is all written when the database is back.
     */
    @Test
    void bigMessagesDuringAnOutageHoldNoMoreMemoryThanTheBound() throws Exception {
        TestDatabase db = TestDatabase.hsqldb().install();
        SwitchableSource source = new SwitchableSource(db);
        long bound = StoreWriter.DEFAULT_MAX_BYTES;
        StoreWriter writer = new StoreWriter(source, new HistoryStore(TestIds.BLOCKS), 10_000, () -> bound, 500, Duration.ofSeconds(60),
                Clock.systemUTC(), RegisteredUsers.everyone());
        try {
            StoredSettings settings = new StoredSettings(source, new SettingsStore(), writer);
            assertTrue(settings.load());
            HistoryRecorder recorder = new HistoryRecorder(new FixedHistoryConfig(true, 100_000, 1_000_000, Duration.ofDays(1)),
                    settings, writer);
            JID john = new JID("john@example.org");
            String body = "ж".repeat(65_000); // not Latin-1: 2 bytes a character in a Java string, as the estimate assumes
            source.down();
            long heapBefore = usedHeapAfterGc();
            int messages = 10_000;
            long largestQueued = 0;
            for (int i = 0; i < messages; i++) {
                Message message = new Message();
                message.setType(Message.Type.chat);
                message.setID("big" + i);
                message.setFrom("jane@example.org/laptop");
                message.setTo("john@example.org/home");
                message.setBody(body);
                recorder.record(RoutedMessage.received(message, john, Set.of(new JID("john@example.org/home")), Set.of()), i);
                largestQueued = Math.max(largestQueued, writer.queuedBytes());
            }
            long heapHeld = usedHeapAfterGc() - heapBefore;
            long queued = writer.queued();
            System.out.printf("outage with %d messages of %,d characters: %d queued, %,d bytes estimated (bound %,d),"
                            + " heap held %,d bytes; %d dropped%n", messages, body.length(), queued, writer.queuedBytes(), bound,
                    heapHeld, writer.dropped());
            assertTrue(largestQueued <= bound, "never above the bound: " + largestQueued);
            assertTrue(writer.queuedBytes() > bound * 9 / 10, "filled up to the bound");
            assertEquals(messages, queued + writer.dropped(), "every message queued or counted as dropped");
            assertTrue(heapHeld < bound + bound / 4, "the heap holds about the bound, not more: " + heapHeld);

            source.up();
            assertTrue(writer.flush(Duration.ofSeconds(60)));
            try (Connection c = db.connection()) {
                assertEquals(queued, new HistoryStore(TestIds.BLOCKS).count(c, "john"), "all that was queued is written");
            }
            assertEquals(0, writer.queuedBytes());
        } finally {
            writer.close();
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) { // a full collection each time; the lowest reading is what is still referenced
            System.gc();
            used = Math.min(used, runtime.totalMemory() - runtime.freeMemory());
        }
        return used;
    }

    private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for: " + what);
            Thread.sleep(5);
        }
    }
}
