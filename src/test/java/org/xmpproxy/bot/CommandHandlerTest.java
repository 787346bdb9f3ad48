package org.xmpproxy.bot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;
import org.xmpproxy.core.rule.AccountResource;
import org.xmpproxy.core.rule.ResourceMode;

class CommandHandlerTest {
    private static final JID JOHN = new JID("john@example.org");
    private static final JID JOHN_HOME = new JID("john@example.org/home");
    private static final JID JANE = new JID("jane@example.org");
    private static final JID ADMIN = new JID("admin@example.org/console");

    private final FakeBackend backend = new FakeBackend();
    private final CommandHandler handler = new CommandHandler(backend);
    private final BotText english = BotText.forLanguage("en", getClass().getClassLoader());
    private final BotText swedish = BotText.forLanguage("sv", getClass().getClassLoader());

    @BeforeEach
    void users() {
        backend.users.addAll(List.of(JOHN, JANE, ADMIN.asBareJID()));
        backend.admins.add(ADMIN.asBareJID());
        backend.online.put(JOHN, List.of(
                new AccountResource(JOHN_HOME, false, ResourceMode.AUTO),
                new AccountResource(new JID("john@example.org/My Laptop"), true, ResourceMode.AUTO),
                new AccountResource(new JID("john@example.org/My Phone"), false, ResourceMode.OFF)));
    }

    private String say(JID from, String line) {
        return handler.handle(from, line, english);
    }

    @Test
    void helpListsOneLinePerCommandAndHidesAdminCommandsFromUsers() {
        String help = say(JOHN_HOME, "help");
        for (String command : List.of("help", "status", "on", "off", "mode", "history", "replay")) {
            assertTrue(help.lines().anyMatch(l -> l.startsWith(command)), command + " in " + help);
        }
        assertFalse(help.contains("users"), help);
        assertTrue(say(ADMIN, "HELP").contains("stats"));
        assertTrue(say(JOHN_HOME, "help mode").startsWith("mode <resource> auto|legacy|carbons|off"));
        assertTrue(say(JOHN_HOME, "help stats").contains("I do not know \"stats\""), "admin commands do not exist for users");
    }

    @Test
    void statusShowsEachOnlineClientWithModeCarbonsAndWhatItGets() {
        backend.historySizes.put(JOHN, 42L);
        String status = say(JOHN_HOME, "status");
        assertTrue(status.contains("Mirroring is ON"), status);
        assertTrue(status.contains("3 clients online"), status);
        assertTrue(status.contains("home: mode auto, carbons no, gets plain copies from xmpproxy (this one)"), status);
        assertTrue(status.contains("My Laptop: mode auto, carbons yes, gets copies from the server's own carbons"), status);
        assertTrue(status.contains("My Phone: mode off, carbons no, gets nothing"), status);
        assertTrue(status.contains("History: on, 42 messages kept."), status);
        assertTrue(status.contains("at most 100 messages, none older than 24 hours"), status);
    }

    @Test
    void onOffHistoryAndModeChangeOnlyTheSendersAccount() {
        assertTrue(say(JOHN_HOME, "off").contains("OFF"));
        assertTrue(say(JOHN_HOME, "history off").contains("off"));
        assertTrue(say(JOHN_HOME, "mode \"My Laptop\" legacy").contains("Mode of My Laptop is now legacy"));
        assertTrue(say(JOHN_HOME, "mode my carbons").contains("more than one"), "my matches two");
        assertTrue(say(JOHN_HOME, "mode \"My P\" carbons").contains("Mode of My Phone is now carbons"), "unique prefix");
        assertTrue(say(JOHN_HOME, "mode tablet off").contains("no client of that name has been seen yet"));
        assertEquals(List.of(
                "john@example.org mirroring false",
                "john@example.org history false",
                "john@example.org mode My Laptop legacy",
                "john@example.org mode My Phone carbons",
                "john@example.org mode tablet off"), backend.changes);
    }

    @Test
    void aUserCannotReachAnotherUsersSettings() {
        String[] attempts = {"user john off", "user john status", "users", "stats", "mode jane@example.org/x off",
            "mode ../john/home off", "off john@example.org", "history clear john"};
        for (String attempt : attempts) {
            say(new JID("jane@example.org/laptop"), attempt);
        }
        assertTrue(backend.changes.stream().allMatch(change -> change.startsWith("jane@example.org ")), backend.changes.toString());
        assertFalse(say(new JID("jane@example.org/laptop"), "user john status").contains("john"));
    }

    @Test
    void adminsManageOtherAccounts() {
        assertTrue(say(ADMIN, "user john off").contains("OFF for john@example.org"));
        assertEquals(List.of("john@example.org mirroring false"), backend.changes);
        assertTrue(say(ADMIN, "user john status").contains("Mirroring is OFF"));
        assertTrue(say(ADMIN, "user nobody status").contains("There is no user \"nobody\""));
        assertTrue(say(ADMIN, "user \"bad@name\" off").contains("cannot be an account name"));
        assertTrue(say(ADMIN, "users").contains("1 accounts with their own settings (page 1 of 1)"));
        assertTrue(say(ADMIN, "stats").contains("Plain copies of received messages: 3"), say(ADMIN, "stats"));
        assertFalse(say(ADMIN, "stats").contains("nodes"), "a server alone says nothing of nodes");
        assertEquals(List.of("admin@example.org: xmpproxy: mirroring of john@example.org set to off"), backend.audited,
                "an admin's change of another account is in the server's audit log");
    }

    @Test
    void wrongArgumentsGetOneLineWithAHint() {
        assertEquals("I do not know \"frobnicate\". Type help for the list of commands.", say(JOHN_HOME, "frobnicate"));
        assertEquals("Usage: mode <resource> auto|legacy|carbons|off", say(JOHN_HOME, "mode home"));
        assertEquals("\"sometimes\" is not a mode. Use auto, legacy, carbons or off.", say(JOHN_HOME, "mode home sometimes"));
        assertEquals("on takes no arguments. Type help on.", say(JOHN_HOME, "on please"));
        assertTrue(say(JOHN_HOME, "replay -5").contains("is not a number of messages"));
        assertTrue(say(JOHN_HOME, "replay 99999999999").contains("is not a number of messages"));
        assertTrue(say(JOHN_HOME, "history maybe").startsWith("Usage: history"));
        assertTrue(say(JOHN_HOME, "mode \"unclosed legacy").contains("quote is not closed"));
        assertTrue(say(JOHN_HOME, "x".repeat(5000)).contains("longer than 2048 characters"));
        String echoed = say(JOHN_HOME, "mode home \u202Eevil" + "y".repeat(200));
        assertTrue(echoed.length() < 200, "echoed input is cut: " + echoed);
    }

    /** Issue 9.1: ofXmpproxyResource.resourceName holds 1024 characters, or bytes on Oracle and DB2; RFC 7622 allows 1023 bytes. */
    @Test
    void modeRefusesResourceNamesTheStoreCannotKeepAndWritesNothing() {
        String euros = "\u20ac".repeat(342); // 342 characters fit every character-counted column, but 1,026 bytes do not
        assertEquals("That resource name is too long (1026 bytes; at most 1023); nothing was changed.",
                say(JOHN_HOME, "mode \"" + euros + "\" off"));
        assertEquals("That resource name is too long (1024 bytes; at most 1023); nothing was changed.",
                say(JOHN_HOME, "mode " + "a".repeat(1024) + " off"));
        assertEquals("A resource name cannot contain control characters; nothing was changed.", say(JOHN_HOME, "mode \"a\tb\" off"));
        assertEquals("A resource name cannot contain control characters; nothing was changed.", say(JOHN_HOME, "mode \"a\nb\" off"));
        assertEquals("A resource name cannot contain control characters; nothing was changed.",
                handler.run(JOHN_HOME, "mode", List.of("lone\ud800surrogate", "off"), english));
        assertEquals("\"  \" is not a resource name.", say(JOHN_HOME, "mode \"  \" off"));
        assertEquals(List.of(), backend.changes);

        assertTrue(say(JOHN_HOME, "mode " + "a".repeat(1023) + " off").contains("is now off"), "the longest name a client can have");
        assertTrue(say(JOHN_HOME, "mode \"" + "\u20ac".repeat(341) + "\" off").contains("is now off"), "1,023 bytes");
        assertEquals(2, backend.changes.size());
        assertTrue(handler.handle(JOHN_HOME, "mode \"" + euros + "\" off", swedish).startsWith("Resursnamnet är för långt"));
    }

    @Test
    void replaySendsToTheResourceTypingWithinTheMaximum() {
        backend.historySizes.put(JOHN, 500L);
        assertEquals("Sending you the last 20 messages.", say(JOHN_HOME, "replay"));
        assertEquals("Sending you the last 200 messages.", say(JOHN_HOME, "replay 1000"));
        assertEquals(List.of("john@example.org 20", "john@example.org 200"), backend.replays);
        assertEquals(220, backend.sentFromHistory.size());
        assertTrue(backend.sentFromHistory.stream().allMatch(JOHN_HOME::equals), "to the client that asked");
        backend.databaseDown = true;
        assertTrue(say(JOHN_HOME, "replay").contains("database is not reachable"));
    }

    @Test
    void repliesComeInTheUsersLanguage() {
        assertTrue(handler.handle(JOHN_HOME, "status", swedish).contains("Speglingen är PÅ"));
        assertTrue(handler.handle(JOHN_HOME, "frobnicate", BotText.forLanguage("de", getClass().getClassLoader()))
                .startsWith("I do not know"), "English when the plugin lacks the language");
        assertEquals(Locale.forLanguageTag("sv"), swedish.locale());
    }

    /** Issue 11: status says what the copy rule does; a client that enabled carbons gets Openfire's, whatever its mode. */
    @Test
    void statusSaysWhatTheRuleGivesEachClient() {
        backend.online.put(JOHN, List.of(new AccountResource(JOHN_HOME, true, ResourceMode.CARBONS),
                new AccountResource(new JID("john@example.org/old"), false, ResourceMode.CARBONS)));
        String status = say(JOHN_HOME, "status");
        assertTrue(status.contains("home: mode carbons, carbons yes, gets copies from the server's own carbons"), status);
        assertTrue(status.contains("old: mode carbons, carbons no, gets carbon copies from xmpproxy"), status);
    }

    /** Issue 19: beside an archive, status says which catch-up each client gets; without one, that each gets all it missed. */
    @Test
    void statusSaysWhichCatchupEachClientGetsBesideAnArchive() {
        JID phone = new JID("john@example.org/phone");
        JID laptop = new JID("john@example.org/laptop");
        backend.online.put(JOHN, List.of(new AccountResource(phone, true, ResourceMode.AUTO),
                new AccountResource(laptop, true, ResourceMode.AUTO), new AccountResource(JOHN_HOME, false, ResourceMode.AUTO)));
        String none = say(JOHN_HOME, "status");
        assertTrue(none.contains("Archive (XEP-0313): none on this server. Catch-up sends each client all it missed."), none);
        assertEquals(3, none.lines().filter(l -> l.equals("    catch-up: all it missed")).count(), none);

        backend.archive = true;
        backend.queriedArchive.add(phone);
        String status = say(JOHN_HOME, "status");
        assertTrue(status.contains("phone: mode auto, carbons yes, gets copies from the server's own carbons\n"
                + "    catch-up: it queried the archive, so only what the archive does not return"), status);
        assertTrue(status.contains("laptop: mode auto, carbons yes, gets copies from the server's own carbons\n"
                + "    catch-up: waits up to 5 s for it to query the archive, else all it missed"), status);
        assertTrue(status.contains("home: mode auto, carbons no, gets plain copies from xmpproxy (this one)\n"
                + "    catch-up: all it missed"), status);
        assertTrue(status.contains("Archive (XEP-0313): the server keeps one."), status);
        assertTrue(handler.handle(JOHN_HOME, "status", swedish).contains("ikapphämtning: den frågade arkivet"));
    }

    /** Issue 10: a user sets their own catch-up limits, within what the server allows, and sees them. */
    @Test
    void catchupShowsSetsAndClearsTheAccountsOwnLimitsWithinTheServers() {
        backend.serverCatchup = new BotBackend.CatchupLimits(100, 24);
        assertEquals("Catch-up: at most 100 messages, none older than 24 hours (the server's limits).\n"
                + "The server allows at most 100 messages and 24 hours. Change it with: catchup N [hours], or catchup default.",
                say(JOHN_HOME, "catchup"));

        assertEquals("Catch-up is now at most 50 messages, none older than 6 hours.", say(JOHN_HOME, "catchup 50 6"));
        assertTrue(say(JOHN_HOME, "status").contains("Catch-up (your own limits): at most 50 messages, none older than 6 hours."));
        assertTrue(say(JOHN_HOME, "catchup").startsWith("Catch-up: at most 50 messages, none older than 6 hours (your own limits)."));
        assertEquals("Catch-up is now at most 0 messages, none older than 24 hours.", say(JOHN_HOME, "catchup 0"),
                "without hours, the server's age limit");
        assertEquals("Catch-up follows the server again: at most 100 messages, none older than 24 hours.", say(JOHN_HOME, "CATCHUP default"));
        assertTrue(say(JOHN_HOME, "status").contains("Catch-up: at most 100 messages, none older than 24 hours."));
        assertEquals(List.of("john@example.org catchup 50 6", "john@example.org catchup 0 null", "john@example.org catchup null null"),
                backend.changes);

        backend.changes.clear();
        assertEquals("101 messages is more than this server allows: at most 100. Nothing was changed.", say(JOHN_HOME, "catchup 101"));
        assertEquals("25 hours is more than this server allows: at most 24. Nothing was changed.", say(JOHN_HOME, "catchup 10 25"));
        assertEquals("99999999999999999999999 messages is more than this server allows: at most 100. Nothing was changed.",
                say(JOHN_HOME, "catchup 99999999999999999999999"));
        assertEquals("\"-1\" is not a number of messages. Use a whole number from 0 to 100.", say(JOHN_HOME, "catchup -1"));
        assertEquals("\"soon\" is not a number of hours. Use a whole number from 0 to 24.", say(JOHN_HOME, "catchup 5 soon"));
        assertEquals("Usage: catchup [N [hours] | default]", say(JOHN_HOME, "catchup 1 2 3"));
        assertTrue(handler.handle(JOHN_HOME, "catchup 101", swedish).startsWith("101 meddelanden är mer än den här servern tillåter: högst 100."));
        assertEquals(List.of(), backend.changes, "nothing refused was stored");

        backend.serverCatchup = new BotBackend.CatchupLimits(10_000, 8784);
        assertEquals("Catch-up is now at most 10000 messages, none older than 8784 hours.",
                say(JOHN_HOME, "catchup 10000 8784"), "the server's maximum itself is allowed");
        assertTrue(say(JOHN_HOME, "help").contains("catchup [N [hours] | default] - how much a client that was away gets"));
        assertTrue(say(JANE, "catchup 5").contains("now at most 5"), "each user their own");
        assertEquals(List.of("john@example.org catchup 10000 8784", "jane@example.org catchup 5 null"), backend.changes);
    }

    /** Issue 17.8: a resource's mode is stored under the name Openfire binds (resourceprep), or refused with a reason. */
    @Test
    void modeStoresTheResourceNameAsOpenfireBindsIt() {
        backend.online.put(JOHN, List.of(new AccountResource(JOHN_HOME, false, ResourceMode.AUTO),
                new AccountResource(new JID("john@example.org/Caf\u00e9"), false, ResourceMode.AUTO)));
        assertEquals("Mode of Caf\u00e9 is now legacy.", say(JOHN_HOME, "mode Cafe\u0301 legacy"), "e and a combining accent: é");
        assertEquals("Mode of home is now carbons.", say(JOHN_HOME, "mode \u200Bhome carbons"), "a zero-width space is nothing");
        assertTrue(say(JOHN_HOME, "mode \uFB01le off").contains("Mode of file is now off"), "the ligature ﬁ is f and i");
        assertEquals(List.of("john@example.org mode Caf\u00e9 legacy", "john@example.org mode home carbons",
                "john@example.org mode file off"), backend.changes);
        assertEquals("\"x\uE000\" is not a resource name.", say(JOHN_HOME, "mode x\uE000 off"), "private use: resourceprep refuses it");
        assertEquals("\"\u200B\" is not a resource name.", say(JOHN_HOME, "mode \u200B off"));
        assertEquals(3, backend.changes.size(), "nothing written for what was refused");
    }

    /** Issue 17.8: an admin names an account as Openfire does (nodeprep), alone or by its address here. */
    /** In an Openfire cluster: stats sums the nodes that report and says how many do, of how many (issue 18). */
    @Test
    void statsInAClusterSumsTheNodesAndSaysHowManyReport() {
        backend.otherNodes.put("node2", Map.of("counter.legacyReceived", 4L));
        backend.nodesAsked = 3; // a third node did not answer
        String stats = say(ADMIN, "stats");
        assertTrue(stats.contains("Summed over the 2 nodes of the cluster that report (3 in all"), stats);
        assertTrue(stats.contains("Plain copies of received messages: 7"), stats);
    }

    @Test
    void adminsNameAccountsAsOpenfireDoes() {
        assertTrue(say(ADMIN, "user John off").contains("OFF for john@example.org"));
        assertTrue(say(ADMIN, "user john@example.org on").contains("ON for john@example.org"));
        assertTrue(say(ADMIN, "user \uFF2Aohn status").contains("john@example.org"), "fullwidth J");
        assertEquals(List.of("john@example.org mirroring false", "john@example.org mirroring true"), backend.changes);
        for (String bad : List.of("\"a b\"", "a@b", "jane@elsewhere.example", "\"x/y\"", "\"it's\"")) {
            assertTrue(say(ADMIN, "user " + bad + " off").contains("cannot be an account name"), bad);
        }
        assertEquals(2, backend.changes.size());
        assertEquals(List.of("admin@example.org: xmpproxy: mirroring of john@example.org set to off",
                "admin@example.org: xmpproxy: mirroring of john@example.org set to on"), backend.audited, "only what was done");
    }
}
