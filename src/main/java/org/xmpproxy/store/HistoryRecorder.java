package org.xmpproxy.store;

import java.util.concurrent.atomic.AtomicLong;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpproxy.core.stanza.Namespaces;
import org.xmpproxy.core.stanza.Stanzas;
import org.xmpproxy.core.flow.HistorySink;
import org.xmpproxy.core.rule.Direction;
import org.xmpproxy.core.rule.RoutedMessage;

/** Turns routed messages into history entries for the writer's queue. Runs on the packet path: no I/O. */
public final class HistoryRecorder implements HistorySink {
    private final HistoryConfig config;
    private final StoredSettings settings;
    private final StoreWriter writer;
    private final AtomicLong tooLarge = new AtomicLong();

    public HistoryRecorder(HistoryConfig config, StoredSettings settings, StoreWriter writer) {
        this.config = config;
        this.settings = settings;
        this.writer = writer;
    }

    @Override
    public void record(RoutedMessage routed, long routedAt) {
        if (!settings.history(routed.account()).orElse(config.enabledByDefault())) {
            return;
        }
        Message stanza = routed.stanza();
        // XEP-0334: the sender asked that it not be stored.
        if (Stanzas.hasChild(stanza, "no-store", Namespaces.HINTS) || Stanzas.hasChild(stanza, "no-permanent-store", Namespaces.HINTS)) {
            return;
        }
        String xml = stanza.toXML();
        if (xml.length() > config.maxStanzaChars()) {
            tooLarge.incrementAndGet();
            return;
        }
        boolean sent = routed.direction() == Direction.SENT;
        JID peer = sent ? stanza.getTo() : stanza.getFrom();
        // A sent message is by definition seen by an online resource; a received one only if the server delivered it.
        boolean delivered = sent || !routed.receivedOriginal().isEmpty();
        writer.offer(new HistoryEntry(0, routed.account().getNode(), routedAt, routed.direction(),
                peer == null ? "" : peer.toBareJID(), delivered, xml));
    }

    /** Messages not kept because they were larger than the configured bound. */
    public long tooLarge() {
        return tooLarge.get();
    }
}
