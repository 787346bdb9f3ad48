package org.xmpproxy.openfire;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import java.util.function.Supplier;
import org.jivesoftware.util.cache.Cache;
import org.jivesoftware.util.cache.CacheFactory;
import org.xmpp.packet.JID;
import org.xmpproxy.core.flow.FailedNodeRows;
import org.xmpproxy.core.rule.MessageKey;
import org.xmpproxy.store.Store;

/**
 * Rows written in a failed node's place ({@code MirrorEngine.writeInPlaceOf}) on Openfire's own cluster facilities: a
 * clustered cache of the rows a node wrote so (a row's tag to its time: JDK types, which a plugin reloaded on another
 * node still reads), whose lock per failed node lets one node at a time look and write; the shared database through
 * the store. With three nodes or more, each survivor that saw a message reports its own clients, and only the first
 * writes the row. The cache keeps an entry as Openfire keeps any cache's (six hours unless
 * {@code cache.xmpproxy rows written in place.maxLifetime} says otherwise).
 */
final class InPlaceRows implements FailedNodeRows {
    private static final String CACHE = "xmpproxy rows written in place";
    /** How long the writer may take to write the rows before the lock goes to the next node. */
    private static final Duration FLUSH_WAIT = Duration.ofSeconds(5);

    private final Store store;
    private final Cache<String, Long> written;

    InPlaceRows(Store store) {
        this.store = store;
        this.written = CacheFactory.createCache(CACHE);
    }

    @Override
    public Set<MessageKey> written(JID account, long from, long to) throws Exception {
        return store.historyKeysBetween(account.getNode(), from, to);
    }

    @Override
    public Long writtenInPlace(String tag) {
        return written.get(tag);
    }

    @Override
    public void wroteInPlace(String tag, long at) {
        written.put(tag, at);
    }

    @Override
    public void flush() {
        store.flushHistory(FLUSH_WAIT);
    }

    @Override
    public <T> T oneNodeAtATime(String failedNode, Supplier<T> work) {
        Lock lock = written.getLock("failed node " + failedNode);
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }
}
