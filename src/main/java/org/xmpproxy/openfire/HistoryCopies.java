package org.xmpproxy.openfire;

import java.time.Instant;
import java.util.Optional;
import org.dom4j.DocumentException;
import org.dom4j.DocumentHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpproxy.core.copy.CopyFactory;
import org.xmpproxy.core.stanza.Stanzas;
import org.xmpproxy.core.flow.MirrorEngine;
import org.xmpproxy.core.rule.AccountResource;
import org.xmpproxy.core.rule.CopyForm;
import org.xmpproxy.core.rule.Direction;
import org.xmpproxy.core.rule.ResourceMode;
import org.xmpproxy.store.HistoryEntry;

/**
 * A message from the history, as a delayed copy in the form one online resource takes (catch-up and replay).
 * The entries come from {@link org.xmpproxy.store.HistoryStore}'s reads: only messages a client of the account received.
 */
final class HistoryCopies {
    private static final Logger LOG = LoggerFactory.getLogger(HistoryCopies.class);

    private final XmpproxyProperties properties;
    private final MirrorEngine engine;
    private final JID serverJid;

    HistoryCopies(XmpproxyProperties properties, MirrorEngine engine, String domain) {
        this.properties = properties;
        this.engine = engine;
        this.serverJid = new JID(domain);
    }

    /** Whether {@code resource} is online, so a copy can reach it. */
    boolean isOnline(JID resource) {
        return engine.resourcesOf(resource.asBareJID()).stream().anyMatch(r -> r.address().equals(resource));
    }

    /**
     * The copy for {@code resource}, or empty when it is not online, the entry is unreadable, or a client
     * without carbons would show it wrongly (a sent message without text).
     */
    Optional<Message> copyFor(JID resource, HistoryEntry entry) {
        Optional<AccountResource> target = engine.resourcesOf(resource.asBareJID()).stream()
                .filter(r -> r.address().equals(resource)).findFirst();
        if (target.isEmpty()) {
            return Optional.empty();
        }
        Message original;
        try {
            original = new Message(DocumentHelper.parseText(entry.stanza()).getRootElement());
        } catch (DocumentException | RuntimeException e) {
            LOG.warn("xmpproxy: skipped an unreadable history entry {} of {}: {}", entry.id(), entry.username(), e.toString());
            return Optional.empty();
        }
        boolean sent = entry.direction() == Direction.SENT;
        ResourceMode mode = target.get().mode();
        boolean carbons = mode == ResourceMode.CARBONS || (mode != ResourceMode.LEGACY && target.get().carbonsEnabled());
        if (sent && !carbons && (!Stanzas.hasBody(original) || original.getTo() == null)) {
            return Optional.empty();
        }
        CopyForm form = carbons ? (sent ? CopyForm.CARBON_SENT : CopyForm.CARBON_RECEIVED)
                : (sent ? CopyForm.LEGACY_SENT : CopyForm.LEGACY_RECEIVED);
        return Optional.of(new CopyFactory(properties.legacySentPrefix())
                .delayed(form, original, resource, Instant.ofEpochMilli(entry.sentAt()), serverJid));
    }
}
