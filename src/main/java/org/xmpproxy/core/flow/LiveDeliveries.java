package org.xmpproxy.core.flow;

import org.xmpp.packet.JID;
import org.xmpproxy.core.rule.MessageKey;

/** Told which resource got which message live (the original, a server carbon or a copy), so catch-up never repeats it. */
@FunctionalInterface
public interface LiveDeliveries {
    LiveDeliveries NONE = (resource, message) -> { };

    void delivered(JID resource, MessageKey message);

    /**
     * A message {@code resource} was counted as having got did not reach it after all: a copy it left
     * unacknowledged when its stream broke (XEP-0198), or one handed to a session that was already closing.
     * Its next catch-up must include it. Called on the packet path: must not block.
     */
    default void missed(JID resource, MessageKey message) {
    }
}
