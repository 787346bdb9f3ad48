package org.xmpproxy.openfire.e2e;

import static org.xmpproxy.openfire.e2e.Shown.once;
import static org.xmpproxy.openfire.e2e.Shown.onlyOf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jivesoftware.smack.packet.Message.Type;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xmpproxy.core.flow.ConversationView;

/**
 * The plugin in a real Openfire, driven by real clients over TCP. Runs only with
 * {@code -Dopenfire.home=<an Openfire 5.1 installation>}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenfireEndToEndIT {
    private static final String JOHN = "john@" + OpenfireServer.DOMAIN;
    private static final String JANE = "jane@" + OpenfireServer.DOMAIN;
    /** How long a client is waited for to show the ids it should (returns silently after). */
    private static final Duration SHOWN = Duration.ofSeconds(15);
    private static OpenfireServer server;
    private static int conversation;

    @BeforeAll
    static void startOpenfire() throws Exception {
        server = OpenfireServer.startFor(OpenfireEndToEndIT.class, List.of("john", "jane", "joe"));
    }

    @AfterAll
    static void stopOpenfire() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** docs/design.md's measured scenario, per carbons combination: every client ends with every message exactly once. */
    @Order(1)
    @ParameterizedTest(name = "home carbons {0}, work carbons {1}")
    @CsvSource({"false,false", "true,false", "false,true", "true,true"})
    void everyClientSeesEveryMessageExactlyOnce(boolean homeCarbons, boolean workCarbons) throws Exception {
        try (ChatClient home = ChatClient.connect(server, "john", "home", homeCarbons);
             ChatClient work = ChatClient.connect(server, "john", "work", workCarbons);
             ChatClient jane = ChatClient.connect(server, "jane", "laptop", false);
             ChatClient joe = ChatClient.connect(server, "joe", "desk", false)) {
            settle();
            List<String> ids = converse(home, work, jane, 10);

            Map<String, Integer> homeExpected = once(without(ids, "from-home"));
            Map<String, Integer> workExpected = once(without(ids, "from-work"));
            Map<String, Integer> janeExpected = once(ids.stream().filter(id -> id.contains("from-")).toList());
            Await.shown(home, homeExpected.keySet(), SHOWN);
            Await.shown(work, workExpected.keySet(), SHOWN);
            Await.shown(jane, janeExpected.keySet(), SHOWN);
            Thread.sleep(1000); // room for a duplicate to show up

            // Only this conversation: a client may also catch up on what earlier tests said while it was away.
            assertEquals(homeExpected, onlyOf(ids, ConversationView.counts(home.inbox())), "john/home");
            assertEquals(workExpected, onlyOf(ids, ConversationView.counts(work.inbox())), "john/work");
            assertEquals(janeExpected, onlyOf(ids, ConversationView.counts(jane.inbox())), "jane gets each of john's messages once");
            assertEquals(List.of(), joe.inbox(), "another account gets nothing");
        }
    }

    @Order(2)
    @Test
    void privateNoCopyAndGroupchatMessagesAreNotCopied() throws Exception {
        try (ChatClient home = ChatClient.connect(server, "john", "home", false);
             ChatClient work = ChatClient.connect(server, "john", "work", false);
             ChatClient jane = ChatClient.connect(server, "jane", "laptop", false)) {
            settle();
            String to = home.fullJid();
            jane.send(to, "private-1", Type.chat, "private", ChatClient.element("private", "urn:xmpp:carbons:2"));
            jane.send(to, "nocopy-1", Type.chat, "no copy", ChatClient.element("no-copy", "urn:xmpp:hints"));
            jane.send(to, "groupchat-1", Type.groupchat, "groupchat");
            jane.chat(to, "sentinel-1"); // copied; routed after the others on the same connection
            Await.shown(work, List.of("sentinel-1"), SHOWN);
            Await.shown(home, List.of("private-1", "nocopy-1", "groupchat-1", "sentinel-1"), SHOWN);
            Thread.sleep(500);
            assertEquals(List.of("sentinel-1"), ConversationView.shownIds(work.inbox()));
        }
    }

    @Order(3)
    @Test
    void legacyClientsSeeTheirAccountsSentMessagesInTheConversationWithThePeer() throws Exception {
        try (ChatClient home = ChatClient.connect(server, "john", "home", false);
             ChatClient work = ChatClient.connect(server, "john", "work", false);
             ChatClient jane = ChatClient.connect(server, "jane", "laptop", false)) {
            settle();
            home.chat(JANE, "legacy-sent-1");
            Await.shown(work, List.of("legacy-sent-1"), SHOWN);
            var copy = work.inbox().get(0);
            assertEquals(JANE, copy.getFrom().toString());
            assertEquals("[me] text of legacy-sent-1", copy.getBody());
        }
    }

    /** The root bot: local users manage their own account by chatting with it, and only their own. */
    @Order(4)
    @Test
    void theBotManagesTheSendersAccountOnly() throws Exception {
        String bot = "xmpproxy." + OpenfireServer.DOMAIN;
        try (ChatClient home = ChatClient.connect(server, "john", "home", false);
             ChatClient work = ChatClient.connect(server, "john", "work", false);
             ChatClient jane = ChatClient.connect(server, "jane", "laptop", false)) {
            settle();
            assertTrue(askBot(home, bot, "status").contains("Mirroring is ON"));
            assertTrue(askBot(home, bot, "off").contains("OFF"));
            jane.chat(home.fullJid(), "while-off");
            assertTrue(askBot(jane, bot, "user john on").contains("I do not know \"user\""), "users cannot reach others");
            jane.chat(home.fullJid(), "still-off");
            Await.shown(home, List.of("while-off", "still-off"), SHOWN);
            Thread.sleep(500);
            assertFalse(ConversationView.shownIds(work.inbox()).contains("while-off"), "mirroring is off for john");
            assertTrue(askBot(home, bot, "on").contains("ON"));
            jane.chat(home.fullJid(), "back-on");
            Await.shown(work, List.of("back-on"), SHOWN);
            assertTrue(askBot(work, bot, "mode \"home\" off").contains("Mode of home is now off"));
            jane.chat(work.fullJid(), "home-is-off");
            Await.shown(work, List.of("home-is-off"), SHOWN);
            Thread.sleep(500);
            assertFalse(ConversationView.shownIds(home.inbox()).contains("home-is-off"), "home's mode is off");
            assertTrue(askBot(work, bot, "mode home auto").contains("now auto"));
            // Issue 9.4: home's talk with the bot (its "on" came before work's commands) is not copied to work.
            assertEquals(2, work.inbox().stream().filter(m -> bot.equals(String.valueOf(m.getFrom()))).count(),
                    "work has only the bot's answers to its own two commands");
            String unknown = askBot(home, bot, "frobnicate");
            assertTrue(unknown.startsWith("I do not know"), unknown);
        }
    }

    /**
     * An account with one client online and its history off is not followed (nothing could be copied or kept);
     * its second client still gets copies from the moment it is online.
     */
    @Order(4)
    @Test
    void withoutHistoryASecondClientGetsCopiesFromItsFirstMessage() throws Exception {
        String bot = "xmpproxy." + OpenfireServer.DOMAIN;
        try (ChatClient home = ChatClient.connect(server, "john", "home", false);
             ChatClient jane = ChatClient.connect(server, "jane", "laptop", false)) {
            settle();
            assertEquals("History is now off; what is kept stays until you type history clear.", askBot(home, bot, "history off"));
            try {
                jane.chat(home.fullJid(), "alone-1");
                home.chat(JANE, "alone-2");
                Await.shown(home, List.of("alone-1"), SHOWN);
                Await.shown(jane, List.of("alone-2"), SHOWN);
                try (ChatClient work = ChatClient.connect(server, "john", "work", false)) {
                    settle();
                    jane.chat(home.fullJid(), "pair-1");
                    home.chat(JANE, "pair-2");
                    Await.shown(work, List.of("pair-1", "pair-2"), SHOWN);
                    List<String> pair = List.of("pair-1", "pair-2");
                    assertEquals(Map.of("pair-1", 1, "pair-2", 1), onlyOf(pair, ConversationView.counts(work.inbox())), "each copy once");
                }
            } finally {
                assertEquals("History is now on.", askBot(home, bot, "history on"));
            }
        }
    }

    /** The same actions from a client's commands menu (XEP-0050). */
    @Order(4)
    @Test
    void theBotsAdHocCommandsListAndExecute() throws Exception {
        var bot = org.jxmpp.jid.impl.JidCreate.from("xmpproxy." + OpenfireServer.DOMAIN);
        try (ChatClient home = ChatClient.connect(server, "john", "home", false)) {
            var manager = org.jivesoftware.smackx.commands.AdHocCommandManager.getAddHocCommandsManager(home.connection());
            List<String> nodes = manager.discoverCommands(bot).getItems().stream().map(i -> i.getNode()).toList();
            assertEquals(List.of("status", "on", "off", "mode", "history", "replay", "catchup"), nodes);
            var status = manager.getRemoteCommand(bot, "status");
            status.execute();
            assertTrue(status.getNotes().get(0).getValue().contains("Mirroring is ON"), status.getNotes().get(0).getValue());

            var mode = manager.getRemoteCommand(bot, "mode");
            mode.execute();
            var form = new org.jivesoftware.smackx.xdata.form.Form(mode.getForm()).getFillableForm();
            form.setAnswer("resource", "home");
            form.setAnswer("mode", "legacy");
            mode.complete(form);
            assertTrue(mode.getNotes().get(0).getValue().contains("Mode of home is now legacy"), mode.getNotes().get(0).getValue());
            mode = manager.getRemoteCommand(bot, "mode");
            mode.execute();
            form = new org.jivesoftware.smackx.xdata.form.Form(mode.getForm()).getFillableForm();
            form.setAnswer("resource", "home");
            form.setAnswer("mode", "auto");
            mode.complete(form);
        }
    }

    /** The bot is put in each user's roster once, with subscription both, and shows online. */
    @Order(4)
    @Test
    void theBotIsInTheRosterAndOnlineOnce() throws Exception {
        var bot = org.jxmpp.jid.impl.JidCreate.bareFrom("xmpproxy." + OpenfireServer.DOMAIN);
        try (ChatClient joe = ChatClient.connect(server, "joe", "roster-check", false)) {
            var roster = org.jivesoftware.smack.roster.Roster.getInstanceFor(joe.connection());
            roster.reloadAndWait();
            Await.until(() -> roster.getEntry(bot) != null && roster.getPresence(bot).isAvailable(), Duration.ofSeconds(10));
            var entry = roster.getEntry(bot);
            assertTrue(entry != null, "the bot is in joe's roster");
            assertEquals(org.jivesoftware.smack.roster.packet.RosterPacket.ItemType.both, entry.getType());
            assertTrue(roster.getPresence(bot).isAvailable(), "the bot shows online");
            roster.removeEntry(entry);
        }
        try (ChatClient joe = ChatClient.connect(server, "joe", "roster-check", false)) {
            var roster = org.jivesoftware.smack.roster.Roster.getInstanceFor(joe.connection());
            roster.reloadAndWait();
            Thread.sleep(1500);
            roster.reloadAndWait();
            assertEquals(null, roster.getEntry(bot), "removed by the user: not added again");
        }
    }

    private static String askBot(ChatClient client, String bot, String command) throws Exception {
        int before = client.inbox().size();
        client.send(bot, "cmd-" + System.nanoTime(), Type.chat, command);
        Await.until(() -> client.inbox().stream().skip(before).anyMatch(m -> bot.equals(String.valueOf(m.getFrom()))), Duration.ofSeconds(10));
        return client.inbox().stream().skip(before).filter(m -> bot.equals(String.valueOf(m.getFrom())))
                .map(m -> m.getBody()).findFirst().orElseThrow(() -> new AssertionError("no answer to " + command));
    }

    /** Reloads the plugin while messages flow: afterwards exactly one interceptor is left and nothing is lost. */
    @Order(5)
    @Test
    void reloadingThePluginLeavesOneInterceptor() throws Exception {
        int reloads = Integer.getInteger("e2e.reloads", 3);
        try (ChatClient home = ChatClient.connect(server, "john", "home", false);
             ChatClient jane = ChatClient.connect(server, "jane", "laptop", false)) {
            AtomicBoolean flowing = new AtomicBoolean(true);
            Thread traffic = new Thread(() -> {
                for (int i = 0; flowing.get(); i++) {
                    try {
                        jane.chat(JOHN, "during-reload-" + i);
                        Thread.sleep(50);
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            traffic.start();
            try {
                for (int i = 0; i < reloads; i++) {
                    long started = server.countInLog("xmpproxy started");
                    server.touchPlugin();
                    server.awaitLogCount("xmpproxy started", started + 1, Duration.ofSeconds(60));
                }
            } finally {
                flowing.set(false);
                traffic.join();
            }
        }
        assertEquals(reloads + 1, server.countInLog("xmpproxy started"));
        everyClientSeesEveryMessageExactlyOnce(false, false);
    }

    /** Clients logged in before the plugin (re)starts are known to it from the start: each gets its copies. */
    @Order(6)
    @Test
    void clientsLoggedInBeforeAReloadStillGetTheirCopies() throws Exception {
        try (ChatClient home = ChatClient.connect(server, "john", "home", false);
             ChatClient phone = ChatClient.connect(server, "john", "phone", false);
             ChatClient jane = ChatClient.connect(server, "jane", "laptop", false)) {
            long started = server.countInLog("xmpproxy started");
            server.touchPlugin();
            server.awaitLogCount("xmpproxy started", started + 1, Duration.ofSeconds(60));
            jane.chat(home.fullJid(), "to-home-after-reload");
            home.chat(JANE, "from-home-after-reload");
            List<String> ids = List.of("to-home-after-reload", "from-home-after-reload");
            Await.shown(phone, ids, SHOWN);
            assertEquals(once(ids), onlyOf(ids, ConversationView.counts(phone.inbox())), "the phone's copies");
        }
    }

    /** Catch-up: B was away while A talked; B comes back and receives exactly what it missed, once, in order. */
    @Order(6)
    @Test
    void aClientThatWasAwayCatchesUpExactlyOnce() throws Exception {
        try (ChatClient a = ChatClient.connect(server, "john", "A", false);
             ChatClient jane = ChatClient.connect(server, "jane", "laptop", false)) {
            ChatClient.connect(server, "john", "B", false).close(); // B has been seen: it has a mark
            settle();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                String id = "away-" + i;
                // Each message is delivered before the next is sent, so the conversation has one order.
                switch (i % 3) {
                    case 0 -> {
                        jane.chat(JOHN, id);
                        Await.shown(a, List.of(id), SHOWN);
                    }
                    case 1 -> {
                        jane.chat(a.fullJid(), id);
                        Await.shown(a, List.of(id), SHOWN);
                    }
                    default -> {
                        a.chat(JANE, id);
                        Await.shown(jane, List.of(id), SHOWN);
                    }
                }
                ids.add(id);
            }
            Thread.sleep(300); // the history writer commits
            try (ChatClient b = ChatClient.connect(server, "john", "B", false)) {
                Await.shown(b, ids, SHOWN);
                Thread.sleep(1000);
                var caughtUp = b.inbox().stream().filter(m -> ConversationView.shownIds(List.of(m)).get(0).startsWith("away-")).toList();
                assertEquals(ids, ConversationView.shownIds(caughtUp), "each missed message once, in order");
                assertTrue(caughtUp.stream().allMatch(m -> m.getChildElement("delay", "urn:xmpp:delay") != null),
                        "every catch-up message carries its original time");
            }
        }
    }

    /** Measures a catch-up of 1,000 messages (printed), and checks each arrives once. */
    @Order(6)
    @Test
    void aCatchupOfAThousandMessages() throws Exception {
        List<String> ids = new ArrayList<>();
        try (ChatClient a = ChatClient.connect(server, "john", "A", false);
             ChatClient jane = ChatClient.connect(server, "jane", "laptop", false)) {
            ChatClient.connect(server, "john", "B", false).close();
            settle();
            for (int i = 0; i < 1000; i++) {
                jane.chat(a.fullJid(), "bulk-" + i);
                ids.add("bulk-" + i);
            }
            Await.shown(a, ids, SHOWN);
            Thread.sleep(500);
        }
        long started = System.nanoTime();
        try (ChatClient b = ChatClient.connect(server, "john", "B", false)) {
            Await.until(() -> ConversationView.shownIds(b.inbox()).containsAll(ids), Duration.ofSeconds(60));
            long millis = (System.nanoTime() - started) / 1_000_000;
            System.out.printf("MEASURED catch-up of %d messages: %d ms from login to the last message"
                    + " (including the %d ms wait for Openfire's offline messages)%n", ids.size(), millis, 1000);
            Thread.sleep(500);
            assertEquals(once(ids), onlyOf(ids, ConversationView.counts(b.inbox())));
        }
    }

    @Order(6)
    @Test
    void reconnectingTwiceInASecondStillGivesEachMissedMessageOnce() throws Exception {
        try (ChatClient a = ChatClient.connect(server, "john", "A", false);
             ChatClient jane = ChatClient.connect(server, "jane", "laptop", false)) {
            ChatClient.connect(server, "john", "B", false).close();
            settle();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                jane.chat(a.fullJid(), "churn-" + i);
                ids.add("churn-" + i);
            }
            Await.shown(a, ids, SHOWN);
            Thread.sleep(300);
            List<org.xmpp.packet.Message> seenByB = new ArrayList<>();
            for (int quick = 0; quick < 2; quick++) {
                ChatClient b = ChatClient.connect(server, "john", "B", false);
                Thread.sleep(100);
                b.close();
                seenByB.addAll(b.inbox());
            }
            try (ChatClient b3 = ChatClient.connect(server, "john", "B", false)) {
                Await.shown(b3, ids.stream().filter(id -> !ConversationView.shownIds(seenByB).contains(id)).toList(), SHOWN);
                Thread.sleep(1000);
                seenByB.addAll(b3.inbox());
            }
            assertEquals(once(ids), onlyOf(ids, ConversationView.counts(seenByB)));
        }
    }

    /** Churn: B joins and leaves every few hundred milliseconds while messages flow; it ends with each once. */
    @Order(6)
    @Test
    void underChurnEachMessageReachesTheChurningClientOnce() throws Exception {
        List<org.xmpp.packet.Message> seenByB = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        try (ChatClient a = ChatClient.connect(server, "john", "A", false);
             ChatClient jane = ChatClient.connect(server, "jane", "laptop", false)) {
            ChatClient.connect(server, "john", "B", false).close();
            settle();
            AtomicBoolean flowing = new AtomicBoolean(true);
            List<String> sent = java.util.Collections.synchronizedList(new ArrayList<>());
            Thread traffic = new Thread(() -> {
                for (int i = 0; flowing.get() && i < 400; i++) {
                    try {
                        String id = "churn2-" + i;
                        jane.chat(i % 2 == 0 ? JOHN : a.fullJid(), id);
                        sent.add(id);
                        Thread.sleep(40);
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            traffic.start();
            for (int round = 0; round < 8; round++) {
                ChatClient b = ChatClient.connect(server, "john", "B", false);
                Thread.sleep(150 + (round % 3) * 150);
                b.close();
                seenByB.addAll(b.inbox()); // after the disconnect: everything this session received
                Thread.sleep(200);
            }
            flowing.set(false);
            traffic.join();
            ids.addAll(sent);
            Await.shown(a, ids.stream().filter(id -> Integer.parseInt(id.substring(7)) % 2 == 1).toList(), SHOWN);
            Thread.sleep(500);
        }
        try (ChatClient b = ChatClient.connect(server, "john", "B", false)) {
            List<String> missing = ids.stream().filter(id -> !ConversationView.shownIds(seenByB).contains(id)).toList();
            Await.shown(b, missing, SHOWN);
            Thread.sleep(1500);
            seenByB.addAll(b.inbox());
        }
        assertEquals(once(ids), onlyOf(ids, ConversationView.counts(seenByB)));
    }

    @Order(6)
    @Test
    void withNoClientOnlineOpenfiresOfflineMessagesAreAllThereIs() throws Exception {
        try (ChatClient jane = ChatClient.connect(server, "jane", "laptop", false)) {
            settle();
            for (int i = 0; i < 5; i++) {
                jane.chat(JOHN, "offline-" + i);
            }
            Thread.sleep(500);
        }
        try (ChatClient b = ChatClient.connect(server, "john", "B", false)) {
            List<String> ids = List.of("offline-0", "offline-1", "offline-2", "offline-3", "offline-4");
            Await.shown(b, ids, SHOWN);
            Thread.sleep(2500); // past the catch-up delay
            assertEquals(once(ids), onlyOf(ids, ConversationView.counts(b.inbox())));
            assertTrue(b.inbox().stream().filter(m -> ids.contains(ConversationView.shownIds(List.of(m)).get(0)))
                    .noneMatch(m -> m.getChildElement("copy", "urn:xmpproxy:copy:0") != null),
                    "no catch-up copies on top of Openfire's offline messages");
        }
    }

    /** An admin logs in to the real admin console, finds the page in Openfire's frame and changes a setting. */
    @Order(6)
    @Test
    void theAdminConsolePageChangesASetting() throws Exception {
        var cookies = new java.net.CookieManager();
        var http = loggedInToTheConsole(cookies);
        String console = "http://127.0.0.1:" + server.adminPort;

        String page = console + "/plugins/xmpproxy/xmpproxy-admin";
        var shown = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(page)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, shown.statusCode());
        assertTrue(shown.body().contains("Save Settings"), "our page");
        assertTrue(shown.body().contains("jive-footer"), "decorated: inside Openfire's frame");
        assertTrue(shown.body().contains("plugins/xmpproxy/xmpproxy-admin"), "our sidebar entry links to the page");
        screenshots(console);

        var saved = http.send(post(page, "action=settings&xmpproxy.legacy.sentPrefix=" + java.net.URLEncoder.encode(">> ", "UTF-8")
                + "&csrf=" + cookie(cookies, "xmpproxy_csrf")), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertTrue(saved.body().contains("Settings saved."), "saved");
        // Issue 11: the change is in Openfire's security audit log, in the name of the admin who made it.
        var audit = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(console + "/security-audit-viewer.jsp")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertTrue(audit.body().contains("xmpproxy: set xmpproxy.legacy.sentPrefix"), "in the Security Audit Viewer");
        String row = audit.body().substring(audit.body().indexOf("xmpproxy: set xmpproxy.legacy.sentPrefix") - 600,
                audit.body().indexOf("xmpproxy: set xmpproxy.legacy.sentPrefix"));
        assertTrue(row.contains(">admin<") || row.contains("admin</"), "by the admin logged in: " + row);
        try (ChatClient home = ChatClient.connect(server, "john", "home", false);
             ChatClient work = ChatClient.connect(server, "john", "work", false);
             ChatClient jane = ChatClient.connect(server, "jane", "laptop", false)) {
            settle();
            home.chat(JANE, "prefixed");
            Await.shown(work, List.of("prefixed"), SHOWN);
            assertTrue(work.inbox().stream().anyMatch(m -> ">> text of prefixed".equals(m.getBody())), "the new marker applies at once");
        }
        var forged = http.send(post(page, "action=settings&xmpproxy.enabled=false&csrf=forged"),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(403, forged.statusCode());
        http.send(post(page, "action=settings&xmpproxy.legacy.sentPrefix=" + java.net.URLEncoder.encode("[me] ", "UTF-8")
                + "&csrf=" + cookie(cookies, "xmpproxy_csrf")), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    /** An HTTP client logged in to the real admin console as its admin. */
    private static java.net.http.HttpClient loggedInToTheConsole(java.net.CookieManager cookies) throws Exception {
        var http = java.net.http.HttpClient.newBuilder().cookieHandler(cookies)
                .followRedirects(java.net.http.HttpClient.Redirect.NORMAL).build();
        String console = "http://127.0.0.1:" + server.adminPort;
        http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(console + "/login.jsp")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        String loginToken = cookie(cookies, "csrf");
        var login = http.send(post(console + "/login.jsp", "login=true&username=admin&password=" + OpenfireServer.ADMIN_PASSWORD
                + "&csrf=" + loginToken), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertTrue(login.body().contains("logout=true"), "logged in to the admin console");
        return http;
    }

    /**
     * Issue 10: an admin sets john's own catch-up limit on his row of the real admin page; his next catch-up
     * keeps to it (the newest 3 of 8 missed messages), and "default" gives him the server's again.
     */
    @Order(6)
    @Test
    void anAccountsCatchupLimitSetOnTheAdminPageApplies() throws Exception {
        var cookies = new java.net.CookieManager();
        var http = loggedInToTheConsole(cookies);
        String page = "http://127.0.0.1:" + server.adminPort + "/plugins/xmpproxy/xmpproxy-admin";
        http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(page + "?q=john")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        var refused = http.send(post(page, "action=accountSettings&user=john&q=john&catchup.count=10001&csrf="
                + cookie(cookies, "xmpproxy_csrf")), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(400, refused.statusCode());
        assertTrue(refused.body().contains("(the server maximum)"), "above the server maximum: refused with the reason");
        try {
            var saved = http.send(post(page, "action=accountSettings&user=john&q=john&catchup.count=3&csrf="
                    + cookie(cookies, "xmpproxy_csrf")), java.net.http.HttpResponse.BodyHandlers.ofString());
            String body = saved.body();
            assertTrue(body.contains("Account updated.") && body.contains("(now 3)"), "john's row shows his limit: " + saved.statusCode()
                    + " " + saved.uri() + "\n" + body.substring(Math.max(0, body.indexOf("Since xmpproxy")), Math.min(body.length(), body.indexOf("Since xmpproxy") + 6000)));
            List<String> ids = new ArrayList<>();
            try (ChatClient a = ChatClient.connect(server, "john", "A", false);
                 ChatClient jane = ChatClient.connect(server, "jane", "laptop", false)) {
                ChatClient.connect(server, "john", "B", false).close(); // B has been seen: it has a mark
                settle();
                for (int i = 0; i < 8; i++) {
                    jane.chat(a.fullJid(), "limited-" + i);
                    ids.add("limited-" + i);
                }
                Await.shown(a, ids, SHOWN);
            }
            try (ChatClient b = ChatClient.connect(server, "john", "B", false)) {
                List<String> newest = ids.subList(5, 8);
                Await.shown(b, newest, SHOWN);
                // A catch-up sends oldest first: had the limit not held, the older ones would have come before these.
                assertEquals(newest, ConversationView.shownIds(b.inbox()).stream().filter(ids::contains).toList(),
                        "only the newest 3, in order");
            }
        } finally {
            var reset = http.send(post(page, "action=accountSettings&user=john&q=john&catchup.count=default&csrf="
                    + cookie(cookies, "xmpproxy_csrf")), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertTrue(reset.body().contains("Account updated."), "john follows the server's limit again");
        }
    }

    /** With a browser at hand, saves the page and Openfire's own Server Settings page side by side under target/. */
    private static void screenshots(String console) {
        if (!java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/chromedriver"))) {
            System.out.println("No chromedriver: no screenshots of the real admin console");
            return;
        }
        var options = new org.openqa.selenium.chrome.ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1280,1800");
        var service = new org.openqa.selenium.chrome.ChromeDriverService.Builder()
                .usingDriverExecutable(new java.io.File("/usr/bin/chromedriver")).build();
        var browser = new org.openqa.selenium.chrome.ChromeDriver(service, options);
        try {
            browser.get(console + "/login.jsp");
            browser.findElement(org.openqa.selenium.By.name("username")).sendKeys("admin");
            browser.findElement(org.openqa.selenium.By.name("password")).sendKeys(OpenfireServer.ADMIN_PASSWORD);
            var loginPage = browser.findElement(org.openqa.selenium.By.tagName("html"));
            browser.findElement(org.openqa.selenium.By.name("password")).submit();
            // Logged in only once the console answered the login: leaving the page before would cancel it.
            var wait = new org.openqa.selenium.support.ui.WebDriverWait(browser, java.time.Duration.ofSeconds(30));
            wait.until(org.openqa.selenium.support.ui.ExpectedConditions.stalenessOf(loginPage));
            wait.until(driver -> "complete".equals(browser.executeScript("return document.readyState")));
            browser.get(console + "/plugins/xmpproxy/xmpproxy-admin");
            wait.until(org.openqa.selenium.support.ui.ExpectedConditions.presenceOfElementLocated(org.openqa.selenium.By.id("accounts")));
            java.nio.file.Files.write(java.nio.file.Path.of("target/admin-page-in-openfire.png"),
                    browser.getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
            browser.get(console + "/server-properties.jsp");
            java.nio.file.Files.write(java.nio.file.Path.of("target/openfire-system-properties.png"),
                    browser.getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            browser.quit();
        }
    }

    private static java.net.http.HttpRequest post(String url, String form) {
        return java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(form)).build();
    }

    private static String cookie(java.net.CookieManager cookies, String name) {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name))
                .reduce((first, second) -> second).map(java.net.HttpCookie::getValue)
                .orElseThrow(() -> new AssertionError("no " + name + " cookie"));
    }

    /** Settings live in Openfire's database: they survive a restart of the server. */
    @Order(7)
    @Test
    void settingsSurviveAnOpenfireRestart() throws Exception {
        String bot = "xmpproxy." + OpenfireServer.DOMAIN;
        try (ChatClient home = ChatClient.connect(server, "john", "home", false)) {
            settle();
            assertTrue(askBot(home, bot, "history off").contains("off"));
            assertTrue(askBot(home, bot, "mode \"Old Desktop ✈\" legacy").contains("legacy"));
            // Issue 10: the account's own catch-up limits, within the server's (here 2000 messages, 24 hours).
            String refused = askBot(home, bot, "catchup 5000");
            assertTrue(refused.contains("more than this server allows: at most 2000"), refused);
            String done = askBot(home, bot, "catchup 30 5");
            assertTrue(done.contains("now at most 30 messages, none older than 5 hours"), done);
            Thread.sleep(500); // the writer thread commits within a few hundred milliseconds
        }
        server.restart();
        try (ChatClient home = ChatClient.connect(server, "john", "home", false);
             ChatClient desktop = ChatClient.connect(server, "john", "Old Desktop ✈", true)) {
            settle();
            String status = askBot(home, bot, "status");
            assertTrue(status.contains("History: off"), status);
            assertTrue(status.contains("Old Desktop ✈: mode legacy"), status);
            assertTrue(status.contains("Catch-up (your own limits): at most 30 messages, none older than 5 hours."), status);
            assertTrue(askBot(home, bot, "history on").contains("on"));
            assertTrue(askBot(home, bot, "catchup default").contains("follows the server again"));
        }
    }

    @Order(8)
    @Test
    void theLogShowsNoErrorFromThePlugin() {
        String log = server.logText();
        assertFalse(log.contains("xmpproxy could not"), "mirroring errors in the Openfire log");
        assertFalse(log.lines().anyMatch(line -> line.contains("ERROR") && line.toLowerCase().contains("xmpproxy")),
                "errors mentioning xmpproxy in the Openfire log");
        assertTrue(log.contains("xmpproxy started"));
        assertFalse(log.contains("Missing resource for key: system_property.xmpproxy"), "every property has its description");
        assertFalse(log.contains("SchemaManager: Failed"), "the schema installs");
    }

    private static List<String> converse(ChatClient home, ChatClient work, ChatClient jane, int rounds) throws Exception {
        String prefix = "c" + (++conversation) + "-";
        List<String> ids = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            String id = prefix + "r" + round;
            jane.chat(JOHN, id + "-to-bare");
            jane.chat(home.fullJid(), id + "-to-home");
            home.chat(JANE, id + "-from-home");
            work.chat(JANE, id + "-from-work");
            ids.addAll(List.of(id + "-to-bare", id + "-to-home", id + "-from-home", id + "-from-work"));
        }
        return ids;
    }

    /** Lets the server finish handling the clients' initial presences before the conversation starts. */
    private static void settle() throws InterruptedException {
        Thread.sleep(300);
    }

    private static List<String> without(List<String> ids, String sentBy) {
        return ids.stream().filter(id -> !id.endsWith(sentBy)).toList();
    }
}
