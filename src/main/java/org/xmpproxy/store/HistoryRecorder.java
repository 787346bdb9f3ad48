package org.xmpproxy.store;

import java.util.concurrent.atomic.AtomicLong;
import org.dom4j.Element;
import org.dom4j.Node;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.Message;
import org.xmpproxy.core.stanza.Namespaces;
import org.xmpproxy.core.stanza.Stanzas;
import org.xmpproxy.core.flow.HistorySink;
import org.xmpproxy.core.rule.Direction;
import org.xmpproxy.core.rule.RoutedMessage;
import org.xmpproxy.core.settings.EffectiveSettings;

/** Turns routed messages into history entries for the writer's queue. Runs on the packet path: no I/O. */
public final class HistoryRecorder implements HistorySink {
    private static final Logger LOG = LoggerFactory.getLogger(HistoryRecorder.class);
    private static final OnceLog BAD_INPUT = new OnceLog(LOG);
    /** Deeper than this, the size estimate stops counting (it stays a lower bound). */
    private static final int MAX_DEPTH = 32;

    private final HistoryConfig config;
    private final EffectiveSettings settings;
    private final StoreWriter writer;
    private final AtomicLong tooLarge = new AtomicLong();
    private final AtomicLong tooLong = new AtomicLong();
    private final AtomicLong notRegistered = new AtomicLong();

    public HistoryRecorder(HistoryConfig config, StoredSettings settings, StoreWriter writer) {
        this.config = config;
        this.settings = new EffectiveSettings(settings, config);
        this.writer = writer;
    }

    @Override
    public void record(RoutedMessage routed, long routedAt) {
        record(routed, routedAt, false);
    }

    @Override
    public void record(RoutedMessage routed, long routedAt, boolean storedOffline) {
        if (!settings.history(routed.account())) {
            return;
        }
        Message stanza = routed.stanza();
        // XEP-0334: the sender asked that it not be stored.
        if (Stanzas.hasChild(stanza, "no-store", Namespaces.HINTS) || Stanzas.hasChild(stanza, "no-permanent-store", Namespaces.HINTS)) {
            return;
        }
        String username = routed.account().getNode();
        if (writer.accounts().knownNotRegistered(username)) {
            notRegistered.incrementAndGet(); // anonymous, unknown or deleted: the writer would not write it
            return;
        }
        boolean sent = routed.direction() == Direction.SENT;
        String peer = routed.peer(); // as MessageKey knows it: catch-up matches live deliveries to rows by it
        ColumnLimits limits = writer.limits();
        if (!limits.fitsUsername(username) || !limits.fitsPeer(peer)) {
            tooLong.incrementAndGet();
            BAD_INPUT.warn("address", "xmpproxy: a message of \"{}\" with \"{}\" is not kept in the history: the {} is longer"
                    + " than the database column ({} {})", shorten(username), shorten(peer),
                    limits.fitsUsername(username) ? "peer address" : "username",
                    limits.fitsUsername(username) ? ColumnLimits.Column.PEER.size() : ColumnLimits.Column.USERNAME.size(), limits);
            return;
        }
        // Before serialising: the XML is at least as long as its text, attribute values and element names.
        // Counting those walks the parsed stanza without building anything, so a stanza far over the bound,
        // or one the full queue would drop anyway, never becomes a second copy as a huge string.
        long atLeast = xmlLowerBound(stanza.getElement(), 0);
        if (atLeast > config.maxStanzaChars()) {
            tooLarge.incrementAndGet();
            return;
        }
        if (!writer.admits(atLeast + username.length() + peer.length())) {
            return; // counted as dropped by the writer
        }
        String xml = stanza.toXML();
        if (xml.length() > config.maxStanzaChars()) {
            tooLarge.incrementAndGet();
            return;
        }
        if (!limits.fits(ColumnLimits.Column.STANZA, xml)) {
            tooLong.incrementAndGet();
            BAD_INPUT.warn("stanza", "xmpproxy: a message of \"{}\" is not kept in the history: it is larger than the"
                    + " database column ({} characters)", shorten(username), xml.length());
            return;
        }
        // A sent message is by definition seen by an online resource; a received one only if the server delivered it.
        boolean delivered = sent || routed.reachedTheAccount();
        writer.offer(new HistoryEntry(0, username, routedAt, routed.direction(), peer, delivered, xml, !delivered && storedOffline));
    }

    /** Element names, attribute values and text: never more than the serialised XML's length. */
    static long xmlLowerBound(Element element, int depth) {
        long length = element.getName().length();
        if (depth > MAX_DEPTH) {
            return length;
        }
        for (int i = 0, n = element.attributeCount(); i < n; i++) {
            String value = element.attribute(i).getValue();
            length += value == null ? 0 : value.length();
        }
        for (int i = 0, n = element.nodeCount(); i < n; i++) {
            Node node = element.node(i);
            if (node instanceof Element child) {
                length += xmlLowerBound(child, depth + 1);
            } else if (node.getNodeType() == Node.TEXT_NODE || node.getNodeType() == Node.CDATA_SECTION_NODE) {
                String text = node.getText();
                length += text == null ? 0 : text.length();
            }
        }
        return length;
    }

    private static String shorten(String value) {
        return value.length() <= 80 ? value : value.substring(0, 80) + "... (" + value.length() + " characters)";
    }

    /** Messages not kept because they were larger than the configured bound. */
    public long tooLarge() {
        return tooLarge.get();
    }

    /** Messages not kept because an address (or the stanza) is longer than its database column. */
    public long tooLong() {
        return tooLong.get();
    }

    /** Messages not queued because their account is known not to be registered (the writer counts the rest). */
    public long notRegistered() {
        return notRegistered.get();
    }
}
