package org.xmpproxy.core.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xmpproxy.core.Stanza.chat;
import static org.xmpproxy.core.Stanza.message;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpproxy.core.rule.CopyForm;
import org.xmpproxy.core.rule.Direction;
import org.xmpproxy.core.rule.RoutedMessage;
import org.xmpproxy.core.rule.ResourceMode;
import org.xmpproxy.core.settings.Enrollment;
import org.xmpproxy.core.settings.InMemoryAccountSettings;
import org.xmpproxy.core.settings.MirrorConfig;

/** The engine driven in the exact event order of Openfire's router (see {@link SimulatedOpenfire}). */
class MirrorEngineTest {
    private final SimulatedOpenfire server = new SimulatedOpenfire();
    private final InMemoryAccountSettings settings = new InMemoryAccountSettings();
    private final MirrorCounters counters = new MirrorCounters();
    private final List<RoutedMessage> history = new ArrayList<>();
    private boolean enabled = true;
    private Enrollment enrollment = Enrollment.ALL;

    @BeforeEach
    void start() {
        MirrorConfig config = new FixedMirrorConfig(() -> enabled, () -> enrollment);
        server.engine = new MirrorEngine(SimulatedOpenfire.DOMAIN, config, settings, server, server, counters, (routed, routedAt) -> history.add(routed));
    }

    /** The measured scenario of docs/design.md: a peer writes to the bare JID and to john/home; both of john's clients answer. */
    private List<String> converse(SimulatedOpenfire.Client home, SimulatedOpenfire.Client work, SimulatedOpenfire.Client jane, int rounds) {
        List<String> ids = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            ids.add(send(jane, "john@example.org", "r" + round + "-to-bare"));
            ids.add(send(jane, "john@example.org/home", "r" + round + "-to-home"));
            ids.add(send(home, "jane@example.org", "r" + round + "-from-home"));
            ids.add(send(work, "jane@example.org", "r" + round + "-from-work"));
        }
        return ids;
    }

    private String send(SimulatedOpenfire.Client from, String to, String id) {
        server.route(chat(id, from.address.toString(), to, "text of " + id), from);
        return id;
    }

    private static List<String> without(List<String> ids, String sentBy) {
        return ids.stream().filter(id -> !id.endsWith(sentBy)).toList();
    }

    private static Map<String, Integer> expectOnce(List<String> ids) {
        return ids.stream().collect(Collectors.toMap(id -> id, id -> 1, (a, b) -> a, java.util.LinkedHashMap::new));
    }

    /** Keeping a message serialises it; the account's other clients must not wait for that. */
    @Test
    void copiesAreHandedOverBeforeTheMessageIsKept() {
        var home = server.connect("john@example.org/home", false);
        var work = server.connect("john@example.org/work", false);
        var jane = server.connect("jane@example.org/laptop", false);
        List<Integer> workInboxWhenKept = new ArrayList<>();
        server.engine = new MirrorEngine(SimulatedOpenfire.DOMAIN, new FixedMirrorConfig(() -> true, () -> Enrollment.ALL),
                settings, server, server, counters, (routed, routedAt) -> {
                    if (routed.account().toString().equals("john@example.org")) {
                        workInboxWhenKept.add(work.inbox.size());
                    }
                });

        send(jane, "john@example.org/home", "m1");
        send(home, "jane@example.org", "m2");

        assertEquals(List.of(1, 2), workInboxWhenKept, "john/work had each copy when the message was kept");
    }

    @Test
    void eachResourceGetsACopyOfItsOwnThatASessionChangingAnotherLeavesAlone() {
        var home = server.connect("john@example.org/home", false);
        var work = server.connect("john@example.org/work", false);
        var phone = server.connect("john@example.org/phone", false);
        var jane = server.connect("jane@example.org/laptop", false);
        // A session (or another plugin's interceptor) may change a stanza it is given.
        server.engine = new MirrorEngine(SimulatedOpenfire.DOMAIN, new FixedMirrorConfig(() -> true, () -> Enrollment.ALL),
                settings, server, (resource, copy) -> {
                    copy.addChildElement("seen-by", "urn:example:session").setText(resource.getResource());
                    server.deliver(resource, copy);
                }, counters, (routed, routedAt) -> { });

        send(jane, "john@example.org/home", "m1");
        send(home, "jane@example.org", "m2");

        for (var client : List.of(work, phone)) {
            assertEquals(2, client.inbox.size(), client.address + ": the received and the sent message");
            for (Message copy : client.inbox) {
                assertEquals(client.address, copy.getTo(), "addressed to the resource that gets it");
                assertEquals(List.of(client.address.getResource()), copy.getElement().elements("seen-by").stream()
                        .map(org.dom4j.Element::getText).toList(), "changed by its own session only");
            }
        }
        assertNotSame(work.inbox.get(0), phone.inbox.get(0));
        assertEquals(withoutAddressee(work.inbox.get(1)), withoutAddressee(phone.inbox.get(1)), "the same sent copy otherwise");
        assertEquals(withoutAddressee(work.inbox.get(0)), withoutAddressee(phone.inbox.get(0)), "the same received copy otherwise");
        assertEquals(0, counters.failures(), "nothing failed");
    }

    private static String withoutAddressee(Message copy) {
        Message stripped = copy.createCopy();
        stripped.setTo((org.xmpp.packet.JID) null);
        stripped.getElement().elements("seen-by").forEach(stripped.getElement()::remove);
        // the seal covers the addressee, so it differs too
        stripped.getChildElement("copy", "urn:xmpproxy:copy:0").addAttribute("seal", null);
        return stripped.toXML();
    }

    @ParameterizedTest(name = "home carbons {0}, work carbons {1}")
    @CsvSource({"false,false", "true,false", "false,true", "true,true"})
    void everyClientSeesEveryMessageExactlyOnce(boolean homeCarbons, boolean workCarbons) {
        var home = server.connect("john@example.org/home", homeCarbons);
        var work = server.connect("john@example.org/work", workCarbons);
        var jane = server.connect("jane@example.org/laptop", false);
        var other = server.connect("joe@example.org/desk", false);

        List<String> ids = converse(home, work, jane, 20);

        // A client shows what it sent itself; everything else must arrive, once.
        assertEquals(expectOnce(without(ids, "from-home")), ConversationView.counts(home.inbox), "john/home");
        assertEquals(expectOnce(without(ids, "from-work")), ConversationView.counts(work.inbox), "john/work");
        List<String> johnsIds = ids.stream().filter(id -> id.contains("from-")).toList();
        assertEquals(expectOnce(johnsIds), ConversationView.counts(jane.inbox), "jane gets each of john's messages once");
        assertTrue(other.inbox.isEmpty(), "another account gets nothing");
    }

    @Test
    void withoutThePluginClientsWithoutCarbonsMissPartOfTheConversation() {
        enabled = false; // the stock server of docs/design.md's table
        var home = server.connect("john@example.org/home", false);
        var work = server.connect("john@example.org/work", false);
        var jane = server.connect("jane@example.org/laptop", false);
        List<String> ids = converse(home, work, jane, 20);
        assertTrue(ConversationView.counts(work.inbox).size() < without(ids, "from-work").size(), "the problem this plugin solves");
    }

    @Test
    void legacyCopiesOfSentMessagesArriveFromThePeerWithTheMarker() {
        var home = server.connect("john@example.org/home", false);
        var work = server.connect("john@example.org/work", false);
        server.connect("jane@example.org/laptop", false);
        send(home, "jane@example.org", "s1");
        Message copy = work.inbox.get(0);
        assertEquals(new JID("jane@example.org"), copy.getFrom());
        assertEquals("[me] text of s1", copy.getBody());
        assertEquals(1, counters.copiesDelivered(CopyForm.LEGACY_SENT));
    }

    @Test
    void messagesToARemotePeerAndFromIt() {
        var home = server.connect("john@example.org/home", false);
        var work = server.connect("john@example.org/work", true);
        send(home, "romeo@remote.example/phone", "out");
        server.route(chat("in", "romeo@remote.example/phone", "john@example.org", "back"), null);
        assertEquals(List.of("out", "in"), ConversationView.shownIds(work.inbox));
        assertEquals(List.of("in"), ConversationView.shownIds(home.inbox).stream().filter("in"::equals).toList());
        assertEquals(1, server.remoteOutbox.size(), "copies never leave the server");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        private      | <message type='chat' id='p' from='jane@example.org/laptop' to='john@example.org/home'><body>x</body><private xmlns='urn:xmpp:carbons:2'/></message>
        no-copy      | <message type='chat' id='p' from='jane@example.org/laptop' to='john@example.org/home'><body>x</body><no-copy xmlns='urn:xmpp:hints'/></message>
        groupchat    | <message type='groupchat' id='p' from='jane@example.org/laptop' to='john@example.org/home'><body>x</body></message>
        """)
    void hintedAndGroupchatMessagesAreNotCopied(String name, String xml) {
        var home = server.connect("john@example.org/home", false);
        var work = server.connect("john@example.org/work", false);
        var jane = server.connect("jane@example.org/laptop", false);
        server.route(message(xml), jane);
        assertEquals(1, home.inbox.size());
        assertTrue(work.inbox.isEmpty(), name + " must not be copied");
    }

    /** Issue 17.4: OTR is a session between two clients; a copy makes another client answer the peer. */
    @Test
    void otrIsNeitherCopiedNorKept() {
        var home = server.connect("john@example.org/home", false);
        var work = server.connect("john@example.org/work", false);
        var phone = server.connect("john@example.org/phone", false);
        settings.setMode(new JID("john@example.org"), "phone", ResourceMode.CARBONS);
        var jane = jane();
        server.route(chat("q", "jane@example.org/laptop", "john@example.org/home", "?OTRv23? jane would like a private conversation"), jane);
        server.route(chat("a", "john@example.org/home", "jane@example.org/laptop", "?OTR:AAMKAAAAAAAAAAE."), home);
        server.route(chat("e", "jane@example.org/laptop", "john@example.org", "?OTR Error: unreadable message"), jane);
        assertEquals(List.of("q", "e"), home.inbox.stream().map(Message::getID).toList());
        assertTrue(work.inbox.stream().noneMatch(m -> List.of("q", "a").contains(m.getID())), "no legacy copy: " + work.inbox);
        assertTrue(phone.inbox.stream().noneMatch(m -> List.of("q", "a").contains(m.getID())), "no carbon-form copy: " + phone.inbox);
        assertEquals(List.of(), history, "nothing kept for catch-up or replay");

        send(jane, "john@example.org/home", "plain");
        assertEquals(List.of("plain"), ConversationView.shownIds(work.inbox));
    }

    @Test
    void nothingIsCopiedWhenNoResourceWasOnline() {
        var jane = server.connect("jane@example.org/laptop", false);
        send(jane, "john@example.org", "stored");
        assertEquals(1, server.offlineStore.size());
        assertEquals(0, counters.copiesDelivered());
    }

    /**
     * Openfire's offline store took a message that reached nobody (its listeners are told on the routing thread): its
     * history row says it waits there, so that xmpproxy can tell when Openfire lost it there. Not a delivered one, not
     * the sender's row, not one that reached nobody and that the store did not take.
     */
    @Test
    void theRowOfAMessageOpenfireStoredOfflineSaysItWaitsThere() {
        List<String> rows = new ArrayList<>();
        server.engine = new MirrorEngine(SimulatedOpenfire.DOMAIN, new FixedMirrorConfig(() -> true, () -> Enrollment.ALL),
                settings, server, server, counters, new HistorySink() {
                    @Override
                    public void record(RoutedMessage routed, long routedAt) {
                        record(routed, routedAt, false);
                    }

                    @Override
                    public void record(RoutedMessage routed, long routedAt, boolean storedOffline) {
                        rows.add(routed.account().getNode() + " " + routed.stanza().getID() + (storedOffline ? " stored offline" : ""));
                    }
                });
        var jane = server.connect("jane@example.org/laptop", false);
        send(jane, "john@example.org", "to-nobody");
        var home = server.connect("john@example.org/home", false);
        server.takeOfflineMessages(home);
        send(jane, "john@example.org", "to-home");
        server.engine.storedOffline(chat("to-home", "jane@example.org/laptop", "john@example.org", "not routed now"));
        send(jane, "bob@example.org", "to-bob");
        assertEquals(List.of("jane to-nobody", "john to-nobody stored offline", "jane to-home", "john to-home",
                "jane to-bob", "bob to-bob stored offline"), rows);
    }

    /** Each message the offline store hands a session says so for its account, whatever it is (the store empties itself then). */
    @Test
    void eachMessageTheOfflineStoreHandsASessionIsToldForItsAccount() {
        List<String> handed = new ArrayList<>();
        server.engine.onOfflineStoreHanded(account -> handed.add(account.toString()));
        var jane = server.connect("jane@example.org/laptop", false);
        send(jane, "john@example.org", "chat");
        server.route(message("<message xmlns='jabber:client' type='normal' from='jane@example.org/laptop' to='john@example.org'>"
                + "<body>no id</body></message>"), jane);
        assertEquals(List.of(), handed);
        server.takeOfflineMessages(server.connect("john@example.org/home", false));
        assertEquals(List.of("john@example.org", "john@example.org"), handed);
    }

    @Test
    void accountAndResourceChoicesAreHonoured() {
        var home = server.connect("john@example.org/home", false);
        var work = server.connect("john@example.org/work", false);
        var phone = server.connect("john@example.org/phone", false);
        var jane = server.connect("jane@example.org/laptop", false);
        settings.setMode(new JID("john@example.org"), "phone", ResourceMode.OFF);
        send(jane, "john@example.org/home", "a");
        assertEquals(List.of("a"), ConversationView.shownIds(work.inbox));
        assertTrue(phone.inbox.isEmpty());

        settings.setMirroring(new JID("john@example.org"), false);
        send(jane, "john@example.org/home", "b");
        assertEquals(List.of("a"), ConversationView.shownIds(work.inbox));
        assertEquals(List.of("a", "b"), ConversationView.shownIds(home.inbox));
    }

    @Test
    void optInEnrollmentMirrorsOnlyAccountsThatAskedForIt() {
        enrollment = Enrollment.OPT_IN;
        var home = server.connect("john@example.org/home", false);
        var work = server.connect("john@example.org/work", false);
        var jane = server.connect("jane@example.org/laptop", false);
        send(jane, "john@example.org/home", "a");
        assertTrue(work.inbox.isEmpty());
        settings.setMirroring(new JID("john@example.org"), true);
        send(jane, "john@example.org/home", "b");
        assertEquals(List.of("b"), ConversationView.shownIds(work.inbox));
        assertEquals(1, ConversationView.counts(home.inbox).get("b"));
    }

    @Test
    void aMessageRejectedBeforeRoutingLeavesNothingBehind() {
        var home = server.connect("john@example.org/home", false);
        var work = server.connect("john@example.org/work", false);
        var jane = server.connect("jane@example.org/laptop", false);
        // Another interceptor rejects a message after ours saw it: the router never finishes it.
        server.rejectedByAnotherInterceptor = message -> "rejected".equals(message.getID());
        send(jane, "john@example.org", "rejected");
        send(jane, "john@example.org/home", "next");
        assertEquals(List.of("next"), ConversationView.shownIds(work.inbox));
        assertEquals(List.of("next"), ConversationView.shownIds(home.inbox));
        assertEquals(1, server.engine.framesOnThisThread(), "the rejected message's frame, until it is stale or the plugin stops");
        server.engine.close();
        assertEquals(0, server.engine.framesOnThisThread(), "stopping the plugin forgets it");
    }

    @Test
    void aMessageToTheServerItselfIsNotFollowed() {
        var home = server.connect("john@example.org/home", false);
        var work = server.connect("john@example.org/work", false);
        var console = server.connect("admin@example.org/console", false);
        server.admins.add(new JID("admin@example.org"));
        send(home, "example.org", "to-server");
        assertEquals(List.of("to-server"), ConversationView.shownIds(console.inbox), "Openfire forwards it to the admins");
        assertEquals(0, server.engine.framesOnThisThread(), "Openfire makes no after-routing call for it: no frame may wait for one");
        send(jane(), "john@example.org/home", "next");
        assertEquals(1, ConversationView.counts(work.inbox).get("next"));
    }

    @Test
    void aSessionWithoutABoundResourceIsNotFollowed() {
        server.connect("john@example.org/home", false);
        // Before resource binding a session's address is the server's domain with the stream id.
        server.engine.beforeRouting(chat("early", "example.org/a1b2c3", "john@example.org", "x"), new JID("example.org/a1b2c3"));
        assertEquals(0, server.engine.framesOnThisThread(), "Openfire refuses to route it and may skip the after-routing call");
    }

    @Test
    void aStoppedEngineFollowsNothing() {
        var home = server.connect("john@example.org/home", false);
        var work = server.connect("john@example.org/work", false);
        server.engine.close();
        send(jane(), "john@example.org/home", "after-stop");
        assertEquals(0, server.engine.framesOnThisThread());
        assertTrue(work.inbox.isEmpty(), "the interceptor is gone once the plugin stops; a straggler is not mirrored");
        assertEquals(List.of("after-stop"), ConversationView.shownIds(home.inbox));
    }

    private SimulatedOpenfire.Client jane() {
        return server.connect("jane@example.org/laptop", false);
    }

    @Test
    void historyGetsEveryConversationMessageOfAMirroredAccountOnceFromEachSide() {
        var home = server.connect("john@example.org/home", false);
        var jane = server.connect("jane@example.org/laptop", false);
        send(jane, "john@example.org", "h1");
        send(home, "jane@example.org", "h2");
        server.route(message("<message type='groupchat' id='g' from='room@muc.example.org/x' to='john@example.org/home'><body>x</body></message>"), null);
        send(jane, "joe@example.org", "to-offline-joe");
        List<String> seen = history.stream().map(r -> r.direction() + " " + r.account() + " " + r.stanza().getID()).toList();
        assertEquals(List.of(
                "SENT jane@example.org h1", "RECEIVED john@example.org h1",
                "SENT john@example.org h2", "RECEIVED jane@example.org h2",
                "SENT jane@example.org to-offline-joe", "RECEIVED joe@example.org to-offline-joe"), seen);
        assertTrue(history.get(5).receivedOriginal().isEmpty(), "joe was offline: Openfire stores it, catch-up leaves it");
        assertEquals(Direction.RECEIVED, history.get(5).direction());
    }

    /** Issue 9.4: a user's talk with the bot (a component of this server) is that client's own business. */
    @Test
    void commandsToTheBotAndItsRepliesAreNeitherMirroredNorKept() {
        var home = server.connect("john@example.org/home", false);
        var work = server.connect("john@example.org/work", false);
        var phone = server.connect("john@example.org/phone", false);
        settings.setMode(new JID("john@example.org"), "phone", ResourceMode.CARBONS);
        String bot = "xmpproxy." + SimulatedOpenfire.DOMAIN;
        send(home, bot, "command");
        server.route(chat("reply", bot, "john@example.org/home", "Mirroring is ON"), null);
        server.route(chat("to-bare", bot, "john@example.org", "Catch-up: 3 left out"), null);

        assertEquals(List.of("reply", "to-bare"), home.inbox.stream().map(Message::getID).toList());
        assertTrue(work.inbox.isEmpty(), "no legacy copy: " + work.inbox);
        assertTrue(phone.inbox.isEmpty(), "no carbon-form copy: " + phone.inbox);
        assertEquals(0, counters.copiesDelivered());
        assertEquals(List.of(), history, "nothing kept for catch-up or replay");

        send(home, "jane@example.org", "a-conversation"); // and the account's conversations still are
        assertEquals(List.of("a-conversation"), ConversationView.shownIds(work.inbox));
        assertEquals(2, history.size());
    }

    @Test
    void ourCopiesAreNeverToBeRoutedAgainButOriginalsAre() {
        var home = server.connect("john@example.org/home", false);
        var work = server.connect("john@example.org/work", false);
        var jane = server.connect("jane@example.org/laptop", false);
        send(jane, "john@example.org/home", "x");
        Message copy = work.inbox.get(0);
        assertTrue(server.engine.isStrayCopy(copy), "Openfire re-routing an unacknowledged copy (XEP-0198) is refused");
        assertEquals(false, server.engine.isStrayCopy(home.inbox.get(0)));
    }
}
