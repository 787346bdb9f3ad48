package org.xmpproxy.core.catchup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;

/** Catch-up with a scripted clock and a hand-run scheduler: reconnects, interruptions, exactly once. */
class CatchupCoordinatorTest {
    private static final JID B = new JID("john@example.org/B");

    record Item(long sentAt, boolean delivered) implements HistoryItem {
        public String messageId() {
            return "m" + sentAt;
        }
    }

    private long now = 1000;
    private final List<Item> history = new ArrayList<>();
    private final Map<JID, Long> marks = new HashMap<>();
    private final Map<JID, LiveSpans> spans = new HashMap<>();
    private final List<Long> receivedLive = new ArrayList<>();
    private final List<Long> receivedCatchup = new ArrayList<>();
    private final Deque<Runnable> tasks = new ArrayDeque<>();
    private boolean online;

    private final CatchupPort port = new CatchupPort() {
        public Long mark(JID resource) { return marks.get(resource); }
        public LiveSpans live(JID resource) { return spans.getOrDefault(resource, LiveSpans.NONE); }
        public void save(JID resource, Long mark, LiveSpans live) { marks.put(resource, mark); spans.put(resource, live); }
        public boolean wantsCatchup(JID resource) { return true; }
        public CatchupSelector.Limits limits(JID account) { return new CatchupSelector.Limits(10_000, 1_000_000_000L, 0); }
        public void flushHistory() { }
        public List<? extends HistoryItem> window(JID account, long from, long to, int limit) {
            return history.stream().filter(i -> i.sentAt() > from && i.sentAt() <= to).toList();
        }
        public void deliver(JID resource, HistoryItem item) { receivedCatchup.add(item.sentAt()); }
        public void schedule(Runnable task, long delayMillis) { tasks.add(task); }
    };
    private final CatchupCoordinator coordinator = new CatchupCoordinator(port, () -> now, 1000);

    /** A message routed now: B gets it live if it is online (and the engine says so), and it enters the history. */
    private void message() {
        now++;
        history.add(new Item(now, true));
        if (online) {
            receivedLive.add(now);
            coordinator.delivered(B, "m" + now); // as the mirroring engine reports live deliveries
        }
    }

    private void comeOnline() {
        now++;
        online = true;
        coordinator.onAvailable(B);
    }

    private void goAway() {
        now++;
        online = false;
        coordinator.onUnavailable(B);
    }

    private void runTasks(int count) {
        for (int i = 0; i < count && !tasks.isEmpty(); i++) {
            tasks.poll().run();
        }
    }

    private List<Long> everythingBReceived() {
        List<Long> all = new ArrayList<>(receivedLive);
        all.addAll(receivedCatchup);
        return all.stream().sorted().toList();
    }

    private List<Long> allMessages() {
        return history.stream().map(Item::sentAt).toList();
    }

    @Test
    void aResourceThatWasAwayGetsWhatItMissedOnceInOrder() {
        comeOnline();
        runTasks(10);
        goAway();
        for (int i = 0; i < 120; i++) {
            message();
        }
        comeOnline();
        runTasks(100);
        assertEquals(allMessages(), everythingBReceived());
        assertEquals(allMessages(), receivedCatchup, "in order");
        assertEquals(2, coordinator.catchups(), "one catch-up each time it came online");
    }

    @Test
    void goingAwayInTheMiddleOfACatchupAndComingBackEndsWithEachMessageOnce() {
        comeOnline();
        runTasks(10);
        goAway();
        for (int i = 0; i < 120; i++) {
            message();
        }
        comeOnline();
        runTasks(2); // start + first batch of 50
        message();   // live while online
        message();
        goAway();    // in the middle of the catch-up
        message();   // while away
        comeOnline();
        runTasks(100);
        assertEquals(allMessages(), everythingBReceived());
    }

    @Test
    void reconnectingTwiceInASecondEndsWithEachMessageOnce() {
        comeOnline();
        runTasks(10);
        goAway();
        for (int i = 0; i < 30; i++) {
            message();
        }
        comeOnline();
        goAway();
        comeOnline(); // before the first catch-up even started
        message();
        runTasks(100);
        assertEquals(allMessages(), everythingBReceived());
    }

    @Test
    void aCaughtUpResourceKeepsItsMarkCurrentSoARestartDoesNotResend() {
        comeOnline();
        runTasks(10);
        message();
        message();
        coordinator.checkpoint();
        // Openfire stops without telling us the resource went away; it comes back after a restart.
        CatchupCoordinator afterRestart = new CatchupCoordinator(port, () -> now, 1000);
        online = false;
        message();
        now++;
        online = true;
        afterRestart.onAvailable(B);
        runTasks(10);
        assertEquals(allMessages(), everythingBReceived());
    }

    @Test
    void aNewResourceThatLeavesAtOnceIsCaughtUpFromThatMomentNextTime() {
        comeOnline(); // never seen before
        goAway();     // before its (empty) catch-up ran
        for (int i = 0; i < 10; i++) {
            message();
        }
        comeOnline();
        runTasks(100);
        assertEquals(allMessages(), everythingBReceived());
    }

    @Test
    void aReloadInTheMiddleOfACatchupResumesWithoutDuplicates() {
        comeOnline();
        runTasks(10);
        goAway();
        for (int i = 0; i < 120; i++) {
            message();
        }
        comeOnline();
        runTasks(2);
        message(); // live
        coordinator.suspendAll(); // the plugin unloads; B stays online
        tasks.clear();
        CatchupCoordinator reloaded = new CatchupCoordinator(port, () -> now, 1000);
        now++;
        reloaded.onAvailable(B); // the new plugin picks up the resources already online
        runTasks(100);
        assertEquals(allMessages(), everythingBReceived());
    }

    @Test
    void aMessageThatReachedTheResourceLiveJustBeforeItsPresenceIsNotSentAgain() {
        comeOnline();
        runTasks(10);
        goAway();
        message();
        // Openfire marks the route available, a message reaches B live, then the presence event arrives.
        now++;
        history.add(new Item(now, true));
        receivedLive.add(now);
        coordinator.delivered(B, "m" + now);
        coordinator.onAvailable(B);
        online = true;
        runTasks(10);
        assertEquals(allMessages(), everythingBReceived());
    }

    @Test
    void aMessageRoutedJustAfterTheRouteWentAwayButBeforeThePresenceEventIsStillCaughtUp() {
        comeOnline();
        runTasks(10);
        goAway();
        message();
        comeOnline(); // catch-up not yet run
        now++;
        history.add(new Item(now, true)); // Openfire already took B's route away: B does not get it
        goAway();
        comeOnline();
        runTasks(10);
        assertEquals(allMessages(), everythingBReceived());
    }
}
