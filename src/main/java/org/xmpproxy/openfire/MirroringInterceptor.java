package org.xmpproxy.openfire;

import org.jivesoftware.openfire.OfflineMessage;
import org.jivesoftware.openfire.interceptor.PacketInterceptor;
import org.jivesoftware.openfire.interceptor.PacketRejectedException;
import org.jivesoftware.openfire.session.ClientSession;
import org.jivesoftware.openfire.session.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.Message;
import org.xmpp.packet.Packet;
import org.xmpproxy.core.flow.MirrorEngine;
import org.xmpproxy.core.stanza.Stanzas;

/**
 * Translates Openfire's interceptor calls into the engine's three events. In Openfire 5.1 every
 * message passes {@code MessageRouter.route} (incoming, before and after routing, with the sender's
 * client session or null) and every delivery to a local session passes {@code LocalSession.process}
 * (outgoing, with the receiving session), all on the routing thread. Openfire's offline messages reach a
 * session that became available through {@code LocalSession.process} too, as {@link OfflineMessage}s,
 * outside any routing.
 */
final class MirroringInterceptor implements PacketInterceptor {
    private static final Logger LOG = LoggerFactory.getLogger(MirroringInterceptor.class);

    private final MirrorEngine engine;
    private final StoppingNode stoppingNode;

    MirroringInterceptor(MirrorEngine engine, StoppingNode stoppingNode) {
        this.engine = engine;
        this.stoppingNode = stoppingNode;
    }

    @Override
    public void interceptPacket(Packet packet, Session session, boolean incoming, boolean processed)
            throws PacketRejectedException {
        if (!(packet instanceof Message message)) {
            return;
        }
        if (incoming && !processed && session instanceof ClientSession client && refusedAsStopping(message, client)) {
            // A clustered node that shuts down has left the cluster: routed here, no client elsewhere would see it.
            throw new PacketRejectedException("xmpproxy: this node shuts down; the sender was told to send it again");
        }
        if (!processed && (incoming || packet instanceof OfflineMessage)) {
            // Where a message enters (the router; the offline store, which may hold what was stored before): a copy
            // mark xmpproxy did not make goes before any rule reads the message.
            dropForgedCopyMarks(message);
        }
        if (incoming && !processed && engine.isStrayCopy(message)) {
            // Openfire re-routes what a client left unacknowledged as its stream ended (XEP-0198).
            notDelivered(message);
            throw new PacketRejectedException("xmpproxy copies are delivered once, never routed again");
        }
        if (incoming && !processed && refuseRedelivery(message)) {
            throw new PacketRejectedException("xmpproxy: the account's other clients have it; the one that left it unacknowledged is caught up");
        }
        if (!incoming && !processed && session instanceof ClientSession && Stanzas.isOwnCopy(message)
                && engine.isMisdirectedCopy(message, session.getAddress(), session.isClosed(), packet instanceof OfflineMessage)) {
            // A closing session would keep it for whoever comes online next, or re-route it: not delivered.
            notDelivered(message);
            throw new PacketRejectedException("xmpproxy copies go to an open session of the resource they are for");
        }
        try {
            if (incoming) {
                if (!processed) {
                    if (session instanceof ClientSession && session.isClosed()) {
                        // Read from a connection Openfire has closed (what the client had written before the close):
                        // it is not routed, and no after-routing call may come.
                        return;
                    }
                    engine.beforeRouting(message, session instanceof ClientSession ? session.getAddress() : null);
                } else {
                    engine.afterRouting(message);
                }
            } else if (processed && session instanceof ClientSession) {
                if (packet instanceof OfflineMessage) {
                    engine.deliveredFromOfflineStore(message, session.getAddress());
                } else {
                    engine.delivered(message, session.getAddress());
                }
            }
        } catch (RuntimeException e) {
            // Never let mirroring break the delivery of the original.
            LOG.error("xmpproxy could not mirror message {}", message.getID(), e);
        }
    }

    private boolean refusedAsStopping(Message message, ClientSession sender) {
        try {
            return stoppingNode.refuses(message, sender);
        } catch (RuntimeException e) {
            LOG.error("xmpproxy could not check whether this node stops, for message {}", message.getID(), e);
            return false;
        }
    }

    private void dropForgedCopyMarks(Message message) {
        try {
            engine.dropForgedCopyMarks(message);
        } catch (RuntimeException e) {
            LOG.error("xmpproxy could not check the copy mark of message {}", message.getID(), e);
        }
    }

    private boolean refuseRedelivery(Message message) {
        try {
            return engine.refuseRedelivery(message);
        } catch (RuntimeException e) {
            LOG.error("xmpproxy could not check a redelivered message {}", message.getID(), e);
            return false;
        }
    }

    private void notDelivered(Message copy) {
        try {
            engine.copyNotDelivered(copy);
        } catch (RuntimeException e) {
            LOG.error("xmpproxy could not note an undelivered copy {}", copy.getID(), e);
        }
    }
}
