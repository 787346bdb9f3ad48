package org.xmpproxy.openfire;

import org.jivesoftware.openfire.interceptor.PacketInterceptor;
import org.jivesoftware.openfire.session.ClientSession;
import org.jivesoftware.openfire.session.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Packet;
import org.xmpproxy.core.catchup.ArchiveQuery;
import org.xmpproxy.core.catchup.CatchupCoordinator;

/**
 * Notices a local client's query of its own account's archive (XEP-0313) as Openfire's IQ router receives it (incoming,
 * not processed, with the client's session), so that its catch-up leaves out what the archive returns. Reads the IQ
 * only; never changes or refuses it, never blocks.
 */
final class ArchiveQueryInterceptor implements PacketInterceptor {
    private static final Logger LOG = LoggerFactory.getLogger(ArchiveQueryInterceptor.class);

    private final CatchupCoordinator catchup;

    ArchiveQueryInterceptor(CatchupCoordinator catchup) {
        this.catchup = catchup;
    }

    @Override
    public void interceptPacket(Packet packet, Session session, boolean incoming, boolean processed) {
        if (!(packet instanceof IQ iq) || !incoming || processed || !(session instanceof ClientSession)) {
            return;
        }
        try {
            JID client = session.getAddress();
            if (client == null || client.getNode() == null || client.getResource() == null) {
                return;
            }
            ArchiveQuery.of(iq, client, System.currentTimeMillis())
                    .ifPresent(query -> catchup.archiveQueried(client, AccountEvents.idOf(session), query));
        } catch (RuntimeException e) {
            // Never let this break the client's query.
            LOG.error("xmpproxy could not read an archive query {}", iq.getID(), e);
        }
    }
}
