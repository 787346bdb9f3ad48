package org.xmpproxy.core.flow;

import org.xmpp.packet.JID;

/**
 * What the server knows of one available resource: its address, and whether it enabled carbons. (Not its priority:
 * which resources got a message to the bare JID is seen as it is routed, not predicted.)
 */
public record ResourcePresence(JID address, boolean carbonsEnabled) {
}
