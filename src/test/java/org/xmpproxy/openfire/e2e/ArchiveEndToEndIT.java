package org.xmpproxy.openfire.e2e;

import static org.xmpproxy.openfire.e2e.Shown.once;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.jivesoftware.smackx.mam.MamManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.jxmpp.jid.impl.JidCreate;
import org.xmpp.packet.Message;
import org.xmpproxy.core.flow.ConversationView;

/**
 * Beside Openfire's Monitoring plugin archiving one-to-one chats (XEP-0313): a client that syncs the archive itself gets
 * each message once, an old client keeps xmpproxy's catch-up, and the archive holds none of xmpproxy's copies. Runs only
 * with {@code -Dopenfire.home=<an Openfire 5.1 installation>} and {@code -Dopenfire.monitoring=<the Monitoring plugin's JAR>}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ArchiveEndToEndIT {
    private static final String JOHN = "john@" + OpenfireServer.DOMAIN;
    private static final String JANE = "jane@" + OpenfireServer.DOMAIN;
    private static final String LEFT_TO_ARCHIVE = "Catch-up messages left out as the client got them from its own archive query";
    /** Room for a message that must not come (a second copy, a late catch-up) to show up before the counts are taken. */
    /** How long each wait here lasts (returns silently after). */
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static OpenfireServer server;

    @BeforeAll
    static void startOpenfire() throws Exception {
        String monitoring = System.getProperty("openfire.monitoring", "").trim();
        if (monitoring.isEmpty() || OpenfireServer.installation().isEmpty()) {
            System.out.println("SKIPPED " + ArchiveEndToEndIT.class.getSimpleName() + ": run with -Dopenfire.home=<an Openfire 5.1 "
                    + "installation> and -Dopenfire.monitoring=<the Monitoring plugin's JAR> to test beside a message archive.");
        }
        Assumptions.assumeTrue(!monitoring.isEmpty() && OpenfireServer.installation().isPresent(),
                "-Dopenfire.home or -Dopenfire.monitoring not given: archive end-to-end tests skipped");
        // Openfire names a plugin after its JAR.
        Path jar = Files.createTempDirectory("xmpproxy-monitoring-").resolve("monitoring.jar");
        Files.copy(Path.of(monitoring), jar, StandardCopyOption.REPLACE_EXISTING);
        // Monitoring's switch, set as an admin would (a property beside xmpproxy's in openfire.xml, copied at setup).
        String archiving = "</xmpproxy><conversation><messageArchiving>true</messageArchiving></conversation><xmpproxy>";
        server = OpenfireServer.start(OpenfireServer.installation().get(), Path.of(System.getProperty("xmpproxy.jar", "target/xmpproxy.jar")),
                List.of("john", "jane"), archiving, List.of(), List.of(jar));
        try (ChatClient probe = ChatClient.connect(server, "jane", "probe", false)) {
            Await.until(() -> {
                try {
                    return MamManager.getInstanceFor(probe.connection()).isSupported();
                } catch (Exception e) {
                    return false;
                }
            }, WAIT);
            assertTrue(MamManager.getInstanceFor(probe.connection()).isSupported(), "Monitoring answers archive queries");
        }
    }

    @AfterAll
    static void stopOpenfire() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /**
     * john/laptop goes away; 20 messages flow between jane and john/phone (john/desktop, an old client, online and
     * copied to); the laptop comes back with carbons on and queries its archive at once: each of the 20 once, all from
     * the archive. The archive holds each of the 20 once: none of xmpproxy's copies.
     */
    @Order(1)
    @Test
    void aClientThatSyncsTheArchiveGetsEachMessageOnceAndTheArchiveHoldsNoCopies() throws Exception {
        ChatClient.connect(server, "john", "laptop", true).close(); // seen before: it has a mark
        List<String> ids = ids("mam-", 20);
        try (ChatClient desktop = ChatClient.connect(server, "john", "desktop", false);
             ChatClient phone = ChatClient.connect(server, "john", "phone", true);
             ChatClient jane = ChatClient.connect(server, "jane", "desk", false)) {
            flow(ids, jane, phone);
            Await.shown(desktop, ids, WAIT); // xmpproxy's copies reached the old client live
        }
        AdminConsole admin = AdminConsole.login(server);
        long leftBefore = leftOut(admin);
        try (ChatClient laptop = ChatClient.connect(server, "john", "laptop", true)) {
            List<String> fromArchive = queryArchive(laptop, null);
            Await.until(() -> leftOut(admin) >= leftBefore + 20, WAIT); // its catch-up ran and left the 20 to the archive
            Await.quiet();
            assertEquals(once(ids), counts(ids, fromArchive), "the archive holds each of the 20 once: none of xmpproxy's copies");
            List<String> all = new ArrayList<>(fromArchive);
            all.addAll(ConversationView.shownIds(notFromArchive(laptop.inbox())));
            assertEquals(once(ids), counts(ids, all), "each of the 20 once (before issue 19: all 20 twice)");
            assertEquals(leftBefore + 20, leftOut(admin), "the catch-up left out the 20 the archive returned");
        }
    }

    /** An old client (no carbons, no archive query) that was away while 20 flowed: 20 caught up, none twice. */
    @Order(2)
    @Test
    void anOldClientKeepsItsCatchup() throws Exception {
        ChatClient.connect(server, "john", "desktop", false).close();
        List<String> ids = ids("old-", 20);
        try (ChatClient phone = ChatClient.connect(server, "john", "phone", true);
             ChatClient jane = ChatClient.connect(server, "jane", "desk", false)) {
            flow(ids, jane, phone);
        }
        try (ChatClient desktop = ChatClient.connect(server, "john", "desktop", false)) {
            Await.shown(desktop, ids, WAIT);
            Await.quiet();
            assertEquals(once(ids), counts(ids, ConversationView.shownIds(desktop.inbox())), "20 caught up, 0 twice");
        }
    }

    /**
     * A client that asks its archive only from a time on (as clients ask, from the newest message they hold) gets the
     * older ones it missed by catch-up, the rest from the archive: each once.
     */
    @Order(3)
    @Test
    void whatTheQueryDoesNotAskForComesByCatchupOnce() throws Exception {
        ChatClient.connect(server, "john", "laptop", true).close();
        List<String> older = ids("before-", 5);
        List<String> newer = ids("after-", 5);
        Date since;
        try (ChatClient phone = ChatClient.connect(server, "john", "phone", true);
             ChatClient jane = ChatClient.connect(server, "jane", "desk", false)) {
            flow(older, jane, phone);
            since = new Date(System.currentTimeMillis() + 1);
            Instant later = since.toInstant().plusMillis(2);
            Await.until(() -> Instant.now().isAfter(later), WAIT); // the next message is routed after that time
            flow(newer, jane, phone);
        }
        try (ChatClient laptop = ChatClient.connect(server, "john", "laptop", true)) {
            List<String> fromArchive = queryArchive(laptop, since);
            assertEquals(once(newer), counts(all(older, newer), fromArchive), "the archive returns what was asked for");
            Await.shown(laptop, older, WAIT);
            Await.quiet();
            List<String> shown = new ArrayList<>(fromArchive);
            shown.addAll(ConversationView.shownIds(notFromArchive(laptop.inbox())));
            assertEquals(once(all(older, newer)), counts(all(older, newer), shown));
        }
    }

    /**
     * While none of john's clients is online, jane writes 5: Openfire stores them offline and Monitoring archives them
     * as routed. The phone comes back first and gets them from the offline store; the laptop comes back with carbons
     * and queries its archive: each of the 5 once, from the archive (xmpproxy's catch-up of what the offline store
     * handed the phone leaves them to the archive).
     */
    @Order(4)
    @Test
    void whatTheOfflineStoreHandedAnotherClientComesOnceFromTheArchive() throws Exception {
        ChatClient.connect(server, "john", "laptop", true).close();
        ChatClient.connect(server, "john", "phone", true).close();
        List<String> ids = ids("offline-", 5);
        try (ChatClient jane = ChatClient.connect(server, "jane", "desk", false)) {
            for (String id : ids) {
                jane.chat(JOHN, id);
            }
            org.jivesoftware.smackx.ping.PingManager.getInstanceFor(jane.connection()).pingMyServer(false); // all 5 routed
        }
        try (ChatClient phone = ChatClient.connect(server, "john", "phone", true)) {
            Await.shown(phone, ids, WAIT);
        }
        AdminConsole admin = AdminConsole.login(server);
        long leftBefore = leftOut(admin);
        try (ChatClient laptop = ChatClient.connect(server, "john", "laptop", true)) {
            List<String> fromArchive = queryArchive(laptop, null);
            Await.until(() -> leftOut(admin) >= leftBefore + 5, WAIT);
            Await.quiet();
            List<String> shown = new ArrayList<>(fromArchive);
            shown.addAll(ConversationView.shownIds(notFromArchive(laptop.inbox())));
            assertEquals(once(ids), counts(ids, shown), "each of the 5 once");
            assertEquals(once(ids), counts(ids, fromArchive), "from the archive");
        }
    }

    /** Jane and john/phone take turns; each has the other's messages before it returns. */
    private static void flow(List<String> ids, ChatClient jane, ChatClient phone) throws Exception {
        List<String> toPhone = new ArrayList<>();
        List<String> toJane = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            if (i % 2 == 0) {
                jane.chat(JOHN, ids.get(i));
                toPhone.add(ids.get(i));
            } else {
                phone.chat(JANE, ids.get(i));
                toJane.add(ids.get(i));
            }
        }
        Await.shown(phone, toPhone, WAIT);
        Await.shown(jane, toJane, WAIT);
    }

    /** The client's query of its whole archive (from {@code since}, if given), paged through: the ids it returns. */
    private static List<String> queryArchive(ChatClient client, Date since) throws Exception {
        MamManager.MamQueryArgs.Builder args = MamManager.MamQueryArgs.builder().setResultPageSizeTo(50)
                .limitResultsToJid(JidCreate.from(JANE));
        if (since != null) {
            args.limitResultsSince(since);
        }
        MamManager.MamQuery query = MamManager.getInstanceFor(client.connection()).queryArchive(args.build());
        List<String> ids = new ArrayList<>();
        query.getMessages().forEach(m -> ids.add(m.getStanzaId()));
        while (!query.isComplete()) {
            query.pageNext(50).forEach(m -> ids.add(m.getStanzaId()));
        }
        return ids;
    }

    /** The admin page's count of catch-up messages left to the client's archive query (-1: not shown). */
    private static long leftOut(AdminConsole admin) {
        try {
            String page = admin.page();
            return page.contains(LEFT_TO_ARCHIVE) ? AdminConsole.counter(page, LEFT_TO_ARCHIVE) : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    /** The inbox without the archive's results (counted from the query). */
    private static List<Message> notFromArchive(List<Message> inbox) {
        return inbox.stream().filter(m -> m.getElement().elements().stream()
                .noneMatch(e -> "result".equals(e.getName()) && e.getNamespaceURI().startsWith("urn:xmpp:mam:"))).toList();
    }

    private static List<String> ids(String prefix, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(prefix + i);
        }
        return ids;
    }

    private static List<String> all(List<String> one, List<String> other) {
        List<String> all = new ArrayList<>(one);
        all.addAll(other);
        return all;
    }

    private static Map<String, Integer> counts(List<String> ids, List<String> shown) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        shown.stream().filter(ids::contains).forEach(id -> counts.merge(id, 1, Integer::sum));
        return counts;
    }
}
