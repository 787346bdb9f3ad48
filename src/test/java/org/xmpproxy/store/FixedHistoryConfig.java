package org.xmpproxy.store;

import java.time.Duration;
import org.xmpproxy.core.settings.Setting;
import org.xmpproxy.core.settings.Settings;

/** History bounds fixed for a test; every other setting at its default. */
record FixedHistoryConfig(boolean enabledByDefault, int maxStanzaChars, int maxPerAccount, Duration maxAge)
        implements HistoryConfig {
    @Override
    public <T> T get(Setting<T> setting) {
        Object value = setting == Settings.HISTORY_ENABLED ? enabledByDefault
                : setting == Settings.HISTORY_MAX_STANZA_CHARS ? maxStanzaChars
                : setting == Settings.HISTORY_MAX_PER_ACCOUNT ? maxPerAccount
                : setting == Settings.HISTORY_MAX_AGE ? maxAge
                : setting.defaultValue();
        return setting.type().cast(value);
    }
}
