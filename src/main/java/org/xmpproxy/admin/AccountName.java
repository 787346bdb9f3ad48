package org.xmpproxy.admin;

import org.xmpproxy.store.ColumnLimits;

/**
 * The one check of an account name the admin page is given (a posted form field) before anything is
 * written for it. An account name longer than the username columns hold (Openfire's and ours) or
 * with control characters is no account: refused with a message, never passed to the store.
 */
final class AccountName {
    /** The username columns: {@code ofUser.username} and {@code ofXmpproxy*.username} are VARCHAR(64). */
    static final int MAX_USERNAME_LENGTH = ColumnLimits.Column.USERNAME.size();

    private AccountName() {
    }

    /**
     * @param lengthsInBytes whether the database counts a VARCHAR's length in bytes (Oracle and DB2
     *                       do, in UTF-8) rather than in characters
     */
    static boolean isValid(String username, boolean lengthsInBytes) {
        if (username == null || username.isBlank()) {
            return false;
        }
        if (!(lengthsInBytes ? ColumnLimits.BYTES : ColumnLimits.CHARACTERS).fitsUsername(username)) {
            return false;
        }
        return username.codePoints().noneMatch(Character::isISOControl);
    }
}
