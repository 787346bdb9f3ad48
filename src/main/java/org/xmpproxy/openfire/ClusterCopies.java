package org.xmpproxy.openfire;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.dom4j.DocumentException;
import org.dom4j.DocumentHelper;
import org.jivesoftware.openfire.XMPPServer;
import org.jivesoftware.openfire.session.ClientSession;
import org.jivesoftware.openfire.session.RemoteSessionLocator;
import org.jivesoftware.util.cache.CacheFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpproxy.core.flow.MirrorEngine;
import org.xmpproxy.core.threads.Pools;

/**
 * Copies for sessions on other cluster nodes, handed over without waiting on the network:
 * <ul>
 *   <li>a copy the routing node decided: {@code RemoteClientSession.process}, Openfire's own ProcessPacketTask to the
 *       session's node (from {@code RemoteSessionLocator}: no routing-table lock, no cluster call);</li>
 *   <li>a copy only the session's node can decide (Openfire broke a tie there): a {@link ClusterCopyTask}; that node
 *       delivers it unless its session got the original. Cluster tasks run unordered on the receiving node's executor,
 *       so Openfire's delivery of the original may still be under way: what is not seen at once is checked again
 *       {@value #GRACE_MILLIS} ms later, off the packet path, then delivered.</li>
 * </ul>
 */
final class ClusterCopies {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterCopies.class);
    static final long GRACE_MILLIS = 500;

    private final MirrorEngine engine;
    private final SessionDirectory sessions;
    private final ScheduledThreadPoolExecutor later = Pools.scheduled(1, "xmpproxy-cluster-copies");

    ClusterCopies(MirrorEngine engine, SessionDirectory sessions) {
        this.engine = engine;
        this.sessions = sessions;
    }

    /**
     * Copies waiting for their second look are decided now, on the stopping thread: the stopped pool would drop them
     * (lost: the routing node counted them as handed over), while deciding early at worst sends one whose original
     * was still on its way (twice).
     */
    void stop() {
        java.util.List<Runnable> waiting = new java.util.ArrayList<>();
        later.getQueue().drainTo(waiting);
        for (Runnable copy : waiting) {
            try {
                copy.run();
            } catch (RuntimeException e) {
                LOG.debug("xmpproxy: a copy from another node could not be delivered at stop: {}", e.toString());
            }
        }
        Pools.stop(later, java.time.Duration.ofSeconds(2), "cluster copies");
    }

    /** Whether no copy waits for its second look (for tests). */
    boolean idle() {
        return later.getQueue().isEmpty() && later.getActiveCount() == 0;
    }

    /** A copy decided here for a session of another node. */
    static void process(byte[] node, JID resource, Message copy) {
        RemoteSessionLocator locator = XMPPServer.getInstance().getRemoteSessionLocator();
        ClientSession session = locator == null ? null : locator.getClientSession(node, resource);
        if (session != null) {
            session.process(copy);
        }
    }

    /** A copy for a session of another node, which decides (unless it got {@code original}). */
    static void leaveTo(byte[] node, JID resource, Message copy, String original) {
        CacheFactory.doClusterTask(new ClusterCopyTask(resource.toString(), copy.toXML(), original), node);
    }

    /**
     * A task's three strings as one, for the JDK interface through which a task reaches the running plugin: each of the
     * first two with its length in front (an id may hold any character), then the copy's XML.
     */
    static String pack(String to, String original, String xml) {
        return to.length() + ":" + to + original.length() + ":" + original + xml;
    }

    /** On the session's node: a {@link ClusterCopyTask} arrived ({@link #pack packed}). */
    void received(String packed) {
        try {
            int colon = packed.indexOf(':');
            int toEnd = colon + 1 + Integer.parseInt(packed.substring(0, colon));
            String to = packed.substring(colon + 1, toEnd);
            int second = packed.indexOf(':', toEnd);
            int originalEnd = second + 1 + Integer.parseInt(packed.substring(toEnd, second));
            deliverUnlessItGotTheOriginal(to, packed.substring(originalEnd), packed.substring(second + 1, originalEnd));
        } catch (RuntimeException e) {
            LOG.warn("xmpproxy: a copy from another node could not be read ({}); is the same version installed on every node?", e.toString());
        }
    }

    private void deliverUnlessItGotTheOriginal(String to, String xml, String original) {
        JID resource;
        Message copy;
        try {
            resource = new JID(to);
            copy = new Message(DocumentHelper.parseText(xml).getRootElement());
        } catch (DocumentException | IllegalArgumentException e) {
            LOG.warn("xmpproxy: a copy from another node could not be read ({}); is the same version installed on every node?", e.toString());
            return;
        }
        if (engine.gotOriginalFromAnotherNode(resource, original)) {
            LOG.debug("xmpproxy: {} had the original of a copy another node left to this one", resource);
            return;
        }
        try {
            later.schedule(() -> {
                if (!engine.gotOriginalFromAnotherNode(resource, original)) {
                    deliverHere(resource, copy);
                }
            }, GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // The plugin is stopping: decided now (at worst twice) rather than dropped.
            deliverHere(resource, copy);
        }
    }

    private void deliverHere(JID resource, Message copy) {
        for (ClientSession session : sessions.openSessions(resource)) {
            if (resource.equals(session.getAddress())) {
                session.process(copy);
                LOG.debug("xmpproxy: delivered a copy another node left to {}: {}", resource, copy.getID());
                return;
            }
        }
        LOG.debug("xmpproxy: a copy another node left to {} found no open session of it here: {}", resource, copy.getID());
    }
}
