package org.jivesoftware.openfire;

import java.util.Collection;

/**
 * Compile-only mirror of Openfire 5.1.1 {@code OfflineMessageStore} (a class). {@code getMessages(username, true)},
 * as a session's first available presence calls it, reads the user's messages and then deletes all the user's rows:
 * one stored in between is deleted unread. xmpproxy reads with {@code delete} false only.
 */
public class OfflineMessageStore {
    public static OfflineMessageStore getInstance() {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public Collection<OfflineMessage> getMessages(String username, boolean delete) {
        throw new UnsupportedOperationException("compile-only mirror");
    }
}
