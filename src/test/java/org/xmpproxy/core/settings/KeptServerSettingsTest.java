package org.xmpproxy.core.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Settings read once per change, not per message, and never a stale value after the server says one changed. */
class KeptServerSettingsTest {
    private final AtomicReference<String> stored = new AtomicReference<>("» ");
    private final AtomicInteger reads = new AtomicInteger();

    private final ServerSettings source = new ServerSettings() {
        @Override
        public <T> T get(Setting<T> setting) {
            reads.incrementAndGet();
            return setting.type().cast(stored.get());
        }
    };
    private final KeptServerSettings kept = new KeptServerSettings(source);

    @Test
    void aSettingIsReadOnceUntilItChanges() {
        assertEquals("» ", kept.get(Settings.LEGACY_SENT_PREFIX));
        assertEquals("» ", kept.get(Settings.LEGACY_SENT_PREFIX));
        assertEquals(1, reads.get());

        stored.set("[me] ");
        kept.changed(Settings.LEGACY_SENT_PREFIX);
        assertEquals("[me] ", kept.get(Settings.LEGACY_SENT_PREFIX), "the next read after the change");
        assertEquals("[me] ", kept.get(Settings.LEGACY_SENT_PREFIX));
        assertEquals(2, reads.get());
    }

    @Test
    void aChangeWhileTheOldValueIsBeingReadIsNotLost() throws Exception {
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch finishRead = new CountDownLatch(1);
        KeptServerSettings slow = new KeptServerSettings(new ServerSettings() {
            @Override
            public <T> T get(Setting<T> setting) {
                String value = stored.get();
                reading.countDown();
                await(finishRead); // the server stores a new value meanwhile
                return setting.type().cast(value);
            }
        });
        Thread reader = new Thread(() -> slow.get(Settings.LEGACY_SENT_PREFIX));
        reader.start();
        await(reading);
        stored.set("[me] ");
        Thread announcer = new Thread(() -> slow.changed(Settings.LEGACY_SENT_PREFIX));
        announcer.start();
        finishRead.countDown();
        reader.join();
        announcer.join();

        assertEquals("[me] ", slow.get(Settings.LEGACY_SENT_PREFIX));
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("not reached");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
