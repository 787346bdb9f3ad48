package org.xmpproxy.core.stats;

import java.util.function.LongSupplier;

/**
 * One number xmpproxy keeps since it started (or reads as it is now), with the i18n key of its label
 * ({@code counter.*} in {@code xmpproxy_i18n*.properties}). The plugin builds one list of them; the
 * bot's {@code stats} command and the admin page's counters both show that list, each in its reader's
 * language.
 *
 * @param labelKey  the i18n key of the label
 * @param source    reads the number; cheap and never blocking (read on the page's and the bot's threads)
 */
public record Counter(String labelKey, LongSupplier source) {
    public long value() {
        return source.getAsLong();
    }
}
