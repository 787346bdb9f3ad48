package org.xmpproxy.openfire.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.MessageBuilder;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.jxmpp.jid.impl.JidCreate;
import org.xmpp.packet.Message;
import org.xmpproxy.core.flow.ConversationView;

/**
 * What the copies look like to a client without carbons, in a real Openfire: a legacy copy never makes
 * an old client answer the peer (XEP-0184 receipts, XEP-0333 markers, XEP-0085 chat states), and
 * corrections (XEP-0308) and retractions (XEP-0424) keep their reference to the original's id, live and
 * through catch-up; a contact's line never looks like the account's own; OTR stays between its two clients, OMEMO is
 * never replayed for decrypting twice. Runs only with {@code -Dopenfire.home=<an Openfire 5.1 installation>}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CopyFormsEndToEndIT {
    private static final String DOMAIN = OpenfireServer.DOMAIN;
    private static final String JANE = "jane@" + DOMAIN;
    private static final String BOT = "xmpproxy." + DOMAIN;
    private static final String RECEIPTS = "urn:xmpp:receipts";
    private static final String MARKERS = "urn:xmpp:chat-markers:0";
    private static final String CHAT_STATES = "http://jabber.org/protocol/chatstates";
    private static final String CORRECTION = "urn:xmpp:message-correct:0";
    private static final String RETRACTION = "urn:xmpp:message-retract:1";
    private static final String RETRACTION_0 = "urn:xmpp:message-retract:0";
    private static final String FASTEN = "urn:xmpp:fasten:0";

    private static OpenfireServer server;

    @BeforeAll
    static void startOpenfire() throws Exception {
        server = OpenfireServer.startFor(CopyFormsEndToEndIT.class, List.of("john", "jane"));
    }

    @AfterAll
    static void stopOpenfire() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /**
     * john has a client without carbons that, like an old client, answers every receipt request and marker it
     * sees and, once a contact used chat states, sends its own. The account's other client sends messages
     * with answer requests: the legacy client's copies carry none, so jane never hears from it.
     */
    @Order(1)
    @Test
    void legacyCopiesOfSentMessagesMakeNoOldClientAnswerThePeer() throws Exception {
        try (ChatClient a = ChatClient.connect(server, "john", "a", false);
             ChatClient legacy = ChatClient.connect(server, "john", "old", false);
             ChatClient jane = ChatClient.connect(server, "jane", "laptop", false)) {
            OldClient old = OldClient.on(legacy);
            Await.mirroring(a, legacy, JANE, "ready-1");

            send(a, JANE, "ask-1", "are you there?", element("request", RECEIPTS), element("markable", MARKERS),
                    element("active", CHAT_STATES));
            send(a, JANE, "typing-1", null, element("composing", CHAT_STATES));
            send(a, JANE, "read-1", null, element("displayed", MARKERS, "id", "earlier-from-jane"));
            send(a, JANE, "receipt-1", null, element("received", RECEIPTS, "id", "earlier-from-jane"));
            a.chat(JANE, "end-1"); // after the others on a's stream: when it is there, so is everything before
            Await.shownOrFail(legacy, List.of("ask-1", "end-1"));

            Message ask = only(legacy, "ask-1");
            assertEquals(JANE, ask.getFrom().toString(), "shown in the conversation with jane");
            assertEquals("[me] are you there?", ask.getBody());
            assertEquals(Set.of(), answerRequests(ask), "the legacy copy asks for no answer");
            for (String id : List.of("typing-1", "read-1", "receipt-1")) {
                assertEquals(0, ConversationView.counts(legacy.inbox()).getOrDefault(id, 0),
                        id + ": from jane's JID it would look like jane typing or reading");
            }
            assertTrue(legacy.inbox().stream().noneMatch(m -> hasChild(m, CHAT_STATES) || hasChild(m, MARKERS)
                    || hasChild(m, RECEIPTS)), "no chat state, marker or receipt appears to come from jane");

            legacy.chat(JANE, "old-end-1"); // after any answer the old client sent
            Await.shownOrFail(jane, List.of("old-end-1"));
            assertEquals(List.of(), old.answers(), "the old client answered nothing");
            assertEquals(List.of("old-end-1"), fromClient(jane, legacy), "jane heard nothing from the old client");

            // Incoming: the copy of jane's message asks for no second receipt or marker either.
            send(jane, a.fullJid(), "ask-in-1", "and you?", element("request", RECEIPTS), element("markable", MARKERS),
                    element("active", CHAT_STATES));
            Await.shownOrFail(legacy, List.of("ask-in-1"));
            Message askIn = only(legacy, "ask-in-1");
            assertEquals(Set.of(), answerRequests(askIn));
            assertNotNull(askIn.getChildElement("active", CHAT_STATES), "jane's own chat state shows as she sent it");
            legacy.chat(JANE, "old-end-2");
            Await.shownOrFail(jane, List.of("old-end-2"));
            assertTrue(old.answers().stream().noneMatch(answer -> answer.startsWith("receipt") || answer.startsWith("marker")),
                    "no receipt or marker from the old client: " + old.answers());
            assertTrue(jane.inbox().stream().filter(m -> legacy.fullJid().equals(String.valueOf(m.getFrom())))
                    .noneMatch(m -> hasChild(m, RECEIPTS) || hasChild(m, MARKERS)), "jane got no second receipt or marker");
        }
    }

    /** A correction and a retraction, of a sent and of a received message: each copy keeps the reference. */
    @Order(2)
    @Test
    void correctionsAndRetractionsReachTheLegacyClientReferringToTheOriginal() throws Exception {
        try (ChatClient a = ChatClient.connect(server, "john", "a", false);
             ChatClient legacy = ChatClient.connect(server, "john", "old2", false);
             ChatClient jane = ChatClient.connect(server, "jane", "laptop", false)) {
            Await.mirroring(a, legacy, JANE, "ready-2");
            send(a, JANE, "out-2", "see you at 6");
            send(a, JANE, "out-2b", "bring cake");
            send(jane, a.fullJid(), "in-2", "dinner at 7?");
            Await.shownOrFail(legacy, List.of("out-2", "out-2b", "in-2"));

            send(a, JANE, "fix-out-2", "see you at 7", correction("out-2"));
            send(a, JANE, "retract-out-2", "This person attempted to retract a previous message, but it's unsupported by your client.",
                    retraction("out-2"), element("fallback", "urn:xmpp:fallback:0", "for", RETRACTION));
            send(a, JANE, "retract0-out-2", null, fastenedRetraction("out-2b"));
            send(jane, a.fullJid(), "fix-in-2", "dinner at 8?", correction("in-2"));
            send(jane, a.fullJid(), "retract-in-2", "retracted", retraction("in-2"));
            Await.shownOrFail(legacy, List.of("fix-out-2", "retract-out-2", "retract0-out-2", "fix-in-2", "retract-in-2"));

            assertRefersTo(legacy, "fix-out-2", "out-2", CORRECTION, "replace");
            assertRefersTo(legacy, "retract-out-2", "out-2", RETRACTION, "retract");
            assertRefersTo(legacy, "retract0-out-2", "out-2b", FASTEN, "apply-to");
            assertNotNull(only(legacy, "retract0-out-2").getChildElement("apply-to", FASTEN)
                    .element(QName.get("retract", RETRACTION_0)));
            assertRefersTo(legacy, "fix-in-2", "in-2", CORRECTION, "replace");
            assertRefersTo(legacy, "retract-in-2", "in-2", RETRACTION, "retract");
            assertEquals("[me] see you at 7", only(legacy, "fix-out-2").getBody());
        }
    }

    /**
     * The same through catch-up: the legacy client saw the originals, went away while they were corrected
     * and retracted, and on its return gets the changes with their references; not the chat states sent
     * meanwhile (a delayed "composing" would show someone typing now).
     */
    @Order(3)
    @Test
    void correctionsAndRetractionsCaughtUpReferToTheOriginal() throws Exception {
        try (ChatClient a = ChatClient.connect(server, "john", "a", false);
             ChatClient jane = ChatClient.connect(server, "jane", "laptop", false)) {
            List<String> presences = new ArrayList<>();
            a.connection().addSyncStanzaListener(p -> {
                synchronized (presences) {
                    presences.add(p.getFrom() + " " + ((org.jivesoftware.smack.packet.Presence) p).getType());
                }
            }, StanzaTypeFilter.PRESENCE);
            List<Message> seenBefore;
            try (ChatClient legacy = ChatClient.connect(server, "john", "old3", false)) {
                Await.mirroring(a, legacy, JANE, "ready-3");
                send(a, JANE, "out-3", "see you at 6");
                send(a, JANE, "out-3b", "bring cake");
                send(jane, a.fullJid(), "in-3", "dinner at 7?");
                send(jane, a.fullJid(), "in-3b", "wine?");
                Await.shownOrFail(legacy, List.of("out-3", "out-3b", "in-3", "in-3b"));
                seenBefore = legacy.inbox();
            }
            String gone = "john@" + DOMAIN + "/old3 unavailable";
            Await.orFail(() -> { synchronized (presences) { return presences.contains(gone); } }, "a sees old3 leave");
            Await.orFail(() -> !askBot(a, "status").contains("old3"), "the plugin no longer counts old3 online");

            send(a, JANE, "typing-out-3", null, element("composing", CHAT_STATES));
            send(jane, a.fullJid(), "typing-in-3", null, element("composing", CHAT_STATES));
            send(a, JANE, "fix-out-3", "see you at 7", correction("out-3"));
            send(a, JANE, "retract-out-3", null, retraction("out-3b")); // no fallback text at all
            send(jane, a.fullJid(), "fix-in-3", "dinner at 8?", correction("in-3"));
            send(jane, a.fullJid(), "retract-in-3", null, fastenedRetraction("in-3b"));
            Await.shownOrFail(jane, List.of("typing-out-3", "fix-out-3", "retract-out-3"));
            Await.shownOrFail(a, List.of("typing-in-3", "fix-in-3", "retract-in-3"));

            try (ChatClient back = ChatClient.connect(server, "john", "old3", false)) {
                List<String> changes = List.of("fix-out-3", "retract-out-3", "fix-in-3", "retract-in-3");
                Await.shownOrFail(back, changes);
                // Caught up in the order they were sent: the chat states came first and would be here by now.
                assertEquals(0, ConversationView.counts(back.inbox()).getOrDefault("typing-out-3", 0), "no delayed typing");
                assertEquals(0, ConversationView.counts(back.inbox()).getOrDefault("typing-in-3", 0), "no delayed typing");
                for (String id : changes) {
                    Message copy = only(back, id);
                    Element mark = copy.getChildElement("copy", "urn:xmpproxy:copy:0");
                    assertEquals("true", mark.attributeValue("catchup"), id);
                    assertNotNull(copy.getChildElement("delay", "urn:xmpp:delay"), id + " carries its original time");
                }
                List<Message> both = new ArrayList<>(seenBefore);
                both.addAll(back.inbox());
                assertRefersTo(both, "fix-out-3", "out-3", CORRECTION, "replace");
                assertRefersTo(both, "retract-out-3", "out-3b", RETRACTION, "retract");
                assertRefersTo(both, "fix-in-3", "in-3", CORRECTION, "replace");
                assertRefersTo(both, "retract-in-3", "in-3b", FASTEN, "apply-to");
                assertEquals(null, only(back, "retract-out-3").getBody(), "a retraction without text gets no marker text");
            }
        }
    }

    /**
     * Issue 17.3: jane writes "[me] spoof" to john/home. On john/work, without carbons, it must not look like a line
     * john sent ("[me] ..." from jane's address): it comes marked with jane's address, live and through catch-up;
     * john/home, the client jane wrote to, gets it as she wrote it.
     */
    @Order(4)
    @Test
    void aContactsLineThatLooksLikeTheAccountsOwnIsShownAsTheContactsOnAClientWithoutCarbons() throws Exception {
        String marked = "<" + JANE + "> ";
        try (ChatClient home = ChatClient.connect(server, "john", "home", false);
             ChatClient jane = ChatClient.connect(server, "jane", "laptop", false)) {
            try (ChatClient work = ChatClient.connect(server, "john", "work", false)) {
                Await.mirroring(home, work, JANE, "ready-4");
                send(jane, home.fullJid(), "spoof-4", "[me] spoof");
                send(jane, home.fullJid(), "look-alike-4", "\u200B\uFF3BME\uFF3D I agree to pay");
                send(home, JANE, "real-4", "spoof");
                Await.shownOrFail(work, List.of("spoof-4", "look-alike-4", "real-4"));
                assertEquals("[me] spoof", only(home, "spoof-4").getBody(), "the original, to the client jane wrote to, as written");
                Message real = only(work, "real-4");
                Message spoof = only(work, "spoof-4");
                assertEquals("[me] spoof", real.getBody(), "what john sent, from jane's address");
                assertEquals(marked + "[me] spoof", spoof.getBody(), "what jane wrote, named as hers");
                assertTrue(!spoof.getBody().equals(real.getBody()) || !spoof.getFrom().equals(real.getFrom()));
                assertEquals(marked + "\u200B\uFF3BME\uFF3D I agree to pay", only(work, "look-alike-4").getBody());
            }
            awaitGone(home, "work");
            send(jane, home.fullJid(), "spoof-4b", "  [me] spoof while you were away");
            Await.shownOrFail(home, List.of("spoof-4b"));
            try (ChatClient work = ChatClient.connect(server, "john", "work", false)) {
                Await.shownOrFail(work, List.of("spoof-4b"));
                Message caughtUp = only(work, "spoof-4b");
                assertNotNull(caughtUp.getChildElement("delay", "urn:xmpp:delay"), "caught up");
                assertEquals(marked + "  [me] spoof while you were away", caughtUp.getBody());
            }
        }
    }

    /**
     * Issue 17.4: OTR is a session between two clients. jane offers OTR to john/home ("?OTRv23?") and john/home
     * answers: john/work gets no copy of either (it would answer jane itself), a later catch-up does not bring
     * them, and neither does the bot's replay. An OMEMO message reaches john/work whole, live (it can decrypt it
     * once); the bot's replay brings its fallback text only.
     */
    @Order(5)
    @Test
    void otrStaysBetweenItsTwoClientsAndOmemoIsNeverReplayedForDecryptingTwice() throws Exception {
        String omemo = "eu.siacs.conversations.axolotl";
        try (ChatClient home = ChatClient.connect(server, "john", "home", false);
             ChatClient jane = ChatClient.connect(server, "jane", "laptop", false)) {
            List<String> otr = List.of("otr-query-5", "otr-answer-5", "otr-data-5", "otr-error-5");
            try (ChatClient work = ChatClient.connect(server, "john", "work", false)) {
                Await.mirroring(home, work, JANE, "ready-5");
                send(jane, home.fullJid(), "otr-query-5", "?OTRv23? jane@example.org has requested an Off-the-Record private conversation.");
                send(home, jane.fullJid(), "otr-answer-5", "?OTR:AAMCAAAAAAAAAAE.");
                send(jane, home.fullJid(), "omemo-5", "I sent you an OMEMO encrypted message",
                        StandardExtensionElement.builder("encrypted", omemo)
                                .addElement(StandardExtensionElement.builder("header", omemo).addAttribute("sid", "1")
                                        .addElement(StandardExtensionElement.builder("key", omemo).addAttribute("rid", "2").setText("S0VZ").build())
                                        .build())
                                .addElement("payload", "UEFZTE9BRA==").build(),
                        element("encryption", "urn:xmpp:eme:0", "namespace", omemo));
                send(jane, home.fullJid(), "after-5", "plain");
                send(home, JANE, "after-5b", "plain too");
                Await.shownOrFail(home, List.of("otr-query-5", "omemo-5", "after-5"));
                Await.shownOrFail(work, List.of("omemo-5", "after-5", "after-5b"));
                assertNotNull(only(work, "omemo-5").getChildElement("encrypted", omemo), "from jane, as the original: it decrypts it");
            }
            awaitGone(home, "work");
            send(jane, home.fullJid(), "otr-data-5", "?OTR:AAMDJ+MVmSfjFZcAAAAAAQAAAAIAAADA1g5IjD1ZGLDV.");
            send(jane, home.fullJid(), "otr-error-5", "?OTR Error: You sent encrypted data which was unexpected");
            send(jane, home.fullJid(), "away-5", "while you were away");
            Await.shownOrFail(home, List.of("otr-data-5", "otr-error-5", "away-5"));
            try (ChatClient work = ChatClient.connect(server, "john", "work", false)) {
                Await.shownOrFail(work, List.of("away-5"));
                String replayed = askBot(work, "replay 10");
                assertTrue(replayed.contains("Sending you the last"), replayed);
                List<String> shown = ConversationView.shownIds(work.inbox());
                for (String id : otr) {
                    assertEquals(0, ConversationView.counts(work.inbox()).getOrDefault(id, 0), id + " never reaches work: " + shown);
                }
                Message again = work.inbox().stream().filter(m -> "omemo-5".equals(m.getID())).findFirst()
                        .orElseThrow(() -> new AssertionError("the OMEMO message is replayed: " + shown));
                assertEquals(null, again.getChildElement("encrypted", omemo), "a device decrypts it once: the replay is its fallback");
                assertEquals("I sent you an OMEMO encrypted message", again.getBody());
            }
            assertEquals(List.of("otr-answer-5"), jane.inbox().stream().map(Message::getID).filter(otr::contains).toList(),
                    "jane heard OTR from john/home only");
        }
    }

    /** Waits until john's {@code resource} is gone for the plugin (its catch-up then starts at its next login). */
    private static void awaitGone(ChatClient other, String resource) throws InterruptedException {
        Await.orFail(() -> !askBot(other, "status").contains(resource + ":"), "the plugin no longer counts " + resource + " online");
    }

    /**
     * The copy of {@code id} at the client carries its own id and a reference to {@code original}, and comes
     * from the same JID as the copy of the original it showed (XEP-0308 and XEP-0424 match on both).
     */
    private static void assertRefersTo(ChatClient client, String id, String original, String namespace, String name) {
        assertRefersTo(client.inbox(), id, original, namespace, name);
    }

    private static void assertRefersTo(List<Message> inbox, String id, String original, String namespace, String name) {
        Message change = only(inbox, id);
        Message shown = only(inbox, original);
        assertEquals(id, change.getID(), "the copy keeps the message's own id");
        assertEquals(original, shown.getID(), "the copy of the original has the original's id");
        Element reference = change.getChildElement(name, namespace);
        assertNotNull(reference, id + " carries <" + name + " xmlns='" + namespace + "'/>: " + change.toXML());
        assertEquals(original, reference.attributeValue("id"), id + " refers to the original");
        assertEquals(shown.getFrom(), change.getFrom(), id + " comes from the JID the original was shown from");
    }

    /** The one message of the conversation {@code id} at the client (a duplicate fails). */
    private static Message only(ChatClient client, String id) {
        return only(client.inbox(), id);
    }

    private static Message only(List<Message> inbox, String id) {
        List<Message> found = inbox.stream().filter(m -> id.equals(ConversationView.shownIds(List.of(m)).get(0))).toList();
        assertEquals(1, found.size(), id + " once: " + found);
        return found.get(0);
    }

    /** What in a message makes a client answer its sender: receipt requests, markers, XEP-0022 event requests. */
    private static Set<String> answerRequests(Message message) {
        Set<String> found = new java.util.TreeSet<>();
        for (Element child : message.getElement().elements()) {
            String namespace = child.getNamespaceURI();
            if (namespace.equals(RECEIPTS) || namespace.startsWith("urn:xmpp:chat-markers") || namespace.equals("jabber:x:event")) {
                found.add(child.getName() + " " + namespace);
            }
        }
        return found;
    }

    private static boolean hasChild(Message message, String namespace) {
        return message.getElement().elements().stream().anyMatch(e -> namespace.equals(e.getNamespaceURI()));
    }

    /** Ids of the messages {@code receiver} got from {@code sender}'s full JID. */
    private static List<String> fromClient(ChatClient receiver, ChatClient sender) {
        return receiver.inbox().stream().filter(m -> sender.fullJid().equals(String.valueOf(m.getFrom())))
                .map(Message::getID).toList();
    }

    private static String askBot(ChatClient client, String command) {
        try {
            int before = client.inbox().size();
            client.send(BOT, "cmd-" + System.nanoTime(), org.jivesoftware.smack.packet.Message.Type.chat, command);
            Await.orFail(() -> client.inbox().stream().skip(before).anyMatch(m -> BOT.equals(String.valueOf(m.getFrom()))),
                    "the bot answers " + command);
            return client.inbox().stream().skip(before).filter(m -> BOT.equals(String.valueOf(m.getFrom())))
                    .map(Message::getBody).findFirst().orElseThrow();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** A chat message, with a body unless {@code body} is null. */
    private static void send(ChatClient client, String to, String id, String body, ExtensionElement... extensions) throws Exception {
        MessageBuilder message = StanzaBuilder.buildMessage(id).to(JidCreate.from(to))
                .ofType(org.jivesoftware.smack.packet.Message.Type.chat);
        if (body != null) {
            message.setBody(body);
        }
        for (ExtensionElement extension : extensions) {
            message.addExtension(extension);
        }
        client.connection().sendStanza(message.build());
    }

    private static ExtensionElement element(String name, String namespace, String... attributes) {
        StandardExtensionElement.Builder builder = StandardExtensionElement.builder(name, namespace);
        for (int i = 0; i + 1 < attributes.length; i += 2) {
            builder.addAttribute(attributes[i], attributes[i + 1]);
        }
        return builder.build();
    }

    private static ExtensionElement correction(String original) {
        return element("replace", CORRECTION, "id", original);
    }

    private static ExtensionElement retraction(String original) {
        return element("retract", RETRACTION, "id", original);
    }

    /** XEP-0424 before version 0.4: the retraction fastened to the original (XEP-0422). */
    private static ExtensionElement fastenedRetraction(String original) {
        return StandardExtensionElement.builder("apply-to", FASTEN).addAttribute("id", original)
                .addElement(StandardExtensionElement.builder("retract", RETRACTION_0).build()).build();
    }

    /**
     * Makes a client behave like an old one without carbons: it answers every XEP-0184 receipt request, sends
     * XEP-0333 "displayed" for every markable message it shows, and, to a contact that sent a XEP-0085 chat
     * state, sends its own ("composing", as its user starts typing). Records each answer it sent.
     */
    static final class OldClient {
        private final List<String> answers = new ArrayList<>();

        static OldClient on(ChatClient client) {
            OldClient old = new OldClient();
            client.connection().addSyncStanzaListener(stanza -> old.answer(client, stanza.toXML().toString()), StanzaTypeFilter.MESSAGE);
            return old;
        }

        private void answer(ChatClient client, String xml) {
            try {
                Message message = new Message(DocumentHelper.parseText(xml).getRootElement());
                String from = String.valueOf(message.getFrom());
                if (message.getFrom() == null || from.startsWith(BOT) || message.getFrom().toBareJID().equals(client.user + "@" + DOMAIN)) {
                    return;
                }
                String id = message.getID();
                if (message.getChildElement("request", RECEIPTS) != null) {
                    reply(client, from, "receipt", element("received", RECEIPTS, "id", id));
                }
                if (message.getChildElement("markable", MARKERS) != null) {
                    reply(client, from, "marker", element("displayed", MARKERS, "id", id));
                }
                if (hasChild(message, CHAT_STATES)) {
                    reply(client, from, "chat state", element("composing", CHAT_STATES));
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        private void reply(ChatClient client, String to, String kind, ExtensionElement answer) throws Exception {
            send(client, to, "answer-" + System.nanoTime(), null, answer);
            synchronized (answers) {
                answers.add(kind + " to " + to);
            }
        }

        List<String> answers() {
            synchronized (answers) {
                return List.copyOf(answers);
            }
        }
    }
}
