package org.xmpproxy.openfire;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.dom4j.DocumentHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpproxy.core.catchup.CatchupPort;
import org.xmpproxy.core.catchup.CatchupSelector;
import org.xmpproxy.core.catchup.HistoryItem;
import org.xmpproxy.core.catchup.LiveSpans;
import org.xmpproxy.core.copy.CopyFactory;
import org.xmpproxy.core.copy.Stanzas;
import org.xmpproxy.core.flow.CopySink;
import org.xmpproxy.core.flow.MirrorEngine;
import org.xmpproxy.core.rule.AccountResource;
import org.xmpproxy.core.rule.CopyForm;
import org.xmpproxy.core.rule.Direction;
import org.xmpproxy.core.rule.ResourceMode;
import org.xmpproxy.store.AccountPrefs;
import org.xmpproxy.store.ConnectionSource;
import org.xmpproxy.store.HistoryEntry;
import org.xmpproxy.store.HistoryStore;

/** Catch-up in Openfire: marks in the store, the history in the database, delivery through the routing table. */
final class OpenfireCatchup implements CatchupPort, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OpenfireCatchup.class);

    private final XmpproxyProperties properties;
    private final Persistence persistence;
    private final ConnectionSource database;
    private final MirrorEngine engine;
    private final CopySink sink;
    private final JID serverJid;
    private final ScheduledExecutorService threads = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "xmpproxy-catchup");
        thread.setDaemon(true);
        return thread;
    });

    OpenfireCatchup(XmpproxyProperties properties, Persistence persistence, ConnectionSource database, MirrorEngine engine,
                    CopySink sink, String domain) {
        this.properties = properties;
        this.persistence = persistence;
        this.database = database;
        this.engine = engine;
        this.sink = sink;
        this.serverJid = new JID(domain);
    }

    @Override
    public Long mark(JID resource) {
        return persistence.settings.resource(resource.getNode(), resource.getResource()).lastSeen();
    }

    @Override
    public LiveSpans live(JID resource) {
        return persistence.settings.resource(resource.getNode(), resource.getResource()).live();
    }

    @Override
    public void save(JID resource, Long mark, LiveSpans live) {
        persistence.settings.setCatchupState(resource, mark, live);
    }

    @Override
    public boolean wantsCatchup(JID resource) {
        JID account = resource.asBareJID();
        ResourceMode mode = persistence.settings.mode(account, resource.getResource()).orElse(properties.defaultMode());
        return engine.isMirroringOn(account) && mode != ResourceMode.OFF;
    }

    @Override
    public CatchupSelector.Limits limits(JID account) {
        AccountPrefs own = persistence.settings.account(account.getNode());
        int count = own.catchupCount() != null ? own.catchupCount() : properties.catchupMaxCount.getValue();
        long age = own.catchupAgeSeconds() != null ? own.catchupAgeSeconds() * 1000 : properties.catchupMaxAge.getValue().toMillis();
        return new CatchupSelector.Limits(count, age, properties.catchupNewResourceCount.getValue());
    }

    @Override
    public void flushHistory() {
        try {
            persistence.writer.flush(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public List<? extends HistoryItem> window(JID account, long fromExclusive, long toInclusive, int limit) throws Exception {
        try (Connection c = database.connection()) {
            return new HistoryStore().window(c, account.getNode(), fromExclusive, toInclusive, limit);
        }
    }

    /** In the form the resource takes now: carbons if it uses them, else the legacy form (sent text only). */
    @Override
    public void deliver(JID resource, HistoryItem item) {
        HistoryEntry entry = (HistoryEntry) item;
        Optional<AccountResource> target = engine.resourcesOf(resource.asBareJID()).stream()
                .filter(r -> r.address().equals(resource)).findFirst();
        if (target.isEmpty()) {
            return;
        }
        try {
            Message original = new Message(DocumentHelper.parseText(entry.stanza()).getRootElement());
            boolean sent = entry.direction() == Direction.SENT;
            boolean carbons = target.get().mode() == ResourceMode.CARBONS
                    || (target.get().mode() != ResourceMode.LEGACY && target.get().carbonsEnabled());
            if (sent && !carbons && (!Stanzas.hasBody(original) || original.getTo() == null)) {
                return; // a legacy client would show a sent typing notification as the peer's
            }
            CopyForm form = carbons ? (sent ? CopyForm.CARBON_SENT : CopyForm.CARBON_RECEIVED)
                    : (sent ? CopyForm.LEGACY_SENT : CopyForm.LEGACY_RECEIVED);
            sink.deliver(resource, new CopyFactory(properties.legacySentPrefix())
                    .delayed(form, original, resource, Instant.ofEpochMilli(entry.sentAt()), serverJid));
        } catch (Exception e) {
            LOG.warn("xmpproxy: skipped an unreadable history entry {} for {}: {}", entry.id(), resource, e.toString());
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
