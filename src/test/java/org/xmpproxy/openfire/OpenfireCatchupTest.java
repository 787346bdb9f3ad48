package org.xmpproxy.openfire;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Stopping catch-up's threads at unload (issue 17.9). */
class OpenfireCatchupTest {
    @Test
    void closingNeitherInterruptsATaskUnderWayNorRunsOneThatWaits() throws Exception {
        OpenfireCatchup catchup = new OpenfireCatchup(null, null, null, null, resource -> null, () -> Long.MAX_VALUE);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch closing = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicBoolean finished = new AtomicBoolean();
        AtomicBoolean waitingRan = new AtomicBoolean();
        catchup.schedule(() -> { // as a history read inside JDBC on the embedded database
            started.countDown();
            try {
                closing.await();
            } catch (InterruptedException e) {
                interrupted.set(true); // an interrupt there would close the embedded database's files
            }
            finished.set(true);
        }, 0);
        catchup.schedule(() -> waitingRan.set(true), 2_000); // a retry or a catch-up's start: its state is saved already
        assertTrue(started.await(10, TimeUnit.SECONDS));
        Thread closer = new Thread(catchup::close);
        closer.start();
        await(() -> closer.getState() == Thread.State.TIMED_WAITING); // close() is waiting for the task
        closing.countDown();
        closer.join(10_000);
        assertFalse(interrupted.get(), "not interrupted");
        assertTrue(finished.get(), "it finished its work");
        assertFalse(waitingRan.get(), "a task waiting for its time does not run after close");
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }
}
