package org.xmpproxy.openfire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.jivesoftware.openfire.RoutingTable;
import org.jivesoftware.openfire.session.ClientSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpp.packet.Presence;
import org.xmpproxy.core.flow.FixedMirrorConfig;
import org.xmpproxy.core.flow.MirrorCounters;
import org.xmpproxy.core.flow.MirrorEngine;
import org.xmpproxy.core.flow.OriginalsFromOtherNodes;
import org.xmpproxy.core.settings.InMemoryAccountSettings;

/**
 * On the session's node: a copy the routing node left to it (a tie Openfire broke here) is delivered unless the
 * session got the original, also when Openfire's delivery of the original runs after the copy's task (cluster tasks
 * run unordered on the node's executor).
 */
class ClusterCopiesTest {
    private static final JID WORK = new JID("john@example.org/work");

    private final SessionDirectory directory = new SessionDirectory(jid -> null);
    private final OtherNodeSessions otherNodes = new OtherNodeSessions("example.org");
    private final OpenfireResources resources = new OpenfireResources((RoutingTable) Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {RoutingTable.class}, (proxy, method, args) -> null),
            directory, otherNodes);
    private final MirrorEngine engine = new MirrorEngine("example.org", FixedMirrorConfig.defaults(),
            new InMemoryAccountSettings(), resources, resources, new MirrorCounters(), (routed, routedAt) -> { });
    private final ClusterCopies copies = new ClusterCopies(engine, directory);
    private final List<Object> workGot = new CopyOnWriteArrayList<>();

    ClusterCopiesTest() {
        otherNodes.put("john@example.org/home", "node-1".getBytes(StandardCharsets.UTF_8), new Presence(), true);
        directory.sessionCreated(session());
    }

    @AfterEach
    void stop() {
        copies.stop();
    }

    @Test
    void theCopyIsDroppedWhenTheOriginalReachedTheSessionHereBeforeOrAfterIt() throws Exception {
        Message original = original("m1");
        engine.delivered(original, WORK); // Openfire's ProcessPacketTask ran first
        copies.received(ClusterCopies.pack(WORK.toString(), keyOf(original), copyOf(original).toXML()));

        Message late = original("m2");
        copies.received(ClusterCopies.pack(WORK.toString(), keyOf(late), copyOf(late).toXML()));
        engine.delivered(late, WORK); // ... or after the copy's task
        await(copies::idle);

        assertEquals(List.of(), workGot, "work had both originals: no copy");
    }

    @Test
    void theCopyIsDeliveredWhenTheOriginalDidNotReachTheSessionHere() throws Exception {
        Message original = original("m3");
        copies.received(ClusterCopies.pack(WORK.toString(), keyOf(original), copyOf(original).toXML()));
        await(() -> workGot.size() == 1);
        await(copies::idle);
        assertEquals(1, workGot.size());
        assertEquals("m3", ((Message) workGot.get(0)).getID());
    }

    /** The task's strings travel as one through the running plugin's JDK interface: an id of digits and colons reads back whole. */
    @Test
    void aCopyWhoseIdLooksLikeTheLengthsStillReadsBack() throws Exception {
        Message original = original("12:34:5");
        copies.received(ClusterCopies.pack(WORK.toString(), keyOf(original), copyOf(original).toXML()));
        await(() -> workGot.size() == 1);
        assertEquals("12:34:5", ((Message) workGot.get(0)).getID());
    }

    private static Message original(String id) {
        Message message = new Message();
        message.setType(Message.Type.chat);
        message.setID(id);
        message.setFrom("jane@example.org/laptop");
        message.setTo("john@example.org");
        message.setBody("text of " + id);
        return message;
    }

    private static Message copyOf(Message original) {
        Message copy = original.createCopy();
        copy.setTo(WORK);
        return copy;
    }

    private static String keyOf(Message original) {
        return OriginalsFromOtherNodes.keyOf(original); // as the routing node computes it
    }

    private ClientSession session() {
        return (ClientSession) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ClientSession.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getAddress" -> WORK;
                    case "isClosed" -> false;
                    case "isInitialized" -> true;
                    case "getPresence" -> new Presence();
                    case "isMessageCarbonsEnabled" -> false;
                    case "isAnonymousUser" -> false;
                    case "getLanguage" -> Locale.ENGLISH;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "work";
                    case "process" -> {
                        workGot.add(args[0]);
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (!condition.getAsBoolean() && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        assertTrue(condition.getAsBoolean(), "timed out");
    }
}
