package org.xmpproxy.openfire;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.dom4j.DocumentException;
import org.dom4j.DocumentHelper;
import org.jivesoftware.openfire.IQRouter;
import org.jivesoftware.openfire.XMPPServer;
import org.jivesoftware.openfire.session.ClientSession;
import org.jivesoftware.util.JiveGlobals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.component.ComponentManagerFactory;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpproxy.bot.BotText;
import org.xmpproxy.bot.XmpproxyBot;
import org.xmpproxy.core.catchup.ArchiveKeeps;
import org.xmpproxy.core.catchup.CatchupPort;
import org.xmpproxy.core.catchup.CatchupSelector;
import org.xmpproxy.core.catchup.HistoryItem;
import org.xmpproxy.core.catchup.LiveSpans;
import org.xmpproxy.core.flow.CopySink;
import org.xmpproxy.core.rule.MessageAt;
import org.xmpproxy.core.rule.MessageKey;
import org.xmpproxy.core.rule.ResourceMode;
import org.xmpproxy.core.settings.Settings;
import org.xmpproxy.core.stanza.Namespaces;
import org.xmpproxy.core.threads.Pools;
import org.xmpproxy.store.HistoryEntry;
import org.xmpproxy.store.Store;

/** Catch-up in Openfire: marks in the store, the history in the database, delivery through the routing table. */
final class OpenfireCatchup implements CatchupPort, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OpenfireCatchup.class);
    /** Monitoring's switch for keeping message bodies (its default is on). */
    private static final String MONITORING_MESSAGE_ARCHIVING = "conversation.messageArchiving";
    /** Messages with the same peer searched for one key. */
    private static final int SEARCHED = 2000;

    private final XmpproxyProperties properties;
    private final Store store;
    private final CopySink sink;
    private final HistoryCopies copies;
    /** The bot that tells a client what its catch-up left out; null until it runs (or if it could not start). */
    private volatile XmpproxyBot bot;
    private final Function<JID, ClientSession> routeOf;
    private final LongSupplier stoppingSince;
    private final ScheduledThreadPoolExecutor threads = Pools.scheduled(2, "xmpproxy-catchup");

    /** @param routeOf the routing table's session for a full JID ({@code RoutingTable::getClientRoute}) */
    /**
     * @param stoppingSince since when this node, a clustered one, shuts down ({@code StoppingNode::stoppingSince};
     *                      {@link Long#MAX_VALUE} while it does not)
     */
    OpenfireCatchup(XmpproxyProperties properties, Store store, CopySink sink, HistoryCopies copies,
                    Function<JID, ClientSession> routeOf, LongSupplier stoppingSince) {
        this.properties = properties;
        this.store = store;
        this.sink = sink;
        this.copies = copies;
        this.routeOf = routeOf;
        this.stoppingSince = stoppingSince;
    }

    @Override
    public Long mark(JID resource) {
        return store.settings().resource(resource.getNode(), resource.getResource()).lastSeen();
    }

    @Override
    public LiveSpans live(JID resource) {
        return store.settings().resource(resource.getNode(), resource.getResource()).live();
    }

    @Override
    public void save(JID resource, Long mark, LiveSpans live) {
        store.settings().setCatchupState(resource, mark, live);
    }

    @Override
    public boolean wantsCatchup(JID resource) {
        JID account = resource.asBareJID();
        return store.effective().mirroring(account) && store.effective().mode(account, resource.getResource()) != ResourceMode.OFF;
    }

    /** The account's own limits, never above the server maximum, else the server's. */
    @Override
    public CatchupSelector.Limits limits(JID account) {
        return new CatchupSelector.Limits(store.effective().catchupCount(account), store.effective().catchupAge(account).toMillis(),
                properties.get(Settings.CATCHUP_NEW_RESOURCE_COUNT));
    }

    @Override
    public boolean flushHistory() {
        return store.flushHistory(Duration.ofSeconds(2));
    }

    /** Every node's queue written (each other node in a synchronous cluster task), the resource's mark read again. */
    @Override
    public boolean settle(JID resource) {
        return store.settleForCatchup(resource.getNode(), resource.getResource(), Duration.ofSeconds(2));
    }

    @Override
    public List<? extends HistoryItem> window(JID account, long fromExclusive, long toInclusive, int limit) throws Exception {
        return store.window(account.getNode(), fromExclusive, toInclusive, limit);
    }

    /**
     * In the form the resource takes now, to that session only; false if it went away meanwhile, or a newer session
     * with its resource took its place (that one has a catch-up of its own).
     */
    @Override
    public boolean deliver(JID resource, String session, HistoryItem item) {
        if (!isRoute(resource, session) || !copies.isOnline(resource)) {
            return false;
        }
        copies.copyFor(resource, (HistoryEntry) item).ifPresent(copy -> sink.deliver(resource, copy));
        return true;
    }

    @Override
    public boolean serverStopping() {
        return XMPPServer.getInstance().isShuttingDown();
    }

    @Override
    public long cutOffSince() {
        return stoppingSince.getAsLong();
    }

    @Override
    public boolean isRoute(JID resource, String session) {
        ClientSession route = routeOf.apply(resource);
        return route != null && session != null && session.equals(AccountEvents.idOf(route));
    }

    @Override
    public List<? extends HistoryItem> lostOffline(JID account, long since) throws Exception {
        String username = account.getNode();
        return store.lostOffline(username, since, () -> OfflineStoreWatch.stillStored(username));
    }

    @Override
    public HistoryItem find(JID account, MessageAt row) throws Exception {
        return store.find(account.getNode(), row);
    }

    @Override
    public List<? extends HistoryItem> find(JID account, MessageKey key, int count) throws Exception {
        return store.find(account.getNode(), key, SEARCHED, count);
    }

    @Override
    public long count(JID account, long fromExclusive, long toInclusive) throws Exception {
        return store.count(account.getNode(), fromExclusive, toInclusive);
    }

    @Override
    public Collection<JID> knownResources(JID account) {
        return store.settings().resources(account.getNode()).entrySet().stream()
                .filter(e -> e.getValue().lastSeen() != null)
                .map(e -> new JID(account.getNode(), account.getDomain(), e.getKey(), true)).toList();
    }

    /**
     * An archive the account's clients query (XEP-0313): a MAM handler is installed (Openfire's Monitoring plugin, or
     * another) and, for Monitoring, its message archiving is on ({@code conversation.messageArchiving}, default on; off,
     * it keeps no messages to return). Both read from memory.
     */
    @Override
    public boolean hasArchive(JID account) {
        IQRouter router = XMPPServer.getInstance().getIQRouter();
        return Namespaces.MAM.stream().anyMatch(router::supports)
                && JiveGlobals.getBooleanProperty(MONITORING_MESSAGE_ARCHIVING, true);
    }

    @Override
    public boolean carbons(JID resource) {
        ClientSession session = routeOf.apply(resource);
        return session != null && session.isMessageCarbonsEnabled();
    }

    @Override
    public long archiveWaitMillis() {
        return properties.get(Settings.CATCHUP_ARCHIVE_WAIT_SECONDS) * 1000L;
    }

    /** What Monitoring keeps of the message as the history holds it ({@link ArchiveKeeps}); unreadable: not kept. */
    @Override
    public boolean archiveKeeps(HistoryItem item) {
        try {
            return ArchiveKeeps.keeps(new Message(DocumentHelper.parseText(((HistoryEntry) item).stanza()).getRootElement()));
        } catch (DocumentException | RuntimeException e) {
            return false;
        }
    }

    void tellWith(XmpproxyBot bot) {
        this.bot = bot;
    }

    /**
     * A chat line from the bot to that client only, in its stream's language: not copied to the account's other
     * clients (neither by Openfire's carbons nor by us) and not kept in any history.
     */
    @Override
    public void truncated(JID resource, long missed, int shown) {
        XmpproxyBot teller = bot;
        if (teller == null) {
            return;
        }
        ClientSession session = XMPPServer.getInstance().getRoutingTable().getClientRoute(resource);
        Locale language = session == null ? null : session.getLanguage();
        BotText text = BotText.forLanguage(language == null ? null : language.toLanguageTag(), XmpproxyBot.class.getClassLoader());
        // replay N sends the newest N: it reaches older messages only when it may send more than the catch-up did.
        long replay = Math.min(missed, properties.replayMaximum());
        Message notice = new Message();
        notice.setType(Message.Type.chat);
        notice.setTo(resource);
        notice.setFrom(teller.getJID());
        notice.setBody(replay > shown ? text.get("bot.catchup.truncated", missed, shown, replay)
                : text.get("bot.catchup.truncated.atMost", missed, shown));
        notice.addChildElement("private", Namespaces.CARBONS);
        notice.addChildElement("no-copy", Namespaces.HINTS);
        notice.addChildElement("no-store", Namespaces.HINTS);
        try {
            ComponentManagerFactory.getComponentManager().sendPacket(teller, notice);
        } catch (Exception e) {
            LOG.warn("xmpproxy: could not tell {} what its catch-up left out: {}", resource, e.toString());
        }
    }

    @Override
    public void schedule(Runnable task, long delayMillis) {
        threads.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    }

    void every(Runnable task, Duration period) {
        threads.scheduleWithFixedDelay(task, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Runs no task that is waiting (a catch-up's state was saved by then: {@code CatchupCoordinator.suspendAll}) and
     * waits a few seconds for those running; never interrupts one, as it may be inside JDBC on the embedded database.
     */
    @Override
    public void close() {
        Pools.stop(threads, Duration.ofSeconds(5), "catch-up");
    }
}
