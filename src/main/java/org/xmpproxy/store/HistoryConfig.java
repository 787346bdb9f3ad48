package org.xmpproxy.store;

import java.time.Duration;
import org.xmpproxy.core.settings.ServerSettings;
import org.xmpproxy.core.settings.Settings;

/** The server-wide history settings (whether an account keeps a history: {@code EffectiveSettings#history}). */
public interface HistoryConfig extends ServerSettings {
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
