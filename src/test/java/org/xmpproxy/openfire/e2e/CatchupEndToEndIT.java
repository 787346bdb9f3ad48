package org.xmpproxy.openfire.e2e;

import static org.xmpproxy.openfire.e2e.Shown.once;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.xmpp.packet.Message;
import org.xmpproxy.core.flow.ConversationView;

/**
 * Catch-up where Openfire's own delivery leaves gaps, in a real Openfire with real clients: what its offline
 * store hands to one client only, what a catch-up bound leaves out, and what a client that dropped its
 * connection never acknowledged (XEP-0198). Runs only with {@code -Dopenfire.home=<an Openfire 5.1 installation>}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CatchupEndToEndIT {
    private static final String JOHN = "john@" + OpenfireServer.DOMAIN;
    private static final String BOT = "xmpproxy." + OpenfireServer.DOMAIN;
    /** Long enough for a message that should not come (a second copy) to show up. */
    private static OpenfireServer server;

    @BeforeAll
    static void startOpenfire() throws Exception {
        server = OpenfireServer.startFor(CatchupEndToEndIT.class, List.of("john", "jane", "mary", "paul", "lisa"));
    }

    @AfterAll
    static void stopOpenfire() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /**
     * Both of mary's clients are away; jane writes 10 messages, which Openfire stores offline. The first client
     * back gets them from Openfire's offline store (and only from there); the second gets each once by catch-up,
     * with its original time.
     */
    @Order(1)
    @Test
    void whatOpenfiresOfflineStoreGaveTheFirstClientBackReachesTheSecondByCatchup() throws Exception {
        String mary = "mary@" + OpenfireServer.DOMAIN;
        ChatClient.connect(server, "mary", "phone", false).close(); // both have been seen: they have marks
        ChatClient.connect(server, "mary", "laptop", false).close();
        List<String> ids = ids("flush-", 10);
        try (ChatClient jane = ChatClient.connect(server, "jane", "desk", false)) {
            for (String id : ids) {
                jane.chat(mary, id);
            }
            roundTrip(jane); // all 10 routed: nobody online, Openfire stored them
        }
        try (ChatClient phone = ChatClient.connect(server, "mary", "phone", false)) {
            Await.shown(phone, ids);
            List<Message> fromStore = only(ids, phone.inbox());
            assertTrue(fromStore.stream().noneMatch(CatchupEndToEndIT::isCopy), "the phone's are Openfire's offline messages");
            assertTrue(fromStore.stream().allMatch(CatchupEndToEndIT::hasDelay), "stamped by Openfire's offline store");
            try (ChatClient laptop = ChatClient.connect(server, "mary", "laptop", false)) {
                Await.shown(laptop, ids);
                Await.quiet();
                List<Message> caughtUp = only(ids, laptop.inbox());
                assertEquals(ids, ConversationView.shownIds(caughtUp), "the laptop gets each once, in order");
                assertTrue(caughtUp.stream().allMatch(m -> isCopy(m) && hasDelay(m)), "by catch-up, with the original time");
                assertEquals(once(ids), counts(ids, phone.inbox()), "the phone does not get them a second time");
            }
        }
    }

    /** Two clients come back at the same moment: whichever Openfire hands the offline messages to, each ends with each once. */
    @Order(1)
    @Test
    void twoClientsBackAtOnceEachGetEveryOfflineMessageOnce() throws Exception {
        String paul = "paul@" + OpenfireServer.DOMAIN;
        ChatClient.connect(server, "paul", "one", false).close();
        ChatClient.connect(server, "paul", "two", false).close();
        ChatClient.connect(server, "paul", "three", false).close();
        List<String> ids = ids("together-", 10);
        try (ChatClient jane = ChatClient.connect(server, "jane", "desk", false)) {
            for (String id : ids) {
                jane.chat(paul, id);
            }
            roundTrip(jane);
        }
        CompletableFuture<ChatClient> one = CompletableFuture.supplyAsync(() -> connect("paul", "one"));
        CompletableFuture<ChatClient> two = CompletableFuture.supplyAsync(() -> connect("paul", "two"));
        try (ChatClient first = one.join(); ChatClient second = two.join();
             ChatClient third = ChatClient.connect(server, "paul", "three", false)) {
            for (ChatClient client : List.of(first, second, third)) {
                Await.shown(client, ids);
            }
            Await.quiet();
            for (ChatClient client : List.of(first, second, third)) {
                assertEquals(once(ids), counts(ids, client.inbox()), client.resource + " gets each once");
            }
        }
    }

    /**
     * A client killed mid-flow (its socket closed, no {@code </stream>}) with copies it never acknowledged
     * (XEP-0198): it gets exactly those, and what flowed while it was away, at its next catch-up; what it
     * acknowledged does not come again.
     */
    @Order(2)
    @Test
    void aClientKilledMidFlowGetsWhatItNeverAcknowledgedOnce() throws Exception {
        ChatClient.connect(server, "john", "B", false).close();
        List<String> acknowledged = ids("acked-", 5);
        List<String> unacknowledged = ids("unacked-", 5);
        List<String> whileAway = ids("gone-", 5);
        List<Message> seenBeforeTheKill;
        try (ChatClient a = ChatClient.connect(server, "john", "A", false);
             ChatClient jane = ChatClient.connect(server, "jane", "laptop", false)) {
            a.awaitNoSessionOf(JOHN + "/B"); // B's first session torn down: the next one replaces nothing
            ChatClient b = ChatClient.connectKillable(server, "john", "B");
            assertTrue(b.usesStreamManagement(), "Openfire enabled stream management for B");
            roundTrip(b); // B's presence is in: from now on it gets copies live
            for (String id : acknowledged) {
                jane.chat(a.fullJid(), id); // A gets the original, B a copy
            }
            Await.shown(b, acknowledged);
            b.acknowledge();
            b.freeze(); // from now on B reads, and acknowledges, nothing
            for (String id : unacknowledged) {
                jane.chat(a.fullJid(), id);
            }
            Await.shown(a, unacknowledged); // routed, and B's copies handed to its session
            roundTrip(jane);
            b.kill();
            seenBeforeTheKill = b.inbox();
            for (String id : whileAway) {
                jane.chat(a.fullJid(), id);
            }
            Await.shown(a, whileAway);
        }
        assertEquals(once(acknowledged), counts(all(acknowledged, unacknowledged, whileAway), seenBeforeTheKill),
                "before it was killed, B read exactly the acknowledged ones");
        try (ChatClient b = ChatClient.connect(server, "john", "B", false)) {
            List<String> expected = all(unacknowledged, whileAway);
            Await.shown(b, expected);
            Await.quiet();
            List<Message> caughtUp = only(all(acknowledged, unacknowledged, whileAway), b.inbox());
            assertEquals(expected, ConversationView.shownIds(caughtUp), "the unacknowledged and the missed, each once, in order; none it acknowledged");
            assertTrue(caughtUp.stream().allMatch(CatchupEndToEndIT::hasDelay), "with their original time");
        }
    }

    /**
     * The same when Openfire chose the killed client for messages to the account's bare JID: it held the
     * originals (the others had copies). Openfire routes what it left unacknowledged again; the other client
     * does not get it twice, and the killed one gets it at its next catch-up.
     */
    @Order(2)
    @Test
    void aKilledClientThatHeldTheOriginalsGetsThemAgainAndNobodyElseTwice() throws Exception {
        ChatClient.connect(server, "john", "B", false).close();
        List<String> acknowledged = ids("bare-acked-", 5);
        List<String> unacknowledged = ids("bare-unacked-", 5);
        List<String> everything = all(acknowledged, unacknowledged);
        try (ChatClient a = ChatClient.connect(server, "john", "A", false);
             ChatClient jane = ChatClient.connect(server, "jane", "laptop", false)) {
            a.awaitNoSessionOf(JOHN + "/B"); // B's first session torn down: the next one replaces nothing
            ChatClient b = ChatClient.connectKillable(server, "john", "B");
            b.setPriority(10); // Openfire delivers messages to the bare JID to B alone
            for (String id : acknowledged) {
                jane.chat(JOHN, id);
            }
            Await.shown(b, acknowledged);
            assertTrue(only(acknowledged, b.inbox()).stream().noneMatch(CatchupEndToEndIT::isCopy), "B got the originals");
            b.acknowledge();
            b.freeze();
            for (String id : unacknowledged) {
                jane.chat(JOHN, id);
            }
            Await.shown(a, unacknowledged); // A's copies: B's originals were handed to its session
            b.kill();
            assertEquals(once(acknowledged), counts(everything, b.inbox()), "B read the acknowledged ones only");
            try (ChatClient b2 = ChatClient.connect(server, "john", "B", false)) {
                Await.shown(b2, unacknowledged);
                Await.quiet();
                assertEquals(unacknowledged, ConversationView.shownIds(only(everything, b2.inbox())),
                        "B gets what it did not acknowledge, once");
                assertEquals(once(everything), counts(everything, a.inbox()), "A gets nothing twice");
            }
        }
    }

    /**
     * A phone changes networks: it logs in again as lisa/phone while its old connection, which stopped reading, is
     * still open on the server, and Openfire answers the old one with {@code <conflict/>}. Messages flow all along,
     * before, while the old connection hangs and after. The new session's catch-up is not undone by whatever the old
     * session's teardown reports late: it ends with every message once, the desk too, and at the phone's next login
     * nothing of it comes again.
     */
    @Order(2)
    @Test
    void aClientLoggingInAgainWithTheSameResourceEndsWithEachMessageOnce() throws Exception {
        String lisa = "lisa@" + OpenfireServer.DOMAIN;
        ChatClient.connect(server, "lisa", "phone", false).close();
        List<String> whileAway = ids("away-", 5);
        List<String> whileHanging = ids("hanging-", 5);
        List<String> afterwards = ids("after-", 5);
        List<String> everything = all(whileAway, whileHanging, afterwards);
        try (ChatClient desk = ChatClient.connect(server, "lisa", "desk", false);
             ChatClient jane = ChatClient.connect(server, "jane", "tablet", false)) {
            for (String id : whileAway) {
                jane.chat(lisa, id);
            }
            Await.shown(desk, whileAway);
            desk.awaitNoSessionOf(lisa + "/phone"); // the first phone session torn down: only the next login replaces one
            ChatClient old = ChatClient.connectKillable(server, "lisa", "phone");
            old.freeze(); // the network is gone; the server does not know yet
            for (String id : whileHanging) {
                jane.chat(lisa, id);
            }
            Await.shown(desk, whileHanging);
            try (ChatClient phone = ChatClient.connect(server, "lisa", "phone", false)) {
                awaitCopiesReach(desk, phone, jane.fullJid());
                for (String id : afterwards) {
                    jane.chat(lisa, id);
                }
                Await.shown(phone, everything);
                Await.quiet();
                assertEquals(once(everything), counts(everything, phone.inbox()), "the new session gets each once");
                assertEquals(once(everything), counts(everything, desk.inbox()), "the desk gets each once");
                old.kill();
            }
            List<String> later = ids("later-", 3);
            for (String id : later) {
                jane.chat(lisa, id);
            }
            Await.shown(desk, later);
            try (ChatClient phone = ChatClient.connect(server, "lisa", "phone", false)) {
                Await.shown(phone, later);
                Await.quiet();
                assertEquals(later, ConversationView.shownIds(only(all(everything, later), phone.inbox())),
                        "its mark was saved: only what came since");
            }
        }
    }

    /**
     * Waits until a message the desk sends reaches the new phone as a copy. Openfire 5.1.1 may take the replaced
     * session's late "unavailable" for the new session (its presence handler looks the session up by address, after
     * the new one took the route): the server then treats the new phone as away, with or without xmpproxy, and a
     * client would have to send its presence again. So the phone does, when no copy reaches it within 2 s.
     */
    private static void awaitCopiesReach(ChatClient desk, ChatClient phone, String peer) throws Exception {
        for (int i = 0; i < 10; i++) {
            String id = "phone-ready-" + i;
            desk.chat(peer, id);
            java.time.Instant next = java.time.Instant.now().plusSeconds(2);
            while (java.time.Instant.now().isBefore(next)) {
                if (ConversationView.shownIds(phone.inbox()).contains(id)) {
                    return;
                }
                Thread.sleep(20);
            }
            phone.setPriority(0);
        }
        throw new AssertionError("no copy reached the new phone session");
    }

    /**
     * The catch-up bound (here 20) cuts a long absence short: the client gets the newest 20 and a chat line from
     * the bot, in its language, with the count and the command for more; the admin page counts it.
     */
    @Order(3)
    @Test
    void aClientAwayLongerThanTheBoundIsToldWhatWasLeftOut() throws Exception {
        AdminConsole admin = AdminConsole.login(server);
        admin.set("xmpproxy.catchup.maxCount", "20");
        try {
            ChatClient.connect(server, "john", "B", false).close();
            ChatClient.connect(server, "john", "C", false).close();
            List<String> ids = ids("long-", 32);
            try (ChatClient a = ChatClient.connect(server, "john", "A", false);
                 ChatClient jane = ChatClient.connect(server, "jane", "laptop", false)) {
                for (String id : ids) {
                    jane.chat(a.fullJid(), id);
                }
                Await.shown(a, ids);
            }
            List<String> newest = ids.subList(12, 32);
            try (ChatClient b = ChatClient.connect(server, "john", "B", false);
                 ChatClient c = ChatClient.connectInLanguage(server, "john", "C", Locale.forLanguageTag("sv"))) {
                Await.shown(b, newest);
                Await.shown(c, newest);
                Await.until(() -> notices(b).size() == 1 && notices(c).size() == 1);
                Await.quiet();
                assertEquals(newest, ConversationView.shownIds(only(ids, b.inbox())), "the newest 20, once, in order");
                assertEquals(List.of("32 messages while you were away; showing the newest 20; type replay 32 for more."),
                        notices(b));
                assertEquals(List.of("32 meddelanden medan du var borta; visar de 20 senaste; skriv replay 32 för fler."),
                        notices(c), "in C's language");
            }
            String page = admin.page();
            assertTrue(AdminConsole.counter(page, "Catch-ups cut short by their bound") >= 2, "counted on the admin page");
            assertTrue(AdminConsole.counter(page, "Messages those catch-ups left out") >= 24, "12 left out for each");
        } finally {
            admin.set("xmpproxy.catchup.maxCount", "2000");
        }
    }

    /**
     * A day of a busy user's chat (500 messages, the default bound) while the laptop was closed: all of it in one
     * catch-up, no notice; the time from login to the last message is printed.
     */
    @Order(4)
    @Test
    void aDayOfChatIsCaughtUpInOneGoWithTheDefaultBound() throws Exception {
        int day = 500; // xmpproxy.catchup.maxCount's default
        AdminConsole admin = AdminConsole.login(server);
        admin.set("xmpproxy.catchup.maxCount", Integer.toString(day));
        try {
            ChatClient.connect(server, "john", "laptop", false).close();
            List<String> ids = ids("day-", day);
            try (ChatClient phone = ChatClient.connect(server, "john", "phone", false);
                 ChatClient jane = ChatClient.connect(server, "jane", "laptop", false)) {
                for (String id : ids) {
                    jane.chat(phone.fullJid(), id);
                }
                Await.shown(phone, ids);
            }
            long started = System.nanoTime();
            try (ChatClient laptop = ChatClient.connect(server, "john", "laptop", false)) {
                Await.shown(laptop, ids);
                long millis = (System.nanoTime() - started) / 1_000_000;
                System.out.printf("MEASURED catch-up of a day of chat, %d messages: %d ms from login to the last message"
                        + " (including the 1000 ms wait for Openfire's offline messages)%n", day, millis);
                Await.quiet();
                assertEquals(once(ids), counts(ids, laptop.inbox()));
                assertEquals(List.of(), notices(laptop), "nothing left out: no notice");
            }
        } finally {
            admin.set("xmpproxy.catchup.maxCount", "2000");
        }
    }

    private static ChatClient connect(String user, String resource) {
        try {
            return ChatClient.connect(server, user, resource, false);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the bot told the client, in order. */
    private static List<String> notices(ChatClient client) {
        return client.inbox().stream().filter(m -> m.getFrom() != null && BOT.equals(m.getFrom().toString()))
                .map(Message::getBody).toList();
    }

    /** Waits until the server has handled everything the client sent before. */
    private static void roundTrip(ChatClient client) throws Exception {
        org.jivesoftware.smackx.ping.PingManager.getInstanceFor(client.connection()).pingMyServer(false);
    }

    private static boolean isCopy(Message message) {
        return message.getChildElement("copy", "urn:xmpproxy:copy:0") != null;
    }

    private static boolean hasDelay(Message message) {
        return message.getChildElement("delay", "urn:xmpp:delay") != null
                || message.getElement().selectSingleNode(".//*[local-name()='delay']") != null;
    }

    private static List<String> ids(String prefix, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(prefix + i);
        }
        return ids;
    }

    @SafeVarargs
    private static List<String> all(List<String>... lists) {
        List<String> all = new ArrayList<>();
        for (List<String> list : lists) {
            all.addAll(list);
        }
        return all;
    }

    /** The messages among {@code inbox} that show one of {@code ids}. */
    private static List<Message> only(Collection<String> ids, List<Message> inbox) {
        return inbox.stream().filter(m -> {
            List<String> shown = ConversationView.shownIds(List.of(m));
            return !shown.isEmpty() && ids.contains(shown.get(0));
        }).toList();
    }

    private static Map<String, Integer> counts(List<String> ids, List<Message> inbox) {
        Map<String, Integer> kept = new LinkedHashMap<>(ConversationView.counts(inbox));
        kept.keySet().retainAll(ids);
        return kept;
    }
}
