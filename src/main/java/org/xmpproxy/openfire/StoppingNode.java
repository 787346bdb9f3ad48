package org.xmpproxy.openfire;

import java.util.Collection;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jivesoftware.openfire.XMPPServerListener;
import org.jivesoftware.openfire.session.ClientSession;
import org.jivesoftware.openfire.session.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.Message;
import org.xmpp.packet.PacketError;
import org.xmpp.packet.StreamError;
import org.xmpproxy.bot.BotText;

/**
 * A node of a cluster that shuts down hands its clients to the nodes that stay. Openfire's shutdown leaves the cluster
 * first and closes its connections last ({@code XMPPServer.shutdownServer}: {@code ClusterManager.shutdown}, then the
 * plugins, then the modules). In between the node routes alone, its clustered caches swapped for empty ones: what its
 * clients send is stored offline for the account or reaches its own sessions only, never a client on a node that
 * stays, and nobody there learns of it. So from the moment the server shuts down, a clustered node
 * <ul>
 *   <li>refuses its clients' messages with an error the sender sees (wait: send it again once reconnected), rather
 *       than route them where nobody else sees them;</li>
 *   <li>once it has left ({@code serverStopping}: Hazelcast stopped, the other nodes drop its routes), writes its
 *       queue (the history rows of what it routed: the nodes that stay can no longer ask it to, and its clients'
 *       catch-up there reads them), then closes its clients' sessions ({@code system-shutdown}, not resumable), and
 *       those that log in meanwhile, so that they log in again on a node that stays, as they would a moment later
 *       anyway. Not earlier: until the other nodes have dropped its routes they keep routing to its sessions, and
 *       what cannot be delivered is stored offline; a client that logged in again elsewhere before that would find
 *       it only at its next login. (Once it has left the cluster nothing reaches its sessions: Openfire's routing
 *       caches are emptied.)</li>
 * </ul>
 * Errors are never answered (RFC 6120, 8.3.1), and groupchat goes to a room, which xmpproxy does not mirror. A server
 * that is not clustered routes as usual until it closes its connections: nothing changes there.
 */
final class StoppingNode extends SessionEventsAdapter implements XMPPServerListener {
    private static final Logger LOG = LoggerFactory.getLogger(StoppingNode.class);
    /** The key of the error's text, in the user's language where the bundle has it. */
    static final String REFUSED_TEXT = "server.stopping.refused";

    private final BooleanSupplier shuttingDown;
    private final Supplier<Collection<ClientSession>> localSessions;
    private final BooleanSupplier writeQueue;
    /** Whether this node is in a cluster, or was when it began to shut down (then it stays so). */
    private volatile boolean clustered;
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong closed = new AtomicLong();
    /** When this clustered node was first seen shutting down (epoch millis), or {@link Long#MAX_VALUE}. */
    private final AtomicLong stoppingSince = new AtomicLong(Long.MAX_VALUE);

    /**
     * @param shuttingDown  whether the server shuts down ({@code XMPPServer::isShuttingDown}: set before it leaves the cluster)
     * @param clustered     whether this node is in a cluster now ({@code ClusterManager.isClusteringStarted()}); then
     *                      {@link #joinedCluster} and {@link #leftCluster} say
     * @param localSessions this node's client sessions ({@code RoutingTable.getClientsRoutes(true)}; never
     *                      {@code SessionManager.getSessions()}, which adds stand-ins for the other nodes' sessions:
     *                      closing one closes that session on its node)
     * @param writeQueue    writes the store's queue, waiting a bounded time; whether it did
     */
    StoppingNode(BooleanSupplier shuttingDown, boolean clustered, Supplier<Collection<ClientSession>> localSessions,
                 BooleanSupplier writeQueue) {
        this.shuttingDown = shuttingDown;
        this.clustered = clustered;
        this.localSessions = localSessions;
        this.writeQueue = writeQueue;
    }

    /** Whether this node is a clustered one that shuts down (the cheap question first: almost always no). */
    boolean stopping() {
        if (!shuttingDown.getAsBoolean() || !clustered) {
            return false;
        }
        if (stoppingSince.get() == Long.MAX_VALUE) {
            stoppingSince.compareAndSet(Long.MAX_VALUE, System.currentTimeMillis());
        }
        return true;
    }

    /**
     * Since when this clustered node shuts down, as far as it has seen ({@link Long#MAX_VALUE} if it does not, or is not
     * clustered): it leaves the cluster then, and from then on its sessions get nothing the other nodes route. Their
     * catch-up state is saved as of then, however long the rest of the shutdown takes: what they missed after it comes
     * by catch-up where they log in again.
     */
    long stoppingSince() {
        stopping();
        return stoppingSince.get();
    }

    /** This node joined a cluster. */
    void joinedCluster() {
        clustered = true;
    }

    /**
     * Whether {@code message}, which {@code session} of this node sent, is refused: then the sender has been answered
     * with an error, and the message must not be routed. (Its session is closed as the node leaves the cluster, once
     * the queue is written: not here, on the packet path.)
     */
    boolean refuses(Message message, ClientSession session) {
        if (message.getType() == Message.Type.error || message.getType() == Message.Type.groupchat || !stopping()) {
            return false;
        }
        try {
            session.process(refusal(message, session));
        } catch (RuntimeException e) {
            LOG.debug("xmpproxy: could not tell {} that message {} was refused", session.getAddress(), message.getID(), e);
        }
        if (refused.incrementAndGet() == 1) {
            LOG.info("xmpproxy: this node of a cluster shuts down: its clients' messages are refused (the sender sees an"
                    + " error) until they are sent to a node that stays");
        }
        return true;
    }

    /**
     * This node left the cluster: if it is shutting down it stays one that was clustered (its clients' messages are
     * still refused); otherwise (a failure, or clustering turned off) it goes on serving its clients alone, Openfire's
     * routing caches restored.
     */
    void leftCluster() {
        if (!stopping()) { // (when stopping, noted as the moment it shuts down: the leave comes right after)
            clustered = false;
        }
    }

    @Override
    public void serverStarted() {
        // nothing to do: sessions are handed over only as the server stops
    }

    /** The server stops, having left the cluster: what it routed is written, then its clients go to the nodes that stay. */
    @Override
    public void serverStopping() {
        if (!stopping()) {
            return;
        }
        if (!writeQueue.getAsBoolean()) {
            LOG.warn("xmpproxy: this node shuts down and could not write its queue in time: its clients' catch-up on"
                    + " another node may miss what it routed last (it is written as the plugin stops)");
        }
        int sessions = 0;
        for (ClientSession session : localSessions.get()) {
            if (close(session)) {
                sessions++;
            }
        }
        LOG.info("xmpproxy: this node shuts down and has left the cluster: {} client sessions closed so that they log in"
                + " again on a node that stays", sessions);
    }

    /** How many messages were refused (for the log and tests). */
    long refused() {
        return refused.get();
    }

    /** How many sessions were closed (for tests). */
    long closed() {
        return closed.get();
    }

    /** Closes {@code session} as this node shuts down; whether it was open. */
    private boolean close(Session session) {
        try {
            if (!session.isClosed()) {
                session.close(new StreamError(StreamError.Condition.system_shutdown));
                closed.incrementAndGet();
                return true;
            }
        } catch (RuntimeException e) {
            LOG.debug("xmpproxy: could not close the session of {} as this node shuts down", session.getAddress(), e);
        }
        return false;
    }

    /** The error for a refused message: to its sender, from where it was going, with its id, so the client marks that one. */
    private static Message refusal(Message message, Session sender) {
        Message error = new Message();
        error.setType(Message.Type.error);
        error.setID(message.getID());
        error.setTo(sender.getAddress());
        error.setFrom(message.getTo());
        Locale language = sender.getLanguage();
        BotText text = BotText.forLanguage(language == null ? null : language.toLanguageTag(), StoppingNode.class.getClassLoader());
        error.setError(new PacketError(PacketError.Condition.service_unavailable, PacketError.Type.wait,
                text.get(REFUSED_TEXT), text.language()));
        return error;
    }

    @Override
    public void sessionCreated(Session session) {
        if (session instanceof ClientSession && stopping()) {
            close(session); // a client that came back to this node as it stops: it goes to one that stays
        }
    }

    @Override
    public void anonymousSessionCreated(Session session) {
        sessionCreated(session);
    }
}
