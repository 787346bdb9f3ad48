package org.xmpproxy.openfire;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.openfire.XMPPServer;
import org.jivesoftware.openfire.session.ClientSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.component.ComponentManagerFactory;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpproxy.bot.BotText;
import org.xmpproxy.bot.XmpproxyBot;
import org.xmpproxy.core.catchup.CatchupPort;
import org.xmpproxy.core.catchup.CatchupSelector;
import org.xmpproxy.core.catchup.HistoryItem;
import org.xmpproxy.core.catchup.LiveSpans;
import org.xmpproxy.core.flow.CopySink;
import org.xmpproxy.core.rule.MessageKey;
import org.xmpproxy.core.rule.ResourceMode;
import org.xmpproxy.core.settings.Settings;
import org.xmpproxy.core.stanza.Namespaces;
import org.xmpproxy.store.HistoryEntry;
import org.xmpproxy.store.Store;

/** Catch-up in Openfire: marks in the store, the history in the database, delivery through the routing table. */
final class OpenfireCatchup implements CatchupPort, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OpenfireCatchup.class);
    /** Messages with the same peer searched for one key. */
    private static final int SEARCHED = 2000;

    private final XmpproxyProperties properties;
    private final Store store;
    private final CopySink sink;
    private final HistoryCopies copies;
    /** The bot that tells a client what its catch-up left out; null until it runs (or if it could not start). */
    private volatile XmpproxyBot bot;
    private final ScheduledExecutorService threads = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "xmpproxy-catchup");
        thread.setDaemon(true);
        return thread;
    });

    OpenfireCatchup(XmpproxyProperties properties, Store store, CopySink sink, HistoryCopies copies) {
        this.properties = properties;
        this.store = store;
        this.sink = sink;
        this.copies = copies;
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

    @Override
    public List<? extends HistoryItem> window(JID account, long fromExclusive, long toInclusive, int limit) throws Exception {
        return store.window(account.getNode(), fromExclusive, toInclusive, limit);
    }

    /** In the form the resource takes now; false if it went away meanwhile. */
    @Override
    public boolean deliver(JID resource, HistoryItem item) {
        if (!copies.isOnline(resource)) {
            return false;
        }
        copies.copyFor(resource, (HistoryEntry) item).ifPresent(copy -> sink.deliver(resource, copy));
        return true;
    }

    @Override
    public HistoryItem find(JID account, MessageKey key) throws Exception {
        return store.find(account.getNode(), key, SEARCHED);
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

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
