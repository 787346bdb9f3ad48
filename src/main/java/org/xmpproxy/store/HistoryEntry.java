package org.xmpproxy.store;

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
 * @param delivered  whether a resource of the account was online to receive it (if not, Openfire's
 *                   offline store delivers it, and catch-up leaves it alone)
 * @param stanza     the message as XML
 */
public record HistoryEntry(long id, String username, long sentAt, Direction direction, String peer,
                           boolean delivered, String stanza) implements HistoryItem {
    HistoryEntry withId(long newId) {
        return new HistoryEntry(newId, username, sentAt, direction, peer, delivered, stanza);
    }
}
