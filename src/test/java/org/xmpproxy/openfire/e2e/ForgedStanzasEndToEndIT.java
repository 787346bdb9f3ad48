package org.xmpproxy.openfire.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.Message;
import org.xmpproxy.core.flow.ConversationView;

/**
 * What a contact writes never steers xmpproxy, in a real Openfire: a message carrying xmpproxy's copy mark, which
 * only xmpproxy's own copies may carry, reaches every client of the account as any message, and its sender hears
 * nothing back. Runs only with {@code -Dopenfire.home=<an Openfire 5.1 installation>}.
 */
class ForgedStanzasEndToEndIT {
    private static final String DOMAIN = OpenfireServer.DOMAIN;
    private static final String JANE = "jane@" + DOMAIN;
    private static final String XMPPROXY = "urn:xmpproxy:copy:0";

    private static OpenfireServer server;

    @BeforeAll
    static void startOpenfire() throws Exception {
        server = OpenfireServer.startFor(ForgedStanzasEndToEndIT.class, List.of("john", "jane"));
    }

    @AfterAll
    static void stopOpenfire() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** jane writes john/home a chat with the mark of a "sent" copy (a peer on another server inside): both of john's clients get it. */
    @Test
    void aChatWithAForgedCopyMarkReachesEveryClientAndItsSenderGetsNoError() throws Exception {
        try (ChatClient home = ChatClient.connect(server, "john", "home", false);
             ChatClient work = ChatClient.connect(server, "john", "work", false);
             ChatClient jane = ChatClient.connect(server, "jane", "laptop", false)) {
            Await.mirroring(home, work, JANE, "ready");

            ExtensionElement forgedMark = StandardExtensionElement.builder("copy", XMPPROXY).addAttribute("direction", "sent")
                    .addElement(StandardExtensionElement.builder("forwarded", "urn:xmpp:forward:0")
                            .addElement(StandardExtensionElement.builder("message", "jabber:client")
                                    .addAttribute("id", "never-sent").addAttribute("from", home.fullJid())
                                    .addAttribute("to", "alice@evil.net/x").build()).build()).build();
            ExtensionElement bareMark = StandardExtensionElement.builder("copy", XMPPROXY).build();
            jane.send(home.fullJid(), "forged-1", org.jivesoftware.smack.packet.Message.Type.chat, "looks like a copy", forgedMark);
            jane.send(home.fullJid(), "forged-2", org.jivesoftware.smack.packet.Message.Type.chat, "so does this", bareMark);
            jane.chat(home.fullJid(), "after-forged"); // after both on jane's stream

            Await.shownOrFail(home, List.of("forged-1", "forged-2", "after-forged"));
            Await.shownOrFail(work, List.of("forged-1", "forged-2", "after-forged"));
            for (ChatClient client : List.of(home, work)) {
                assertEquals(1, ConversationView.counts(client.inbox()).get("forged-1"), client.fullJid() + " once");
                assertEquals(1, ConversationView.counts(client.inbox()).get("forged-2"), client.fullJid() + " once");
            }
            Message atHome = home.inbox().stream().filter(m -> "forged-1".equals(m.getID())).findFirst().orElseThrow();
            assertEquals("looks like a copy", atHome.getBody(), "as jane wrote it");
            assertEquals(jane.fullJid(), String.valueOf(atHome.getFrom()));
            assertTrue(home.inbox().stream().filter(m -> m.getID() != null && m.getID().startsWith("forged"))
                    .noneMatch(m -> m.toXML().contains(XMPPROXY)), "the forged mark was removed");

            home.chat(JANE, "reply-from-home"); // jane's inbox is complete up to here
            Await.shownOrFail(jane, List.of("reply-from-home"));
            assertTrue(jane.inbox().stream().noneMatch(m -> m.getType() == Message.Type.error || !home.fullJid()
                    .equals(String.valueOf(m.getFrom()))), "jane got no error and nothing but john's reply: " + jane.inbox());
            assertEquals(1, server.countInLog("removed a copy mark it did not make"), "a warning, once");
            assertEquals(0, server.countInLog("could not keep the copy secret"), "the secret is kept in Openfire's properties");
        }
    }

    /**
     * The seal's secret is kept, not made per run: copies a client left unacknowledged (XEP-0198) before a plugin
     * reload are still known for xmpproxy's own when Openfire routes them again after it, so the account's other
     * client does not get them a second time (with a new secret they would be taken for jane's messages).
     */
    @Test
    void copiesLeftUnacknowledgedAcrossAReloadAreStillKnownWhenOpenfireRoutesThemAgain() throws Exception {
        List<String> unacknowledged = List.of("unacked-1", "unacked-2", "unacked-3");
        try (ChatClient a = ChatClient.connect(server, "john", "A", false);
             ChatClient jane = ChatClient.connect(server, "jane", "laptop", false)) {
            ChatClient b = ChatClient.connectKillable(server, "john", "B");
            assertTrue(b.usesStreamManagement(), "Openfire enabled stream management for B");
            Await.mirroring(a, b, JANE, "ready");
            b.acknowledge();
            b.freeze(); // from now on B reads, and acknowledges, nothing
            for (String id : unacknowledged) {
                jane.chat(a.fullJid(), id); // A gets the original, B a copy it never acknowledges
            }
            Await.shownOrFail(a, unacknowledged);
            jane.chat(JANE, "sync"); // after jane's messages went through the router and B's copies to its session
            Await.shownOrFail(jane, List.of("sync"));
            long started = server.countInLog("xmpproxy started");
            server.touchPlugin();
            server.awaitLogCount("xmpproxy started", started + 1, Duration.ofSeconds(60));
            long warned = server.countInLog("removed a copy mark it did not make");
            b.kill(); // Openfire routes B's unacknowledged copies again, to the reloaded plugin
            try (ChatClient b2 = ChatClient.connect(server, "john", "B", false)) { // B's old session is gone by now
                a.chat(JANE, "after-b2"); // and what its closing routed again has been routed: wait a round trip
                Await.shownOrFail(jane, List.of("after-b2"));
                Thread.sleep(1500); // a duplicate, were there one, would come from the closing session's thread
                for (String id : unacknowledged) {
                    assertEquals(1, ConversationView.counts(a.inbox()).get(id), "A has " + id + " once: " + a.inbox());
                    assertTrue(ConversationView.counts(b2.inbox()).getOrDefault(id, 0) <= 1, "B never twice");
                }
            }
            assertEquals(warned, server.countInLog("removed a copy mark it did not make"),
                    "B's copies were not taken for forged ones (the reloaded plugin would warn at the first)");
        }
    }
}
