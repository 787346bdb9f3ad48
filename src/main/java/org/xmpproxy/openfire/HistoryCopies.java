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
import org.xmpproxy.core.copy.CopySeal;
import org.xmpproxy.core.flow.MirrorEngine;
import org.xmpproxy.core.rule.AccountResource;
import org.xmpproxy.core.rule.EndToEnd;
import org.xmpproxy.core.rule.MirrorRule;
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
     * The copy for {@code resource}, or empty when it is not online, the entry is unreadable, or the rule
     * gives it none ({@link MirrorRule#catchupForm}: a chat state, or what a client without carbons would
     * show wrongly).
     */
    Optional<Message> copyFor(JID resource, HistoryEntry entry) {
        return copyFor(resource, entry, false);
    }

    /**
     * As {@link #copyFor(JID, HistoryEntry)}, for the bot's replay, which sends what the resource may have had
     * already: an OMEMO message as its fallback text only, or not at all ({@link EndToEnd#forReplay}).
     */
    Optional<Message> replayFor(JID resource, HistoryEntry entry) {
        return copyFor(resource, entry, true);
    }

    private Optional<Message> copyFor(JID resource, HistoryEntry entry, boolean replay) {
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
        CopySeal.strip(original); // a kept message never carries a mark (removed as it entered): the copy's is the only one
        Message shown = replay ? EndToEnd.forReplay(original) : original;
        if (shown == null) {
            return Optional.empty();
        }
        return MirrorRule.catchupForm(entry.direction(), shown, target.get())
                .map(form -> {
                    Message copy = new CopyFactory(properties.legacySentPrefix())
                            .delayed(form, shown, resource, Instant.ofEpochMilli(entry.sentAt()), serverJid);
                    engine.seal(copy); // after its last change: the seal covers the catch-up flag
                    return copy;
                });
    }
}
