package org.xmpproxy.core.catchup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;
import org.xmpproxy.core.rule.Direction;
import org.xmpproxy.core.rule.MessageAt;
import org.xmpproxy.core.rule.MessageKey;

/** Catch-up with a scripted clock and a hand-run scheduler: reconnects, interruptions, exactly once. */
class CatchupCoordinatorTest {
    private static final JID B = new JID("john@example.org/B");
    private static final String JANE = "jane@example.org";

    record Item(long sentAt, Direction direction, String peer, String messageId) implements HistoryItem {
    }

    private long now = 1000;
    /** What the database holds. */
    private final List<Item> history = new ArrayList<>();
    /** What the history writer holds, not yet in the database. */
    private final List<Item> queued = new ArrayList<>();
    /** The database is slow or down: flushing times out. */
    private boolean databaseSlow;
    /** After this many more catch-up messages, B cannot be reached (its session is closing). */
    private int reachableFor = Integer.MAX_VALUE;
    private CatchupSelector.Limits limits = new CatchupSelector.Limits(10_000, 1_000_000_000L, 0);
    private final Map<JID, Long> marks = new HashMap<>();
    /** Marks another node of the cluster moved (in its memory and queue; this node's memory holds the older one). */
    private final Map<JID, Long> writtenElsewhere = new HashMap<>();
    private final Map<JID, LiveSpans> spans = new HashMap<>();
    private final List<Item> receivedLive = new ArrayList<>();
    private final List<Item> receivedCatchup = new ArrayList<>();
    private final Deque<Runnable> tasks = new ArrayDeque<>();
    private final List<Long> delays = new ArrayList<>();
    private boolean online;
    /** Which session Openfire routes each resource's messages to (none: B's only session, whichever it is). */
    private final Map<JID, String> routes = new HashMap<>();
    /** B's current session, and how many it had. */
    private String session = "s0";
    private int sessions;
    /** History look-ups of missed messages. */
    private int lookups;
    /** How many messages each look-up by key asked for. */
    private final List<Integer> askedFor = new ArrayList<>();

    private final CatchupPort port = new CatchupPort() {
        public Long mark(JID resource) { return marks.get(resource); }
        public LiveSpans live(JID resource) { return spans.getOrDefault(resource, LiveSpans.NONE); }
        public void save(JID resource, Long mark, LiveSpans live) { marks.put(resource, mark); spans.put(resource, live); }
        public boolean wantsCatchup(JID resource) { return true; }
        public boolean serverStopping() { return serverStopping; }
        public long cutOffSince() { return cutOffSince; }
        public CatchupSelector.Limits limits(JID account) { return limits; }
        public boolean flushHistory() {
            if (databaseSlow) {
                return false;
            }
            history.addAll(queued);
            queued.clear();
            return true;
        }
        // Every node's queue written, the mark read again from the database (as the store does in a cluster).
        public boolean settle(JID resource) {
            if (!flushHistory()) {
                return false;
            }
            marks.putAll(writtenElsewhere);
            writtenElsewhere.clear();
            return true;
        }
        public List<? extends HistoryItem> window(JID account, long from, long to, int limit) {
            return history.stream().filter(i -> i.sentAt() > from && i.sentAt() <= to).toList();
        }
        public boolean deliver(JID resource, String session, HistoryItem item) {
            if (reachableFor <= 0 || !isRoute(resource, session)) {
                return false;
            }
            reachableFor--;
            receivedCatchup.add((Item) item);
            return true;
        }
        public void schedule(Runnable task, long delayMillis) { tasks.add(task); delays.add(delayMillis); }
        public boolean isRoute(JID resource, String session) {
            return !routes.containsKey(resource) || routes.get(resource).equals(session);
        }
        public HistoryItem find(JID account, MessageAt row) {
            lookups++;
            return history.stream().filter(i -> row.equals(i.at())).findFirst().orElse(null);
        }
        public List<Item> find(JID account, MessageKey key, int count) {
            lookups++;
            askedFor.add(count);
            List<Item> newestFirst = new ArrayList<>(history.stream().filter(i -> key.equals(i.key())).toList());
            java.util.Collections.reverse(newestFirst);
            return newestFirst.subList(0, Math.min(count, newestFirst.size()));
        }
        public long count(JID account, long from, long to) {
            return history.stream().filter(i -> i.sentAt() > from && i.sentAt() <= to).count();
        }
        public List<Item> lostOffline(JID account, long since) {
            lostOfflineChecks.add(since);
            List<Item> lost = lostInTheStore.stream().filter(i -> i.sentAt() >= since).toList();
            lostInTheStore.removeAll(lost);
            List<Item> all = new ArrayList<>(history); // from now on the account's: catch-up reads it
            all.addAll(lost);
            all.sort(java.util.Comparator.comparingLong(Item::sentAt));
            history.clear();
            history.addAll(all);
            return lost;
        }
        public java.util.Collection<JID> knownResources(JID account) { return marks.keySet(); }
        public void truncated(JID resource, long missed, int shown) { told.add(resource.getResource() + " " + missed + " " + shown); }
        public boolean hasArchive(JID account) { return archived; }
        public boolean carbons(JID resource) { return carbonsOn; }
        public long archiveWaitMillis() { return ARCHIVE_WAIT; }
        public boolean archiveKeeps(HistoryItem item) { return !notArchived.contains(item); }
    };
    /** The server keeps an archive of the account's chats (Monitoring), B's client enabled carbons. */
    private boolean archived;
    private boolean serverStopping;
    /** Since when this node, a clustered one that shuts down, gets nothing other nodes route. */
    private long cutOffSince = Long.MAX_VALUE;
    private boolean carbonsOn;
    private static final long ARCHIVE_WAIT = 5000;
    /** Messages the archive does not keep (no body). */
    private final List<Item> notArchived = new ArrayList<>();
    /** What the bot told B about its catch-ups. */
    private final List<String> told = new ArrayList<>();
    private static final JID A = new JID("john@example.org/A");
    private final CatchupCoordinator coordinator = new CatchupCoordinator(port, () -> now, 1000);

    /** A message routed now: B gets it live if it is online (and the engine says so), and it enters the history. */
    private void message() {
        now++;
        message(now, JANE, "m" + now);
    }

    /** A message from {@code peer} with the id it chose, routed at {@code at}. */
    private Item message(long at, String peer, String id) {
        Item item = new Item(at, Direction.RECEIVED, peer, id);
        queued.add(item); // the history writer writes it a moment later
        if (!databaseSlow) {
            history.addAll(queued);
            queued.clear();
        }
        if (online) {
            receivedLive.add(item);
            coordinator.delivered(B, item.at()); // as the mirroring engine reports live deliveries
        }
        return item;
    }

    /** A message routed now while no resource could take it: Openfire stores it; its entry says it reached nobody. */
    private Item storedOffline() {
        now++;
        return new Item(now, Direction.RECEIVED, JANE, "m" + now);
    }

    /** Messages Openfire's offline store deleted unread (stored as a session took the stored ones); their rows say they wait there. */
    private final List<Item> lostInTheStore = new ArrayList<>();
    /** The {@code since} of each check for them. */
    private final List<Long> lostOfflineChecks = new ArrayList<>();

    /** Openfire's offline store hands the message to another resource (A): from now on catch-up reads it. */
    private void handedToA(Item stored) {
        List<Item> all = new ArrayList<>(history);
        all.add(stored);
        all.sort(java.util.Comparator.comparingLong(Item::sentAt));
        history.clear();
        history.addAll(all);
        coordinator.deliveredLater(A, stored);
    }

    /** Openfire routes again a copy B left unacknowledged as its stream broke: B did not get it after all. */
    private void unacknowledged(Item item) {
        receivedLive.remove(item);
        receivedCatchup.remove(item);
        coordinator.missed(B, item.key());
    }

    /** B logs in: a new session, B's route, sends its available presence. */
    private void comeOnline() {
        now++;
        online = true;
        session = "s" + ++sessions;
        routes.put(B, session);
        coordinator.onAvailable(B, session);
    }

    private void goAway() {
        now++;
        online = false;
        routes.remove(B);
        coordinator.onUnavailable(B, session);
    }

    /**
     * A new session binds B's resource while the old one's socket is still open, as Openfire 5.1.1 does it
     * (SessionManager.resolveConflictAndBind): the old session is closed with {@code <conflict/>} and the new one
     * takes the route at once, before its client even sends a presence. The old session's closing runs on another
     * thread (SessionManager's close listener, asynchronously): its "unavailable", if any, reaches the listeners
     * whenever that thread gets to it, which may be after the new session's "available".
     *
     * @return the old session
     */
    private String bindReplacing() {
        String old = session;
        session = "s" + ++sessions;
        routes.put(B, session);
        return old;
    }

    /** The new session's first available presence. */
    private void available() {
        now++;
        online = true;
        coordinator.onAvailable(B, session);
    }

    private void runTasks(int count) {
        for (int i = 0; i < count && !tasks.isEmpty(); i++) {
            tasks.poll().run();
        }
    }

    /** B, away, has not got {@code item} yet; after another message it returns and gets it by catch-up, first, once. */
    private void assertCaughtUpInItsPlaceAtTheNextReturn(Item item) {
        assertEquals(List.of(), receivedCatchup, "B is away: nothing yet");
        message();
        comeOnline();
        runTasks(10);
        assertEquals(allMessages(), everythingBReceived());
        assertEquals(item, receivedCatchup.get(0), "by catch-up, in its place");
    }

    /** B goes away, a message comes, B returns: it ends with every message once (what it had is not sent again). */
    private void assertNothingAgainAtTheNextReturn() {
        goAway();
        message();
        comeOnline();
        runTasks(10);
        assertEquals(allMessages(), everythingBReceived(), "and not again");
    }

    /** Each message B received, live or by catch-up, in the order they were routed (duplicates kept). */
    private List<Item> everythingBReceived() {
        List<Item> all = new ArrayList<>(receivedLive);
        all.addAll(receivedCatchup);
        List<Item> routed = allMessages();
        return all.stream().sorted(java.util.Comparator.comparingInt(routed::indexOf)).toList();
    }

    private List<Item> allMessages() {
        List<Item> all = new ArrayList<>(history);
        all.addAll(queued);
        return all;
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

    /**
     * Issue 18, a rolling restart: the server shuts down while B is online, and the last messages queued for B die with
     * its connection. B's next catch-up (on the other node) sends again what was routed in the last seconds before it
     * left, so nothing is lost; twice at worst, only those.
     */
    @Test
    void whatWasRoutedJustBeforeTheServerShutDownIsSentAgainRatherThanLost() {
        comeOnline();
        runTasks(10);
        for (int i = 0; i < 50; i++) {
            now += 1_000;
            message();
        }
        Item lostInTheShutdown = history.get(history.size() - 1);
        receivedLive.remove(lostInTheShutdown); // queued for B's connection as it closed
        now += 500;
        serverStopping = true;
        goAway();
        serverStopping = false;
        comeOnline();
        runTasks(100);
        List<Item> received = everythingBReceived();
        assertTrue(received.containsAll(allMessages()), "nothing lost");
        long twice = allMessages().stream().filter(m -> received.stream().filter(m::equals).count() > 1).count();
        assertTrue(twice <= 2, "only what was routed in the 2 s before it left comes twice: " + twice);
    }

    /**
     * Issue 18, a rolling restart: a node of a cluster that shuts down leaves the cluster first and closes its sessions
     * only later (it writes its queue first, its shutdown may be slow). From the leave on, nothing the other nodes route
     * reaches B, though B's session is still open, checkpoints still run, and B looks online: B's state is saved as of
     * the leave, so its next catch-up, on the node that stays, sends what it missed since.
     */
    @Test
    void aNodeThatLeftTheClusterAsItShutsDownSavesItsSessionsAsOfTheLeave() {
        comeOnline();
        runTasks(10);
        for (int i = 0; i < 5; i++) {
            now += 1_000;
            message();
        }
        now += 1_000;
        serverStopping = true;
        cutOffSince = now; // it left the cluster: from here on the other nodes' messages go nowhere for B
        online = false; // its session is open, but what the nodes that stay route reaches it no more
        for (int i = 0; i < 8; i++) {
            now += 1_000;
            message();
        }
        online = true;
        coordinator.checkpoint(); // the checkpoint still runs while the node stops
        now += 1_000;
        goAway(); // closed at last
        serverStopping = false;
        cutOffSince = Long.MAX_VALUE;
        comeOnline(); // on the node that stays
        runTasks(100);
        List<Item> received = everythingBReceived();
        assertTrue(received.containsAll(allMessages()), "nothing lost: " + allMessages().stream().filter(m -> !received.contains(m)).toList());
        long twice = allMessages().stream().filter(m -> received.stream().filter(m::equals).count() > 1).count();
        assertTrue(twice <= 1, "only what was on its way as the shutdown began comes twice: " + twice);
    }

    /**
     * Issue 18: B was on this node, then on another node of the cluster (where it was caught up and got messages
     * live), and comes back here: its catch-up starts from the mark the other node moved, not from the older one
     * this node holds. Before, it was sent again everything it had got on the other node.
     */
    @Test
    void comingBackFromAnotherNodeGetsOnlyWhatItMissedThere() {
        comeOnline();
        runTasks(10);
        goAway();
        for (int i = 0; i < 15; i++) {
            message(); // B got these on the other node
        }
        now++;
        writtenElsewhere.put(B, now); // it left the other node now: that node moved its mark
        List<Item> gotElsewhere = allMessages();
        for (int i = 0; i < 20; i++) {
            message();
        }
        comeOnline();
        runTasks(100);
        List<Item> missed = allMessages().subList(gotElsewhere.size(), allMessages().size());
        assertEquals(missed, receivedCatchup, "each of the 20 it missed once, nothing it got on the other node");
    }

    /**
     * Issue 18, a rolling restart: B is on another node, which moved its mark; this node never saw B. A node that left
     * the cluster had handed B a message here in its last moment ({@code HandedOver}), so it is reported missed here.
     * Its mark moves back from the one the other node wrote, not from this node's view (none: B would have become a
     * resource seen for the first time, caught up on nothing, and lost everything it missed since).
     */
    @Test
    void aMessageOwedToAResourceThisNodeNeverSawMovesBackTheMarkItsNodeWrote() {
        List<Item> before = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            message(); // B got these on the other node
        }
        Item handedInTheLastMoment = history.get(history.size() - 1);
        now++;
        writtenElsewhere.put(B, now); // that node moved B's mark past them
        before.addAll(allMessages());
        coordinator.missed(B, handedInTheLastMoment.at());
        runTasks(10);
        for (int i = 0; i < 20; i++) {
            message(); // while B logs in here
        }
        comeOnline();
        runTasks(100);
        List<Item> expected = new ArrayList<>(List.of(handedInTheLastMoment));
        expected.addAll(allMessages().subList(before.size(), allMessages().size()));
        assertEquals(expected, receivedCatchup, "the one it missed there and the 20 since, each once; not the 4 it got there");
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
        afterRestart.onAvailable(B, session);
        runTasks(10);
        assertEquals(allMessages(), everythingBReceived());
    }

    /**
     * Issue 18, the plugin reloaded on one node while the other routes: between the moment the plugin began to stop
     * and its restart, a copy the other node left to B's node finds no plugin there and is dropped. B is saved as of
     * when the stop began, so its catch-up after the restart sends that copy; before, it was saved as of when the stop
     * ended, past the copy.
     */
    @Test
    void aReloadSavesTheResourcesAsOfWhenTheStopBegan() {
        comeOnline();
        runTasks(10);
        message();
        long stopBegan = now;
        online = false; // nothing watched any more: what comes now is not known to have reached B
        Item dropped = null;
        for (int i = 0; i < 3; i++) {
            now += 100;
            message();
            dropped = history.get(history.size() - 1);
        }
        now += 500;
        coordinator.suspendAll(stopBegan);
        CatchupCoordinator afterRestart = new CatchupCoordinator(port, () -> now, 1000);
        online = true;
        afterRestart.onAvailable(B, session); // the start-up loop: the same session, online all along
        runTasks(10);
        assertTrue(everythingBReceived().contains(dropped), "the copy dropped while the plugin stopped is sent");
        assertEquals(allMessages(), everythingBReceived(), "each once (B got nothing live while the plugin was stopping)");
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
        reloaded.onAvailable(B, session); // the new plugin picks up the resources already online
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
        Item item = message(now, JANE, "m" + now);
        receivedLive.add(item);
        coordinator.delivered(B, item.at());
        coordinator.onAvailable(B, session = "s" + ++sessions);
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
        message(now, JANE, "m" + now); // Openfire already took B's route away: B does not get it
        goAway();
        comeOnline();
        runTasks(10);
        assertEquals(allMessages(), everythingBReceived());
    }

    /** B was caught up and went away; the database is slow: what was routed meanwhile is still in the writer's queue. */
    private void awayWhileTheDatabaseIsSlow(int messages) {
        comeOnline();
        runTasks(10);
        goAway();
        databaseSlow = true;
        for (int i = 0; i < messages; i++) {
            message();
        }
    }

    @Test
    void aHistoryFlushThatTimesOutPostponesTheCatchupAndTheMarkDoesNotMove() {
        awayWhileTheDatabaseIsSlow(5);
        Long markBefore = marks.get(B);
        comeOnline();
        runTasks(1); // the catch-up starts: the history writes are not done
        assertEquals(List.of(), receivedCatchup);
        assertEquals(1, coordinator.postponed());
        assertEquals(1, coordinator.catchups(), "only the first return counted: this time nothing was read");
        goAway(); // before the database came back
        assertEquals(markBefore, marks.get(B), "the mark stays before the 5 messages B was not sent");

        databaseSlow = false;
        comeOnline();
        runTasks(100);
        assertEquals(allMessages(), receivedCatchup, "all 5, once, on its next return");
        assertEquals(allMessages(), everythingBReceived());
    }

    @Test
    void aPostponedCatchupIsRetriedLaterWithGrowingPausesAndEndsWithEachMessageOnce() {
        awayWhileTheDatabaseIsSlow(5);
        comeOnline();
        delays.clear();
        runTasks(4); // the start and three retries, all while the database is slow
        assertEquals(List.of(CatchupCoordinator.RETRY_FIRST_MILLIS, 2 * CatchupCoordinator.RETRY_FIRST_MILLIS,
                4 * CatchupCoordinator.RETRY_FIRST_MILLIS, 8 * CatchupCoordinator.RETRY_FIRST_MILLIS), delays);
        message(); // live while it waits
        databaseSlow = false;
        runTasks(100);
        assertEquals(allMessages(), everythingBReceived());
        assertEquals(2, coordinator.catchups(), "one catch-up for this return, after the first one");
        goAway();
        message();
        comeOnline();
        runTasks(100);
        assertEquals(allMessages(), everythingBReceived(), "and the mark moved on once it was done");
    }

    @Test
    void retriesStopWhenTheResourceLeaves() {
        awayWhileTheDatabaseIsSlow(3);
        comeOnline();
        runTasks(1);
        goAway();
        delays.clear();
        runTasks(100); // the pending retry finds B gone
        assertEquals(List.of(), delays, "nothing more scheduled");
        assertEquals(List.of(), receivedCatchup);
    }

    @Test
    void twoPeersUsingTheSameIdAreBothCaughtUp() {
        comeOnline();
        runTasks(10);
        goAway();
        now++;
        message(now, "bob@example.org", "1"); // B is away: it misses bob's message "1"
        // B's route is available again; jane's message "1" reaches it live before the presence event.
        online = true;
        now++;
        message(now, JANE, "1");
        coordinator.onAvailable(B, session = "s" + ++sessions);
        runTasks(10);
        assertEquals(allMessages(), everythingBReceived(), "bob's 1 by catch-up, jane's 1 live, each once");
        assertEquals("bob@example.org", receivedCatchup.get(0).peer());
    }

    @Test
    void aCatchupThatCannotReachTheResourceDoesNotCountWhatItDidNotSend() {
        comeOnline();
        runTasks(10);
        goAway();
        for (int i = 0; i < 10; i++) {
            message();
        }
        comeOnline();
        reachableFor = 3; // its session closes after 3 messages; the presence event comes a moment later
        runTasks(10);
        assertEquals(3, receivedCatchup.size());
        goAway();
        reachableFor = Integer.MAX_VALUE;
        comeOnline();
        runTasks(10);
        assertEquals(allMessages(), everythingBReceived());
    }

    @Test
    void messagesRoutedInTheSameMillisecondSurviveAnInterruptionBetweenThem() {
        comeOnline();
        runTasks(10);
        goAway();
        now++;
        message(now, JANE, "a");
        message(now, "bob@example.org", "b");
        message(now, JANE, "c");
        comeOnline();
        reachableFor = 1;
        runTasks(10);
        goAway();
        reachableFor = Integer.MAX_VALUE;
        comeOnline();
        runTasks(10);
        assertEquals(allMessages(), everythingBReceived());
    }

    @Test
    void aNewResourceInterruptedInItsFirstCatchupGetsTheRestOfItsNewestMessagesNextTime() {
        for (int i = 0; i < 10; i++) {
            message();
        }
        limits = new CatchupSelector.Limits(10_000, 1_000_000_000L, 5); // a new device gets the newest 5
        comeOnline(); // never seen before
        reachableFor = 2;
        runTasks(10);
        goAway();
        reachableFor = Integer.MAX_VALUE;
        comeOnline();
        runTasks(10);
        assertEquals(allMessages().subList(5, 10), receivedCatchup, "the newest 5, each once");
    }

    // What Openfire's offline store hands to one resource only.

    @Test
    void whatTheOfflineStoreGaveAnotherResourceIsCaughtUpOnceAtTheNextReturn() {
        comeOnline();
        runTasks(10);
        goAway();
        Item stored = storedOffline();
        handedToA(stored);
        runTasks(10);
        assertCaughtUpInItsPlaceAtTheNextReturn(stored);
    }

    @Test
    void aResourceOnlineWhenTheMessageWasStoredGetsItWhenAnotherResourceIsHandedIt() {
        comeOnline(); // B is online and caught up (with a negative priority: Openfire stored the message for the account)
        runTasks(10);
        Item stored = storedOffline();
        handedToA(stored);
        runTasks(10);
        assertEquals(List.of(stored), receivedCatchup, "at once");
        assertNothingAgainAtTheNextReturn();
    }

    @Test
    void aResourceWhoseCatchupPassedTheMessageWhileItReachedNobodyGetsItNextTime() {
        comeOnline();
        runTasks(10);
        goAway();
        Item stored = storedOffline();
        comeOnline(); // B takes no offline messages (XEP-0013): its catch-up passes the message, which reached nobody yet
        runTasks(10);
        goAway();
        handedToA(stored);
        runTasks(10);
        message();
        comeOnline();
        runTasks(10);
        assertEquals(allMessages(), everythingBReceived());
    }

    @Test
    void aCatchupThatReadsTheHistoryAfterTheChangeSendsTheMessageOnce() {
        comeOnline();
        runTasks(10);
        goAway();
        Item stored = storedOffline();
        comeOnline();
        handedToA(stored); // the catch-up reads next, the notice of the change is handled after it
        runTasks(10);
        assertEquals(List.of(stored), receivedCatchup);
        assertEquals(allMessages(), everythingBReceived());
    }

    /**
     * A takes the stored messages as it comes online, and Openfire's offline store deletes one stored meanwhile unread:
     * once, a moment after however many messages the store handed out, the history is checked; B, online and caught up,
     * is sent it at once, and not again at its next return.
     */
    @Test
    void whatTheOfflineStoreDeletedUnreadIsSentToAResourceThatIsOnline() {
        comeOnline();
        runTasks(10);
        Item handed = storedOffline();
        Item lost = storedOffline();
        lostInTheStore.add(lost);
        handedToA(handed);
        coordinator.offlineStoreHanded(A);
        coordinator.offlineStoreHanded(new JID("john@example.org/C"));
        runTasks(10);
        assertEquals(List.of(now - CatchupCoordinator.LOST_OFFLINE_CHECK_AFTER_MILLIS - CatchupCoordinator.LOST_OFFLINE_LOOKBACK_MILLIS),
                lostOfflineChecks, "one check for the account, after a moment, looking back a minute");
        assertTrue(delays.contains(CatchupCoordinator.LOST_OFFLINE_CHECK_AFTER_MILLIS));
        assertEquals(List.of(handed, lost), receivedCatchup, "both, in order");
        assertNothingAgainAtTheNextReturn();
    }

    /** B was away: it gets what the store deleted unread at its next return, once, in its place. */
    @Test
    void whatTheOfflineStoreDeletedUnreadIsCaughtUpByAResourceThatWasAway() {
        comeOnline();
        runTasks(10);
        goAway();
        Item lost = storedOffline();
        lostInTheStore.add(lost);
        coordinator.offlineStoreHanded(A);
        runTasks(10);
        assertCaughtUpInItsPlaceAtTheNextReturn(lost);
        coordinator.offlineStoreHanded(A); // a later check finds nothing more
        runTasks(10);
        assertEquals(allMessages(), everythingBReceived());
    }

    // Copies B never acknowledged (XEP-0198) before its stream broke.

    @Test
    void copiesLeftUnacknowledgedAreSentAtTheNextCatchupAndNothingItAcknowledged() {
        comeOnline();
        runTasks(10);
        for (int i = 0; i < 6; i++) {
            message();
        }
        List<Item> live = List.copyOf(receivedLive);
        goAway(); // Openfire reports the resource unavailable, then routes the unacknowledged copies again
        unacknowledged(live.get(3)); // not in order, and with one it acknowledged in between
        unacknowledged(live.get(5));
        unacknowledged(live.get(1));
        runTasks(10);
        message();
        comeOnline();
        runTasks(10);
        assertEquals(List.of(live.get(1), live.get(3), live.get(5), allMessages().get(6)), receivedCatchup);
        assertEquals(allMessages(), everythingBReceived());
    }

    @Test
    void aCopyReportedMissedAfterTheResourceCameBackIsInItsCatchup() {
        comeOnline();
        runTasks(10);
        message();
        message();
        Item last = receivedLive.get(1);
        goAway();
        message();
        comeOnline(); // back before Openfire routed the unacknowledged copy again
        unacknowledged(last);
        runTasks(10);
        assertEquals(allMessages(), everythingBReceived());
    }

    @Test
    void whatItMissedComesInItsPlaceEvenWhenItsCatchupStartsBeforeTheLookUp() {
        comeOnline();
        runTasks(10);
        for (int i = 0; i < 5; i++) {
            message();
        }
        List<Item> live = List.copyOf(receivedLive);
        goAway();
        live.forEach(this::unacknowledged); // the look-ups are queued ...
        message();
        comeOnline();
        Runnable start = tasks.pollLast(); // ... and its catch-up runs first
        start.run();
        runTasks(20);
        assertEquals(allMessages(), receivedCatchup, "each once, in order");
    }

    @Test
    void aCatchupCopyReportedMissedIsSentOnceWhetherOrNotTheCatchupHadSentItYet() {
        comeOnline();
        runTasks(10);
        goAway();
        for (int i = 0; i < 120; i++) {
            message();
        }
        comeOnline();
        runTasks(2); // the start and the first batch of 50
        Item sentAndLost = receivedCatchup.get(10);
        Item notSentYet = allMessages().get(110);
        unacknowledged(sentAndLost); // handed to a closing session after all
        coordinator.missed(B, notSentYet.key()); // reported for one the catch-up has yet to send
        runTasks(20);
        assertEquals(allMessages(), everythingBReceived());
    }

    @Test
    void aCopyMissedByACaughtUpResourceIsSentAgainAtOnce() {
        comeOnline();
        runTasks(10);
        message();
        Item copy = receivedLive.get(0);
        unacknowledged(copy); // handed to a session that was closing, before its presence went
        runTasks(10);
        assertEquals(List.of(copy), receivedCatchup);
        assertEquals(allMessages(), everythingBReceived());
    }

    @Test
    void aMissedCopyThatCannotBeSentYetWaitsForTheNextReturnAndSurvivesAReload() {
        comeOnline();
        runTasks(10);
        message();
        Item copy = receivedLive.get(0);
        reachableFor = 0; // the session is closing
        unacknowledged(copy);
        runTasks(10);
        coordinator.suspendAll(); // the plugin reloads meanwhile
        tasks.clear();
        reachableFor = Integer.MAX_VALUE;
        CatchupCoordinator reloaded = new CatchupCoordinator(port, () -> now, 1000);
        online = false;
        message();
        now++;
        online = true;
        reloaded.onAvailable(B, session);
        runTasks(10);
        assertEquals(allMessages(), everythingBReceived());
    }

    @Test
    void missingMessagesMovesTheMarkBackAndCoversTheRestWithSpans() {
        var state = new CatchupCoordinator.State(100L, LiveSpans.NONE).missing(90).missing(70).missing(80).missing(120);
        assertEquals(69L, state.mark());
        LiveSpans live = state.live();
        for (long t = 70; t <= 130; t++) {
            boolean missed = t == 70 || t == 80 || t == 90 || t > 100;
            assertEquals(!missed, live.covers(t), "at " + t);
        }
    }

    // A catch-up cut short by its bound.

    @Test
    void aCatchupCutShortByItsBoundTellsTheResourceHowManyItMissed() {
        comeOnline();
        runTasks(10);
        goAway();
        for (int i = 0; i < 25; i++) {
            message();
        }
        limits = new CatchupSelector.Limits(10, 1_000_000_000L, 0);
        comeOnline();
        runTasks(10);
        assertEquals(allMessages().subList(15, 25), receivedCatchup, "the newest 10");
        assertEquals(List.of("B 25 10"), told);
        assertEquals(1, coordinator.truncated());
        assertEquals(15, coordinator.leftOut());
    }

    @Test
    void theCountIncludesWhatTheCatchupDidNotEvenReadAndWhatTheAgeBoundLeftOut() {
        comeOnline();
        runTasks(10);
        goAway();
        for (int i = 0; i < 300; i++) {
            message();
        }
        limits = new CatchupSelector.Limits(2, 1_000_000_000L, 0); // it reads only the newest 104
        comeOnline();
        runTasks(10);
        assertEquals(List.of("B 300 2"), told);

        goAway();
        for (int i = 0; i < 30; i++) {
            message();
        }
        limits = new CatchupSelector.Limits(100, 10, 0); // only the last 10 ms
        comeOnline();
        runTasks(10);
        assertEquals(List.of("B 300 2", "B 30 10"), told); // the 10 routed in its last 10 ms of absence
    }

    @Test
    void nothingIsToldWhenNothingWasLeftOutOrToANewDevice() {
        for (int i = 0; i < 30; i++) {
            message();
        }
        limits = new CatchupSelector.Limits(10, 1_000_000_000L, 5);
        comeOnline(); // never seen: it gets the newest 5 that new devices get, and no notice
        runTasks(10);
        goAway();
        for (int i = 0; i < 10; i++) {
            message();
        }
        comeOnline();
        runTasks(10);
        assertEquals(List.of(), told);
        assertEquals(0, coordinator.truncated());
    }

    // A client that logs in again with the same resource before Openfire has torn its old session down (issue 17.5).

    @Test
    void aLateUnavailableOfAReplacedSessionLeavesTheNewSessionsCatchupAlone() {
        comeOnline();
        runTasks(10);
        goAway();
        for (int i = 0; i < 5; i++) {
            message();
        }
        List<Item> missed = List.copyOf(allMessages().subList(0, 5));
        comeOnline(); // its catch-up waits a second for Openfire's offline messages
        String old = bindReplacing(); // the phone changes networks and logs in again as B
        available();
        now++;
        coordinator.onUnavailable(B, old); // the old session's closing thread gets to its unavailable only now
        runTasks(10);
        assertEquals(missed, receivedCatchup, "all 5, once");
        goAway();
        message();
        comeOnline();
        runTasks(10);
        assertEquals(allMessages(), everythingBReceived(), "its mark was saved: nothing of the 5 again");
    }

    @Test
    void aReplacedSessionsCatchupStopsAndTheNewSessionGetsTheRestOnce() {
        comeOnline();
        runTasks(10);
        goAway();
        for (int i = 0; i < 120; i++) {
            message();
        }
        comeOnline();
        runTasks(1); // the start, with the first batch of 50
        assertEquals(50, receivedCatchup.size());
        String old = bindReplacing();
        runTasks(1); // the old session's next batch
        assertEquals(50, receivedCatchup.size(), "nothing for a session that is no longer B's route");
        available();
        message(); // live, to the new session
        coordinator.onUnavailable(B, old);
        runTasks(100);
        assertEquals(allMessages(), everythingBReceived());
    }

    @Test
    void aSessionReplacedWithoutAnUnavailableEndsAsOfWhenItWasLastSeen() {
        comeOnline();
        runTasks(10);
        message();
        coordinator.checkpoint();
        // Openfire kicks the old session without an unavailable presence (it had stream management and was detached);
        // the new one binds, and its client is gone before it sends a presence.
        bindReplacing();
        online = false;
        message();
        message();
        now += 60_000;
        coordinator.checkpoint(); // the checkpoint finds B's period's session no longer its route
        comeOnline();
        runTasks(10);
        assertEquals(allMessages(), everythingBReceived(), "the 2 it missed, by catch-up");
    }

    // One contact reusing a message id, and messages without one (issue 17.6).

    private static final String BOT = "bot@gateway.example.net";

    @Test
    void oneContactReusingAnIdHidesNoneOfItsOtherMessages() {
        comeOnline();
        runTasks(10);
        goAway();
        for (int i = 0; i < 5; i++) {
            now++;
            message(now, BOT, "same"); // B is away: it misses all 5
        }
        // B's route is available again; the bot's next message, with the same id, reaches it before the presence event.
        online = true;
        now++;
        message(now, BOT, "same");
        coordinator.onAvailable(B, session = "s" + ++sessions);
        runTasks(10);
        assertEquals(5, receivedCatchup.size(), "5 missed, 5 caught up");
        assertEquals(allMessages(), everythingBReceived(), "and the sixth, live, once");
    }

    @Test
    void aMissedCopyIsTheMessageThatWasMissedNotTheNewestWithItsKey() {
        comeOnline();
        runTasks(10);
        now++;
        Item first = message(now, BOT, "same"); // B never acknowledges it
        goAway(); // its stream broke
        now++;
        message(now, BOT, "same"); // while B is away
        unacknowledged(first); // Openfire routes again what B left unacknowledged
        runTasks(10);
        comeOnline();
        runTasks(10);
        assertEquals(allMessages(), everythingBReceived());
    }

    @Test
    void severalCopiesWithOneKeyLeftUnacknowledgedAreEachSentAgain() {
        comeOnline();
        runTasks(10);
        for (int i = 0; i < 3; i++) {
            now++;
            message(now, BOT, "same");
        }
        List<Item> live = List.copyOf(receivedLive);
        goAway();
        unacknowledged(live.get(1));
        unacknowledged(live.get(2));
        runTasks(10);
        comeOnline();
        runTasks(10);
        assertEquals(List.of(live.get(1), live.get(2)), receivedCatchup);
        assertEquals(allMessages(), everythingBReceived());
    }

    @Test
    void aMessageWithoutAnIdThatReachedTheResourceJustBeforeItsPresenceIsNotSentAgain() {
        comeOnline();
        runTasks(10);
        goAway();
        message();
        online = true;
        now++;
        message(now, JANE, null); // live before the presence event, without an id
        coordinator.onAvailable(B, session = "s" + ++sessions);
        runTasks(10);
        assertEquals(allMessages(), everythingBReceived());
    }

    // Reports of missed messages are bounded and merged per account (issue 17.1).

    @Test
    void tenThousandReportsQueueOneLookUpTaskAndABoundedNumberOfLookUps() {
        comeOnline();
        runTasks(10);
        tasks.clear();
        for (int i = 0; i < 10_000; i++) {
            coordinator.missed(B, new MessageKey(Direction.RECEIVED, "x@evil.example", "forged" + i));
        }
        assertEquals(1, tasks.size(), "one look-up task for the account");
        runTasks(10);
        assertEquals(CatchupCoordinator.MAX_PENDING_PER_ACCOUNT, lookups);
        assertEquals(10_000 - CatchupCoordinator.MAX_PENDING_PER_ACCOUNT, coordinator.missedDropped());

        for (int i = 0; i < 10_000; i++) { // one key over and over: one look-up, for the newest 64 with that key at most
            coordinator.missed(B, new MessageKey(Direction.RECEIVED, "x@evil.example", "again"));
        }
        runTasks(10);
        assertEquals(CatchupCoordinator.MAX_PENDING_PER_ACCOUNT + 1, lookups);
        assertEquals(List.of(CatchupCoordinator.RECENT), askedFor.subList(askedFor.size() - 1, askedFor.size()));

        tasks.clear();
        for (int i = 0; i < 12_000; i++) {
            coordinator.missed(new JID("user" + i + "@example.org/x"), new MessageKey(Direction.RECEIVED, "x@evil.example", "f"));
        }
        assertEquals(CatchupCoordinator.MAX_PENDING, tasks.size(), "no more than the bound in all");
    }

    // Reload in the middle of work (issue 17.9).

    @Test
    void aMissedCopyNotLookedUpYetWhenThePluginStopsIsSentAfterTheReload() {
        comeOnline();
        runTasks(10);
        message();
        message();
        unacknowledged(receivedLive.get(0)); // its look-up is queued ...
        coordinator.suspendAll(); // ... when the plugin unloads, and the pool runs no task that waits
        tasks.clear();
        CatchupCoordinator reloaded = new CatchupCoordinator(port, () -> now, 1000);
        now++;
        reloaded.onAvailable(B, session);
        runTasks(10);
        assertEquals(allMessages(), everythingBReceived());
    }

    // Beside an archive the client syncs itself (issue 19).

    /** B was away while {@code count} messages came; it comes back (its catch-up not started yet). */
    private List<Item> missedWhileAway(int count) {
        comeOnline();
        runTasks(10);
        goAway();
        List<Item> missed = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            message();
            missed.add(history.get(history.size() - 1));
        }
        comeOnline();
        return missed;
    }

    private void queriesItsArchive(Long start) {
        coordinator.archiveQueried(B, session, new ArchiveQuery(now, start, null, null));
    }

    @Test
    void aCarbonsClientThatSyncsTheArchiveGetsNoneOfWhatItsQueryReturnsAgain() {
        archived = true;
        carbonsOn = true;
        missedWhileAway(20);
        runTasks(1); // the catch-up begins: it waits for the client's archive query
        assertEquals(List.of(), receivedCatchup, "nothing before its query or the wait's end");
        assertEquals(ARCHIVE_WAIT, delays.get(delays.size() - 1), "it waits the set time from its presence (the clock stands still here)");
        now += 200;
        queriesItsArchive(null); // all of it, as a client without a stanza-id of its own asks
        runTasks(100);
        assertEquals(List.of(), receivedCatchup, "each of the 20 once, from the archive");
        assertEquals(20, coordinator.fromArchive());

        goAway(); // and next time it is caught up from where that ended, not from before
        message();
        comeOnline();
        runTasks(100);
        assertEquals(List.of(history.get(history.size() - 1)), receivedCatchup, "no query this time: caught up after the wait");
    }

    @Test
    void whatTheArchiveDoesNotKeepOrTheQueryDoesNotAskForStillComesOnce() {
        archived = true;
        carbonsOn = true;
        List<Item> missed = missedWhileAway(20);
        notArchived.add(missed.get(12)); // a retraction without a body, say
        runTasks(1);
        queriesItsArchive(missed.get(5).sentAt()); // from the newest message it holds, as clients ask
        runTasks(100);
        List<Item> expected = new ArrayList<>(missed.subList(0, 5));
        expected.add(missed.get(12));
        assertEquals(expected, receivedCatchup);
    }

    @Test
    void aCarbonsClientThatDoesNotQueryIsCaughtUpOnceTheWaitIsOver() {
        archived = true;
        carbonsOn = true;
        List<Item> missed = missedWhileAway(20);
        runTasks(100); // the wait's end comes first
        assertEquals(missed, receivedCatchup);
    }

    @Test
    void anOldClientIsCaughtUpAtOnceAsWithoutAnArchive() {
        archived = true; // no carbons, no archive query
        List<Item> missed = missedWhileAway(20);
        runTasks(1);
        assertEquals(missed, receivedCatchup, "no wait");
        assertEquals(List.of(1000L), delays.subList(delays.size() - 1, delays.size()));
    }

    @Test
    void withoutAnArchiveACarbonsClientIsCaughtUpAtOnceAndItsQueryTrimsNothing() {
        carbonsOn = true;
        List<Item> missed = missedWhileAway(20);
        queriesItsArchive(null); // of a server that has none (it answers with an error)
        runTasks(1);
        assertEquals(missed, receivedCatchup);
    }

    @Test
    void aQueryInTheMiddleOfTheCatchupLeavesOutTheRest() {
        archived = true; // an old client that queries after all, late
        List<Item> missed = missedWhileAway(120);
        runTasks(1); // the first 50
        queriesItsArchive(null);
        runTasks(100);
        assertEquals(missed.subList(0, CatchupCoordinator.BATCH), receivedCatchup);
    }

    @Test
    void aQueryBeforeThePresenceCounts() {
        archived = true;
        carbonsOn = true;
        comeOnline();
        runTasks(10);
        goAway();
        for (int i = 0; i < 20; i++) {
            message();
        }
        now++;
        session = "s" + ++sessions; // bound, synced the archive, then sent its presence
        routes.put(B, session);
        queriesItsArchive(null);
        available();
        runTasks(100);
        assertEquals(List.of(), receivedCatchup);
    }

    @Test
    void anotherSessionsQueryTrimsNothing() {
        archived = true;
        carbonsOn = true;
        List<Item> missed = missedWhileAway(20);
        coordinator.archiveQueried(B, "an-old-session", new ArchiveQuery(now, null, null, null));
        runTasks(100);
        assertEquals(missed, receivedCatchup);
    }

    @Test
    void whatItMissesAfterItsQueryStillComes() {
        archived = true;
        carbonsOn = true;
        missedWhileAway(3);
        queriesItsArchive(null);
        runTasks(100);
        message(); // live, after the query: the archive did not have it then
        unacknowledged(receivedLive.get(receivedLive.size() - 1));
        runTasks(100);
        assertEquals(allMessages().subList(allMessages().size() - 1, allMessages().size()), receivedCatchup);
    }

    @Test
    void aQueryThatReturnsEverythingLeavesNoTruncationNotice() {
        archived = true;
        carbonsOn = true;
        limits = new CatchupSelector.Limits(5, 1_000_000_000L, 0);
        missedWhileAway(20);
        queriesItsArchive(null);
        runTasks(100);
        assertEquals(List.of(), told, "the archive returns all 20");
        assertEquals(List.of(), receivedCatchup);
    }
}
