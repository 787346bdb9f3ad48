package org.xmpproxy.core.catchup;

import java.util.LinkedHashSet;
import java.util.Set;
import org.xmpproxy.core.rule.MessageAt;
import org.xmpproxy.core.rule.MessageKey;

/**
 * What a resource is known to have got live, to leave out of its catch-up: by history row (key and routing time),
 * as the engine reports live deliveries, so that a writer reusing one id for every message, or a message without
 * an id, is matched to the one row it got; by key alone where no time is known (Openfire's offline store), which
 * then covers every row with that key. Bounded; thread-safe (the packet path adds to it).
 */
public final class GotLive {
    public static final GotLive NONE = new GotLive(0);

    private final int max;
    private final Set<MessageAt> rows = new LinkedHashSet<>();
    private final Set<MessageKey> keys = new LinkedHashSet<>();

    public GotLive(int max) {
        this.max = max;
    }

    /** Key-only entries (tests, and what the offline store handed over). */
    public static GotLive ofKeys(Set<MessageKey> keys) {
        GotLive got = new GotLive(Integer.MAX_VALUE);
        got.keys.addAll(keys);
        return got;
    }

    /** @return false when it is full (then the caller records its period as a live span instead) */
    public synchronized boolean add(MessageAt row) {
        if (size() >= max) {
            return false;
        }
        rows.add(row);
        return true;
    }

    public synchronized boolean add(MessageKey key) {
        if (size() >= max) {
            return false;
        }
        keys.add(key);
        return true;
    }

    /** It did not get that row after all (nor, by key, anything with its key). */
    public synchronized void remove(MessageAt row) {
        rows.remove(row);
        if (row.key() != null) {
            keys.remove(row.key());
        }
    }

    /** It did not get a message known by key alone. */
    public synchronized void remove(MessageKey key) {
        keys.remove(key);
    }

    public synchronized int size() {
        return rows.size() + keys.size();
    }

    public synchronized boolean isEmpty() {
        return rows.isEmpty() && keys.isEmpty();
    }

    public synchronized boolean had(HistoryItem item) {
        if (isEmpty()) {
            return false;
        }
        if (rows.contains(item.at())) {
            return true;
        }
        MessageKey key = keys.isEmpty() ? null : item.key();
        return key != null && keys.contains(key);
    }

    /** A copy that the packet path no longer changes. */
    public synchronized GotLive copy() {
        GotLive copy = new GotLive(Integer.MAX_VALUE);
        copy.rows.addAll(rows);
        copy.keys.addAll(keys);
        return copy;
    }
}
