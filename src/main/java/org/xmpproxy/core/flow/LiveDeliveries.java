package org.xmpproxy.core.flow;

import org.xmpp.packet.JID;
import org.xmpproxy.core.rule.MessageAt;
import org.xmpproxy.core.rule.MessageKey;

/** Told which resource got which message live (the original, a server carbon or a copy), so catch-up never repeats it. */
@FunctionalInterface
public interface LiveDeliveries {
    LiveDeliveries NONE = (resource, message) -> { };

    /** Known by key alone (no time known: the offline store's delivery): every message with that key counts as had. */
    void delivered(JID resource, MessageKey message);

    /**
     * Known by its history row (key and routing time): only that message counts as had, not others of its writer
     * that reuse the id, and a message without an id is known too.
     */
    default void delivered(JID resource, MessageAt message) {
        MessageKey key = message.key();
        if (key != null) {
            delivered(resource, key);
        }
    }

    /**
     * A message {@code resource} was counted as having got did not reach it after all: a copy it left
     * unacknowledged when its stream broke (XEP-0198), or one handed to a session that was already closing.
     * Its next catch-up must include it. Called on the packet path: must not block.
     */
    default void missed(JID resource, MessageKey message) {
    }

    /** As {@link #missed(JID, MessageKey)}, when its history row (routing time) is known. */
    default void missed(JID resource, MessageAt message) {
        MessageKey key = message.key();
        if (key != null) {
            missed(resource, key);
        }
    }
}
