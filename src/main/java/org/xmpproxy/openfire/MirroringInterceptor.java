package org.xmpproxy.openfire;

import org.jivesoftware.openfire.interceptor.PacketInterceptor;
import org.jivesoftware.openfire.interceptor.PacketRejectedException;
import org.jivesoftware.openfire.session.ClientSession;
import org.jivesoftware.openfire.session.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.Message;
import org.xmpp.packet.Packet;
import org.xmpproxy.core.flow.MirrorEngine;

/**
 * Translates Openfire's interceptor calls into the engine's three events. In Openfire 5.1 every
 * message passes {@code MessageRouter.route} (incoming, before and after routing, with the sender's
 * client session or null) and every delivery to a local session passes {@code LocalSession.process}
 * (outgoing, with the receiving session), all on the routing thread.
 */
final class MirroringInterceptor implements PacketInterceptor {
    private static final Logger LOG = LoggerFactory.getLogger(MirroringInterceptor.class);

    private final MirrorEngine engine;

    MirroringInterceptor(MirrorEngine engine) {
        this.engine = engine;
    }

    @Override
    public void interceptPacket(Packet packet, Session session, boolean incoming, boolean processed)
            throws PacketRejectedException {
        if (!(packet instanceof Message message)) {
            return;
        }
        if (incoming && !processed && engine.isStrayCopy(message)) {
            throw new PacketRejectedException("xmpproxy copies are delivered once, never routed again");
        }
        try {
            if (incoming) {
                if (!processed) {
                    engine.beforeRouting(message, session instanceof ClientSession ? session.getAddress() : null);
                } else {
                    engine.afterRouting(message);
                }
            } else if (processed && session instanceof ClientSession) {
                engine.delivered(message, session.getAddress());
            }
        } catch (RuntimeException e) {
            // Never let mirroring break the delivery of the original.
            LOG.error("xmpproxy could not mirror message {}", message.getID(), e);
        }
    }
}
