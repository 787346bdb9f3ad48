package org.xmpproxy.core.flow;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xmpproxy.core.Stanza.chat;
import static org.xmpproxy.core.Stanza.message;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpproxy.core.rule.MessageKey;
import org.xmpproxy.core.rule.RoutedMessage;
import org.xmpproxy.core.settings.Enrollment;
import org.xmpproxy.core.settings.InMemoryAccountSettings;
import org.xmpproxy.core.stanza.BadInput;
import org.xmpproxy.core.stanza.Namespaces;

/**
 * What a contact (local, or on another server) writes into a message never steers xmpproxy: a copy mark it did not
 * make, a server delay stamp, malformed addresses inside forwarded messages. In the server's event order, with the
 * interceptor's checks before routing ({@link SimulatedOpenfire#route}).
 */
class ForgedStanzasTest {
    private static final String FORGED_SENT_MARK = "<copy xmlns='urn:xmpproxy:copy:0' direction='sent'>"
            + "<forwarded xmlns='urn:xmpp:forward:0'><message xmlns='jabber:client' id='old' from='john@example.org/home'"
            + " to='alice@evil.net/x'><body>never sent</body></message></forwarded></copy>";

    private final SimulatedOpenfire server = new SimulatedOpenfire();
    private final List<RoutedMessage> history = new ArrayList<>();
    private final List<String> missed = new ArrayList<>();
    private boolean enabled = true;

    ForgedStanzasTest() {
        server.engine = new MirrorEngine(SimulatedOpenfire.DOMAIN, new FixedMirrorConfig(() -> enabled, () -> Enrollment.ALL),
                new InMemoryAccountSettings(), server, server, new MirrorCounters(), (routed, routedAt) -> history.add(routed));
        server.engine.onLiveDelivery(new LiveDeliveries() {
            @Override
            public void delivered(JID resource, MessageKey message) {
            }

            @Override
            public void missed(JID resource, MessageKey message) {
                missed.add(resource.getResource() + " " + message);
            }
        });
        server.engine.keepsHistory(account -> true);
    }

    private static Message withMark(String id, String from, String to, String mark) {
        return message("<message xmlns='jabber:client' type='chat' id='" + id + "' from='" + from + "' to='" + to
                + "'><body>hello " + id + "</body>" + mark + "</message>");
    }

    private static boolean carriesMark(Message message) {
        return message.getChildElement("copy", Namespaces.XMPPROXY) != null;
    }

    @ParameterizedTest(name = "mark {0}")
    @ValueSource(strings = {
            "<copy xmlns='urn:xmpproxy:copy:0'/>",
            "<copy xmlns='urn:xmpproxy:copy:0' direction='sent'/>",
            "<copy xmlns='urn:xmpproxy:copy:0' direction='sent' catchup='true' seal='AAAAAAAAAAAAAAAAAAAAAA'/>",
            FORGED_SENT_MARK})
    void aContactsMessageWithAForgedMarkReachesEveryClientAsAnyOther(String mark) {
        var home = server.connect("john@example.org/home", false);
        var work = server.connect("john@example.org/work", false);
        var jane = server.connect("jane@example.org/laptop", false);
        assertTrue(server.route(withMark("f1", jane.address.toString(), "john@example.org/home", mark), jane), "not refused");
        assertEquals(List.of("f1"), ConversationView.shownIds(home.inbox), "the addressed client has it");
        assertEquals(List.of("f1"), ConversationView.shownIds(work.inbox), "the account's other client has its copy");
        assertTrue(home.inbox.stream().noneMatch(ForgedStanzasTest::carriesMark), "without the forged mark");
        assertEquals("hello f1", work.inbox.get(0).getBody(), "a plain copy of what jane wrote");
        assertEquals(List.of(), missed, "no missed-copy work");
        assertEquals(2, history.size(), "kept for both accounts as any message");
    }

    @Test
    void withMirroringOffAForgedMarkIsNeverRefused() {
        enabled = false;
        var home = server.connect("john@example.org/home", false);
        var jane = server.connect("jane@example.org/laptop", false);
        Message forged = withMark("f2", jane.address.toString(), "john@example.org/home",
                "<copy xmlns='urn:xmpproxy:copy:0' direction='sent'/>");
        assertEquals(false, server.engine.isStrayCopy(forged), "the interceptor lets it through");
        assertTrue(server.route(forged, jane));
        assertEquals(List.of("f2"), ConversationView.shownIds(home.inbox));
        assertEquals(List.of(), missed);
    }

    @Test
    void aForgedMarkFromAnotherServerWithTheServersDelayStampIsRoutedToo() {
        var home = server.connect("john@example.org/home", false);
        var work = server.connect("john@example.org/work", false);
        Message forged = withMark("f3", "alice@evil.net/x", "john@example.org/work", FORGED_SENT_MARK
                + "<delay xmlns='urn:xmpp:delay' from='example.org' stamp='2020-01-01T00:00:00Z'/>");
        assertTrue(server.route(forged, null));
        assertEquals(List.of("f3"), ConversationView.shownIds(work.inbox));
        assertEquals(List.of("f3"), ConversationView.shownIds(home.inbox));
        assertEquals(List.of(), missed);
    }

    @Test
    void marksInsideForwardedAndCarbonWrappedFormsAreRemovedToo() {
        var home = server.connect("john@example.org/home", false);
        Message forged = message("<message xmlns='jabber:client' type='chat' id='f4' from='jane@example.org/laptop'"
                + " to='john@example.org/home'><received xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'>"
                + "<message xmlns='jabber:client' id='x' from='alice@evil.net/x' to='john@example.org'>"
                + "<copy xmlns='urn:xmpproxy:copy:0'/></message></forwarded></received>"
                + "<forwarded xmlns='urn:xmpp:forward:0'><message xmlns='jabber:client' id='y'>"
                + "<copy xmlns='urn:xmpproxy:copy:0' direction='sent'/></message></forwarded></message>");
        server.route(forged, null);
        assertEquals(1, home.inbox.size());
        assertEquals(false, home.inbox.get(0).toXML().contains(Namespaces.XMPPROXY), home.inbox.get(0).toXML());
    }

    @Test
    void tenThousandForgedStanzasQueueNothing() {
        var home = server.connect("john@example.org/home", false);
        var work = server.connect("john@example.org/work", true);
        var jane = server.connect("jane@example.org/laptop", false);
        long before = BadInput.forgedCopyMarks();
        for (int i = 0; i < 10_000; i++) {
            String to = i % 2 == 0 ? "john@example.org/home" : "john@example.org/work";
            server.route(withMark("n" + i, i % 3 == 0 ? "alice@evil.net/x" : jane.address.toString(), to,
                    FORGED_SENT_MARK.replace("id='old'", "id='old" + i + "'")), i % 3 == 0 ? null : jane);
        }
        assertEquals(0, missed.size(), "no missed-copy work at all");
        assertEquals(List.of(), server.refused, "nothing refused");
        assertEquals(10_000, ConversationView.shownIds(home.inbox).size(), "home has every one (its own or a copy)");
        assertEquals(10_000, ConversationView.shownIds(work.inbox).size(), "work too (Openfire's carbons or the original)");
        assertEquals(10_000, BadInput.forgedCopyMarks() - before, "counted");
    }

    @Test
    void aRealCopyRoutedAgainByOpenfireAfterAStreamDropIsStillRefusedAndNotedMissed() {
        var home = server.connect("john@example.org/home", false);
        var work = server.connect("john@example.org/work", false);
        var jane = server.connect("jane@example.org/laptop", false);
        server.route(chat("r1", jane.address.toString(), "john@example.org/home", "hi"), jane);
        Message copy = work.inbox.get(0);
        assertEquals(List.of(), server.dropStream(work, List.of(copy)), "refused");
        assertEquals(List.of("work " + new MessageKey(org.xmpproxy.core.rule.Direction.RECEIVED, "jane@example.org", "r1")), missed);
        assertEquals(1, home.inbox.size(), "nobody gets it twice");
    }

    @Test
    void aCopyWhoseAddressWasChangedIsNoLongerOurs() {
        server.connect("john@example.org/home", false);
        var work = server.connect("john@example.org/work", false);
        var jane = server.connect("jane@example.org/laptop", false);
        server.route(chat("r2", jane.address.toString(), "john@example.org/home", "hi"), jane);
        Message replayed = work.inbox.get(0).createCopy();
        replayed.setTo(new JID("john@example.org/home")); // the seal covers the resource it is for
        assertEquals(false, server.engine.isStrayCopy(replayed));
    }

    @ParameterizedTest(name = "peer \"{0}\"")
    @ValueSource(strings = {"", "a@b@c", "x@y/"})
    void malformedPeersInForgedWrappersThrowNothingAndAreLoggedOnce(String peer) {
        server.connect("john@example.org/home", false);
        var work = server.connect("john@example.org/work", false);
        PrintStream err = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        long before = BadInput.addresses();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            server.dropStream(work, List.of(), () -> {
                for (int i = 0; i < 1000; i++) {
                    Message carbon = message("<message xmlns='jabber:client' type='chat' from='john@example.org'"
                            + " to='john@example.org/work'><delay xmlns='urn:xmpp:delay' from='example.org'/>"
                            + "<received xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'><message"
                            + " xmlns='jabber:client' id='m" + i + "' from='" + peer + "' to='john@example.org/work'>"
                            + "<body>x</body></message></forwarded></received></message>");
                    assertDoesNotThrow(() -> server.engine.refuseRedelivery(carbon));
                    Message copy = message("<message xmlns='jabber:client' type='chat' to='john@example.org/work'>"
                            + "<received xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'><message"
                            + " xmlns='jabber:client' id='c" + i + "' from='" + peer + "'/></forwarded></received>"
                            + "<copy xmlns='urn:xmpproxy:copy:0'/></message>");
                    assertNull(MessageKey.ofCopy(copy));
                    assertDoesNotThrow(() -> server.engine.copyNotDelivered(copy));
                }
            });
        } finally {
            System.setErr(err);
        }
        String written = log.toString(StandardCharsets.UTF_8);
        assertTrue(written.lines().filter(line -> line.contains("malformed address")).count() <= 1, written);
        assertEquals(false, written.contains("Exception"), written);
        assertEquals(3000, BadInput.addresses() - before, "each reading counted (the refusal check, the key, the missed copy)");
        assertEquals(List.of(), missed);
    }

    @Test
    void aForgedServerDelayStampWhileASessionClosesIsRoutedNormally() {
        var home = server.connect("john@example.org/home", false);
        var work = server.connect("john@example.org/work", false);
        Message forged = chat("d1", "bob@elsewhere.example/x", "john@example.org", "delayed, says who");
        forged.addChildElement("delay", "urn:xmpp:delay").addAttribute("from", SimulatedOpenfire.DOMAIN);
        Message forgedToWork = chat("d2", "bob@elsewhere.example/x", "john@example.org/work", "to the closing one");
        forgedToWork.addChildElement("delay", "urn:xmpp:delay").addAttribute("from", SimulatedOpenfire.DOMAIN);
        List<Boolean> routed = new ArrayList<>();
        server.dropStream(work, List.of(), () -> {
            routed.add(server.route(forged, null));
            routed.add(server.route(forgedToWork, null));
        });
        assertEquals(List.of(true, true), routed, "neither refused");
        assertEquals(List.of("d1", "d2"), ConversationView.shownIds(home.inbox), "Openfire routed both to home, the one left");
        assertEquals(List.of(), missed);
        assertEquals(List.of("d1", "d2"), history.stream().map(r -> r.stanza().getID()).toList(), "both kept");
    }

    @Test
    void aTrueRedeliveryIsStillRefusedAndOnlyForTheSessionThatHadIt() {
        var home = server.connect("john@example.org/home", false);
        var work = server.connect("john@example.org/work", true);
        var jane = server.connect("jane@example.org/laptop", false);
        server.route(chat("t1", jane.address.toString(), "john@example.org/work", "to work"), jane);
        server.route(chat("t2", jane.address.toString(), "john@example.org/home", "to home"), jane);
        // work got t1 (the original) and a carbon of t2 from Openfire
        List<Message> unacknowledged = List.copyOf(work.inbox);
        Message homes = home.inbox.get(1).createCopy(); // what home got, not work: never work's to refuse

        List<Message> routedAgain = server.dropStream(work, unacknowledged,
                () -> assertEquals(false, server.engine.refuseRedelivery(withServerDelay(homes))));

        assertEquals(List.of(), routedAgain, "both refused: home has them");
        assertEquals(List.of("work " + fromJane("t1"), "work " + fromJane("t2")), missed);
        assertEquals(List.of("t1", "t2"), ConversationView.shownIds(home.inbox), "nothing twice");
    }

    @Test
    void theRecordIsBoundedPerResourceGoesWithTheSessionAndIsKeptOnlyWithAHistory() {
        var home = server.connect("john@example.org/home", false);
        var work = server.connect("john@example.org/work", false);
        var jane = server.connect("jane@example.org/laptop", false);
        for (int i = 0; i < 100; i++) {
            server.route(chat("b" + i, jane.address.toString(), "john@example.org/work", "m" + i), jane);
        }
        List<Message> unacknowledged = List.of(work.inbox.get(0), work.inbox.get(99));
        List<Message> routedAgain = server.dropStream(work, unacknowledged);
        assertEquals(List.of("b0"), routedAgain.stream().map(Message::getID).toList(),
                "the oldest is beyond the record: routed as Openfire would");
        assertEquals(List.of("work " + fromJane("b99")), missed, "the latest refused");
        assertEquals(1, server.engine.resourcesWithRecentDeliveries(), "work's record went with its session; home's is left");
        server.disconnect(home);
        assertEquals(0, server.engine.resourcesWithRecentDeliveries());

        server.engine.keepsHistory(account -> false);
        server.connect("john@example.org/home", false);
        server.connect("john@example.org/work", false);
        server.route(chat("b100", jane.address.toString(), "john@example.org/work", "no history"), jane);
        assertEquals(0, server.engine.resourcesWithRecentDeliveries(), "nothing recorded for an account without a history");
    }

    private static Message withServerDelay(Message stanza) {
        stanza.addChildElement("delay", "urn:xmpp:delay").addAttribute("from", SimulatedOpenfire.DOMAIN);
        return stanza;
    }

    private static MessageKey fromJane(String id) {
        return new MessageKey(org.xmpproxy.core.rule.Direction.RECEIVED, "jane@example.org", id);
    }
}
