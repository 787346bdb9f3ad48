package org.xmpproxy.core.flow;

import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpproxy.core.copy.CopyFactory;
import org.xmpproxy.core.stanza.Stanzas;
import org.xmpproxy.core.rule.AccountResource;
import org.xmpproxy.core.rule.MessageKey;
import org.xmpproxy.core.rule.MirrorRule;
import org.xmpproxy.core.rule.Plan;
import org.xmpproxy.core.rule.RoutedMessage;
import org.xmpproxy.core.rule.SkipReason;
import org.xmpproxy.core.settings.AccountSettings;
import org.xmpproxy.core.settings.EffectiveSettings;
import org.xmpproxy.core.settings.MirrorConfig;

/**
 * Follows each message through the server's routing and, when routing is done, delivers the copies
 * the {@link MirrorRule} asks for. It is fed three events, in the order the server produces them on
 * the routing thread:
 * <ol>
 *   <li>{@link #beforeRouting}: the message enters the router (before {@code <private/>} is stripped);</li>
 *   <li>{@link #delivered}: zero or more deliveries to local client sessions, of the original or of
 *       the server's own carbons;</li>
 *   <li>{@link #afterRouting}: routing, and the server's carbons, are done.</li>
 * </ol>
 * Copies are delivered once, at the third event, right after the original. Nothing here blocks.
 * {@link #close} when the plugin stops: no routing thread keeps anything of the engine afterwards.
 */
public final class MirrorEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MirrorEngine.class);

    private final String localDomain;
    private final MirrorRule rule;
    private final MirrorConfig config;
    private final EffectiveSettings settings;
    private final ResourceDirectory directory;
    private final CopySink sink;
    private final MirrorCounters counters;
    private final HistorySink history;
    private volatile LiveDeliveries live = LiveDeliveries.NONE;
    /**
     * The frames of the messages each thread is routing. The routing threads are the server's and
     * outlive a plugin reload, so what they hold must not pin this plugin's class loader: the
     * thread-local value is a JDK object holding the thread's {@link FrameStack} only while it routes
     * a message we follow, and {@link #close} empties every one of them, including frames the server
     * left behind (a message another interceptor rejected never gets its after-routing call).
     */
    private final ThreadLocal<AtomicReference<FrameStack>> frames = new ThreadLocal<>();
    /** Every thread's holder, to empty them on close; a thread that ends takes its holder with it. */
    private final Set<AtomicReference<FrameStack>> holders = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
    private volatile boolean closed;

    public MirrorEngine(String localDomain, MirrorConfig config, AccountSettings settings,
                        ResourceDirectory directory, CopySink sink, MirrorCounters counters, HistorySink history) {
        this.localDomain = localDomain;
        this.rule = new MirrorRule(localDomain);
        this.config = config;
        this.settings = new EffectiveSettings(settings, config);
        this.directory = directory;
        this.sink = sink;
        this.counters = counters;
        this.history = history;
    }

    /** Who to tell about live deliveries (catch-up). */
    public void onLiveDelivery(LiveDeliveries listener) {
        this.live = listener;
    }

    /**
     * Whether the router must not route this message at all: one of xmpproxy's own copies. Copies are
     * handed to sessions directly and never pass the router, except when Openfire re-routes stanzas a
     * client left unacknowledged (XEP-0198) as it disconnects: re-routed, a copy would reach another
     * resource a second time, or be stored offline and arrive again. The resource it was for is caught
     * up on return if it missed anything.
     */
    public boolean isStrayCopy(Message message) {
        return Stanzas.isOwnCopy(message);
    }

    /**
     * A message enters the router.
     *
     * @param senderSession the address of the local client session that sent it, or null
     */
    public void beforeRouting(Message message, JID senderSession) {
        if (!config.enabled() || closed) {
            return;
        }
        Message.Type type = message.getType();
        if (type == Message.Type.groupchat || type == Message.Type.headline) {
            return; // the fast path: neither xmpproxy nor Openfire's carbons ever copy these
        }
        if (senderSession != null && !isLocalUser(senderSession)) {
            return; // a session that has not bound an account's resource: the server refuses to route it
        }
        JID from = message.getFrom();
        JID sender = senderSession != null && from != null && from.getResource() != null && isLocalUser(from) ? from : null;
        // A message without 'to' is for the sender's own bare JID (RFC 6120 10.3.1).
        JID to = message.getTo() != null ? message.getTo() : (from == null ? null : from.asBareJID());
        if (to != null && to.getNode() == null && localDomain.equals(to.getDomain())) {
            // For the server itself, not an account. Openfire hands one to the admins as new messages
            // and never makes the after-routing call for it: a frame would stay behind on this thread.
            return;
        }
        JID recipientAccount = to != null && isLocalUser(to) ? to.asBareJID() : null;
        if (sender == null && recipientAccount == null) {
            return; // no local account on either side
        }
        Optional<SkipReason> verdict = rule.eligibility().check(message);
        AtomicReference<FrameStack> holder = holder();
        FrameStack stack = holder.get();
        if (stack == null) {
            stack = new FrameStack();
            holder.set(stack);
            if (closed) { // closed meanwhile: close() may have emptied the holders before this set
                holder.set(null);
                return;
            }
        }
        stack.push(new RoutingFrame(message, sender, recipientAccount, verdict));
    }

    private AtomicReference<FrameStack> holder() {
        AtomicReference<FrameStack> holder = frames.get();
        if (holder == null) {
            holder = new AtomicReference<>();
            frames.set(holder);
            holders.add(holder);
        }
        return holder;
    }

    /** The frames of the messages this thread is routing, or null. */
    private FrameStack stack() {
        AtomicReference<FrameStack> holder = frames.get();
        return holder == null ? null : holder.get();
    }

    /** How many messages this thread is routing as far as the engine knows (for tests). */
    int framesOnThisThread() {
        FrameStack stack = stack();
        return stack == null ? 0 : stack.size();
    }

    /**
     * The plugin stops: forget every frame on every thread, and follow no new message. The server's
     * threads keep only an empty JDK holder, which pins nothing of the plugin.
     */
    @Override
    public void close() {
        closed = true;
        synchronized (holders) {
            holders.forEach(holder -> holder.set(null));
            holders.clear();
        }
    }

    /** The server handed {@code message} to the local client session {@code recipient}. */
    public void delivered(Message message, JID recipient) {
        FrameStack stack = stack();
        if (stack == null) {
            return; // not part of a routing we follow (offline messages, our own copies, ...)
        }
        RoutingFrame frame = stack.top();
        if (frame == null) {
            return;
        }
        if (message == frame.message) {
            frame.receivedOriginal.add(recipient);
        } else if (Stanzas.isCarbon(message) && !Stanzas.isOwnCopy(message)) {
            frame.gotNativeCarbon.add(recipient);
        }
    }

    /** The router is done with {@code message}: deliver the copies. */
    public void afterRouting(Message message) {
        AtomicReference<FrameStack> holder = frames.get();
        FrameStack stack = holder == null ? null : holder.get();
        if (stack == null) {
            return;
        }
        RoutingFrame frame = stack.pop(message);
        if (stack.isEmpty()) {
            holder.set(null); // between routings a thread holds nothing of the plugin
        }
        if (frame == null) {
            return;
        }
        if (frame.sender != null) {
            mirror(RoutedMessage.sent(message, frame.sender,
                    onlyOf(frame.sender.asBareJID(), frame.receivedOriginal),
                    onlyOf(frame.sender.asBareJID(), frame.gotNativeCarbon)), frame.verdict, frame.routedAt);
        }
        if (frame.recipientAccount != null
                && (frame.sender == null || !frame.recipientAccount.equals(frame.sender.asBareJID()))) {
            mirror(RoutedMessage.received(message, frame.recipientAccount,
                    onlyOf(frame.recipientAccount, frame.receivedOriginal),
                    onlyOf(frame.recipientAccount, frame.gotNativeCarbon)), frame.verdict, frame.routedAt);
        }
    }

    /** What the rule decides for this message and account, without delivering anything (for tests and the bot). */
    public Plan plan(RoutedMessage routed, Optional<SkipReason> verdict) {
        return rule.decide(routed, verdict, isMirroringOn(routed.account()), () -> resourcesOf(routed.account()));
    }

    private void mirror(RoutedMessage routed, Optional<SkipReason> verdict, long routedAt) {
        Plan plan = plan(routed, verdict);
        if (isConversation(plan)) {
            history.record(routed, routedAt);
            tellLive(routed, plan);
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} {} id={}: {}", routed.direction(), routed.account(), routed.stanza().getID(), plan);
        }
        if (plan.copies().isEmpty()) {
            return;
        }
        CopyFactory factory = new CopyFactory(config.legacySentPrefix());
        for (Plan.Copy copy : plan.copies()) {
            try {
                sink.deliver(copy.to(), factory.build(copy.form(), routed.stanza(), copy.to()));
                counters.delivered(copy.form());
            } catch (RuntimeException e) {
                counters.failed();
                LOG.warn("Could not deliver a copy of message {} to {}", routed.stanza().getID(), copy.to(), e);
            }
        }
    }

    private void tellLive(RoutedMessage routed, Plan plan) {
        if (live == LiveDeliveries.NONE) {
            return;
        }
        MessageKey key = MessageKey.of(routed);
        if (key == null) {
            return;
        }
        routed.receivedOriginal().forEach(resource -> live.delivered(resource, key));
        routed.gotNativeCarbon().forEach(resource -> live.delivered(resource, key));
        plan.copies().forEach(copy -> live.delivered(copy.to(), key));
    }

    /** Messages that belong in the account's history: eligible ones, including those Openfire stored offline. */
    private static boolean isConversation(Plan plan) {
        return plan.messageSkipped().isEmpty() || plan.messageSkipped().get() == SkipReason.NOBODY_RECEIVED;
    }

    /**
     * Whether the account is mirrored (and its history recorded). Until the stored choices are known
     * (the database was down at start), an account that opted out cannot be told from one that made
     * no choice: then only accounts that chose mirroring since are mirrored, none by default.
     */
    public boolean isMirroringOn(JID account) {
        return settings.mirroring(account);
    }

    public List<AccountResource> resourcesOf(JID account) {
        return directory.availableResources(account).stream()
                .map(presence -> new AccountResource(presence.address(), presence.carbonsEnabled(), presence.priority(),
                        settings.mode(account, presence.address().getResource())))
                .toList();
    }

    private boolean isLocalUser(JID jid) {
        return jid.getNode() != null && localDomain.equals(jid.getDomain());
    }

    private static java.util.Set<JID> onlyOf(JID account, java.util.Set<JID> resources) {
        return resources.stream().filter(r -> account.equals(r.asBareJID())).collect(java.util.stream.Collectors.toSet());
    }
}
