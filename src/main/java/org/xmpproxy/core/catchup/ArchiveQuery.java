package org.xmpproxy.core.catchup;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import org.dom4j.Element;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpproxy.core.stanza.Jids;
import org.xmpproxy.core.stanza.Namespaces;

/**
 * A client's query of its own account's archive (XEP-0313), as far as it says which messages the archive returns to
 * it: those archived by the time it asked, routed in {@code [start, end]}, with {@code with} when it names a peer.
 * Paging (XEP-0059) does not narrow it: a client pages through what it asked for. Every value is the client's
 * choosing; a query xmpproxy cannot read exactly ({@link #of} is empty) trims nothing, so nothing is lost.
 *
 * @param askedAt when the server received it: the archive holds nothing routed later
 * @param start   the oldest time asked for (epoch millis, inclusive), or null for none
 * @param end     the newest time asked for (inclusive), or null
 * @param with    the peer's bare JID the query is limited to, or null for every peer
 */
public record ArchiveQuery(long askedAt, Long start, Long end, String with) {
    /** The filter fields a query may carry and still be read as a time range (any other narrows it to what we cannot tell). */
    private static final List<String> RANGE_FIELDS = List.of("FORM_TYPE", "start", "end", "with");

    /** Whether the archive returns the message to this query (when it keeps it at all: {@link ArchiveKeeps}). */
    public boolean returns(HistoryItem item) {
        long at = item.sentAt();
        return at <= askedAt && (start == null || at >= start) && (end == null || at <= end) && (with == null || with.equals(item.peer()));
    }

    /** Whether it returns everything routed after {@code mark} (every peer, no start after it). */
    public boolean returnsAllAfter(Long mark) {
        return with == null && end == null && (start == null || (mark != null && start <= mark + 1));
    }

    /**
     * The query an IQ from {@code account}'s client makes of the account's own archive, or empty when it is none (a
     * result, a request for the form, a room's archive, another account's) or one xmpproxy cannot read exactly (a
     * full-text search, an unreadable time or address).
     */
    public static Optional<ArchiveQuery> of(IQ iq, JID account, long now) {
        if (iq.getType() != IQ.Type.set) {
            return Optional.empty(); // get asks for the form
        }
        Element query = iq.getChildElement();
        if (query == null || !"query".equals(query.getName()) || !Namespaces.MAM.contains(query.getNamespaceURI())) {
            return Optional.empty();
        }
        JID to = iq.getTo();
        if (to != null && !(to.getResource() == null && Jids.sameAccount(to, account))) {
            return Optional.empty(); // a room's archive, or another's (refused by the archive)
        }
        Long start = null;
        Long end = null;
        String with = null;
        Element form = query.element(org.dom4j.QName.get("x", Namespaces.DATA_FORMS));
        if (form != null) {
            for (Element field : form.elements("field")) {
                String name = field.attributeValue("var");
                String value = field.elementTextTrim("value");
                if (value == null || value.isEmpty()) {
                    continue; // an empty field filters nothing (the archive ignores it)
                }
                if (name == null || !RANGE_FIELDS.contains(name)) {
                    return Optional.empty(); // a search: the archive returns only what matches
                }
                try {
                    switch (name) {
                        case "start" -> start = OffsetDateTime.parse(value).toInstant().toEpochMilli();
                        case "end" -> end = OffsetDateTime.parse(value).toInstant().toEpochMilli();
                        case "with" -> {
                            JID peer = Jids.parse(value);
                            if (peer == null) {
                                return Optional.empty(); // the archive refuses it
                            }
                            if (peer.getResource() != null) {
                                return Optional.empty(); // one client of the peer: narrower than its history rows tell
                            }
                            with = peer.toBareJID();
                        }
                        default -> { } // FORM_TYPE
                    }
                } catch (DateTimeParseException | ArithmeticException e) {
                    return Optional.empty(); // the archive refuses it
                }
            }
        }
        return Optional.of(new ArchiveQuery(now, start, end, with));
    }
}
