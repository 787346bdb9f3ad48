package org.xmpproxy.admin;

import java.util.Optional;
import org.xmpp.packet.JID;
import org.xmpproxy.store.ColumnLimits;

/**
 * The one check of an account name the admin page is given (a posted form field) before anything is
 * written for it: the name as Openfire sees it (nodeprep, as Openfire prepares every username: lower case,
 * compatibility forms, "Cafe\u0301" is "café"), or nothing when it cannot be one (a space, "@", control
 * characters, or longer than the username columns hold, Openfire's and ours): refused with a message,
 * never passed to the store.
 */
final class AccountName {
    /** The username columns: {@code ofUser.username} and {@code ofXmpproxy*.username} are VARCHAR(64). */
    static final int MAX_USERNAME_LENGTH = ColumnLimits.Column.USERNAME.size();

    private AccountName() {
    }

    /**
     * @param lengthsInBytes whether the database counts a VARCHAR's length in bytes (Oracle and DB2
     *                       do, in UTF-8) rather than in characters
     * @return the name as Openfire stores and compares it, or empty when no account can have it
     */
    static Optional<String> normalised(String username, boolean lengthsInBytes) {
        if (username == null || username.isBlank() || username.codePoints().anyMatch(Character::isISOControl)) {
            return Optional.empty();
        }
        String prepared;
        try {
            prepared = JID.nodeprep(username);
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // prohibited characters (RFC 6122 nodeprep), or over 1023 bytes
        }
        if (prepared == null || prepared.isEmpty()
                || !(lengthsInBytes ? ColumnLimits.BYTES : ColumnLimits.CHARACTERS).fitsUsername(prepared)) {
            return Optional.empty();
        }
        return Optional.of(prepared);
    }

    static boolean isValid(String username, boolean lengthsInBytes) {
        return normalised(username, lengthsInBytes).isPresent();
    }
}
