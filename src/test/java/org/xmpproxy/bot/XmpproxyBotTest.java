package org.xmpproxy.bot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
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
    private XmpproxyBot bot;

    @BeforeEach
    void start() throws Exception {
        backend.users.add(new JID("john@example.org"));
        bot = new XmpproxyBot("example.org", "1.2.3", backend, new RateLimiter(10, 0.001, Clock.systemUTC()));
        bot.initialize(BOT, new CapturingManager());
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
        assertEquals(List.of("status", "on", "off", "mode", "replay", "history"), nodes, "no admin commands for john");

        bot.processPacket(command("john@example.org/home", "off", "execute", null));
        IQ done = (IQ) next();
        assertEquals("completed", done.getChildElement().attributeValue("status"));
        assertTrue(done.getChildElement().elementText("note").contains("OFF"));
        assertEquals(List.of("john@example.org mirroring false"), backend.changes);
    }

    @Test
    void aCommandWithAFormAsksThenRunsOnSubmission() throws Exception {
        backend.online.put(new JID("john@example.org"), List.of(
                new org.xmpproxy.core.rule.AccountResource(new JID("john@example.org/home"), false, 0, org.xmpproxy.core.rule.ResourceMode.AUTO),
                new org.xmpproxy.core.rule.AccountResource(new JID("john@example.org/Old Desktop"), false, 0, org.xmpproxy.core.rule.ResourceMode.AUTO)));
        bot.processPacket(command("john@example.org/home", "mode", "execute", null));
        IQ asked = (IQ) next();
        assertEquals("executing", asked.getChildElement().attributeValue("status"));
        org.xmpp.forms.DataForm form = new org.xmpp.forms.DataForm(asked.getChildElement().element(org.dom4j.QName.get("x", "jabber:x:data")));
        List<String> options = form.getField("resource").getOptions().stream().map(o -> o.getValue()).toList();
        assertEquals(List.of("home", "Old Desktop"), options);
        String session = asked.getChildElement().attributeValue("sessionid");

        // Another user cannot complete john's form.
        backend.users.add(new JID("jane@example.org"));
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

    @Test
    void adminCommandsAndStrangersAreRefused() throws Exception {
        bot.processPacket(command("john@example.org/home", "stats", "execute", null));
        assertEquals(org.xmpp.packet.PacketError.Condition.item_not_found, ((IQ) next()).getError().getCondition());
        bot.processPacket(command("mallory@evil.example/x", "off", "execute", null));
        assertEquals(org.xmpp.packet.PacketError.Condition.forbidden, ((IQ) next()).getError().getCondition());
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
