package org.xmpproxy.core.flow;

import org.xmpp.packet.JID;

/** What the server knows of one available resource: its address, whether it enabled carbons, its priority. */
public record ResourcePresence(JID address, boolean carbonsEnabled, int priority) {
}
