package org.xmpproxy.core.rule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xmpproxy.core.Stanza.chat;
import static org.xmpproxy.core.Stanza.message;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;

class MirrorRuleTest {
    private static final JID JOHN = new JID("john@example.org");
    private static final JID HOME = new JID("john@example.org/home");
    private static final JID WORK = new JID("john@example.org/work");
    private static final JID PHONE = new JID("john@example.org/phone");

    private final MirrorRule rule = new MirrorRule("example.org");

    private static AccountResource resource(JID jid, boolean carbons, ResourceMode mode) {
        return new AccountResource(jid, carbons, mode);
    }

    private Plan decide(RoutedMessage routed, AccountResource... resources) {
        return rule.decide(routed, rule.eligibility().check(routed.stanza()), true, List.of(resources));
    }

    private static Map<JID, Object> outcome(Plan plan) {
        Map<JID, Object> byResource = plan.copies().stream().collect(Collectors.toMap(Plan.Copy::to, c -> (Object) c.form()));
        plan.skips().forEach(s -> byResource.put(s.resource(), s.reason()));
        return byResource;
    }

    @Test
    void receivedAtOneClientReachesTheOthersInTheFormTheyShow() {
        Message m = chat("1", "jane@example.org/laptop", "john@example.org/home", "hi");
        Plan plan = decide(RoutedMessage.received(m, JOHN, Set.of(HOME), Set.of()),
                resource(HOME, false, ResourceMode.AUTO),
                resource(WORK, false, ResourceMode.AUTO),
                resource(PHONE, true, ResourceMode.AUTO));
        assertEquals(Map.of(
                HOME, SkipReason.RECEIVED_ORIGINAL,
                WORK, CopyForm.LEGACY_RECEIVED,
                PHONE, SkipReason.NATIVE_CARBONS), outcome(plan));
    }

    @Test
    void bareJidMessageWithCarbonsOnlyOnANegativePriorityClientGetsAWrapperFromUs() {
        // Openfire gives a bare-JID message to carbons-enabled resources of non-negative priority as the
        // original, and nothing to the others: here PHONE got nothing and enabled carbons.
        Message m = chat("1", "jane@example.org/laptop", "john@example.org", "hi");
        Plan plan = decide(RoutedMessage.received(m, JOHN, Set.of(HOME), Set.of()),
                resource(HOME, false, ResourceMode.AUTO),
                new AccountResource(PHONE, true, ResourceMode.AUTO));
        assertEquals(Map.of(HOME, SkipReason.RECEIVED_ORIGINAL, PHONE, CopyForm.CARBON_RECEIVED), outcome(plan));
    }

    @Test
    void sentByOneClientIsMirroredToTheOthers() {
        Message m = chat("2", "john@example.org/home", "jane@example.org", "hello");
        Plan plan = decide(RoutedMessage.sent(m, HOME, Set.of(), Set.of()),
                resource(HOME, true, ResourceMode.AUTO),
                resource(WORK, false, ResourceMode.AUTO),
                resource(PHONE, true, ResourceMode.AUTO));
        assertEquals(Map.of(
                HOME, SkipReason.SENT_ORIGINAL,
                WORK, CopyForm.LEGACY_SENT,
                PHONE, SkipReason.NATIVE_CARBONS), outcome(plan));
    }

    @Test
    void modesOverrideTheAutomaticChoice() {
        Message m = chat("3", "john@example.org/home", "jane@example.org", "hello");
        Plan plan = decide(RoutedMessage.sent(m, HOME, Set.of(), Set.of()),
                resource(HOME, false, ResourceMode.AUTO),
                resource(WORK, false, ResourceMode.CARBONS),
                resource(PHONE, false, ResourceMode.OFF));
        assertEquals(Map.of(
                HOME, SkipReason.SENT_ORIGINAL,
                WORK, CopyForm.CARBON_SENT,
                PHONE, SkipReason.MODE_OFF), outcome(plan));
    }

    @Test
    void legacyModeNeverDuplicatesWhatOpenfireCarbonsAlreadyBring() {
        Message m = chat("4", "john@example.org/home", "jane@example.org", "hello");
        Plan plan = decide(RoutedMessage.sent(m, HOME, Set.of(), Set.of()), resource(WORK, true, ResourceMode.LEGACY));
        assertEquals(Map.of(WORK, SkipReason.NATIVE_CARBONS), outcome(plan));
    }

    @Test
    void anObservedServerCarbonCountsEvenWhenTheFlagSaysOtherwise() {
        Message m = chat("5", "jane@example.org/laptop", "john@example.org", "hi");
        Plan plan = decide(RoutedMessage.received(m, JOHN, Set.of(HOME), Set.of(WORK)),
                resource(WORK, false, ResourceMode.AUTO));
        assertEquals(Map.of(WORK, SkipReason.NATIVE_CARBONS), outcome(plan));
    }

    @Test
    void aSentTypingNotificationIsNotShownToLegacyClientsAsThePeerTyping() {
        Message m = message("<message type='chat' from='john@example.org/home' to='jane@example.org'>"
                + "<composing xmlns='http://jabber.org/protocol/chatstates'/></message>");
        Plan plan = decide(RoutedMessage.sent(m, HOME, Set.of(), Set.of()),
                resource(WORK, false, ResourceMode.AUTO),
                resource(PHONE, false, ResourceMode.CARBONS));
        assertEquals(Map.of(WORK, SkipReason.LEGACY_CANNOT_SHOW, PHONE, CopyForm.CARBON_SENT), outcome(plan));
    }

    @Test
    void aReceivedTypingNotificationIsShownToLegacyClients() {
        Message m = message("<message type='chat' from='jane@example.org/a' to='john@example.org/home'>"
                + "<composing xmlns='http://jabber.org/protocol/chatstates'/></message>");
        Plan plan = decide(RoutedMessage.received(m, JOHN, Set.of(HOME), Set.of()), resource(WORK, false, ResourceMode.AUTO));
        assertEquals(Map.of(WORK, CopyForm.LEGACY_RECEIVED), outcome(plan));
    }

    /** In a cluster: nobody here got it, but a tie Openfire broke on another node may have given it to work there. */
    @Test
    void aMessageThatMayHaveReachedAResourceOnAnotherNodeIsNotTakenForStoredOffline() {
        Message m = chat("6b", "jane@example.org/a", "john@example.org", "to the bare JID");
        Plan plan = decide(RoutedMessage.received(m, JOHN, Set.of(), Set.of(), Set.of(WORK)),
                resource(HOME, false, ResourceMode.AUTO), resource(WORK, false, ResourceMode.AUTO));
        assertEquals(Optional.empty(), plan.messageSkipped());
        assertEquals(Map.of(HOME, CopyForm.LEGACY_RECEIVED, WORK, CopyForm.LEGACY_RECEIVED), outcome(plan),
                "home's copy, and work's, which work's node delivers only if work did not get the original");
    }

    @Test
    void messageLevelReasonsStopEverything() {
        Message stored = chat("6", "jane@example.org/a", "john@example.org", "while you were away");
        assertEquals(Optional.of(SkipReason.NOBODY_RECEIVED),
                decide(RoutedMessage.received(stored, JOHN, Set.of(), Set.of()), resource(WORK, false, ResourceMode.AUTO)).messageSkipped());

        Message toSelf = chat("7", "john@example.org/home", "john@example.org/work", "note");
        assertEquals(Optional.of(SkipReason.WITHIN_ACCOUNT),
                decide(RoutedMessage.sent(toSelf, HOME, Set.of(WORK), Set.of()), resource(PHONE, false, ResourceMode.AUTO)).messageSkipped());

        Message hinted = message("<message type='chat' from='jane@example.org/a' to='john@example.org/home'>"
                + "<body>x</body><no-copy xmlns='urn:xmpp:hints'/></message>");
        Plan plan = decide(RoutedMessage.received(hinted, JOHN, Set.of(HOME), Set.of()), resource(WORK, false, ResourceMode.AUTO));
        assertEquals(Optional.of(SkipReason.NO_COPY), plan.messageSkipped());
        assertTrue(plan.copies().isEmpty());
    }

    @Test
    void mirroringOffForTheAccountMeansNoCopiesAndNoLookup() {
        Message m = chat("8", "jane@example.org/a", "john@example.org/home", "hi");
        Plan plan = rule.decide(RoutedMessage.received(m, JOHN, Set.of(HOME), Set.of()), Optional.empty(), false,
                () -> { throw new AssertionError("resources looked up although mirroring is off"); });
        assertEquals(Optional.of(SkipReason.MIRRORING_OFF), plan.messageSkipped());
    }

    private static Message sentByHome(String children) {
        return message("<message xmlns='jabber:client' type='chat' id='s1' from='john@example.org/home' to='jane@example.org/a'>"
                + children + "</message>");
    }

    @Test
    void aSentReceiptOrMarkerIsNotShownToLegacyClientsAsThePeerReading() {
        for (String answer : List.of("<received xmlns='urn:xmpp:receipts' id='j1'/>",
                "<displayed xmlns='urn:xmpp:chat-markers:0' id='j1'/>",
                "<active xmlns='http://jabber.org/protocol/chatstates'/><displayed xmlns='urn:xmpp:chat-markers:0' id='j1'/>")) {
            Plan plan = decide(RoutedMessage.sent(sentByHome(answer), HOME, Set.of(), Set.of()),
                    resource(WORK, false, ResourceMode.AUTO),
                    resource(PHONE, false, ResourceMode.CARBONS));
            assertEquals(Map.of(WORK, SkipReason.LEGACY_CANNOT_SHOW, PHONE, CopyForm.CARBON_SENT), outcome(plan), answer);
        }
    }

    @Test
    void sentCorrectionsAndRetractionsReachLegacyClients() {
        for (String change : List.of("<body>fixed</body><replace xmlns='urn:xmpp:message-correct:0' id='m1'/>",
                "<retract xmlns='urn:xmpp:message-retract:1' id='m1'/><body>retracted</body>",
                "<retract xmlns='urn:xmpp:message-retract:1' id='m1'/>",
                "<apply-to xmlns='urn:xmpp:fasten:0' id='m1'><retract xmlns='urn:xmpp:message-retract:0'/></apply-to>")) {
            Plan plan = decide(RoutedMessage.sent(sentByHome(change), HOME, Set.of(), Set.of()), resource(WORK, false, ResourceMode.AUTO));
            assertEquals(Map.of(WORK, CopyForm.LEGACY_SENT), outcome(plan), change);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        received text                   | RECEIVED | <body>hi</body><active xmlns='http://jabber.org/protocol/chatstates'/> | LEGACY_RECEIVED | CARBON_RECEIVED
        received typing                 | RECEIVED | <composing xmlns='http://jabber.org/protocol/chatstates'/><thread>t</thread> | NONE | NONE
        received receipt                | RECEIVED | <received xmlns='urn:xmpp:receipts' id='m1'/> | LEGACY_RECEIVED | CARBON_RECEIVED
        sent text                       | SENT     | <body>hi</body> | LEGACY_SENT | CARBON_SENT
        sent typing                     | SENT     | <composing xmlns='http://jabber.org/protocol/chatstates'/> | NONE | NONE
        sent marker                     | SENT     | <displayed xmlns='urn:xmpp:chat-markers:0' id='j1'/> | NONE | CARBON_SENT
        sent correction                 | SENT     | <body>fixed</body><replace xmlns='urn:xmpp:message-correct:0' id='m1'/> | LEGACY_SENT | CARBON_SENT
        sent retraction without text    | SENT     | <retract xmlns='urn:xmpp:message-retract:1' id='m1'/> | LEGACY_SENT | CARBON_SENT
        """)
    void catchupFormFollowsTheTable(String name, Direction direction, String children, String legacy, String carbons) {
        Message stanza = direction == Direction.SENT ? sentByHome(children)
                : message("<message type='chat' id='r1' from='jane@example.org/a' to='john@example.org'>" + children + "</message>");
        assertEquals(legacy, MirrorRule.catchupForm(direction, stanza, resource(WORK, false, ResourceMode.AUTO))
                .map(Enum::name).orElse("NONE"), name + " (legacy)");
        assertEquals(carbons, MirrorRule.catchupForm(direction, stanza, resource(WORK, true, ResourceMode.AUTO))
                .map(Enum::name).orElse("NONE"), name + " (carbons)");
        assertEquals(legacy, MirrorRule.catchupForm(direction, stanza, resource(WORK, true, ResourceMode.LEGACY))
                .map(Enum::name).orElse("NONE"), name + " (mode legacy)");
    }

    /**
     * What the bot's status says a client gets is what the rule gives it: for every mode, with and without
     * carbons, a chat message another client sent goes as status says (Openfire's own carbons: nothing from us).
     */
    @Test
    void statusSaysWhatTheRuleDoes() {
        Map<MirrorRule.Service, Object> live = Map.of(MirrorRule.Service.NOTHING, SkipReason.MODE_OFF,
                MirrorRule.Service.SERVER_CARBONS, SkipReason.NATIVE_CARBONS,
                MirrorRule.Service.CARBON_COPIES, CopyForm.CARBON_SENT, MirrorRule.Service.PLAIN_COPIES, CopyForm.LEGACY_SENT);
        for (ResourceMode mode : ResourceMode.values()) {
            for (boolean carbons : new boolean[] {false, true}) {
                AccountResource work = resource(WORK, carbons, mode);
                Plan plan = decide(RoutedMessage.sent(sentByHome("<body>hi</body>"), HOME, Set.of(), Set.of()), work);
                assertEquals(live.get(MirrorRule.serviceOf(work)), outcome(plan).get(WORK), mode + ", carbons " + carbons);
            }
        }
        assertEquals(MirrorRule.Service.SERVER_CARBONS, MirrorRule.serviceOf(resource(WORK, true, ResourceMode.CARBONS)),
                "a client that enabled carbons gets Openfire's, whatever its mode (the bot used to say carbons from xmpproxy)");
    }
}
