package org.xmpproxy.core.flow;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.xmpp.packet.JID;
import org.xmpproxy.core.rule.MessageAt;
import org.xmpproxy.core.rule.MessageKey;

/**
 * On the routing node of a cluster: Openfire's received carbons that another node is to send this node's sessions.
 * A message to a full JID held by another node is delivered there, and Openfire's carbons of it go from there to the
 * account's carbons-enabled sessions, also those here (a cluster task each way). If that node fails before it sends
 * them, the carbons die with it, and the client here, online all along, has no catch-up to bring the message. So the
 * routing node notes each carbon it expects from another node, crosses it off when it arrives, and at that node's
 * failure hands back what never came ({@link #nodeLeft}): those clients missed it.
 *
 * <p>Bounded: the last {@value #PER_RESOURCE} per resource, {@value #RESOURCES} resources; a resource's record goes
 * with its session. Only messages with an id are noted (a carbon is matched to its message by the id's key).
 */
final class AwaitedCarbons {
    static final int PER_RESOURCE = 64;
    static final int RESOURCES = 10_000;
    /** A carbon older than this is not handed back: a failure notice comes within Hazelcast's heartbeat timeout. */
    static final long MAX_AGE_MILLIS = 120_000;

    /**
     * One expected carbon: the message as its history row knows it, the node that is to send it, and the node that holds
     * the resource's session (null: this one; another: a third node, where only that node can see the carbon arrive).
     */
    record Awaited(JID resource, MessageAt message, String node, String heldBy) {
        /** Whether its resource's session is on this node. */
        boolean here() {
            return heldBy == null;
        }
    }

    /** Guarded by itself; the oldest resource goes first when full. */
    private final Map<JID, Deque<Awaited>> byResource = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<JID, Deque<Awaited>> eldest) {
            return size() > RESOURCES;
        }
    };
    /** Whether anything is awaited: the check on every delivery from another node when nothing is. */
    private volatile boolean any;

    boolean isEmpty() {
        return !any;
    }

    /**
     * {@code node} is to send {@code resource} a carbon of {@code message}; {@code heldBy}: the node of its session
     * (null: this one).
     */
    void await(JID resource, MessageAt message, String node, String heldBy) {
        Objects.requireNonNull(node, "node");
        if (message.id() == null) {
            return; // a carbon of it could not be told from another's
        }
        synchronized (byResource) {
            Deque<Awaited> awaited = byResource.computeIfAbsent(resource, r -> new ArrayDeque<>(4));
            awaited.addLast(new Awaited(resource, message, node, heldBy));
            if (awaited.size() > PER_RESOURCE) {
                awaited.removeFirst();
            }
            any = true;
        }
    }

    /** A carbon of the message with this key reached the resource: the oldest one awaited is crossed off. */
    void arrived(JID resource, MessageKey key) {
        if (!any || key == null) {
            return;
        }
        synchronized (byResource) {
            Deque<Awaited> awaited = byResource.get(resource);
            if (awaited == null) {
                return;
            }
            for (Iterator<Awaited> it = awaited.iterator(); it.hasNext(); ) {
                Awaited one = it.next();
                if (one.here() && one.message().has(key)) {
                    it.remove();
                    break;
                }
            }
            if (awaited.isEmpty()) {
                byResource.remove(resource);
                any = !byResource.isEmpty();
            }
        }
    }

    /**
     * {@code node} left the cluster (failed, or shut down): the carbons it was to send and did not arrive here (or, for a
     * third node's sessions, may not have arrived there), routed at most {@value #MAX_AGE_MILLIS} ms before {@code now},
     * taken out, oldest first. Those awaited for its own sessions go too: its clients catch up where they log in again.
     */
    List<Awaited> nodeLeft(String node, long now) {
        List<Awaited> lost = new ArrayList<>();
        synchronized (byResource) {
            for (Iterator<Deque<Awaited>> resources = byResource.values().iterator(); resources.hasNext(); ) {
                Deque<Awaited> awaited = resources.next();
                for (Iterator<Awaited> it = awaited.iterator(); it.hasNext(); ) {
                    Awaited one = it.next();
                    if (one.node().equals(node)) {
                        it.remove();
                        if (one.message().at() >= now - MAX_AGE_MILLIS) {
                            lost.add(one);
                        }
                    } else if (node.equals(one.heldBy()) || one.message().at() < now - MAX_AGE_MILLIS) {
                        it.remove(); // its session went with that node; or long sent (a third node's are never crossed off here)
                    }
                }
                if (awaited.isEmpty()) {
                    resources.remove();
                }
            }
            any = !byResource.isEmpty();
        }
        lost.sort((a, b) -> Long.compare(a.message().at(), b.message().at()));
        return lost;
    }

    void forget(JID resource) {
        synchronized (byResource) {
            byResource.remove(resource);
            any = !byResource.isEmpty();
        }
    }

    /** How many carbons are awaited in all (for tests). */
    int size() {
        synchronized (byResource) {
            return byResource.values().stream().mapToInt(Deque::size).sum();
        }
    }
}
