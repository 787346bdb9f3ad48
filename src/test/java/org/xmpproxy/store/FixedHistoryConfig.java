package org.xmpproxy.store;

import java.time.Duration;

/** History bounds fixed for a test. */
record FixedHistoryConfig(boolean enabledByDefault, int maxStanzaChars, int maxPerAccount, Duration maxAge)
        implements HistoryConfig {
}
