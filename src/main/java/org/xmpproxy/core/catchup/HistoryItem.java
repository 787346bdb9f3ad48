package org.xmpproxy.core.catchup;

import org.xmpproxy.core.rule.Direction;
import org.xmpproxy.core.rule.MessageAt;
import org.xmpproxy.core.rule.MessageKey;

/**
 * What catch-up needs to know of a message in an account's history. The history hands out only
 * messages a client of the account received (see {@link CatchupPort#window}).
 */
public interface HistoryItem {
    /** When the server routed it (epoch millis). */
    long sentAt();

    /** Whether the account sent it or received it. */
    Direction direction();

    /** The other party's bare JID, or {@code ""}. */
    String peer();

    /** The message's id attribute, or null. */
    String messageId();

    /** Which message this is, or null when it has no id. */
    default MessageKey key() {
        String id = messageId();
        return id == null ? null : new MessageKey(direction(), peer(), id);
    }

    /** Which message this is, told apart from others with its key by its time: its history row. */
    default MessageAt at() {
        return new MessageAt(direction(), peer(), messageId(), sentAt());
    }
}
