package org.xmpproxy.store;

import java.time.Duration;

/** The server-wide history settings. */
public interface HistoryConfig {
    /** Whether accounts keep a history unless they turned it off. */
    boolean enabledByDefault();

    /** Messages larger than this (as XML) are not kept. */
    int maxStanzaChars();

    /** At most this many messages per account. */
    int maxPerAccount();

    /** Nothing older than this. */
    Duration maxAge();
}
