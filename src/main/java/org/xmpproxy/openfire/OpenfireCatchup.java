package org.xmpproxy.openfire;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.xmpp.packet.JID;
import org.xmpproxy.core.catchup.CatchupPort;
import org.xmpproxy.core.catchup.CatchupSelector;
import org.xmpproxy.core.catchup.HistoryItem;
import org.xmpproxy.core.catchup.LiveSpans;
import org.xmpproxy.core.flow.CopySink;
import org.xmpproxy.core.rule.ResourceMode;
import org.xmpproxy.core.settings.Settings;
import org.xmpproxy.store.HistoryEntry;

/** Catch-up in Openfire: marks in the store, the history in the database, delivery through the routing table. */
final class OpenfireCatchup implements CatchupPort, AutoCloseable {
    private final XmpproxyProperties properties;
    private final Persistence persistence;
    private final CopySink sink;
    private final HistoryCopies copies;
    private final ScheduledExecutorService threads = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "xmpproxy-catchup");
        thread.setDaemon(true);
        return thread;
    });

    OpenfireCatchup(XmpproxyProperties properties, Persistence persistence, CopySink sink, HistoryCopies copies) {
        this.properties = properties;
        this.persistence = persistence;
        this.sink = sink;
        this.copies = copies;
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
        return persistence.effective.mirroring(account) && persistence.effective.mode(account, resource.getResource()) != ResourceMode.OFF;
    }

    /** The account's own limits, never above the server maximum, else the server's. */
    @Override
    public CatchupSelector.Limits limits(JID account) {
        return new CatchupSelector.Limits(persistence.effective.catchupCount(account), persistence.effective.catchupAge(account).toMillis(),
                properties.get(Settings.CATCHUP_NEW_RESOURCE_COUNT));
    }

    @Override
    public boolean flushHistory() {
        try {
            return persistence.writer.flush(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public List<? extends HistoryItem> window(JID account, long fromExclusive, long toInclusive, int limit) throws Exception {
        try (Connection c = persistence.source.connection()) {
            return persistence.historyStore.window(c, account.getNode(), fromExclusive, toInclusive, limit);
        }
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
