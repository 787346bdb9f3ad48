package org.xmpproxy.bot;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.dom4j.Element;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.component.Component;
import org.xmpp.component.ComponentException;
import org.xmpp.component.ComponentManager;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpp.packet.Packet;
import org.xmpp.packet.PacketError;
import org.xmpp.packet.Presence;
import org.xmpproxy.core.stats.Counter;
import org.xmpproxy.core.threads.Pools;

/**
 * The root bot at {@code xmpproxy.<domain>}: users chat with it, or use its XEP-0050 commands, to
 * manage their own account. It serves local users only.
 *
 * <p>Every stanza passes one gate on the routing thread, before it may wait in the bot's queue
 * ({@link #processPacket}): what the bot never answers is dropped there; the rest takes a token from
 * one {@link RateLimiter}: chat commands, ad-hoc commands and other requests of a user share one
 * bucket, their presences another, and all senders of other servers together a third. Over the
 * limit, a sender is told once and then ignored until the bucket refills. One worker thread answers,
 * so each user's commands are answered in order; its queue is bounded, and what does not fit is
 * dropped and counted.
 */
public final class XmpproxyBot implements Component {
    private static final Logger LOG = LoggerFactory.getLogger(XmpproxyBot.class);
    private static final String VERSION_NS = "jabber:iq:version";
    private static final String PING_NS = "urn:xmpp:ping";
    static final String DISCO_INFO = "http://jabber.org/protocol/disco#info";
    static final String DISCO_ITEMS = "http://jabber.org/protocol/disco#items";
    /** Stanzas waiting for the worker; with the rate limit, only many users at once can fill it. */
    static final int QUEUE_CAPACITY = 1000;
    /** The rate-limit bucket every sender of another server shares: they are all refused anyway. */
    private static final String REMOTE_SENDERS = " other servers";
    private static final String PRESENCE_OF = " presence ";

    private final String serverDomain;
    private final String version;
    private final CommandHandler commands;
    private final AdHocCommands adHoc;
    private final PendingForms forms;
    private final BotBackend backend;
    private final RateLimiter limiter;
    private final ClassLoader textLoader;
    private final AtomicLong overLimit = new AtomicLong();
    private final AtomicLong fromOtherServers = new AtomicLong();
    private final AtomicLong queueFull = new AtomicLong();
    private volatile ComponentManager manager;
    private volatile JID jid;
    private volatile ThreadPoolExecutor worker;

    /**
     * @param limiter the one rate limit of everything sent to the bot
     * @param clock   ages the open ad-hoc forms
     */
    public XmpproxyBot(String serverDomain, String version, BotBackend backend, RateLimiter limiter, Clock clock) {
        this.serverDomain = serverDomain;
        this.version = version;
        this.backend = backend;
        this.limiter = limiter;
        this.forms = new PendingForms(clock);
        this.commands = new CommandHandler(backend);
        this.adHoc = new AdHocCommands(commands, forms);
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
    public void initialize(JID jid, ComponentManager componentManager) throws ComponentException {
        this.jid = jid;
        this.manager = componentManager;
        ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(QUEUE_CAPACITY), Pools.named("xmpproxy-bot"), new ThreadPoolExecutor.AbortPolicy());
        this.worker = executor;
    }

    @Override
    public void start() {
        // The worker starts with the first stanza.
    }

    @Override
    public void shutdown() {
        ThreadPoolExecutor executor = worker;
        if (executor == null) {
            return;
        }
        // Commands waiting are dropped; one running is waited for, never interrupted (it may be reading the database).
        Pools.stop(executor, java.time.Duration.ofSeconds(2), "bot");
    }

    public JID getJID() {
        return jid;
    }

    /** The gate, on Openfire's routing thread: no I/O, no waiting. */
    @Override
    public void processPacket(Packet packet) {
        JID from = packet.getFrom();
        ThreadPoolExecutor executor = worker;
        if (from == null || executor == null || !needsAnAnswer(packet)) {
            return;
        }
        boolean local = serverDomain.equals(from.getDomain());
        if (!local && packet instanceof Presence) {
            return; // presence of other servers is never answered
        }
        String bucket = !local ? REMOTE_SENDERS : packet instanceof Presence ? PRESENCE_OF + from.toBareJID() : from.toBareJID();
        RateLimiter.Verdict verdict = limiter.check(bucket);
        if (verdict != RateLimiter.Verdict.ALLOW) {
            once(overLimit, "xmpproxy: the bot ignores senders over its rate limit ({} at first); counted in the stats", from);
        }
        if (!local) {
            once(fromOtherServers, "xmpproxy: the bot refuses senders of other servers ({} at first); counted in the stats", from);
        }
        if (verdict == RateLimiter.Verdict.REFUSE_SILENTLY
                || (verdict == RateLimiter.Verdict.REFUSE_AND_TELL && (!local || packet instanceof Presence))) {
            return;
        }
        Packet copy = packet.createCopy(); // the router may reuse the packet once this returns
        Runnable task = verdict == RateLimiter.Verdict.ALLOW ? () -> answer(copy) : () -> tellOverLimit(copy);
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            once(queueFull, "xmpproxy: the bot's queue is full ({} stanzas); dropping, counted in the stats", QUEUE_CAPACITY);
        }
    }

    /** What the bot never answers: errors, results, groupchat, and messages without text (chat states, receipts). */
    private static boolean needsAnAnswer(Packet packet) {
        if (packet instanceof Message message) {
            return message.getType() != Message.Type.error && message.getType() != Message.Type.groupchat
                    && message.getBody() != null;
        }
        if (packet instanceof IQ iq) {
            return iq.isRequest();
        }
        return packet instanceof Presence;
    }

    private static void once(AtomicLong counter, String message, Object argument) {
        if (counter.getAndIncrement() == 0) {
            LOG.warn(message, argument);
        }
    }

    /** On the worker thread. */
    private void answer(Packet packet) {
        try {
            if (packet instanceof Message message) {
                handleMessage(message);
            } else if (packet instanceof IQ iq) {
                send(handleIQ(iq));
            } else if (packet instanceof Presence presence) {
                handlePresence(presence);
            }
        } catch (RuntimeException e) {
            LOG.warn("xmpproxy: the bot failed to answer {}", packet.getFrom(), e);
            if (packet instanceof IQ iq) {
                send(error(iq, PacketError.Condition.internal_server_error));
            }
        }
    }

    /** The one reply to a sender over the limit, in its language. */
    private void tellOverLimit(Packet packet) {
        BotText text = textOf(packet);
        if (packet instanceof Message message) {
            reply(message, text.get("bot.error.ratelimit"));
        } else if (packet instanceof IQ iq) {
            send(AdHocCommands.error(iq, PacketError.Condition.resource_constraint, PacketError.Type.wait,
                    text.get("bot.error.ratelimit"), text));
        }
    }

    private void handleMessage(Message message) {
        BotText text = textOf(message);
        JID from = message.getFrom();
        reply(message, isLocal(from) ? commands.handle(from, message.getBody(), text) : text.get("bot.error.notlocal"));
    }

    private void reply(Message message, String body) {
        Message answer = new Message();
        answer.setType(Message.Type.chat);
        answer.setTo(message.getFrom());
        answer.setFrom(jid);
        if (message.getThread() != null) {
            answer.setThread(message.getThread());
        }
        answer.setBody(body);
        send(answer);
    }

    /** Shows the bot online in the user's roster: answer probes and subscription requests from local users. */
    private void handlePresence(Presence presence) {
        JID from = presence.getFrom();
        if (!isLocal(from)) {
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
        presence.setFrom(jid);
        if (type == null) {
            presence.setStatus(getDescription());
        }
        return presence;
    }

    /**
     * IQ requests: XEP-0030 disco, XEP-0092 version and XEP-0199 ping for this server's users and the
     * server itself (which asks for disco#info when the bot is added); XEP-0050 commands for local users.
     */
    private IQ handleIQ(IQ iq) {
        BotText text = textOf(iq);
        Element child = iq.getChildElement();
        if (!serverDomain.equals(iq.getFrom().getDomain())) {
            return AdHocCommands.error(iq, PacketError.Condition.forbidden, PacketError.Type.cancel, text.get("bot.error.notlocal"), text);
        }
        String namespace = child == null ? null : child.getNamespaceURI();
        if (namespace == null) {
            return error(iq, PacketError.Condition.bad_request);
        }
        if (iq.getType() == IQ.Type.set) {
            if (!AdHocCommands.NAMESPACE.equals(namespace)) {
                return error(iq, PacketError.Condition.feature_not_implemented);
            }
            if (!isLocal(iq.getFrom())) {
                return AdHocCommands.error(iq, PacketError.Condition.forbidden, PacketError.Type.auth, text.get("bot.error.notlocal"), text);
            }
            return adHoc.execute(iq, text);
        }
        return switch (namespace) {
            case DISCO_INFO -> discoInfo(iq);
            case DISCO_ITEMS -> discoItems(iq, text);
            case VERSION_NS -> version(iq);
            case PING_NS -> IQ.createResultIQ(iq);
            default -> error(iq, PacketError.Condition.feature_not_implemented);
        };
    }

    private IQ version(IQ iq) {
        IQ result = IQ.createResultIQ(iq);
        Element answer = result.setChildElement("query", VERSION_NS);
        answer.addElement("name").setText("xmpproxy");
        answer.addElement("version").setText(version);
        return result;
    }

    /** XEP-0030 for the bot; XEP-0050 2.3: each command node is an automation/command-node that takes data forms. */
    private IQ discoInfo(IQ iq) {
        String node = iq.getChildElement().attributeValue("node");
        IQ result = IQ.createResultIQ(iq);
        Element query = result.setChildElement("query", DISCO_INFO);
        if (node == null) {
            Element identity = query.addElement("identity");
            identity.addAttribute("category", "client");
            identity.addAttribute("type", "bot");
            identity.addAttribute("name", getName());
            for (String feature : List.of(DISCO_INFO, DISCO_ITEMS, VERSION_NS, PING_NS, AdHocCommands.NAMESPACE)) {
                query.addElement("feature").addAttribute("var", feature);
            }
            return result;
        }
        if (!adHoc.isCommandNode(node)) {
            return error(iq, PacketError.Condition.item_not_found);
        }
        query.addAttribute("node", node);
        Element identity = query.addElement("identity");
        identity.addAttribute("category", "automation");
        identity.addAttribute("type", "command-node");
        identity.addAttribute("name", node);
        query.addElement("feature").addAttribute("var", AdHocCommands.NAMESPACE);
        query.addElement("feature").addAttribute("var", "jabber:x:data");
        return result;
    }

    /** XEP-0050 2.2: the command list is the disco#items of node {@code http://jabber.org/protocol/commands}. */
    private IQ discoItems(IQ iq, BotText text) {
        String node = iq.getChildElement().attributeValue("node");
        IQ result = IQ.createResultIQ(iq);
        Element query = result.setChildElement("query", DISCO_ITEMS);
        if (node != null) {
            query.addAttribute("node", node);
        }
        if (AdHocCommands.NAMESPACE.equals(node) && isLocal(iq.getFrom())) {
            adHoc.listInto(query, jid, iq.getFrom(), text);
        }
        return result;
    }

    private static IQ error(IQ request, PacketError.Condition condition) {
        IQ error = IQ.createResultIQ(request);
        if (request.getChildElement() != null) {
            error.setChildElement(request.getChildElement().createCopy());
        }
        error.setError(condition);
        return error;
    }

    /** The bot's part of the plugin's counters (its {@code stats} command and the admin page show them all). */
    public List<Counter> counters() {
        return List.of(new Counter("counter.botOverLimit", overLimit::get),
                new Counter("counter.botFromOtherServers", fromOtherServers::get),
                new Counter("counter.botQueueFull", queueFull::get),
                new Counter("counter.botFormsOpen", forms::size),
                new Counter("counter.botFormsRefused", forms::refused));
    }

    private BotText textOf(Packet packet) {
        return BotText.forLanguage(packet.getElement().attributeValue("lang"), textLoader);
    }

    private void send(Packet packet) {
        try {
            manager.sendPacket(this, packet);
        } catch (ComponentException e) {
            LOG.warn("xmpproxy: the bot could not send to {}: {}", packet.getTo(), e.toString());
        }
    }

    private boolean isLocal(JID from) {
        return from.getNode() != null && serverDomain.equals(from.getDomain()) && backend.isLocalUser(from.asBareJID());
    }
}
