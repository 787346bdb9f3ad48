package org.xmpproxy.store;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xmpproxy.core.catchup.HistoryItem;
import org.xmpproxy.core.rule.Direction;

/**
 * One message in an account's history.
 *
 * @param id         increasing with time; assigned when written (0 before)
 * @param username   the account (local part)
 * @param sentAt     when the server routed it (epoch millis)
 * @param direction  sent by the account or received by it
 * @param peer       the other party's bare JID
 * @param delivered  whether a resource of the account received it (if not, Openfire's offline store
 *                   delivers it, or a privacy list blocked it: {@link HistoryStore}'s reads leave it out,
 *                   so catch-up and replay never send it)
 * @param stanza     the message as XML
 * @param storedOffline not delivered, and Openfire's offline store took it: it waits there (stored as
 *                   {@code wasDelivered} {@value HistoryStore#STORED_OFFLINE}), unless Openfire lost it
 *                   ({@link HistoryStore#storedOfflineSince})
 */
public record HistoryEntry(long id, String username, long sentAt, Direction direction, String peer,
                           boolean delivered, String stanza, boolean storedOffline) implements HistoryItem {
    public HistoryEntry(long id, String username, long sentAt, Direction direction, String peer, boolean delivered, String stanza) {
        this(id, username, sentAt, direction, peer, delivered, stanza, false);
    }

    /** The root element's id attribute, as Tinder's toXML writes it. */
    private static final Pattern ID = Pattern.compile("^<message\\b[^>]*?\\sid=\"([^\"]*)\"");

    /** The stanza's id attribute, or null. */
    @Override
    public String messageId() {
        Matcher matcher = ID.matcher(stanza);
        if (!matcher.find()) {
            return null;
        }
        return matcher.group(1).replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&apos;", "'").replace("&amp;", "&");
    }

    /** The entry as the account's: a client of it has the message (the offline store handed it over, or lost it). */
    HistoryEntry asDelivered() {
        return new HistoryEntry(id, username, sentAt, direction, peer, true, stanza);
    }

    HistoryEntry withId(long newId) {
        return new HistoryEntry(newId, username, sentAt, direction, peer, delivered, stanza, storedOffline);
    }
}
