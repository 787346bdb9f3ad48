package org.xmpproxy.core.flow;

import java.util.Set;
import java.util.function.Supplier;
import org.xmpp.packet.JID;
import org.xmpproxy.core.rule.MessageKey;

/**
 * What writing history rows in a failed node's place ({@link MirrorEngine#writeInPlaceOf}) needs of the shared history
 * and of the other nodes that saw the same messages. Off the packet path: it reads the database and waits on locks.
 */
public interface FailedNodeRows {
    /** The keys of the account's history rows routed in {@code [from, to]}, delivered or not. */
    Set<MessageKey> written(JID account, long from, long to) throws Exception;

    /**
     * The time of the row a node wrote for this message in the failed node's place ({@code tag}: the failed node, the
     * account and the message), or null if none did: then another node that saw it too does not write it again, but
     * its own clients still missed it.
     */
    Long writtenInPlace(String tag);

    /** This node wrote the row for {@code tag} at {@code at} in the failed node's place. */
    void wroteInPlace(String tag, long at);

    /** Writes what this node queued, so that the next node to look finds it. */
    void flush();

    /** Runs {@code work} while no other node writes in the failed node's place. */
    <T> T oneNodeAtATime(String failedNode, Supplier<T> work);

    /** One server, or a test: rows in memory, every lock already held. */
    static FailedNodeRows alone(java.util.function.Function<JID, Set<MessageKey>> rows) {
        java.util.Map<String, Long> inPlace = new java.util.concurrent.ConcurrentHashMap<>();
        return new FailedNodeRows() {
            @Override
            public Set<MessageKey> written(JID account, long from, long to) {
                return rows.apply(account);
            }

            @Override
            public Long writtenInPlace(String tag) {
                return inPlace.get(tag);
            }

            @Override
            public void wroteInPlace(String tag, long at) {
                inPlace.put(tag, at);
            }

            @Override
            public void flush() {
            }

            @Override
            public <T> T oneNodeAtATime(String failedNode, Supplier<T> work) {
                return work.get();
            }
        };
    }
}
