package org.xmpproxy.core.flow;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;

/**
 * On the node that holds a session: the originals of messages to the account's bare JID that another node routed
 * and Openfire delivered to that session here (a cluster task, outside any routing this node follows). The routing
 * node cannot know which of several equally ranked sessions Openfire picked; this node can, for its own sessions
 * ({@link OtherNodeDeliveries}). Bounded: the last {@value #PER_RESOURCE} per resource, {@value #RESOURCES}
 * resources; a resource's record goes with its session.
 */
public final class OriginalsFromOtherNodes {
    static final int PER_RESOURCE = 64;
    static final int RESOURCES = 10_000;

    /** Guarded by itself; the oldest resource goes first when full. */
    private final Map<JID, Deque<String>> byResource = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<JID, Deque<String>> eldest) {
            return size() > RESOURCES;
        }
    };

    /**
     * Who wrote it and its id, or its text when it has no id: what the routing node and this one both read of the
     * original (the stanza this node got is the routing node's, serialised).
     */
    public static String keyOf(Message original) {
        String from = original.getElement().attributeValue("from");
        String id = original.getID();
        return (from == null ? "" : from) + (id != null ? "\u0000id\u0000" + id : "\u0000body\u0000" + original.getBody());
    }

    void add(JID resource, Message original) {
        String key = keyOf(original);
        synchronized (byResource) {
            Deque<String> keys = byResource.computeIfAbsent(resource, r -> new ArrayDeque<>(4));
            keys.addLast(key);
            if (keys.size() > PER_RESOURCE) {
                keys.removeFirst();
            }
        }
    }

    boolean contains(JID resource, String key) {
        synchronized (byResource) {
            Deque<String> keys = byResource.get(resource);
            return keys != null && keys.contains(key);
        }
    }

    void forget(JID resource) {
        synchronized (byResource) {
            byResource.remove(resource);
        }
    }
}
