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
import java.util.concurrent.atomic.AtomicReference;
import org.hsqldb.server.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xmpp.packet.JID;
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
        StoreWriter writer = new StoreWriter(db, new HistoryStore(), 5_000, 200, Duration.ofSeconds(60), Clock.systemUTC());
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
        Thread.sleep(700);
        server.stop(); // the database goes away under load
        Thread.sleep(1500);
        assertTrue(writer.isDatabaseDown(), "the writer noticed");
        server = startServer(port); // and comes back
        packetPath.join();
        try {
            assertEquals(null, packetPathError.get(), "nothing reached the packet path");
            assertTrue(writer.flush(Duration.ofSeconds(60)), "writes resumed and drained");
            assertFalse(writer.isDatabaseDown());
            assertTrue(writer.failures() > 0);
            long stored;
            try (Connection c = db.connection()) {
                stored = new HistoryStore().count(c, "john");
                List<HistoryEntry> last = new HistoryStore().latest(c, "john", 1);
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
}
