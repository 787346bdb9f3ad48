package org.xmpproxy.core.flow;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.dom4j.Element;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpproxy.core.copy.CopyFactory;
import org.xmpproxy.core.copy.CopySeal;
import org.xmpproxy.core.stanza.BadInput;
import org.xmpproxy.core.stanza.JidSet;
import org.xmpproxy.core.stanza.Jids;
import org.xmpproxy.core.stanza.Namespaces;
import org.xmpproxy.core.stanza.Stanzas;
import org.xmpproxy.core.rule.AccountResource;
import org.xmpproxy.core.rule.CopyForm;
import org.xmpproxy.core.rule.Direction;
import org.xmpproxy.core.rule.MessageAt;
import org.xmpproxy.core.rule.MessageKey;
import org.xmpproxy.core.rule.MirrorRule;
import org.xmpproxy.core.rule.OpenfireCarbons;
import org.xmpproxy.core.rule.Plan;
import org.xmpproxy.core.rule.ResourceMode;
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
    /** What Openfire carbons itself: in a cluster, what it delivered on other nodes follows from it. */
    private final OpenfireCarbons openfireCarbons;
    /** Originals another node routed and Openfire delivered to sessions here (a tie it broke: this node decides). */
    private final OriginalsFromOtherNodes fromOtherNodes = new OriginalsFromOtherNodes();
    /** Openfire's carbons another node is to send sessions here (lost if it fails first: then they are caught up). */
    private final AwaitedCarbons awaitedCarbons = new AwaitedCarbons();
    /** What this node routed to other nodes' sessions in the last seconds, reported missed if that node leaves. */
    private final HandedOver handedOver = new HandedOver();
    /** Messages other nodes routed, as they reached sessions here: their rows are written here if that node fails first. */
    private final WitnessedMessages witnessed = new WitnessedMessages();
    /** What nodes that left the cluster routed and this node saw, until {@link #writeInPlaceOf} looks at it. */
    private final Map<String, List<WitnessedMessages.Seen>> leftBehind = new java.util.concurrent.ConcurrentHashMap<>();
    /** When each node that left was seen to leave (this node's clock), for {@link #writeInPlaceOf}. */
    private final Map<String, Long> leftAt = new java.util.concurrent.ConcurrentHashMap<>();
    /**
     * What this node handed a node that left in its last moment, reported missed by those sessions with
     * {@link #writeInPlaceOf}, seconds after the leave: a node that shuts down writes their catch-up state as it stops,
     * and moved back before that is written, their state would be moved back from an older one, undoing it.
     */
    private final Map<String, List<HandedOver.Handed>> handedToLeft = new java.util.concurrent.ConcurrentHashMap<>();
    /** The sessions a node that left held, as far as this node saw them (they catch up where they log in again). */
    private final Map<String, Set<JID>> leftSessions = new java.util.concurrent.ConcurrentHashMap<>();
    /** In a cluster: the rows of what this node routed lately (its own deliveries are known here). */
    private final RoutedHere routedHere = new RoutedHere();
    private final MirrorConfig config;
    private final EffectiveSettings settings;
    private final ResourceDirectory directory;
    private final CopySink sink;
    private final MirrorCounters counters;
    private final HistorySink history;
    private volatile LiveDeliveries live = LiveDeliveries.NONE;
    /** Who hands a third node the carbons a failed node was to send its sessions. */
    private volatile CarbonChecks carbonChecks = CarbonChecks.NONE;
    private volatile StoredDeliveries stored = StoredDeliveries.NONE;
    /** Told of each account whose session the offline store hands a message, whatever the message. */
    private volatile java.util.function.Consumer<JID> offlineStoreHanded = account -> { };
    /** Seals every copy, and knows them again; a secret of this run until the plugin gives the kept one. */
    private volatile CopySeal seal = CopySeal.random();
    /** What resources of accounts keeping a history got lately: a redelivery is refused only when it matches. */
    private final RecentDeliveries recent = new RecentDeliveries();
    /** Which accounts keep a history; null until told (then every mirrored account is followed, none caught up). */
    private volatile Predicate<JID> keepsHistory;
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
    /**
     * The routings of messages a local client session sent that have not had their after-routing call: Openfire can
     * break one off half way and close the sender's connection ({@link #brokenOff}). Removing a frame from here claims
     * it: the routing thread's after-routing call and {@link #brokenOff} never both complete it.
     */
    private final Set<RoutingFrame> open = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public MirrorEngine(String localDomain, MirrorConfig config, AccountSettings settings,
                        ResourceDirectory directory, CopySink sink, MirrorCounters counters, HistorySink history) {
        this.localDomain = localDomain;
        this.rule = new MirrorRule(localDomain);
        this.openfireCarbons = new OpenfireCarbons(localDomain);
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

    /** Who hands the node of a session the carbons a failed node was to send it (a cluster of three nodes or more). */
    public void checkCarbonsElsewhereWith(CarbonChecks checks) {
        this.carbonChecks = Objects.requireNonNull(checks, "checks");
    }

    /**
     * On the node of {@code resource}: the node that routed {@code message} expected a carbon of it for this session from
     * a node that has left the cluster ({@link CarbonChecks}). If it did not come ({@link WitnessedMessages}: what reached
     * this node's sessions from other nodes), the session missed it: its catch-up sends it. Off the packet path.
     *
     * @return whether it was missed
     */
    public boolean carbonMaybeMissed(JID resource, MessageAt message) {
        if (message.id() == null || resource.getResource() == null || !localResources(resource.asBareJID()).contains(resource)) {
            return false; // gone meanwhile: its next catch-up reads the row
        }
        WitnessedMessages.Key key = WitnessedMessages.Key.of(resource.asBareJID(), message.key());
        if (witnessed.had(key, resource)) {
            return false;
        }
        live.missed(resource, message);
        return true;
    }

    /**
     * Who to tell, on the packet path, that the server's offline store handed a session of an account a message (the
     * account's bare JID): as it does, it deletes all the account's stored messages, also any stored meanwhile unread.
     */
    public void onOfflineStoreHanded(java.util.function.Consumer<JID> listener) {
        offlineStoreHanded = listener;
    }

    /** Who to tell when the server's offline store hands a resource a message (catch-up of the others). */
    public void onStoredDelivery(StoredDeliveries listener) {
        this.stored = listener;
    }

    /** The seal of every copy from now on (the plugin's kept secret: copies routed again after a reload still verify). */
    public void sealCopiesWith(CopySeal seal) {
        this.seal = Objects.requireNonNull(seal, "seal");
    }

    /** Seals a copy built outside the engine (catch-up, replay) once it is addressed. */
    public void seal(Message copy) {
        seal.seal(copy);
    }

    /**
     * Removes a copy mark xmpproxy did not make, and every element of its namespace where a copy could be taken for
     * one ({@link CopySeal#strip}): the message is then handled as any other, whoever sent it. Called before any rule
     * reads a message, where one enters: the router, and the offline store (which may hold what was stored before).
     * Only a message that carries the namespace pays for the check.
     */
    public void dropForgedCopyMarks(Message message) {
        if (CopySeal.carriesMark(message) && !seal.isSealed(message)) {
            CopySeal.strip(message);
            BadInput.forgedCopyMark(message.getElement().attributeValue("from"));
        }
    }

    /** One of xmpproxy's own copies: its mark verifies (a forged one was dropped where the message entered). */
    private boolean isSealedCopy(Message message) {
        return Stanzas.isOwnCopy(message) && seal.isSealed(message);
    }

    /** The resource's session is gone (Openfire removed it, after routing again what it left unacknowledged). */
    public void sessionEnded(JID resource) {
        if (resource != null) {
            recent.forget(resource);
            fromOtherNodes.forget(resource);
            awaitedCarbons.forget(resource);
        }
    }

    /** How many resources have a record of their recent deliveries (for tests). */
    int resourcesWithRecentDeliveries() {
        return recent.resources();
    }

    /** Which accounts keep a history (their resources can be caught up on a message they missed). */
    public void keepsHistory(Predicate<JID> accounts) {
        this.keepsHistory = accounts;
    }

    /**
     * Whether the router must not route this message again: one the server delivered to a resource of a mirrored
     * account, which left it unacknowledged as its stream ended (XEP-0198), and which the server now routes a second
     * time (it adds a delay stamped by itself). The account's other resources had it already, the original or a
     * copy: routed again, it would reach one of them twice, or be stored offline and come again. Only the resources
     * that left it unacknowledged missed it; they are caught up on it. Not refused when the account keeps no
     * history (nothing could catch them up): then the server does as it does without xmpproxy. Anyone can write the
     * server's delay stamp: refused is only what the engine itself saw delivered to a session that is closing now
     * ({@link RecentDeliveries}); anything else is routed as the server would.
     */
    public boolean refuseRedelivery(Message message) {
        // Asked for every message: the cheapest test first (a redelivery carries the server's delay stamp).
        Element delay = Stanzas.child(message, "delay", Namespaces.DELAY);
        if (delay == null || !localDomain.equals(delay.attributeValue("from"))) {
            return false;
        }
        JID to = message.getTo();
        if (to == null || !isLocalUser(to)) {
            return false;
        }
        if (!config.enabled() || Stanzas.isOwnCopy(message)) {
            return false;
        }
        JID account = to.asBareJID();
        if (!isMirroringOn(account) || !knownToKeepHistory(account)) {
            return false;
        }
        MessageKey key;
        if (Stanzas.isCarbon(message)) {
            key = MessageKey.ofCarbon(message); // one of the server's own carbons
        } else {
            JID from = message.getFrom();
            if (from == null || message.getID() == null || account.equals(from.asBareJID())
                    || rule.eligibility().check(message).isPresent()) {
                return false;
            }
            key = new MessageKey(Direction.RECEIVED, from.toBareJID(), message.getID());
        }
        if (key == null) {
            return false;
        }
        // The session it was delivered to is closing, and the engine saw this very stanza delivered to it.
        List<JID> missedBy = new ArrayList<>(1);
        for (JID closing : directory.closingResources(account)) {
            if (recent.delivered(closing, message)) {
                missedBy.add(closing);
            }
        }
        if (missedBy.isEmpty()) {
            return false;
        }
        missedBy.forEach(resource -> live.missed(resource, key));
        return true;
    }

    /**
     * Whether the router must not route this message at all: one of xmpproxy's own copies. Copies are
     * handed to sessions directly and never pass the router, except when Openfire re-routes stanzas a
     * client left unacknowledged (XEP-0198) as its stream ends: re-routed, a copy would reach another
     * resource a second time, or be stored offline and arrive again. Refuse it with {@link #copyNotDelivered}. Only
     * a copy whose seal verifies is one ({@link CopySeal}); with mirroring off nothing is refused.
     */
    public boolean isStrayCopy(Message message) {
        return config.enabled() && isSealedCopy(message);
    }

    /**
     * One of xmpproxy's copies did not reach the resource it is addressed to: it was left unacknowledged
     * when that resource's stream ended (XEP-0198), or handed to a session already closing. The resource
     * was counted as having it; now its next catch-up includes it.
     */
    public void copyNotDelivered(Message copy) {
        JID target = copy.getTo();
        MessageKey key = MessageKey.ofCopy(copy);
        if (target != null && target.getResource() != null && key != null) {
            live.missed(target, key);
        }
    }

    /**
     * The server hands {@code recipient} a message from its offline store (when the resource sends its
     * first available presence): it reached nobody when it was routed, so no resource had it and the history
     * entry says so. From now on it is the account's message: the other resources get it by catch-up, and
     * this one does not get it again. One of our own copies stored offline (handed to a session that closed
     * just then) counts as reaching the resource it is addressed to.
     */
    public void deliveredFromOfflineStore(Message message, JID recipient) {
        if (recipient == null || recipient.getResource() == null || !isLocalUser(recipient)) {
            return;
        }
        offlineStoreHanded.accept(recipient.asBareJID());
        dropForgedCopyMarks(message);
        if (isSealedCopy(message)) {
            MessageKey key = MessageKey.ofCopy(message);
            if (key != null && recipient.equals(message.getTo())) {
                live.delivered(recipient, key);
            }
            return;
        }
        JID account = recipient.asBareJID();
        JID from = message.getFrom();
        if (!config.enabled() || from == null || message.getID() == null || account.equals(from.asBareJID())
                || rule.eligibility().check(message).isPresent()) {
            return;
        }
        MessageKey key = new MessageKey(Direction.RECEIVED, from.toBareJID(), message.getID());
        stored.delivered(account, key, recipient);
        live.delivered(recipient, key);
    }

    /**
     * Whether an own copy must not be handed to this session: it is closing (Openfire would keep the copy
     * for a later client or re-route it), or the copy comes from the offline store for another resource. Only a
     * copy whose seal verifies is one; with mirroring off nothing is refused.
     */
    public boolean isMisdirectedCopy(Message message, JID recipient, boolean sessionClosed, boolean fromOfflineStore) {
        if (!config.enabled() || !(sessionClosed || fromOfflineStore) || !isSealedCopy(message)) {
            return false;
        }
        return sessionClosed || !Objects.equals(recipient, message.getTo());
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
        JID addressee = message.getTo();
        JID sender = senderSession != null && from != null && from.getResource() != null && isLocalUser(from) ? from : null;
        // A message without 'to' is for the sender's own bare JID (RFC 6120 10.3.1).
        JID to = addressee != null ? addressee : (from == null ? null : from.asBareJID());
        if (to != null && to.getNode() == null && localDomain.equals(to.getDomain())) {
            // For the server itself, not an account. Openfire hands one to the admins as new messages
            // and never makes the after-routing call for it: a frame would stay behind on this thread.
            return;
        }
        JID recipientAccount = to != null && isLocalUser(to) ? to.asBareJID() : null;
        if (sender == null && recipientAccount == null) {
            return; // no local account on either side
        }
        if (sender != null && !needsFollowing(sender.asBareJID())) {
            sender = null;
        }
        if (recipientAccount != null && !needsFollowing(recipientAccount)) {
            recipientAccount = null;
        }
        if (sender == null && recipientAccount == null) {
            return; // nothing to copy or record for either account, so nothing to follow
        }
        Optional<SkipReason> verdict = rule.eligibility().check(message, from, addressee);
        AtomicReference<FrameStack> holder = holder();
        FrameStack stack = holder.get();
        if (stack == null) {
            stack = new FrameStack(open::remove);
            holder.set(stack);
            if (closed) { // closed meanwhile: close() may have emptied the holders before this set
                holder.set(null);
                return;
            }
        }
        RoutingFrame frame = new RoutingFrame(message, sender, recipientAccount, senderSession, verdict, System.currentTimeMillis());
        if (senderSession != null) {
            frame.order = System.nanoTime(); // one session's routings follow one another: their order
            open.add(frame);
        }
        stack.push(frame);
        if (recipientAccount != null && verdict.isEmpty() && (sender == null || !Jids.sameAccount(recipientAccount, sender))) {
            awaitCarbonsFromOtherNode(message, recipientAccount, frame.routedAt);
        }
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
        open.clear();
    }

    /**
     * How long after its sender's session ended a routing still waiting for its after-routing call counts as broken
     * off: routing takes milliseconds, and Openfire closes the connection of a session whose message it could not
     * route only after it gave up on it.
     */
    public static final long BROKEN_OFF_AFTER_MILLIS = 2_000;

    /** Whether a message the local client session {@code session} sent is being routed (or its routing was broken off). */
    public boolean isRouting(JID session) {
        for (RoutingFrame frame : open) {
            if (session.equals(frame.senderSession)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Called {@link #BROKEN_OFF_AFTER_MILLIS} after the local client session {@code session} ended (at {@code endedAt}):
     * a message it sent before that still waits for its after-routing call, so Openfire broke the routing off. It does
     * when a cluster task to a node that has just left the cluster throws in its loop of sent carbons (which nothing
     * catches), and then closes the sender's connection. The message reached its addressee (or, its delivery having
     * failed before, was stored offline); what xmpproxy does after routing is done now: the copies, the history rows,
     * and the sessions that the loop did not reach, or that got nothing, are reported missed (sent by catch-up). What the session sent after that message Openfire did not route
     * (it read it after the close): forgotten. What a new session of the same resource sends is left alone. Off the
     * packet path.
     *
     * @return how many routings were completed (at most one)
     */
    public int brokenOff(JID session, long endedAt) {
        List<RoutingFrame> left = new ArrayList<>();
        for (RoutingFrame frame : open) {
            if (session.equals(frame.senderSession) && frame.routedAt <= endedAt && open.remove(frame)) {
                frame.completedElsewhere = true; // its thread's stack no longer takes deliveries into it
                left.add(frame);
            }
        }
        if (left.isEmpty()) {
            return 0;
        }
        // The session's messages are routed one after the other: the first was broken off, and the connection closed.
        // Openfire read the rest from the connection after that and did not route them (the session was no longer
        // authenticated), and made no after-routing call either: they reached nobody, and are not completed.
        left.sort(java.util.Comparator.comparingLong(frame -> frame.order)); // in one millisecond too
        RoutingFrame broken = left.get(0);
        if (broken.deliveriesNoted >= 0) { // read first: what its thread noted is seen whole
            complete(broken, true);
        }
        LOG.info("xmpproxy: Openfire broke off routing message {} that {} sent and closed its connection; its copies and"
                + " history row are made now, and its clients that got no carbon of it catch up on it{}", broken.message.getID(),
                session, left.size() == 1 ? "" : "; " + (left.size() - 1) + " it sent after that were not routed");
        return 1;
    }

    /** The server handed {@code message} to the local client session {@code recipient}. */
    public void delivered(Message message, JID recipient) {
        FrameStack stack = stack();
        RoutingFrame frame = stack == null ? null : stack.top();
        if (frame == null) {
            // Not part of a routing we follow (offline messages, our own copies, ...), or routed by another node.
            if (!awaitedCarbons.isEmpty()) {
                crossOffCarbon(message, recipient);
            }
            noteFromAnotherNode(message, recipient);
            witness(message, recipient);
            return;
        }
        if (message == frame.message) {
            frame.receivedOriginal.add(recipient);
            remember(frame, message, recipient);
            frame.deliveriesNoted++; // only this thread writes it
        } else if (Stanzas.isCarbon(message) && !Stanzas.isOwnCopy(message)) {
            frame.gotNativeCarbon.add(recipient);
            remember(frame, message, recipient);
            frame.deliveriesNoted++;
        }
    }

    /**
     * In a cluster: an original to the account's bare JID that another node routed reached this session (Openfire
     * hands it over in a cluster task). The routing node may not know that it did (a tie among the account's
     * sessions): it leaves the copy of such a session to this node, which then knows not to send it
     * ({@link #gotOriginalFromAnotherNode}). Noted for accounts with sessions on other nodes only.
     */
    private void noteFromAnotherNode(Message message, JID recipient) {
        String to = message.getElement().attributeValue("to");
        if (to == null || to.indexOf('/') >= 0 || recipient == null || recipient.getResource() == null
                || !isLocalUser(recipient) || Stanzas.isCarbon(message) || Stanzas.isOwnCopy(message)
                || !directory.hasResourcesOnOtherNodes(recipient.asBareJID())) {
            return;
        }
        fromOtherNodes.add(recipient, message);
    }

    /** One of Openfire's carbons, from the account's bare JID as Openfire sends them (anyone can write a wrapper). */
    private void crossOffCarbon(Message message, JID recipient) {
        if (recipient == null || !Stanzas.isCarbon(message) || Stanzas.isOwnCopy(message)) {
            return;
        }
        JID from = Jids.parse(message.getElement().attributeValue("from"));
        if (from != null && from.getResource() == null && Jids.sameAccount(recipient, from)) {
            awaitedCarbons.arrived(recipient, MessageKey.ofCarbon(message));
        }
    }

    /**
     * Another node left the cluster ({@code node}: its id as {@link ResourceDirectory#nodeOf} gives it), failed or shut
     * down: the carbons it was to send sessions here of messages this node routed to its clients, and did not, were
     * missed (their catch-up sends them now); those it was to send sessions of a third node are handed to that node,
     * which saw whether they came ({@link #checkCarbonsElsewhereWith}). What this node handed its sessions in its last
     * seconds is reported missed by them ({@link HandedOver}) with {@link #writeInPlaceOf}. What it routed and this node saw is kept for
     * {@link #writeInPlaceOf}. Off the packet path.
     *
     * @return how many carbons sessions here missed
     */
    public int nodeLeft(String node) {
        long now = System.currentTimeMillis();
        List<AwaitedCarbons.Awaited> lost = awaitedCarbons.nodeLeft(node, now);
        int missedHere = 0;
        for (AwaitedCarbons.Awaited carbon : lost) {
            if (carbon.here()) {
                live.missed(carbon.resource(), carbon.message());
                missedHere++;
            } else {
                carbonChecks.check(carbon.heldBy(), carbon.resource(), carbon.message());
            }
        }
        int handed = 0;
        Set<JID> theirs = new JidSet();
        List<HandedOver.Handed> lastMoment = new ArrayList<>();
        for (HandedOver.Handed one : handedOver.nodeLeft(node, now)) {
            theirs.add(one.resource());
            if (settings.mode(one.resource().asBareJID(), one.resource().getResource()) != ResourceMode.OFF) {
                lastMoment.add(one); // what it was handed as it left may have gone nowhere
                handed++;
            }
        }
        if (!lastMoment.isEmpty()) {
            handedToLeft.computeIfAbsent(node, n -> new java.util.concurrent.CopyOnWriteArrayList<>()).addAll(lastMoment);
        }
        if (handed > 0) {
            LOG.info("xmpproxy: a node left the cluster; {} messages this node handed its clients in its last {} s are"
                    + " caught up where they log in again, once that node has written their state", handed,
                    HandedOver.LAST_MOMENT_MILLIS / 1000);
        }
        List<WitnessedMessages.Seen> seen = witnessed.nodeLeft(node, now);
        if (!seen.isEmpty()) {
            seen.forEach(one -> theirs.addAll(one.there()));
            leftBehind.merge(node, seen, WitnessedMessages::both);
            leftAt.put(node, now);
            leftSessions.computeIfAbsent(node, n -> java.util.concurrent.ConcurrentHashMap.newKeySet()).addAll(theirs);
        }
        return missedHere;
    }

    /**
     * In a cluster: a message a client of another node sent reached a session here (the original, one of Openfire's
     * carbons of it, or one of xmpproxy's copies). Kept for a while ({@link WitnessedMessages}), so that if that node
     * fails before its queue writes the message's history rows, this node writes them ({@link #writeInPlaceOf}). Only
     * when another node routed it: a message this node routes has its frame, and its rows are written here.
     */
    private void witness(Message message, JID recipient) {
        if (recipient == null || recipient.getResource() == null || !isLocalUser(recipient)) {
            return;
        }
        if (Stanzas.isOwnCopy(message)) {
            if (witnessed.isEmpty()) {
                return; // unclustered, or nothing another node routed reached this node
            }
            // Only the copy of a message seen already (Openfire delivers the original, and sends its carbons, as it
            // routes; xmpproxy's copies come after): this node's own copies, and catch-up's, are of no such message.
            MessageKey key = MessageKey.ofCopy(message);
            if (key != null && witnessed.knows(key, recipient) && seal.isSealed(message)) {
                witnessed.copy(key, recipient);
            }
            return;
        }
        Message original = message;
        if (Stanzas.isCarbon(message)) {
            JID from = Jids.parse(message.getElement().attributeValue("from"));
            if (from == null || from.getResource() != null || !Jids.sameAccount(recipient, from)) {
                return; // not Openfire's: anyone can write a wrapper
            }
            original = forwardedIn(message);
            if (original == null) {
                return;
            }
        }
        JID sender = Jids.parse(original.getElement().attributeValue("from"));
        JID to = Jids.parse(original.getElement().attributeValue("to"));
        if (original.getID() == null || sender == null || to == null) {
            return; // its rows could not be matched to it
        }
        String node = sender.getResource() != null && isLocalUser(sender) ? directory.nodeOf(sender) : null;
        if (node == null) {
            if (Stanzas.isCarbon(message)) {
                // Routed by a node not known here (for another server's user), or by this one: only who had it, for
                // the case its routing node asks whether this carbon came (carbonMaybeMissed)
                witnessed.had(new WitnessedMessages.Key(sender.toBareJID(), to.toBareJID(), original.getID()), recipient,
                        System.currentTimeMillis());
            }
            return;
        }
        JID senderAccount = sender.asBareJID();
        JID recipientAccount = isLocalUser(to) && !Jids.sameAccount(senderAccount, to) ? to.asBareJID() : null;
        boolean forSender = isMirroringOn(senderAccount) && mayKeepHistory(senderAccount);
        boolean forRecipient = recipientAccount != null && isMirroringOn(recipientAccount) && mayKeepHistory(recipientAccount);
        if (!forSender && !forRecipient) {
            return;
        }
        Set<JID> there = new JidSet();
        if (forSender) {
            addSessionsOn(node, senderAccount, sender, there);
        }
        if (forRecipient) {
            addSessionsOn(node, recipientAccount, sender, there);
        }
        witnessed.original(original, node, recipient, there, System.currentTimeMillis());
    }

    /** The account's sessions that {@code node} holds, but the sender's. */
    private void addSessionsOn(String node, JID account, JID sender, Set<JID> into) {
        for (ResourcePresence resource : directory.resourcesAcrossNodes(account)) {
            if (resource.onOtherNode() && !resource.address().equals(sender) && node.equals(directory.nodeOf(resource.address()))) {
                into.add(resource.address());
            }
        }
    }

    /** The message a carbon forwards, as a stanza of its own (not copied: {@link WitnessedMessages} copies it once). */
    private static Message forwardedIn(Message carbon) {
        for (String wrapper : new String[] {"received", "sent"}) {
            Element wrapped = carbon.getChildElement(wrapper, Namespaces.CARBONS);
            Element forwarded = wrapped == null ? null : wrapped.element("forwarded");
            Element original = forwarded == null ? null : forwarded.element("message");
            if (original != null) {
                return new Message(original, true);
            }
        }
        return null;
    }

    /**
     * A node that left the cluster ({@link #nodeLeft}) had routed messages this node saw reach its sessions: those whose
     * history rows it had not written when it went (its write queue died with it) are written here now, as this node
     * saw them, and the accounts' clients that had not got them are reported missed (online ones are sent them now, the
     * others at their next catch-up, the failed node's too, wherever they log in again). Called some seconds after the
     * leave, when a node that shut down in order has written its queue. Off the packet path: it reads the database.
     *
     * @return how many rows were written
     */
    public int writeInPlaceOf(String node, FailedNodeRows rows) throws Exception {
        List<HandedOver.Handed> handed = handedToLeft.remove(node);
        if (handed != null) {
            handed.forEach(one -> live.missed(one.resource(), one.message()));
        }
        List<WitnessedMessages.Seen> seen = leftBehind.remove(node);
        Long left = leftAt.remove(node);
        Set<JID> theirs = leftSessions.remove(node);
        if (seen == null || seen.isEmpty()) {
            return 0;
        }
        long lastMomentFrom = (left == null ? System.currentTimeMillis() : left) - HandedOver.LAST_MOMENT_MILLIS;
        List<RowInPlace> candidates = new ArrayList<>();
        for (WitnessedMessages.Seen one : seen) {
            candidates.addAll(RowInPlace.of(one, rule, this::isMirroringOn, this::mayKeepHistory, this::localResources));
        }
        Map<JID, Set<MessageKey>> written = new java.util.HashMap<>();
        Map<JID, Set<MessageKey>> lastMomentRows = Map.of();
        try {
            for (RowInPlace row : candidates) {
                JID account = row.routed().account();
                if (!written.containsKey(account)) {
                    long from = candidates.stream().filter(r -> r.routed().account().equals(account)).mapToLong(RowInPlace::at).min().getAsLong();
                    long to = candidates.stream().filter(r -> r.routed().account().equals(account)).mapToLong(RowInPlace::at).max().getAsLong();
                    written.put(account, rows.written(account, from - RowInPlace.CLOCKS_APART_MILLIS, to + RowInPlace.CLOCKS_APART_MILLIS));
                }
            }
            if (left != null) {
                lastMomentRows = lastMomentRows(seen, left, rows);
            }
        } catch (Exception e) {
            leftBehind.merge(node, seen, WitnessedMessages::both); // the database is down: kept for the next try
            if (left != null) {
                leftAt.putIfAbsent(node, left);
            }
            if (theirs != null) {
                leftSessions.putIfAbsent(node, theirs);
            }
            throw e;
        }
        Set<MessageKey> inPlace = new java.util.HashSet<>();
        candidates.forEach(row -> inPlace.add(MessageKey.of(row.routed())));
        reportLastMomentHere(seen, lastMomentRows, inPlace, theirs == null ? Set.of() : theirs);
        return rows.oneNodeAtATime(node, () -> {
            int wrote = 0;
            for (RowInPlace row : candidates) {
                String tag = row.tag(node);
                Long at = rows.writtenInPlace(tag);
                if (at == null) {
                    MessageKey key = MessageKey.of(row.routed());
                    if (written.get(row.routed().account()).contains(key)) {
                        // The failed node wrote it, after its copies. In its last moment, a node that shut down had
                        // left the cluster before its copies for this node's clients went: those here that did not
                        // get it are reported (by key: the row has the failed node's time).
                        if (row.at() >= lastMomentFrom) {
                            reportMissedHere(row, key);
                        }
                        continue;
                    }
                    history.record(row.routed(), row.at());
                    rows.wroteInPlace(tag, row.at());
                    at = row.at();
                    wrote++;
                }
                MessageAt message = MessageAt.of(row.routed(), at);
                for (JID resource : row.missed()) {
                    if (settings.mode(resource.asBareJID(), resource.getResource()) != ResourceMode.OFF) {
                        live.missed(resource, message);
                    }
                }
            }
            rows.flush(); // the next node to look, and the look-ups of what was missed, read the rows
            return wrote;
        });
    }

    /**
     * The rows written of the accounts a node that left routed messages of that reached this node, in its last moment
     * ({@link HandedOver#LAST_MOMENT_MILLIS} before it left, to a little after).
     */
    private Map<JID, Set<MessageKey>> lastMomentRows(List<WitnessedMessages.Seen> seen, long left, FailedNodeRows rows)
            throws Exception {
        Set<JID> accounts = new JidSet();
        for (WitnessedMessages.Seen one : seen) {
            for (String account : List.of(one.key.from(), one.key.to())) {
                JID jid = Jids.parse(account);
                if (jid != null && isLocalUser(jid) && !localResources(jid).isEmpty()) {
                    accounts.add(jid);
                }
            }
        }
        Map<JID, Set<MessageKey>> found = new java.util.HashMap<>();
        for (JID account : accounts) {
            found.put(account, rows.written(account, left - HandedOver.LAST_MOMENT_MILLIS, left + RowInPlace.CLOCKS_APART_MILLIS));
        }
        return found;
    }

    /**
     * A node that shuts down leaves the cluster while it still routes: what it hands this node's sessions then (its
     * copies, an original) goes nowhere, and it writes the rows. So each row of its last moment that this node did not
     * route and that a session of this node was not seen to get ({@link WitnessedMessages}) is reported missed by that
     * session (sent now by catch-up). Not the sessions the node that left held (they catch up where they log in again),
     * nor a row written in its place (reported with it).
     */
    private void reportLastMomentHere(List<WitnessedMessages.Seen> seen, Map<JID, Set<MessageKey>> rows,
                                      Set<MessageKey> inPlace, Set<JID> theirs) {
        Map<WitnessedMessages.Key, Set<JID>> had = new java.util.HashMap<>();
        seen.forEach(one -> had.put(one.key, one.have()));
        int reported = 0;
        for (Map.Entry<JID, Set<MessageKey>> account : rows.entrySet()) {
            Set<JID> here = localResources(account.getKey());
            for (MessageKey key : account.getValue()) {
                if (inPlace.contains(key) || routedHere.contains(account.getKey(), key)) {
                    continue;
                }
                Set<JID> got = had.getOrDefault(WitnessedMessages.Key.of(account.getKey(), key), Set.of());
                for (JID resource : here) {
                    if (!got.contains(resource) && !theirs.contains(resource)
                            && settings.mode(resource.asBareJID(), resource.getResource()) != ResourceMode.OFF) {
                        live.missed(resource, key);
                        reported++;
                    }
                }
            }
        }
        if (reported > 0) {
            LOG.info("xmpproxy: a node left the cluster in the middle of routing; {} messages it routed in its last {} s"
                    + " did not reach clients here, who are sent them now", reported, HandedOver.LAST_MOMENT_MILLIS / 1000);
        }
    }

    /** The row's clients on this node that did not get it (those of the failed node catch up from their marks). */
    private void reportMissedHere(RowInPlace row, MessageKey key) {
        Set<JID> here = localResources(row.routed().account());
        for (JID resource : row.missed()) {
            if (here.contains(resource) && settings.mode(resource.asBareJID(), resource.getResource()) != ResourceMode.OFF) {
                live.missed(resource, key);
            }
        }
    }

    /** The account's available resources this node holds. */
    private Set<JID> localResources(JID account) {
        Set<JID> here = new JidSet();
        for (ResourcePresence resource : directory.availableResources(account)) {
            if (!resource.onOtherNode()) {
                here.add(resource.address());
            }
        }
        return here;
    }

    /** Whether what {@code node} routed waits to be looked at ({@link #writeInPlaceOf}: a try failed, or it was not made yet). */
    public boolean hasLeftBehind(String node) {
        return leftBehind.containsKey(node);
    }

    /** How many messages other nodes routed this node keeps in case they fail (for tests). */
    int witnessedMessages() {
        return witnessed.size();
    }

    /** How many deliveries to other nodes' sessions are kept in case those nodes leave (for tests). */
    int handedOver() {
        return handedOver.size();
    }

    /** How many carbons from other nodes are awaited (for tests). */
    int awaitedCarbons() {
        return awaitedCarbons.size();
    }

    /**
     * Whether {@code resource}, a session of this node, got the original another node routed ({@code original}: its
     * key, {@link OriginalsFromOtherNodes#keyOf}): then the copy that node left to this one is not delivered.
     */
    public boolean gotOriginalFromAnotherNode(JID resource, String original) {
        return fromOtherNodes.contains(resource, original);
    }

    /**
     * Notes what a resource of a followed account that keeps a history got: only that is refused if the server routes
     * it again from the resource's closing session ({@link #refuseRedelivery}).
     */
    private void remember(RoutingFrame frame, Message message, JID recipient) {
        boolean keepsHistory;
        if (frame.recipientAccount != null && Jids.sameAccount(frame.recipientAccount, recipient)) {
            if (frame.recipientKeepsHistory == null) {
                frame.recipientKeepsHistory = knownToKeepHistory(frame.recipientAccount);
            }
            keepsHistory = frame.recipientKeepsHistory;
        } else if (frame.sender != null && Jids.sameAccount(frame.sender, recipient)) {
            if (frame.senderKeepsHistory == null) {
                frame.senderKeepsHistory = knownToKeepHistory(frame.sender.asBareJID());
            }
            keepsHistory = frame.senderKeepsHistory;
        } else {
            keepsHistory = false; // another account, not followed
        }
        if (keepsHistory) {
            recent.add(recipient, message);
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
        if (frame == null || (frame.senderSession != null && !open.remove(frame))) {
            return; // not followed, or completed as broken off meanwhile (brokenOff)
        }
        complete(frame, false);
    }

    /** What comes after routing: the copies and history rows of the sender's and the recipient's account. */
    private void complete(RoutingFrame frame, boolean brokenOff) {
        Message message = frame.message;
        if (frame.sender != null) {
            RoutedMessage sent = RoutedMessage.sent(message, frame.sender,
                    onlyOf(frame.sender.asBareJID(), frame.receivedOriginal),
                    onlyOf(frame.sender.asBareJID(), frame.gotNativeCarbon));
            Plan plan = mirror(sent, frame.verdict, frame.routedAt);
            if (brokenOff) {
                carbonsNotSent(sent, plan, frame);
            }
        }
        if (frame.recipientAccount != null
                && (frame.sender == null || !Jids.sameAccount(frame.recipientAccount, frame.sender))) {
            RoutedMessage received = received(message, frame);
            if (brokenOff && !received.reachedTheAccount() && frame.verdict.isEmpty() && mayKeepHistory(received.account())) {
                reachedNobody(received, frame);
            } else if (frame.verdict.isEmpty() && directory.membershipChangedAt() >= frame.routedAt) {
                acrossAClusterChange(received, frame);
            } else {
                mirror(received, frame.verdict, frame.routedAt, frame.storedOffline);
            }
        }
    }

    /**
     * Openfire's offline store took {@code stored} (its copy of a message this thread routes, which reached no session
     * of its account): the message's history row says it waits there. Openfire reads a user's stored messages and then
     * deletes all of them as a session becomes available; one stored in between is deleted unread, and nobody would
     * get it (catch-up then sends it: {@code CatchupCoordinator.offlineStoreHanded}). Called on the routing thread;
     * must not block.
     */
    public void storedOffline(Message stored) {
        FrameStack stack = stack();
        RoutingFrame frame = stack == null ? null : stack.top();
        if (frame != null && stored != null && java.util.Objects.equals(frame.message.getID(), stored.getID())
                && java.util.Objects.equals(frame.message.getTo(), stored.getTo())) {
            frame.storedOffline = true;
        }
    }

    /**
     * A routing Openfire broke off whose delivery had failed before (its route to a session of the node that left threw,
     * and Openfire stored the message offline): no session of the account got it. It is taken as the account's: a
     * session that takes it from the offline store before its row is written here would tell no other
     * ({@link #deliveredFromOfflineStore}), and it would be lost for them. So its row counts it as delivered, every
     * available session is sent its copy (one of another node by its node, unless it got it there), and those that
     * take no copy (carbons clients: Openfire sent no carbon) are reported missed. Twice at worst, for the session that
     * later takes it from the offline store.
     */
    private void reachedNobody(RoutedMessage received, RoutingFrame frame) {
        JID account = received.account();
        List<ResourcePresence> available = directory.availableResources(account);
        RoutedMessage theAccounts = othersUndecided(received, available, Set.of()); // here: every available session
        Plan plan = mirror(theAccounts, frame.verdict, frame.routedAt);
        Set<JID> copied = new JidSet();
        plan.copies().forEach(copy -> copied.add(copy.to()));
        MessageAt message = MessageAt.of(theAccounts, frame.routedAt);
        for (ResourcePresence resource : available) {
            if (!copied.contains(resource.address()) && settings.mode(account, resource.address().getResource()) != ResourceMode.OFF) {
                missedWhereItIs(resource, message);
            }
        }
    }

    /**
     * A routing during which this node joined or left the cluster, or saw another node leave: the view of the other
     * nodes' sessions read now is not the one Openfire routed by (a session of a node now forgotten may have got the
     * original, through a cluster task before the change). So every available session this node did not see get the
     * original is taken as undecided: each is sent its copy unless it got the original (one of another node by its
     * node), and the row counts the message as the account's. Twice at worst, never lost: before, a message this
     * node handed a session of the other node just before leaving the cluster counted as reaching nobody, and its
     * sessions here got no copy.
     */
    private void acrossAClusterChange(RoutedMessage received, RoutingFrame frame) {
        mirror(othersUndecided(received, directory.availableResources(received.account()), received.gotNativeCarbon()),
                frame.verdict, frame.routedAt, frame.storedOffline);
    }

    /**
     * {@code received}, with every one of {@code available} that this node did not see get the original taken as
     * undecided (it may have got it): each is sent its copy unless it got the original.
     */
    private static RoutedMessage othersUndecided(RoutedMessage received, List<ResourcePresence> available, Set<JID> carbons) {
        Set<JID> undecided = new JidSet();
        for (ResourcePresence resource : available) {
            if (!received.receivedOriginal().contains(resource.address())) {
                undecided.add(resource.address());
            }
        }
        undecided.addAll(received.undecided());
        return RoutedMessage.received(received.stanza(), received.account(), received.receivedOriginal(), carbons, undecided);
    }

    /**
     * {@code resource} may not have got {@code message}: reported missed here for a session of this node (its
     * catch-up sends it), handed to the node of a session of another node, which saw whether it came
     * ({@link CarbonChecks}).
     */
    private void missedWhereItIs(ResourcePresence resource, MessageAt message) {
        String node = resource.onOtherNode() ? directory.nodeOf(resource.address()) : null;
        if (node != null) {
            carbonChecks.check(node, resource.address(), message);
        } else {
            live.missed(resource.address(), message);
        }
    }

    /**
     * A routing Openfire broke off in its loop of sent carbons: the sender's carbons-enabled sessions it had not
     * reached got no carbon, and the plan took them as having one. Those of this node seen to get none are reported
     * missed (sent now by catch-up); one of another node is handed to that node, which saw whether its carbon came
     * ({@link CarbonChecks}). A session of the node that left is gone: its clients catch up where they log in again,
     * from its mark, on the row written now.
     */
    private void carbonsNotSent(RoutedMessage sent, Plan plan, RoutingFrame frame) {
        JID account = sent.account();
        if (frame.verdict.isPresent() || !isConversation(plan) || !mayKeepHistory(account)
                || !openfireCarbons.isEligible(frame.message)) {
            return;
        }
        Set<JID> had = new JidSet();
        had.add(frame.sender);
        had.addAll(sent.receivedOriginal());
        had.addAll(sent.gotNativeCarbon());
        plan.copies().forEach(copy -> had.add(copy.to()));
        MessageAt message = MessageAt.of(sent, frame.routedAt);
        for (ResourcePresence resource : directory.resourcesAcrossNodes(account)) {
            JID address = resource.address();
            if (resource.carbonsEnabled() && had.add(address) && settings.mode(account, address.getResource()) != ResourceMode.OFF) {
                missedWhereItIs(resource, message);
            }
        }
    }

    /**
     * A message to a full JID another node holds: Openfire delivers it there, and its received carbons go from there
     * to the account's carbons-enabled sessions, also this node's. Noted before routing (the carbon may arrive before
     * routing here is done), so that they are caught up if that node fails before it sends them ({@link #nodeLeft}).
     * Only for a message the history keeps (it is sent from there); not for one Openfire does not carbon (its
     * {@code <private/>} is still on it here).
     */
    private void awaitCarbonsFromOtherNode(Message message, JID account, long routedAt) {
        JID to = message.getTo();
        JID from = message.getFrom();
        if (to == null || to.getResource() == null || message.getID() == null
                || !directory.hasResourcesOnOtherNodes(account) || !mayKeepHistory(account)) {
            return;
        }
        String node = directory.nodeOf(to);
        if (node == null || !openfireCarbons.isEligible(message)) {
            return;
        }
        MessageAt routed = new MessageAt(Direction.RECEIVED, from == null ? "" : from.toBareJID(), message.getID(), routedAt);
        for (ResourcePresence resource : directory.resourcesAcrossNodes(account)) {
            JID address = resource.address();
            if (!resource.carbonsEnabled() || address.equals(to) || settings.mode(account, address.getResource()) == ResourceMode.OFF) {
                continue;
            }
            String heldBy = resource.onOtherNode() ? directory.nodeOf(address) : null;
            if (resource.onOtherNode() && (heldBy == null || heldBy.equals(node))) {
                continue; // its carbon is sent where it is (and dies with it there)
            }
            awaitedCarbons.await(address, routed, node, heldBy);
        }
    }

    /**
     * The message as the recipient account got it: what this node saw delivered and, when the account has sessions
     * on other nodes, what Openfire delivered there ({@link OtherNodeDeliveries}).
     */
    private RoutedMessage received(Message message, RoutingFrame frame) {
        JID account = frame.recipientAccount;
        Set<JID> original = onlyOf(account, frame.receivedOriginal);
        Set<JID> carbons = onlyOf(account, frame.gotNativeCarbon);
        if (frame.verdict.isPresent() || !directory.hasResourcesOnOtherNodes(account)) {
            return RoutedMessage.received(message, account, original, carbons);
        }
        OtherNodeDeliveries.Outcome there = OtherNodeDeliveries.of(message, original,
                directory.resourcesAcrossNodes(account), openfireCarbons.isEligible(message), directory.bareJidRouting());
        original.addAll(there.receivedOriginal());
        return RoutedMessage.received(message, account, original, carbons, there.undecided());
    }

    private Plan mirror(RoutedMessage routed, Optional<SkipReason> verdict, long routedAt) {
        return mirror(routed, verdict, routedAt, false);
    }

    private Plan mirror(RoutedMessage routed, Optional<SkipReason> verdict, long routedAt, boolean storedOffline) {
        // Only followed accounts get here: their mirroring was on as the message entered the router (needsFollowing).
        Plan plan = rule.decide(routed, verdict, true, () -> resourcesOf(routed.account()));
        boolean conversation = isConversation(plan);
        if (conversation && mayKeepHistory(routed.account())) {
            tellLive(routed, plan, routedAt); // before the copies go: a catch-up starting now must not send them again
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} {} id={}: {}", routed.direction(), routed.account(), routed.stanza().getID(), plan);
        }
        deliverCopies(routed, plan, routedAt);
        if (conversation) {
            history.record(routed, routedAt, storedOffline); // after the copies: serialising the stanza must not delay them
            if (directory.clustered()) {
                routedHere.note(routed.account(), MessageKey.of(routed), routedAt);
            }
        }
        return plan;
    }

    private void deliverCopies(RoutedMessage routed, Plan plan, long routedAt) {
        if (plan.copies().isEmpty()) {
            return;
        }
        Message[] stanzas = buildCopies(routed, plan);
        for (int i = 0; i < stanzas.length; i++) {
            Plan.Copy copy = plan.copies().get(i);
            if (stanzas[i] == null) {
                continue; // could not be built: counted and logged
            }
            try {
                if (routed.undecided().contains(copy.to())) {
                    sink.deliverUnlessItGotTheOriginal(copy.to(), stanzas[i], OriginalsFromOtherNodes.keyOf(routed.stanza()));
                } else {
                    sink.deliver(copy.to(), stanzas[i]);
                }
                counters.delivered(copy.form());
            } catch (RuntimeException e) {
                counters.failed();
                LOG.warn("Could not deliver a copy of message {} to {}", routed.stanza().getID(), copy.to(), e);
                if (isConversation(plan) && mayKeepHistory(routed.account()) && directory.nodeOf(copy.to()) == null) {
                    // A session of this node: its catch-up sends it. (One of another node that left catches up where
                    // it logs in again, from its mark; the node that stays reads the rows of this one's last moment.)
                    live.missed(copy.to(), MessageAt.of(routed, routedAt));
                }
            }
        }
    }

    /**
     * The plan's copies, in its order (null for one that could not be built). All are built before any is handed
     * over, as a session or another plugin may change a stanza it is given: each form once, then copied for every
     * further resource that takes it, as only the addressee differs.
     */
    private Message[] buildCopies(RoutedMessage routed, Plan plan) {
        CopyFactory factory = new CopyFactory(config.legacySentPrefix());
        CopySeal sealing = seal;
        Map<CopyForm, Message> firstOfForm = new EnumMap<>(CopyForm.class);
        Message[] stanzas = new Message[plan.copies().size()];
        for (int i = 0; i < stanzas.length; i++) {
            Plan.Copy copy = plan.copies().get(i);
            try {
                Message first = firstOfForm.get(copy.form());
                if (first == null) {
                    stanzas[i] = factory.build(copy.form(), routed.stanza(), copy.to());
                    firstOfForm.put(copy.form(), stanzas[i]);
                } else {
                    stanzas[i] = first.createCopy();
                    stanzas[i].setTo(copy.to());
                }
                sealing.seal(stanzas[i]); // for its resource: the seal covers the address
            } catch (RuntimeException e) {
                counters.failed();
                LOG.warn("Could not build a copy of message {} for {}", routed.stanza().getID(), copy.to(), e);
            }
        }
        return stanzas;
    }

    /**
     * By the message's history row (its routing time): another message reusing its id, or one without an id, is told
     * apart. Only for this node's sessions: one on another node is handed its message by a cluster task, which is lost
     * if that node fails first; that node notes what its session got, and a catch-up here must not take it as got.
     */
    private void tellLive(RoutedMessage routed, Plan plan, long routedAt) {
        if (live == LiveDeliveries.NONE) {
            return;
        }
        MessageAt message = MessageAt.of(routed, routedAt);
        Set<JID> elsewhere = onOtherNodes(routed.account());
        routed.receivedOriginal().forEach(resource -> tellLive(resource, message, elsewhere));
        routed.gotNativeCarbon().forEach(resource -> tellLive(resource, message, elsewhere));
        plan.copies().forEach(copy -> tellLive(copy.to(), message, elsewhere));
        if (!elsewhere.isEmpty() && carbonsGoFromHere(routed, elsewhere)) {
            // Openfire's carbons to sessions of other nodes, sent from here as it routed: handed over as the rest is
            for (Plan.Skip skip : plan.skips()) {
                if (skip.reason() == SkipReason.NATIVE_CARBONS && elsewhere.contains(skip.resource())) {
                    tellLive(skip.resource(), message, elsewhere);
                }
            }
        }
    }

    /**
     * Whether Openfire sends the account's carbons of this message from this node: the sent ones always (the router's
     * loop), the received ones unless the message is for a full JID another node holds (they go from there, and
     * {@link AwaitedCarbons} follows them).
     */
    private static boolean carbonsGoFromHere(RoutedMessage routed, Set<JID> elsewhere) {
        if (routed.direction() == Direction.SENT) {
            return true;
        }
        JID to = routed.stanza().getTo();
        return to == null || to.getResource() == null || !elsewhere.contains(to);
    }

    private void tellLive(JID resource, MessageAt message, Set<JID> elsewhere) {
        if (!elsewhere.contains(resource)) {
            live.delivered(resource, message);
            return;
        }
        String node = directory.nodeOf(resource);
        if (node != null) {
            handedOver.note(node, resource, message);
        }
    }

    /** The account's resources whose sessions other nodes hold (none unclustered: a look-up in an empty map). */
    private Set<JID> onOtherNodes(JID account) {
        if (!directory.hasResourcesOnOtherNodes(account)) {
            return Set.of();
        }
        Set<JID> elsewhere = new java.util.HashSet<>(4);
        for (ResourcePresence resource : directory.resourcesAcrossNodes(account)) {
            if (resource.onOtherNode()) {
                elsewhere.add(resource.address());
            }
        }
        return elsewhere;
    }

    /** Messages that belong in the account's history: eligible ones, including those Openfire stored offline. */
    private static boolean isConversation(Plan plan) {
        return plan.messageSkipped().isEmpty() || plan.messageSkipped().get() == SkipReason.NOBODY_RECEIVED;
    }

    /**
     * Whether routing a message of this account may need the engine: the account is mirrored, and it keeps a
     * history (the message is recorded, and caught up) or has more than one client available (copies). An account
     * with one client and no history is left alone, as one that does not mirror: nothing could be copied or kept.
     */
    private boolean needsFollowing(JID account) {
        if (!isMirroringOn(account)) {
            return false;
        }
        return mayKeepHistory(account) || directory.availableCount(account) > 1;
    }

    /** Whether the account keeps a history, or may (not told yet): only then can its resources be caught up. */
    private boolean mayKeepHistory(JID account) {
        Predicate<JID> history = keepsHistory;
        return history == null || history.test(account);
    }

    /** Whether the account is known to keep a history (not when untold): only then may a redelivery be refused. */
    private boolean knownToKeepHistory(JID account) {
        Predicate<JID> history = keepsHistory;
        return history != null && history.test(account);
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
        List<ResourcePresence> available = directory.availableResources(account);
        List<AccountResource> resources = new ArrayList<>(available.size());
        for (ResourcePresence presence : available) {
            resources.add(new AccountResource(presence.address(), presence.carbonsEnabled(),
                    settings.mode(account, presence.address().getResource())));
        }
        return resources;
    }

    private boolean isLocalUser(JID jid) {
        return jid.getNode() != null && localDomain.equals(jid.getDomain());
    }

    /** The account's resources among {@code resources} (a routing may reach two accounts). Runs for every message: no stream, no JID built. */
    static Set<JID> onlyOf(JID account, Set<JID> resources) {
        Set<JID> own = new JidSet();
        for (JID resource : resources) {
            if (Jids.sameAccount(account, resource)) {
                own.add(resource);
            }
        }
        return own;
    }
}
