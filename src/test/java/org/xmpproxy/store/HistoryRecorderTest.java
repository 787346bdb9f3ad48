package org.xmpproxy.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpproxy.core.Stanza;
import org.xmpproxy.core.rule.RoutedMessage;

/** What the packet path checks before queueing a history entry: addresses that fit their columns, size before serialising. */
class HistoryRecorderTest {
    private final TestDatabase db;
    private final SwitchableSource source;
    private StoreWriter writer;

    HistoryRecorderTest() throws Exception {
        db = TestDatabase.hsqldb().install();
        source = new SwitchableSource(db);
    }

    @AfterEach
    void stop() throws InterruptedException {
        writer.close();
    }

    private HistoryRecorder recorder(int maxStanzaChars, long maxBytes) {
        writer = new StoreWriter(source, new HistoryStore(TestIds.BLOCKS), 10_000, () -> maxBytes, 500, Duration.ofSeconds(60),
                Clock.systemUTC(), RegisteredUsers.everyone());
        StoredSettings settings = new StoredSettings(source, new SettingsStore(), writer);
        assertTrue(settings.load());
        return new HistoryRecorder(new FixedHistoryConfig(true, maxStanzaChars, 1000, Duration.ofDays(1)), settings, writer);
    }

    /** A message that counts how often it is serialised. */
    private static final class CountingMessage extends Message {
        int serialised;

        CountingMessage(Message message) {
            super(message.getElement().createCopy());
        }

        @Override
        public String toXML() {
            serialised++;
            return super.toXML();
        }
    }

    private static RoutedMessage toJohn(Message message) {
        JID john = new JID(message.getTo().toBareJID());
        return RoutedMessage.received(message, john, Set.of(message.getTo()), Set.of());
    }

    @Test
    void anAddressLongerThanItsColumnIsNotQueued() {
        HistoryRecorder recorder = recorder(100_000, StoreWriter.DEFAULT_MAX_BYTES);
        String longNode = "n".repeat(ColumnLimits.Column.USERNAME.size() + 1);
        String longPeer = "p".repeat(1_013) + "@example.org"; // 1,025 characters: a valid JID, longer than the peer column
        recorder.record(toJohn(Stanza.chat("1", "jane@example.org/x", longNode + "@example.org/home", "to a long username")), 1);
        recorder.record(toJohn(Stanza.chat("2", longPeer + "/x", "john@example.org/home", "from a long peer")), 2);
        recorder.record(toJohn(Stanza.chat("3", "jane@example.org/x", "john@example.org/home", "fine")), 3);
        assertEquals(2, recorder.tooLong());
        assertEquals(1, writer.offered(), "only the good one reaches the queue");
    }

    @Test
    void aMessageFarOverTheBoundIsNotSerialised() {
        HistoryRecorder recorder = recorder(1_000, StoreWriter.DEFAULT_MAX_BYTES);
        CountingMessage big = new CountingMessage(Stanza.chat("1", "jane@example.org/x", "john@example.org/home", "x".repeat(2_000)));
        recorder.record(toJohn(big), 1);
        assertEquals(0, big.serialised);
        assertEquals(1, recorder.tooLarge());
        assertEquals(0, writer.offered());

        CountingMessage justOver = new CountingMessage(Stanza.chat("2", "jane@example.org/x", "john@example.org/home", "x".repeat(900)));
        recorder.record(toJohn(justOver), 2); // its text fits; its XML does not: serialised once to know
        assertEquals(1, justOver.serialised);
        assertEquals(2, recorder.tooLarge());
    }

    @Test
    void whenTheQueueIsFullAMessageIsDroppedWithoutBeingSerialised() throws Exception {
        long room = StoreWriter.estimateBytes(3 * 10_000);
        HistoryRecorder recorder = recorder(100_000, room);
        source.down();
        int serialised = 0;
        for (int i = 0; i < 10; i++) {
            CountingMessage message = new CountingMessage(Stanza.chat("m" + i, "jane@example.org/x", "john@example.org/home", "y".repeat(10_000)));
            recorder.record(toJohn(message), i);
            serialised += message.serialised;
        }
        assertEquals(2, writer.queued(), "two fit in the bound");
        assertEquals(8, writer.dropped());
        assertEquals(2, serialised, "the dropped ones were never serialised");
        source.up();
        assertTrue(writer.flush(Duration.ofSeconds(10)));
        assertEquals(2, writer.written());
    }
}
