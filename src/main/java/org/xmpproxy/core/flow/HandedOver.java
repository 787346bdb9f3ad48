package org.xmpproxy.core.flow;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.xmpp.packet.JID;
import org.xmpproxy.core.rule.MessageAt;

/**
 * What this node routed to sessions other nodes hold, in the last seconds (the original, one of Openfire's carbons, one
 * of xmpproxy's copies). When such a node leaves the cluster, what it was handed in its last moment may have gone
 * nowhere: a node that shuts down empties its routing caches as it leaves (nothing reaches its sessions from then on,
 * and the other nodes route to it until they notice), a killed one died with it. So its sessions are reported to have
 * missed it, and catch it up where they log in again (twice at worst, never lost). Bounded: the newest
 * {@value #MAX} within {@value #LAST_MOMENT_MILLIS} ms.
 */
final class HandedOver {
    /** How far back before a node's leave what it was handed counts as possibly lost (its leave takes a second or two). */
    static final long LAST_MOMENT_MILLIS = 5_000;
    static final int MAX = 4_096;

    /** One delivery to a session of {@code node}; when: the message's routing time here ({@link MessageAt#at}). */
    record Handed(String node, JID resource, MessageAt message) {
    }

    private final ArrayDeque<Handed> recent = new ArrayDeque<>();

    synchronized void note(String node, JID resource, MessageAt message) {
        trim(message.at());
        if (recent.size() >= MAX) {
            recent.removeFirst();
        }
        recent.addLast(new Handed(node, resource, message));
    }

    /** {@code node} left: what it was handed in its last moment, taken out. */
    synchronized List<Handed> nodeLeft(String node, long now) {
        trim(now);
        List<Handed> lost = new ArrayList<>();
        for (Iterator<Handed> it = recent.iterator(); it.hasNext(); ) {
            Handed handed = it.next();
            if (handed.node().equals(node)) {
                lost.add(handed);
                it.remove();
            }
        }
        return lost;
    }

    synchronized int size() {
        return recent.size();
    }

    private void trim(long now) {
        while (!recent.isEmpty() && now - recent.peekFirst().message().at() > LAST_MOMENT_MILLIS) {
            recent.removeFirst();
        }
    }
}
