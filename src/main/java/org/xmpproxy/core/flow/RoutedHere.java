package org.xmpproxy.core.flow;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.xmpp.packet.JID;
import org.xmpproxy.core.rule.MessageKey;

/**
 * In a cluster: the history rows of the messages this node routed in the last seconds, by account and key. When another
 * node leaves, a row it wrote in its last moment that none of this node's sessions of the account was seen to get went
 * nowhere for them ({@link MirrorEngine#writeInPlaceOf}); a row this node routed itself is not one of those: its own
 * deliveries are known where it routed them. Bounded: the newest {@value #MAX} within {@value #KEPT_MILLIS} ms.
 */
final class RoutedHere {
    static final long KEPT_MILLIS = 15_000;
    static final int MAX = 16_384;

    /** A row as catch-up names it: its account and key. */
    private record Row(String account, MessageKey key) {
    }

    private record Noted(Row row, long at) {
    }

    /** Guarded by itself: oldest first; the map counts each row in the deque (an id may be reused). */
    private final ArrayDeque<Noted> noted = new ArrayDeque<>();
    private final Map<Row, Integer> counts = new HashMap<>();

    void note(JID account, MessageKey key, long at) {
        if (key == null) {
            return;
        }
        Row row = new Row(account.toBareJID(), key);
        synchronized (noted) {
            trim(at);
            if (noted.size() >= MAX) {
                forget(noted.removeFirst());
            }
            noted.addLast(new Noted(row, at));
            counts.merge(row, 1, Integer::sum);
        }
    }

    boolean contains(JID account, MessageKey key) {
        synchronized (noted) {
            return counts.containsKey(new Row(account.toBareJID(), key));
        }
    }

    private void trim(long now) {
        while (!noted.isEmpty() && now - noted.peekFirst().at() > KEPT_MILLIS) {
            forget(noted.removeFirst());
        }
    }

    private void forget(Noted one) {
        counts.computeIfPresent(one.row(), (r, n) -> n == 1 ? null : n - 1);
    }
}
