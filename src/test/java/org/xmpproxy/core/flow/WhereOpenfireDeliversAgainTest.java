package org.xmpproxy.core.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xmpproxy.core.Stanza.chat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpproxy.core.copy.CopyFactory;
import org.xmpproxy.core.rule.CopyForm;
import org.xmpproxy.core.rule.Direction;
import org.xmpproxy.core.rule.MessageKey;
import org.xmpproxy.core.rule.RoutedMessage;
import org.xmpproxy.core.settings.InMemoryAccountSettings;

/**
 * Where Openfire delivers a message outside its routing, or routes one a second time, in the server's event order
 * (see {@link SimulatedOpenfire}): its offline store hands what reached nobody to the first client back, and a
 * client whose stream broke leaves stanzas unacknowledged that Openfire routes again (XEP-0198).
 */
class WhereOpenfireDeliversAgainTest {
    private static final JID JOHN = new JID("john@example.org");
    private final SimulatedOpenfire server = new SimulatedOpenfire();
    private final List<RoutedMessage> history = new ArrayList<>();
    private final List<String> live = new ArrayList<>();
    private final List<String> missed = new ArrayList<>();
    private final List<String> stored = new ArrayList<>();
    private boolean keepsHistory = true;

    WhereOpenfireDeliversAgainTest() {
        server.engine = new MirrorEngine(SimulatedOpenfire.DOMAIN, FixedMirrorConfig.defaults(), new InMemoryAccountSettings(),
                server, server, new MirrorCounters(), (routed, routedAt) -> history.add(routed));
        server.engine.onLiveDelivery(new LiveDeliveries() {
            @Override
            public void delivered(JID resource, MessageKey message) {
                live.add(resource.getResource() + " " + message.id());
            }

            @Override
            public void missed(JID resource, MessageKey message) {
                missed.add(resource.getResource() + " " + message);
            }
        });
        server.engine.onStoredDelivery((account, message, recipient) -> stored.add(account + " " + message + " " + recipient.getResource()));
        server.engine.keepsHistory(account -> keepsHistory);
    }

    /** A copy as the engine (live) or catch-up hands it over: sealed once addressed. */
    private Message sealed(Message copy) {
        server.engine.seal(copy);
        return copy;
    }

    private static MessageKey fromJane(String id) {
        return new MessageKey(Direction.RECEIVED, "jane@example.org", id);
    }

    @Test
    void whatTheOfflineStoreHandsTheFirstClientBackBecomesTheAccountsMessage() {
        var jane = server.connect("jane@example.org/laptop", false);
        server.route(chat("7", jane.address.toString(), "john@example.org", "while you were all away"), jane);
        assertEquals(1, server.offlineStore.size(), "nobody of john's online: Openfire stored it");
        RoutedMessage johns = history.stream().filter(r -> r.account().equals(JOHN)).findFirst().orElseThrow();
        assertEquals(Set.of(), johns.receivedOriginal(), "john's history entry says it reached nobody");

        var phone = server.connect("john@example.org/phone", false);
        server.connect("john@example.org/laptop", false);
        server.takeOfflineMessages(phone);

        assertEquals(1, phone.inbox.size());
        assertEquals(List.of("john@example.org " + fromJane("7") + " phone"), stored, "its entry now counts for the account");
        assertEquals(fromJane("7"), MessageKey.of(johns), "the key the history entry has");
        assertEquals(List.of("phone 7"), live, "the phone got it: its catch-up does not send it again");
    }

    @Test
    void ourCopyKeptByTheOfflineStoreCountsForItsOwnResourceAndNeverReachesAnother() {
        Message original = chat("8", "jane@example.org/laptop", "john@example.org/home", "hi");
        Message copy = sealed(new CopyFactory("[me] ").build(CopyForm.LEGACY_RECEIVED, original, new JID("john@example.org/work")));
        server.offlineStore.add(copy); // Openfire kept it: the work session was closing as the copy was handed to it
        var home = server.connect("john@example.org/home", false);
        List<Message> refused = server.takeOfflineMessages(home);
        assertEquals(1, refused.size(), "not for home");
        assertEquals(List.of(), home.inbox);
        assertEquals(List.of("work " + fromJane("8")), missed, "work is caught up on it instead");

        server.offlineStore.add(copy);
        var work = server.connect("john@example.org/work", false);
        assertEquals(List.of(), server.takeOfflineMessages(work));
        assertEquals(List.of("work 8"), live, "work got its own copy");
    }

    @Test
    void aCopyIsNeverHandedToASessionThatIsClosing() {
        Message original = chat("16", "jane@example.org/laptop", "john@example.org/home", "hi");
        JID work = new JID("john@example.org/work");
        Message copy = sealed(new CopyFactory("[me] ").build(CopyForm.LEGACY_RECEIVED, original, work));
        assertTrue(server.engine.isMisdirectedCopy(copy, work, true, false),
                "closing: Openfire would keep it for the next client back, or route it again");
        assertFalse(server.engine.isMisdirectedCopy(copy, work, false, false), "open: delivered");
        assertFalse(server.engine.isMisdirectedCopy(original, work, true, false), "not ours: Openfire's business");
        server.engine.copyNotDelivered(copy);
        assertEquals(List.of("work " + fromJane("16")), missed, "work is caught up on it");
    }

    @ParameterizedTest
    @EnumSource(CopyForm.class)
    void aCopyRoutedAgainAfterItsStreamBrokeIsMissedByTheResourceItWasFor(CopyForm form) {
        boolean sent = form == CopyForm.LEGACY_SENT || form == CopyForm.CARBON_SENT;
        Message original = sent ? chat("9", "john@example.org/home", "jane@example.org", "hello")
                : chat("9", "jane@example.org/laptop", "john@example.org", "hello");
        RoutedMessage routed = sent ? RoutedMessage.sent(original, new JID("john@example.org/home"), Set.of(), Set.of())
                : RoutedMessage.received(original, JOHN, Set.of(new JID("john@example.org/home")), Set.of());
        JID work = new JID("john@example.org/work");
        CopyFactory factory = new CopyFactory("[me] ");
        var client = server.connect(work.toString(), false);
        server.dropStream(client, List.of(sealed(factory.build(form, original, work)),
                sealed(factory.delayed(form, original, work, Instant.ofEpochMilli(1000), new JID("example.org")))));
        assertEquals(List.of("work " + MessageKey.of(routed), "work " + MessageKey.of(routed)), missed,
                "live and catch-up copies alike, known by the original's key");
        assertEquals(List.of(), server.remoteOutbox, "never routed again");
    }

    @Test
    void originalsTheChosenClientLeftUnacknowledgedReachNobodyTwiceAndItIsCaughtUp() {
        var jane = server.connect("jane@example.org/laptop", false);
        var phone = server.connect("john@example.org/phone", false, 10); // Openfire's choice for the bare JID
        var laptop = server.connect("john@example.org/laptop", false);
        server.route(chat("10", jane.address.toString(), "john@example.org", "to the bare JID"), jane);
        server.route(chat("11", jane.address.toString(), "john@example.org/phone", "to the phone"), jane);
        assertEquals(2, laptop.inbox.size(), "copies");
        List<Message> unacknowledged = List.copyOf(phone.inbox);

        List<Message> routedAgain = server.dropStream(phone, unacknowledged);

        assertEquals(List.of(), routedAgain, "refused: the laptop has them");
        assertEquals(2, laptop.inbox.size(), "nothing twice");
        assertEquals(List.of("phone " + fromJane("10"), "phone " + fromJane("11")), missed);
        assertEquals(2, history.stream().filter(r -> r.account().equals(JOHN)).count(), "no second history entry");
    }

    @Test
    void withoutAHistoryToCatchUpFromOpenfireRoutesThemAsItWould() {
        keepsHistory = false;
        var jane = server.connect("jane@example.org/laptop", false);
        var phone = server.connect("john@example.org/phone", false, 10);
        server.connect("john@example.org/laptop", false);
        server.route(chat("12", jane.address.toString(), "john@example.org", "hi"), jane);
        assertEquals(1, server.dropStream(phone, List.copyOf(phone.inbox)).size());
        assertEquals(List.of(), missed);
    }

    @Test
    void onlyWhatTheServerItselfRoutesAgainIsRefused() {
        var jane = server.connect("jane@example.org/laptop", false);
        server.connect("john@example.org/phone", false);
        Message fresh = chat("13", jane.address.toString(), "john@example.org", "new");
        assertFalse(server.engine.refuseRedelivery(fresh), "no delay: a new message");
        Message fromElsewhere = chat("14", "bob@elsewhere.example/x", "john@example.org", "old");
        fromElsewhere.addChildElement("delay", "urn:xmpp:delay").addAttribute("from", "elsewhere.example");
        assertFalse(server.engine.refuseRedelivery(fromElsewhere), "delayed by another server");
        Message again = chat("15", jane.address.toString(), "john@example.org", "again");
        again.addChildElement("delay", "urn:xmpp:delay").addAttribute("from", SimulatedOpenfire.DOMAIN);
        assertFalse(server.engine.refuseRedelivery(again), "no closing session of john's: not known who missed it");
        assertTrue(missed.isEmpty());
    }
}
