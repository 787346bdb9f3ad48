package org.xmpproxy.core.flow;

import org.xmpproxy.core.rule.RoutedMessage;

/** Receives every eligible message of a mirrored account once routing is done. Must not block. */
@FunctionalInterface
public interface HistorySink {
    HistorySink NONE = (routed, routedAt) -> { };

    /** @param routedAt when the router took the message (epoch millis) */
    void record(RoutedMessage routed, long routedAt);

    /**
     * As {@link #record(RoutedMessage, long)}; {@code storedOffline}: Openfire's offline store took it. The row of a
     * received message that reached no session then says it waits there.
     */
    default void record(RoutedMessage routed, long routedAt, boolean storedOffline) {
        record(routed, routedAt);
    }
}
