package org.xmpproxy.core.rule;

import java.util.Objects;

/**
 * One message of an account's conversation as its history row knows it: who wrote it, its id, and when the
 * server routed it (the row's time). An id is chosen by whoever wrote the message and may repeat (bots and
 * gateways send every message with the same id), or be missing: with the time, one message is told from
 * another with the same key, and a message without an id is still known.
 *
 * @param direction whether the account sent it or received it
 * @param peer      the other party's bare JID, as the history stores it ({@code ""} when there is none)
 * @param id        the message's id attribute, or null
 * @param at        when the server routed it (epoch millis), the time of its history row
 */
public record MessageAt(Direction direction, String peer, String id, long at) {
    public MessageAt {
        Objects.requireNonNull(direction, "direction");
        peer = peer == null ? "" : peer;
    }

    /** The routed message at the time the router took it. */
    public static MessageAt of(RoutedMessage routed, long routedAt) {
        return new MessageAt(routed.direction(), routed.peer(), routed.stanza().getID(), routedAt);
    }

    /** Its key, or null when it has no id. */
    public MessageKey key() {
        return id == null ? null : new MessageKey(direction, peer, id);
    }

    /** Whether it has this key (never, without an id). */
    public boolean has(MessageKey key) {
        return id != null && key != null && direction == key.direction() && peer.equals(key.peer()) && id.equals(key.id());
    }
}
