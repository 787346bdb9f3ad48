package org.xmpproxy.core.catchup;

import java.util.Collection;
import java.util.List;
import org.xmpp.packet.JID;
import org.xmpproxy.core.rule.MessageAt;
import org.xmpproxy.core.rule.MessageKey;

/** What catch-up needs from the rest of the plugin: stored marks, the history, delivery. */
public interface CatchupPort {
    /** The resource's catch-up mark, or null if it was never seen. */
    Long mark(JID resource);

    LiveSpans live(JID resource);

    void save(JID resource, Long mark, LiveSpans live);

    /** Whether the resource should be caught up at all (mirroring on, mode not off). */
    boolean wantsCatchup(JID resource);

    CatchupSelector.Limits limits(JID account);

    /**
     * Waits (briefly) until history writes queued so far are in the database.
     *
     * @return whether they are; false when the database is slow or down (then the history read next may lack them)
     */
    boolean flushHistory();

    /**
     * Before a catch-up of the resource reads (on its thread): waits (briefly) until the history and marks queued so
     * far on every node are in the database, and takes the resource's {@link #mark} and {@link #live} spans from there
     * again (in a cluster, the node the resource was on last moved them).
     *
     * @return whether they are; false when a node or the database is slow or down
     */
    default boolean settle(JID resource) {
        return flushHistory();
    }

    /**
     * The newest {@code limit} messages of the account routed in {@code (fromExclusive, toInclusive]}, oldest first,
     * of those a client of the account received: never one that reached nobody (stored offline by Openfire,
     * blocked by a privacy list).
     */
    List<? extends HistoryItem> window(JID account, long fromExclusive, long toInclusive, int limit) throws Exception;

    /**
     * Sends one history message to the resource's session, in its form, marked as catch-up with its original time.
     * Must not block.
     *
     * @param session the session it is for (see {@link #isRoute}): never another session that took over the resource
     * @return false when that session cannot be reached (it is going away, or another session took its place): the
     *         message was not sent. True when it was sent, or deliberately left out because the resource could not show
     *         it (unreadable, or its form cannot).
     */
    boolean deliver(JID resource, String session, HistoryItem item);

    /**
     * Whether the server is shutting down: what was still on its way to its sessions (a copy queued, a cluster
     * task from another node) may never reach them as their connections close.
     */
    default boolean serverStopping() {
        return false;
    }

    /**
     * Since when the server's sessions no longer get everything routed to them ({@link Long#MAX_VALUE} while they do):
     * a node of a cluster that shuts down leaves the cluster first, and from then on nothing another node routes
     * reaches its sessions, however long the rest of its shutdown takes.
     */
    default long cutOffSince() {
        return Long.MAX_VALUE;
    }

    /**
     * Whether {@code session} (the server's id of one client session) is still where the server routes the resource's
     * messages: false once it was replaced by a newer session with the same resource, or is gone.
     */
    default boolean isRoute(JID resource, String session) {
        return true;
    }

    /** Runs {@code task} after {@code delayMillis} on a catch-up thread. */
    void schedule(Runnable task, long delayMillis);

    /** The message of the account with this history row (key or none, and time) that a client of the account received, or null. */
    /**
     * The account's messages routed since {@code since} that Openfire's offline store took and then lost (deleted unread
     * as one of the account's sessions became available), each now made the account's in the history (none by default).
     */
    default List<? extends HistoryItem> lostOffline(JID account, long since) throws Exception {
        return List.of();
    }

    default HistoryItem find(JID account, MessageAt row) throws Exception {
        return null;
    }

    /** The newest {@code count} messages of the account with this key that a client of the account received, newest first. */
    default List<? extends HistoryItem> find(JID account, MessageKey key, int count) throws Exception {
        return List.of();
    }

    /** How many messages a client of the account received were routed in {@code (fromExclusive, toInclusive]}; -1 if unknown. */
    default long count(JID account, long fromExclusive, long toInclusive) throws Exception {
        return -1;
    }

    /** The account's resources that were ever caught up (that have a mark), online or not. */
    default Collection<JID> knownResources(JID account) {
        return List.of();
    }

    /**
     * Tells the resource that its catch-up left out the older of the messages it missed (a chat line from the
     * bot, in its language, with the replay command that sends more). Must not block.
     *
     * @param missed how many messages it missed
     * @param shown  how many of the newest of them the catch-up sends
     */
    default void truncated(JID resource, long missed, int shown) {
    }

    /**
     * Whether the server keeps an archive of the account's one-to-one messages that its clients query themselves
     * (XEP-0313: Openfire's Monitoring plugin archiving messages, or another archive). Read from memory, never a round trip.
     */
    default boolean hasArchive(JID account) {
        return false;
    }

    /** Whether the resource's session enabled carbons (XEP-0280): a client that also syncs an archive when there is one. */
    default boolean carbons(JID resource) {
        return false;
    }

    /** How long the catch-up of a carbons client of an account with an archive waits for the client's archive query. */
    default long archiveWaitMillis() {
        return 0;
    }

    /** Whether the account's archive keeps the message (and so returns it to a query that covers it). */
    default boolean archiveKeeps(HistoryItem item) {
        return false;
    }
}
