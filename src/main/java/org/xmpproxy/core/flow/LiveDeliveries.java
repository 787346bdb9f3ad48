package org.xmpproxy.core.flow;

import org.xmpp.packet.JID;
import org.xmpproxy.core.rule.MessageKey;

/** Told which resource got which message live (the original, a server carbon or a copy), so catch-up never repeats it. */
@FunctionalInterface
public interface LiveDeliveries {
    LiveDeliveries NONE = (resource, message) -> { };

    void delivered(JID resource, MessageKey message);
}
