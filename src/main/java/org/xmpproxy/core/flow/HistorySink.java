package org.xmpproxy.core.flow;

import org.xmpproxy.core.rule.RoutedMessage;

/** Receives every eligible message of a mirrored account once routing is done. Must not block. */
@FunctionalInterface
public interface HistorySink {
    HistorySink NONE = (routed, routedAt) -> { };

    /** @param routedAt when the router took the message (epoch millis) */
    void record(RoutedMessage routed, long routedAt);
}
