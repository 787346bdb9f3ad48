package org.xmpproxy.core.catchup;

import java.util.List;
import org.xmpp.packet.JID;

/** What catch-up needs from the rest of the plugin: stored marks, the history, delivery. */
public interface CatchupPort {
    /** The resource's catch-up mark, or null if it was never seen. */
    Long mark(JID resource);

    LiveSpans live(JID resource);

    void save(JID resource, Long mark, LiveSpans live);

    /** Whether the resource should be caught up at all (mirroring on, mode not off). */
    boolean wantsCatchup(JID resource);

    CatchupSelector.Limits limits(JID account);

    /** Waits (briefly) until history writes queued so far are in the database. */
    void flushHistory();

    /** The newest {@code limit} messages of the account routed in {@code (fromExclusive, toInclusive]}, oldest first. */
    List<? extends HistoryItem> window(JID account, long fromExclusive, long toInclusive, int limit) throws Exception;

    /** Sends one history message to the resource, in its form, marked as catch-up with its original time. Must not block. */
    void deliver(JID resource, HistoryItem item);

    /** Runs {@code task} after {@code delayMillis} on a catch-up thread. */
    void schedule(Runnable task, long delayMillis);
}
