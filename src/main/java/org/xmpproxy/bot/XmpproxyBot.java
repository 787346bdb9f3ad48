package org.xmpproxy.bot;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.dom4j.Element;
import org.xmpp.component.AbstractComponent;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpp.packet.PacketError;
import org.xmpp.packet.Presence;

/**
 * The root bot at {@code xmpproxy.<domain>}: users chat with it to manage their own account. One
 * worker thread, so each user's commands are answered in order. It serves local users only.
 */
public final class XmpproxyBot extends AbstractComponent {
    private static final String VERSION_NS = "jabber:iq:version";

    private final String serverDomain;
    private final String version;
    private final CommandHandler commands;
    private final AdHocCommands adHoc;
    private final BotBackend backend;
    private final RateLimiter limiter;
    private final ClassLoader textLoader;
    /** Users told about the rate limit in the current window, so a flood gets one reply, not one per line. */
    private final Map<String, Boolean> warned = new ConcurrentHashMap<>();

    public XmpproxyBot(String serverDomain, String version, BotBackend backend, RateLimiter limiter) {
        super(1, 1000, true);
        this.serverDomain = serverDomain;
        this.version = version;
        this.commands = new CommandHandler(backend);
        this.adHoc = new AdHocCommands(commands, backend);
        this.backend = backend;
        this.limiter = limiter;
        this.textLoader = XmpproxyBot.class.getClassLoader();
    }

    @Override
    public String getName() {
        return "xmpproxy";
    }

    @Override
    public String getDescription() {
        return "Every client of your account sees the whole conversation";
    }

    @Override
    protected String discoInfoIdentityCategory() {
        return "client";
    }

    @Override
    protected String discoInfoIdentityCategoryType() {
        return "bot";
    }

    @Override
    protected String[] discoInfoFeatureNamespaces() {
        return new String[] {VERSION_NS, AdHocCommands.NAMESPACE};
    }

    @Override
    protected void handleMessage(Message message) {
        JID from = message.getFrom();
        if (from == null || message.getType() == Message.Type.error || message.getType() == Message.Type.groupchat
                || message.getBody() == null) {
            return; // chat states, receipts, errors: nothing to answer (and no reply loops)
        }
        BotText text = BotText.forLanguage(message.getElement().attributeValue("lang"), textLoader);
        String reply;
        if (!isLocal(from)) {
            reply = text.get("bot.error.notlocal");
        } else if (!limiter.allow(from.toBareJID())) {
            if (warned.putIfAbsent(from.toBareJID(), true) != null) {
                return;
            }
            reply = text.get("bot.error.ratelimit");
        } else {
            warned.remove(from.toBareJID());
            reply = commands.handle(from, message.getBody(), text);
        }
        Message answer = new Message();
        answer.setType(Message.Type.chat);
        answer.setTo(from);
        answer.setFrom(getJID());
        if (message.getThread() != null) {
            answer.setThread(message.getThread());
        }
        answer.setBody(reply);
        send(answer);
    }

    /** Shows the bot online in the user's roster: answer probes and subscription requests from local users. */
    @Override
    protected void handlePresence(Presence presence) {
        JID from = presence.getFrom();
        if (from == null || !isLocal(from)) {
            return;
        }
        Presence.Type type = presence.getType();
        if (type == Presence.Type.subscribe) {
            send(presence(from.asBareJID(), Presence.Type.subscribed));
            send(presence(from.asBareJID(), Presence.Type.subscribe)); // mutual: "both" in the user's roster
            send(presence(from.asBareJID(), null));
        } else if (type == Presence.Type.unsubscribe) {
            send(presence(from.asBareJID(), Presence.Type.unsubscribed));
        } else if (type == Presence.Type.probe || type == null) {
            send(presence(from, null)); // a probe, or a user's available presence: we are online
        }
    }

    /** Tells a user's resource that the bot is online (after it was put in the user's roster). */
    public void announceTo(JID resource) {
        send(presence(resource, null));
    }

    private Presence presence(JID to, Presence.Type type) {
        Presence presence = new Presence(type);
        presence.setTo(to);
        presence.setFrom(getJID());
        if (type == null) {
            presence.setStatus(getDescription());
        }
        return presence;
    }

    @Override
    protected IQ handleIQGet(IQ iq) {
        Element query = iq.getChildElement();
        if (query != null && VERSION_NS.equals(query.getNamespaceURI())) {
            IQ result = IQ.createResultIQ(iq);
            Element answer = result.setChildElement("query", VERSION_NS);
            answer.addElement("name").setText("xmpproxy");
            answer.addElement("version").setText(version);
            return result;
        }
        return null; // AbstractComponent answers feature-not-implemented
    }

    /** XEP-0050: run a command, local users only. */
    @Override
    protected IQ handleIQSet(IQ iq) {
        Element child = iq.getChildElement();
        if (child == null || !AdHocCommands.NAMESPACE.equals(child.getNamespaceURI())) {
            return null;
        }
        if (iq.getFrom() == null || !isLocal(iq.getFrom())) {
            IQ error = IQ.createResultIQ(iq);
            error.setChildElement(child.createCopy());
            error.setError(PacketError.Condition.forbidden);
            return error;
        }
        return adHoc.execute(iq, BotText.forLanguage(iq.getElement().attributeValue("lang"), textLoader));
    }

    /** XEP-0050 2.2: the command list is the disco#items of node {@code http://jabber.org/protocol/commands}. */
    @Override
    protected IQ handleDiscoItems(IQ iq) {
        String node = iq.getChildElement().attributeValue("node");
        if (!AdHocCommands.NAMESPACE.equals(node)) {
            return super.handleDiscoItems(iq);
        }
        IQ result = IQ.createResultIQ(iq);
        Element query = result.setChildElement("query", NAMESPACE_DISCO_ITEMS);
        query.addAttribute("node", node);
        if (iq.getFrom() != null && isLocal(iq.getFrom())) {
            adHoc.listInto(query, getJID(), iq.getFrom(), BotText.forLanguage(iq.getElement().attributeValue("lang"), textLoader));
        }
        return result;
    }

    /** XEP-0050 2.3: each command node is an automation/command-node that takes data forms. */
    @Override
    protected IQ handleDiscoInfo(IQ iq) {
        String node = iq.getChildElement().attributeValue("node");
        if (node == null || !adHoc.isCommandNode(node)) {
            return super.handleDiscoInfo(iq);
        }
        IQ result = IQ.createResultIQ(iq);
        Element query = result.setChildElement("query", NAMESPACE_DISCO_INFO);
        query.addAttribute("node", node);
        Element identity = query.addElement("identity");
        identity.addAttribute("category", "automation");
        identity.addAttribute("type", "command-node");
        identity.addAttribute("name", node);
        query.addElement("feature").addAttribute("var", AdHocCommands.NAMESPACE);
        query.addElement("feature").addAttribute("var", "jabber:x:data");
        return result;
    }

    private boolean isLocal(JID from) {
        return from.getNode() != null && serverDomain.equals(from.getDomain()) && backend.isLocalUser(from.asBareJID());
    }
}
