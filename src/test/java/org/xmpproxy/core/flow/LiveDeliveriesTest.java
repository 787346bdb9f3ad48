package org.xmpproxy.core.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.xmpproxy.core.Stanza.chat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;
import org.xmpproxy.core.rule.Direction;
import org.xmpproxy.core.rule.MessageAt;
import org.xmpproxy.core.rule.MessageKey;
import org.xmpproxy.core.rule.RoutedMessage;
import org.xmpproxy.core.settings.InMemoryAccountSettings;

/** What the engine tells catch-up about live deliveries: which resource got which message, known by who wrote it and its id. */
class LiveDeliveriesTest {
    private final SimulatedOpenfire server = new SimulatedOpenfire();
    private final List<String> told = new ArrayList<>();
    private final List<RoutedMessage> history = new ArrayList<>();

    LiveDeliveriesTest() {
        server.engine = new MirrorEngine(SimulatedOpenfire.DOMAIN, FixedMirrorConfig.defaults(), new InMemoryAccountSettings(),
                server, server, new MirrorCounters(), (routed, routedAt) -> history.add(routed));
        server.engine.onLiveDelivery((resource, message) -> told.add(resource.getResource() + " " + message));
    }

    /**
     * A copy whose delivery to a session of this node throws (its connection failed) is reported missed with its row:
     * the session's catch-up sends it. Before, it was only counted as a failure, and that client never got it.
     */
    @Test
    void aCopyThatCouldNotBeDeliveredIsReportedMissed() {
        List<String> missed = new ArrayList<>();
        server.engine.onLiveDelivery(new LiveDeliveries() {
            public void delivered(JID resource, MessageKey message) {
            }

            @Override
            public void missed(JID resource, MessageAt message) {
                missed.add(resource.getResource() + " " + message.key());
            }
        });
        server.connect("john@example.org/home", false);
        var work = server.connect("john@example.org/work", false);
        var jane = server.connect("jane@example.org/laptop", false);
        work.deliveryThrows = true;
        server.route(chat("1", jane.address.toString(), "john@example.org/home", "hi"), jane);
        assertEquals(List.of("work " + new MessageKey(Direction.RECEIVED, "jane@example.org", "1")), missed);
        assertEquals(List.of(), work.inbox);
    }

    @Test
    void eachResourceThatGotAMessageIsToldItsWriterAndId() {
        var home = server.connect("john@example.org/home", false);
        server.connect("john@example.org/work", false);
        var jane = server.connect("jane@example.org/laptop", false);
        var bob = server.connect("bob@example.org/desk", false);

        server.route(chat("1", jane.address.toString(), "john@example.org/home", "hi"), jane);
        server.route(chat("1", bob.address.toString(), "john@example.org/home", "hello"), bob);
        server.route(chat("1", home.address.toString(), "jane@example.org", "hi jane"), home);

        MessageKey fromJane = new MessageKey(Direction.RECEIVED, "jane@example.org", "1");
        MessageKey fromBob = new MessageKey(Direction.RECEIVED, "bob@example.org", "1");
        MessageKey toJane = new MessageKey(Direction.SENT, "jane@example.org", "1");
        assertEquals(List.of("home " + fromJane, "work " + fromJane, "home " + fromBob, "work " + fromBob, "work " + toJane),
                told.stream().filter(t -> t.startsWith("home ") || t.startsWith("work ")).toList());
        // The same key as the history entry of the message will have (see HistoryRecorder, StoreContract).
        assertEquals(List.of(fromJane, fromBob, toJane),
                history.stream().filter(r -> r.account().equals(new JID("john@example.org"))).map(MessageKey::of).toList());
    }

    /** Catch-up sends from the history: an account without one has nothing to match, so nothing is tracked for it. */
    @Test
    void nothingIsTrackedForAnAccountWithoutHistoryWhileItsCopiesStillGo() {
        var home = server.connect("john@example.org/home", false);
        var work = server.connect("john@example.org/work", false);
        var jane = server.connect("jane@example.org/laptop", false);
        server.engine.keepsHistory(account -> !account.getNode().equals("john"));

        server.route(chat("1", jane.address.toString(), "john@example.org/home", "hi"), jane);
        server.route(chat("2", home.address.toString(), "jane@example.org", "hi jane"), home);

        assertEquals(List.of(), told.stream().filter(t -> t.startsWith("home ") || t.startsWith("work ")).toList());
        assertEquals(List.of("1", "2"), ConversationView.shownIds(work.inbox), "work still gets both");
        assertEquals(List.of("laptop " + new MessageKey(Direction.RECEIVED, "john@example.org", "2")), told,
                "jane keeps a history: her delivery is tracked");
    }

    /**
     * Issue 17.6: a writer reusing one id, and a message without an id: each delivery is told by its history row, the
     * routing time the history entry gets, so catch-up matches it to that row alone.
     */
    @Test
    void eachDeliveryIsToldByItsHistoryRowEvenWhenTheIdRepeatsOrIsMissing() {
        server.connect("john@example.org/home", false);
        var bot = server.connect("bot@example.org/gw", false);
        List<MessageAt> rows = new ArrayList<>();
        List<Long> routedAt = new ArrayList<>();
        server.engine = new MirrorEngine(SimulatedOpenfire.DOMAIN, FixedMirrorConfig.defaults(), new InMemoryAccountSettings(),
                server, server, new MirrorCounters(), (routed, at) -> {
                    if (routed.account().getNode().equals("john")) {
                        routedAt.add(at);
                    }
                });
        server.engine.onLiveDelivery(new LiveDeliveries() {
            public void delivered(JID resource, MessageKey message) {
                throw new AssertionError("told by key alone: " + message);
            }

            @Override
            public void delivered(JID resource, MessageAt message) {
                if (resource.getNode().equals("john")) {
                    rows.add(message);
                }
            }
        });

        server.route(chat("same", bot.address.toString(), "john@example.org/home", "one"), bot);
        server.route(chat("same", bot.address.toString(), "john@example.org/home", "two"), bot);
        server.route(org.xmpproxy.core.Stanza.message("<message xmlns='jabber:client' type='chat' from='" + bot.address
                + "' to='john@example.org/home'><body>three</body></message>"), bot);

        assertEquals(List.of(new MessageAt(Direction.RECEIVED, "bot@example.org", "same", routedAt.get(0)),
                new MessageAt(Direction.RECEIVED, "bot@example.org", "same", routedAt.get(1)),
                new MessageAt(Direction.RECEIVED, "bot@example.org", null, routedAt.get(2))), rows);
    }
}
