package org.xmpproxy.bot;

import org.xmpproxy.testing.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xmpp.component.Component;
import org.xmpp.component.ComponentManager;
import org.xmpp.component.IQResultListener;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpp.packet.Packet;
import org.xmpp.packet.Presence;

/** The bot as a Tinder component: packets in, packets out, as Openfire's component manager hands them over. */
class XmpproxyBotTest {
    private static final JID BOT = new JID("xmpproxy.example.org");
    private final FakeBackend backend = new FakeBackend();
    private final BlockingQueue<Packet> sent = new LinkedBlockingQueue<>();
    private final MutableClock clock = new MutableClock();
    private XmpproxyBot bot;

    @BeforeEach
    void start() throws Exception {
        backend.users.add(new JID("john@example.org"));
        backend.users.add(new JID("jane@example.org"));
        // The plugin's limit: 10 at once, then 1 a second (the test clock only moves when told).
        bot = new XmpproxyBot("example.org", "1.2.3", backend, new RateLimiter(10, 1.0, clock), clock);
        bot.initialize(BOT, new CapturingManager());
        backend.counters.addAll(bot.counters()); // as the plugin does: one list, the bot's own counters in it
        bot.start();
    }

    @AfterEach
    void stop() {
        bot.shutdown();
    }

    private Packet next() throws InterruptedException {
        Packet packet = sent.poll(5, TimeUnit.SECONDS);
        if (packet == null) {
            throw new AssertionError("the bot sent nothing");
        }
        return packet;
    }

    private static Message chat(String from, String body) {
        Message message = new Message();
        message.setType(Message.Type.chat);
        message.setFrom(from);
        message.setTo(BOT);
        message.setBody(body);
        return message;
    }

    @Test
    void aLocalUserGetsAnAnswerFromTheBot() throws Exception {
        bot.processPacket(chat("john@example.org/home", "off"));
        Message reply = (Message) next();
        assertEquals(new JID("john@example.org/home"), reply.getTo());
        assertEquals(BOT, reply.getFrom());
        assertEquals(Message.Type.chat, reply.getType());
        assertTrue(reply.getBody().contains("OFF"));
        assertEquals(List.of("john@example.org mirroring false"), backend.changes);
    }

    @Test
    void otherDomainsAndUnregisteredUsersGetAPoliteRefusal() throws Exception {
        bot.processPacket(chat("mallory@evil.example/x", "off"));
        assertEquals("Sorry, I only serve users of this server.", ((Message) next()).getBody());
        bot.processPacket(chat("3f9a2c@example.org/anon", "off")); // an anonymous session: not a registered user
        assertEquals("Sorry, I only serve users of this server.", ((Message) next()).getBody());
        assertEquals(List.of(), backend.changes);
    }

    @Test
    void errorsAndBodilessMessagesAreNeverAnswered() throws Exception {
        Message error = chat("john@example.org/home", "x");
        error.setType(Message.Type.error);
        bot.processPacket(error);
        Message typing = chat("john@example.org/home", null);
        bot.processPacket(typing);
        bot.processPacket(chat("john@example.org/home", "help"));
        assertTrue(((Message) next()).getBody().startsWith("I keep every client"), "only the help is answered");
        assertEquals(null, sent.poll(300, TimeUnit.MILLISECONDS));
    }

    @Test
    void aFloodGetsOneWarningAndIsNotServed() throws Exception {
        for (int i = 0; i < 15; i++) {
            bot.processPacket(chat("john@example.org/home", "status"));
        }
        List<String> replies = new ArrayList<>();
        for (Packet p = sent.poll(2, TimeUnit.SECONDS); p != null; p = sent.poll(500, TimeUnit.MILLISECONDS)) {
            replies.add(((Message) p).getBody());
        }
        assertEquals(11, replies.size(), "10 answers, then one warning: " + replies);
        assertTrue(replies.get(10).startsWith("Slow down"));
    }

    @Test
    void theBotShowsOnlineToLocalUsers() throws Exception {
        Presence probe = new Presence(Presence.Type.probe);
        probe.setFrom("john@example.org/home");
        probe.setTo(BOT);
        bot.processPacket(probe);
        Presence online = (Presence) next();
        assertEquals(null, online.getType(), "available");
        assertEquals(new JID("john@example.org/home"), online.getTo());

        Presence subscribe = new Presence(Presence.Type.subscribe);
        subscribe.setFrom("john@example.org");
        subscribe.setTo(BOT);
        bot.processPacket(subscribe);
        assertEquals(Presence.Type.subscribed, ((Presence) next()).getType());
        assertEquals(Presence.Type.subscribe, ((Presence) next()).getType());
        assertEquals(null, ((Presence) next()).getType());

        Presence stranger = new Presence(Presence.Type.probe);
        stranger.setFrom("mallory@evil.example/x");
        stranger.setTo(BOT);
        bot.processPacket(stranger);
        assertEquals(null, sent.poll(300, TimeUnit.MILLISECONDS), "no presence for other servers");
    }

    @Test
    void versionAndDiscoAreAnswered() throws Exception {
        IQ version = new IQ(IQ.Type.get);
        version.setFrom("john@example.org/home");
        version.setTo(BOT);
        version.setChildElement("query", "jabber:iq:version");
        bot.processPacket(version);
        IQ result = (IQ) next();
        assertEquals(IQ.Type.result, result.getType());
        assertEquals("1.2.3", result.getChildElement().elementText("version"));

        IQ disco = new IQ(IQ.Type.get);
        disco.setFrom("john@example.org/home");
        disco.setTo(BOT);
        disco.setChildElement("query", "http://jabber.org/protocol/disco#info");
        bot.processPacket(disco);
        IQ info = (IQ) next();
        assertEquals("bot", info.getChildElement().element("identity").attributeValue("type"));
        assertTrue(info.toXML().contains("jabber:iq:version"));
    }

    private static IQ command(String from, String node, String action, String sessionId) {
        IQ iq = new IQ(IQ.Type.set);
        iq.setFrom(from);
        iq.setTo(BOT);
        org.dom4j.Element command = iq.setChildElement("command", AdHocCommands.NAMESPACE);
        command.addAttribute("node", node);
        command.addAttribute("action", action);
        if (sessionId != null) {
            command.addAttribute("sessionid", sessionId);
        }
        return iq;
    }

    @Test
    void adHocCommandsAreListedForTheUserAndRunLikeTheChatCommands() throws Exception {
        IQ items = new IQ(IQ.Type.get);
        items.setFrom("john@example.org/home");
        items.setTo(BOT);
        items.setChildElement("query", "http://jabber.org/protocol/disco#items").addAttribute("node", AdHocCommands.NAMESPACE);
        bot.processPacket(items);
        List<String> nodes = ((IQ) next()).getChildElement().elements("item").stream().map(i -> i.attributeValue("node")).toList();
        assertEquals(List.of("status", "on", "off", "mode", "history", "replay", "catchup"), nodes, "no admin commands for john");

        bot.processPacket(command("john@example.org/home", "off", "execute", null));
        IQ done = (IQ) next();
        assertEquals("completed", done.getChildElement().attributeValue("status"));
        assertTrue(done.getChildElement().elementText("note").contains("OFF"));
        assertEquals(List.of("john@example.org mirroring false"), backend.changes);
    }

    @Test
    void aCommandWithAFormAsksThenRunsOnSubmission() throws Exception {
        backend.online.put(new JID("john@example.org"), List.of(
                new org.xmpproxy.core.rule.AccountResource(new JID("john@example.org/home"), false, org.xmpproxy.core.rule.ResourceMode.AUTO),
                new org.xmpproxy.core.rule.AccountResource(new JID("john@example.org/Old Desktop"), false, org.xmpproxy.core.rule.ResourceMode.AUTO)));
        bot.processPacket(command("john@example.org/home", "mode", "execute", null));
        IQ asked = (IQ) next();
        assertEquals("executing", asked.getChildElement().attributeValue("status"));
        org.xmpp.forms.DataForm form = new org.xmpp.forms.DataForm(asked.getChildElement().element(org.dom4j.QName.get("x", "jabber:x:data")));
        List<String> options = form.getField("resource").getOptions().stream().map(o -> o.getValue()).toList();
        assertEquals(List.of("home", "Old Desktop"), options);
        String session = asked.getChildElement().attributeValue("sessionid");

        // Another user cannot complete john's form.
        IQ hijack = command("jane@example.org/x", "mode", "complete", session);
        hijack.getChildElement().add(submitted("Old Desktop", "off").getElement());
        bot.processPacket(hijack);
        assertEquals(IQ.Type.error, ((IQ) next()).getType());

        bot.processPacket(command("john@example.org/home", "mode", "execute", null));
        session = ((IQ) next()).getChildElement().attributeValue("sessionid");
        IQ submit = command("john@example.org/home", "mode", "complete", session);
        submit.getChildElement().add(submitted("Old Desktop", "legacy").getElement());
        bot.processPacket(submit);
        IQ done = (IQ) next();
        assertEquals("completed", done.getChildElement().attributeValue("status"));
        assertTrue(done.getChildElement().elementText("note").contains("Mode of Old Desktop is now legacy"));
        assertEquals(List.of("john@example.org mode Old Desktop legacy"), backend.changes);
    }

    /** Issue 10: the catch-up limits from a client's commands menu: a form with the limits now, refused above the server's. */
    @Test
    void catchupAsAnAdHocCommandWithAForm() throws Exception {
        List<String> notes = new ArrayList<>();
        for (String[] answers : new String[][] {{"40", "12", "0"}, {"500", "", "false"}, {"40", "12", "1"}}) {
            bot.processPacket(command("john@example.org/home", "catchup", "execute", null));
            IQ asked = (IQ) next();
            org.xmpp.forms.DataForm form = new org.xmpp.forms.DataForm(asked.getChildElement().element(org.dom4j.QName.get("x", "jabber:x:data")));
            if (notes.isEmpty()) {
                assertEquals("Messages (0 to 100)", form.getField("count").getLabel());
                assertEquals("100", form.getField("count").getFirstValue(), "the limits now");
                assertEquals("24", form.getField("hours").getFirstValue());
                assertEquals("1", form.getField("default").getFirstValue(), "no own limits yet");
            }
            IQ submit = command("john@example.org/home", "catchup", "complete", asked.getChildElement().attributeValue("sessionid"));
            org.xmpp.forms.DataForm filled = new org.xmpp.forms.DataForm(org.xmpp.forms.DataForm.Type.submit);
            filled.addField("count", null, null).addValue(answers[0]);
            filled.addField("hours", null, null).addValue(answers[1]);
            filled.addField("default", null, null).addValue(answers[2]);
            submit.getChildElement().add(filled.getElement());
            bot.processPacket(submit);
            IQ done = (IQ) next();
            assertEquals("completed", done.getChildElement().attributeValue("status"));
            notes.add(done.getChildElement().elementText("note"));
        }
        assertEquals(List.of("Catch-up is now at most 40 messages, none older than 12 hours.",
                "500 messages is more than this server allows: at most 100. Nothing was changed.",
                "Catch-up follows the server again: at most 100 messages, none older than 24 hours."), notes);
        assertEquals(List.of("john@example.org catchup 40 12", "john@example.org catchup null null"), backend.changes);
    }

    @Test
    void adminCommandsAndStrangersAreRefused() throws Exception {
        bot.processPacket(command("john@example.org/home", "stats", "execute", null));
        assertEquals(org.xmpp.packet.PacketError.Condition.item_not_found, ((IQ) next()).getError().getCondition());
        bot.processPacket(command("mallory@evil.example/x", "off", "execute", null));
        assertEquals(org.xmpp.packet.PacketError.Condition.forbidden, ((IQ) next()).getError().getCondition());
    }

    /**
     * Sends a message from a user nobody else uses and returns what the bot sent before answering it:
     * the bot answers in order on one thread, so that is everything it made of the stanzas before.
     */
    private List<Packet> untilSentinel() throws InterruptedException {
        JID sentinel = new JID("sentinel@example.org/probe");
        backend.users.add(sentinel.asBareJID());
        bot.processPacket(chat(sentinel.toString(), "help"));
        List<Packet> before = new ArrayList<>();
        for (Packet p = next(); !sentinel.equals(p.getTo()); p = next()) {
            before.add(p);
        }
        return before;
    }

    private static List<String> bodies(List<Packet> packets) {
        return packets.stream().map(p -> p instanceof Message m ? m.getBody() : p.toXML()).toList();
    }

    /** Issue 9.4: ad-hoc commands went around the limit; now chat and ad-hoc draw on one bucket. */
    @Test
    void adHocCommandsAndChatShareOneRateLimit() throws Exception {
        for (int i = 0; i < 50; i++) {
            bot.processPacket(command("john@example.org/home", "off", "execute", null));
        }
        bot.processPacket(chat("john@example.org/home", "on"));
        List<Packet> answers = untilSentinel();
        assertEquals(11, answers.size(), "10 answers and one refusal: " + bodies(answers));
        assertTrue(answers.subList(0, 10).stream().allMatch(p -> ((IQ) p).getType() == IQ.Type.result));
        IQ refused = (IQ) answers.get(10);
        assertEquals(org.xmpp.packet.PacketError.Condition.resource_constraint, refused.getError().getCondition());
        assertEquals("Slow down, please: too many commands. Try again in a minute.", refused.getError().getText());
        assertEquals(10, backend.changes.size(), "only 10 commands ran, and the chat command did not: " + backend.changes);

        clock.advance(Duration.ofSeconds(10)); // the bucket refills
        bot.processPacket(chat("john@example.org/home", "on"));
        assertTrue(((Message) next()).getBody().contains("ON"));

        clock.advance(Duration.ofSeconds(10));
        for (int i = 0; i < 10; i++) {
            bot.processPacket(chat("john@example.org/home", "status"));
        }
        bot.processPacket(command("john@example.org/home", "off", "execute", null));
        answers = untilSentinel();
        assertEquals(11, answers.size(), bodies(answers).toString());
        assertEquals(org.xmpp.packet.PacketError.Condition.resource_constraint, ((IQ) answers.get(10)).getError().getCondition(),
                "after 10 chat commands, an ad-hoc command is refused too");
    }

    @Test
    void sendersOfOtherServersAreRefusedClearlyAndLimitedAllTogether() throws Exception {
        for (int i = 0; i < 40; i++) {
            bot.processPacket(chat("user" + i + "@server" + i + ".example/x", "off")); // many servers: one bucket
            bot.processPacket(command("mallory@evil.example/x", "off", "execute", null));
            Presence probe = new Presence(Presence.Type.probe);
            probe.setFrom("mallory@evil.example/x");
            probe.setTo(BOT);
            bot.processPacket(probe);
        }
        List<Packet> answers = untilSentinel();
        assertEquals(10, answers.size(), "10 refusals for all other servers together, then silence: " + bodies(answers));
        for (Packet answer : answers) {
            if (answer instanceof Message message) {
                assertEquals("Sorry, I only serve users of this server.", message.getBody());
            } else {
                assertEquals(org.xmpp.packet.PacketError.Condition.forbidden, ((IQ) answer).getError().getCondition());
                assertEquals("Sorry, I only serve users of this server.", ((IQ) answer).getError().getText());
            }
        }
        assertEquals(List.of(), backend.changes);

        bot.processPacket(chat("john@example.org/home", "off"));
        assertTrue(((Message) next()).getBody().contains("OFF"), "local users are not slowed down by other servers");
    }

    /** One user's flood stays out of the queue: another user is answered right after the busy bot is free. */
    @Test
    void oneUserCannotFillTheBotsQueue() throws Exception {
        java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(1);
        backend.hold = busy;
        bot.processPacket(chat("jane@example.org/x", "status")); // the worker takes it and waits
        for (int i = 0; i < 5_000; i++) {
            bot.processPacket(chat("john@example.org/home", "status"));
            bot.processPacket(command("john@example.org/home", "mode", "execute", null));
        }
        JID sentinel = new JID("sentinel@example.org/probe");
        backend.users.add(sentinel.asBareJID());
        bot.processPacket(chat(sentinel.toString(), "help"));
        backend.hold = null;
        busy.countDown();
        List<Packet> answers = new ArrayList<>();
        for (Packet p = next(); !sentinel.equals(p.getTo()); p = next()) {
            answers.add(p);
        }
        assertEquals(12, answers.size(), "jane's answer, john's 10 and one refusal: " + answers.size());
    }

    /** Many users at once can fill the queue: what does not fit is dropped and counted, and the admin sees it. */
    @Test
    void aFullQueueDropsAndCounts() throws Exception {
        java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(1);
        backend.hold = busy;
        bot.processPacket(chat("jane@example.org/x", "status")); // runs at once (not queued) and waits
        int users = XmpproxyBot.QUEUE_CAPACITY + 100;
        for (int i = 0; i < users; i++) {
            bot.processPacket(chat("u" + i + "@example.org/x", "status"));
        }
        backend.hold = null;
        busy.countDown();
        for (int i = 0; i <= XmpproxyBot.QUEUE_CAPACITY; i++) {
            next();
        }
        backend.users.add(new JID("admin@example.org"));
        backend.admins.add(new JID("admin@example.org"));
        bot.processPacket(chat("admin@example.org/console", "stats"));
        String stats = ((Message) next()).getBody();
        assertTrue(stats.contains("Stanzas to the bot dropped with its queue full: 100"), stats);
        assertTrue(stats.contains("Stanzas to the bot over its rate limit: 0"), stats);
    }

    @Test
    void adHocModeRefusesNamesTheStoreCannotKeep() throws Exception {
        for (String name : List.of("x".repeat(2000), "\u20ac".repeat(342), "esc\u001b[2J", "bell\u0007")) {
            bot.processPacket(command("john@example.org/home", "mode", "execute", null));
            String session = ((IQ) next()).getChildElement().attributeValue("sessionid");
            IQ submit = command("john@example.org/home", "mode", "complete", session);
            submit.getChildElement().add(submitted(name, "off").getElement());
            bot.processPacket(submit);
            String note = ((IQ) next()).getChildElement().elementText("note");
            assertTrue(note.endsWith("nothing was changed."), note);
        }
        assertEquals(List.of(), backend.changes);
    }

    /** Issue 17.8: a name typed in the ad-hoc form is taken as Openfire binds it, as in chat. */
    @Test
    void adHocModeStoresTheNameOpenfireBinds() throws Exception {
        for (String name : List.of("Cafe\u0301", "\uFB01le", "x\uE000")) {
            bot.processPacket(command("john@example.org/home", "mode", "execute", null));
            String session = ((IQ) next()).getChildElement().attributeValue("sessionid");
            IQ submit = command("john@example.org/home", "mode", "complete", session);
            submit.getChildElement().add(submitted(name, "legacy").getElement());
            bot.processPacket(submit);
            next();
        }
        assertEquals(List.of("john@example.org mode Caf\u00e9 legacy", "john@example.org mode file legacy"), backend.changes,
                "a private-use character: refused, nothing written");
    }

    @Test
    void theServerItselfGetsTheBotsDiscoInfo() throws Exception {
        IQ disco = new IQ(IQ.Type.get); // what Openfire asks when the component is added
        disco.setFrom("example.org");
        disco.setTo(BOT);
        disco.setChildElement("query", "http://jabber.org/protocol/disco#info");
        bot.processPacket(disco);
        IQ info = (IQ) next();
        assertEquals(IQ.Type.result, info.getType());
        assertEquals("bot", info.getChildElement().element("identity").attributeValue("type"));
    }

    private static org.xmpp.forms.DataForm submitted(String resource, String mode) {
        org.xmpp.forms.DataForm form = new org.xmpp.forms.DataForm(org.xmpp.forms.DataForm.Type.submit);
        form.addField("resource", null, null).addValue(resource);
        form.addField("mode", null, null).addValue(mode);
        return form;
    }

    /** Records what the bot sends; the rest of Openfire's component manager is not needed here. */
    private final class CapturingManager implements ComponentManager {
        @Override
        public void sendPacket(Component component, Packet packet) {
            sent.add(packet);
        }

        @Override
        public void addComponent(String subdomain, Component component) {
        }

        @Override
        public void removeComponent(String subdomain) {
        }

        @Override
        public IQ query(Component component, IQ packet, long timeout) {
            return null;
        }

        @Override
        public void query(Component component, IQ packet, IQResultListener listener) {
        }

        @Override
        public String getProperty(String name) {
            return null;
        }

        @Override
        public void setProperty(String name, String value) {
        }

        @Override
        public String getServerName() {
            return "example.org";
        }

        @Override
        public boolean isExternalMode() {
            return false;
        }
    }
}
