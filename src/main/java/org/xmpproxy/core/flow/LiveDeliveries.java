package org.xmpproxy.core.flow;

import org.xmpp.packet.JID;

/** Told which resource got which message live (the original, a server carbon or a copy), so catch-up never repeats it. */
@FunctionalInterface
public interface LiveDeliveries {
    LiveDeliveries NONE = (resource, messageId) -> { };

    void delivered(JID resource, String messageId);
}
