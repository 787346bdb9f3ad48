package org.xmpproxy.store;

import java.time.Duration;
import org.xmpproxy.core.settings.ServerSettings;
import org.xmpproxy.core.settings.Settings;

/** The server-wide history settings. */
public interface HistoryConfig extends ServerSettings {
    /** Whether accounts keep a history unless they turned it off. */
    default boolean enabledByDefault() {
        return get(Settings.HISTORY_ENABLED);
    }

    /** Messages larger than this (as XML) are not kept. */
    default int maxStanzaChars() {
        return get(Settings.HISTORY_MAX_STANZA_CHARS);
    }

    /** At most this many messages per account. */
    default int maxPerAccount() {
        return get(Settings.HISTORY_MAX_PER_ACCOUNT);
    }

    /** Nothing older than this. */
    default Duration maxAge() {
        return get(Settings.HISTORY_MAX_AGE);
    }
}
