package org.xmpproxy.openfire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jivesoftware.openfire.session.ClientSession;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpp.packet.PacketError;
import org.xmpp.packet.StreamError;

/**
 * A clustered node that shuts down has left the cluster before it closes its connections: what its clients send then
 * would reach no client on a node that stays. The sender is told (an error for that message), and as the node leaves
 * the cluster it writes what it routed and closes its clients' sessions, so that they log in again where the
 * conversation goes on, and their catch-up there finds what this node routed last.
 */
class StoppingNodeTest {
    private static final JID WORK = new JID("john@example.org/work");
    private static final JID HOME = new JID("john@example.org/home");
    private static final JID JANE = new JID("jane@example.org");

    private final AtomicBoolean shuttingDown = new AtomicBoolean();
    /** What happened, in order: the queue written, sessions closed. */
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final AtomicBoolean queueWritten = new AtomicBoolean(true);
    private final FakeSession work = new FakeSession(WORK, new Locale("sv"), events);
    private final FakeSession home = new FakeSession(HOME, Locale.ENGLISH, events);
    private final StoppingNode node = new StoppingNode(shuttingDown::get, true, () -> List.of(work.session, home.session), () -> {
        events.add("queue written");
        return queueWritten.get();
    });

    @Test
    void aRunningNodeRoutesWhatItsClientsSend() {
        assertFalse(node.refuses(chat(WORK, JANE, "m1"), work.session));
        node.leftCluster(); // a failure, or clustering turned off: it goes on alone
        node.serverStopping(); // stopping later, alone: as one server does
        node.sessionCreated(work.session);
        assertEquals(List.of(), work.got, "nothing sent to the client");
        assertFalse(work.closed, "its session stays");
        assertFalse(home.closed);
    }

    @Test
    void aServerThatIsNotClusteredRoutesAsUsualWhileItStops() {
        StoppingNode alone = new StoppingNode(shuttingDown::get, false, () -> List.of(work.session), () -> true);
        shuttingDown.set(true);
        assertFalse(alone.refuses(chat(WORK, JANE, "m1"), work.session));
        alone.sessionCreated(work.session);
        alone.serverStopping();
        assertFalse(work.closed, "Openfire closes it with the rest, as it always did");
    }

    @Test
    void aNodeThatLeftTheClusterEarlierRoutesAsUsualWhenItStopsAndOneThatJoinedLaterDoesNot() {
        node.leftCluster(); // a failure: alone, with Openfire's routing caches restored
        shuttingDown.set(true);
        assertFalse(node.refuses(chat(WORK, JANE, "m1"), work.session), "alone, it routes as one server does");
        node.joinedCluster();
        assertTrue(node.refuses(chat(WORK, JANE, "m2"), work.session), "in a cluster again: refused as it stops");
    }

    @Test
    void aStoppingNodeRefusesAClientsMessageWithAnErrorForThatMessageInTheSendersLanguageAndClosesTheSession() {
        shuttingDown.set(true);
        assertTrue(node.refuses(chat(WORK, JANE, "m1"), work.session), "not routed");
        assertEquals(1, work.got.size(), "the sender is told");
        Message error = (Message) work.got.get(0);
        assertEquals(Message.Type.error, error.getType());
        assertEquals("m1", error.getID(), "a client marks the message it sent as not sent by its id");
        assertEquals(WORK, error.getTo());
        assertEquals(JANE, error.getFrom());
        PacketError why = error.getError();
        assertNotNull(why);
        assertEquals(PacketError.Type.wait, why.getType(), "sending it again later will do");
        assertEquals(PacketError.Condition.service_unavailable, why.getCondition());
        assertTrue(why.getText().startsWith("Servern startar om"), "in the sender's language: " + why.getText());
        assertFalse(work.closed, "closed once the node has left the cluster and written its queue: not on the packet path");
        assertEquals(1, node.refused());
    }

    /** The catch-up saves this node's sessions as of the moment it began to shut down (it leaves the cluster then). */
    @Test
    void aStoppingNodeSaysSinceWhenItStopsAndOneAloneNever() {
        StoppingNode alone = new StoppingNode(shuttingDown::get, false, () -> List.of(), () -> true);
        assertEquals(Long.MAX_VALUE, node.stoppingSince(), "running");
        long before = System.currentTimeMillis();
        shuttingDown.set(true);
        long since = node.stoppingSince();
        assertTrue(since >= before && since <= System.currentTimeMillis(), "as it was first seen to stop");
        node.leftCluster();
        node.serverStopping();
        assertEquals(since, node.stoppingSince(), "kept: the first sight counts");
        assertEquals(Long.MAX_VALUE, alone.stoppingSince(), "a server alone routes everything until it closes its connections");
    }

    @Test
    void errorsAndGroupchatAreNotRefused() {
        shuttingDown.set(true);
        Message error = chat(WORK, JANE, "e1");
        error.setType(Message.Type.error);
        Message groupchat = chat(WORK, new JID("room@conference.example.org"), "g1");
        groupchat.setType(Message.Type.groupchat);
        assertFalse(node.refuses(error, work.session), "an error is never answered with an error");
        assertFalse(node.refuses(groupchat, work.session), "a room's message: not xmpproxy's to hold");
        assertEquals(List.of(), work.got);
    }

    @Test
    void onceItHasLeftTheClusterAStoppingNodeWritesItsQueueThenClosesEveryClientSessionAndThoseThatComeBackToIt() {
        shuttingDown.set(true);
        home.closed = true; // closed already: left alone
        node.leftCluster();
        assertEquals(List.of(), events, "the other nodes still route to its sessions until they notice: not yet");
        node.serverStopping();
        assertEquals(List.of("queue written", "closed " + WORK), events,
                "what it routed is in the database before its clients can catch up on another node");
        assertEquals(StreamError.Condition.system_shutdown, work.closedWith.getCondition());
        assertEquals(1, node.closed(), "a closed session is not closed again");
        FakeSession back = new FakeSession(new JID("john@example.org/work"), Locale.ENGLISH, events);
        node.sessionCreated(back.session);
        assertTrue(back.closed, "a client that logs in to the stopping node again is sent on");
        assertTrue(node.refuses(chat(WORK, JANE, "m9"), back.session), "still refused after the node left");
    }

    @Test
    void aQueueThatCannotBeWrittenInTimeStillLetsTheClientsGo() {
        shuttingDown.set(true);
        queueWritten.set(false); // the database is down: written as the plugin stops, if it can be
        node.leftCluster();
        node.serverStopping();
        assertTrue(work.closed);
        assertTrue(home.closed);
    }

    @Test
    void aSessionThatCannotBeToldOrClosedDoesNotStopTheOthers() {
        shuttingDown.set(true);
        work.broken = true;
        assertTrue(node.refuses(chat(WORK, JANE, "m1"), work.session), "still not routed");
        node.serverStopping();
        assertTrue(home.closed);
    }

    private static Message chat(JID from, JID to, String id) {
        Message message = new Message();
        message.setType(Message.Type.chat);
        message.setFrom(from);
        message.setTo(to);
        message.setID(id);
        message.setBody("hello");
        return message;
    }

    /** A client session as a stub (the real ClientSession has far more methods than the compile-time mirror). */
    private static final class FakeSession {
        final List<Object> got = new CopyOnWriteArrayList<>();
        volatile boolean closed;
        volatile boolean broken;
        volatile StreamError closedWith;
        final ClientSession session;

        FakeSession(JID address, Locale language, List<String> events) {
            session = (ClientSession) Proxy.newProxyInstance(ClientSession.class.getClassLoader(), new Class<?>[] {ClientSession.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "getAddress" -> address;
                        case "getLanguage" -> language;
                        case "isClosed" -> closed;
                        case "process" -> {
                            if (broken) {
                                throw new IllegalStateException("connection gone");
                            }
                            got.add(args[0]);
                            yield null;
                        }
                        case "close" -> {
                            if (broken) {
                                throw new IllegalStateException("connection gone");
                            }
                            closedWith = (StreamError) args[0];
                            closed = true;
                            events.add("closed " + address);
                            yield null;
                        }
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        case "toString" -> "session of " + address;
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }
    }
}
