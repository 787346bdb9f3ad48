package org.xmpproxy.admin;

import java.util.LinkedHashMap;
import java.util.List;
import javax.servlet.http.HttpServletRequest;
import org.xmpproxy.core.stats.CounterReport;
import java.util.Map;
import org.xmpp.packet.JID;
import org.xmpproxy.core.settings.AccountSetting;
import org.xmpproxy.core.settings.EffectiveSettings;
import org.xmpproxy.core.settings.Settings;

/** What the admin page reads and changes. Implemented in {@code openfire/}; a test supplies its own. */
public interface AdminBackend {
    /** The admin console's language. */
    java.util.Locale locale();

    /** The current value of a setting, as text (hours for durations). */
    String value(String key);

    String defaultValue(String key);

    /** Stores a value {@link SettingDefinition#check} accepted; takes effect at once (or at restart, for the few marked so). */
    void set(String key, String value);

    /** A page of accounts, optionally filtered by a search text. */
    AccountPage accounts(String search, int page, int pageSize);

    /** An admin's override for one account: on, off, or null to follow the enrollment setting again. */
    void setMirroring(String username, Boolean on);

    /**
     * An admin's choice for one account of a setting on the account row ({@link AccountSetting#onAccountRow}):
     * a value {@link AccountSetting#parse} accepted, or null to follow the server's setting again.
     */
    <T> void setAccountSetting(String username, AccountSetting<T> setting, T value);

    /** Whether the database counts column lengths in bytes of UTF-8 (Oracle, DB2) rather than in characters. */
    default boolean lengthsInBytes() {
        return false;
    }

    /** What the plugin counted since it started: the same list the bot's {@code stats} shows. */
    CounterReport counters();

    /**
     * Records a change made on the page in the server's security audit log (Openfire's Security Audit
     * Viewer), as the admin logged in to the console who sent {@code request}.
     */
    void audit(HttpServletRequest request, String summary, String details);

    record ResourceRow(String name, String mode, boolean carbons) {
    }

    /**
     * @param mirrored      whether the account is mirrored now
     * @param override      the account's own (or an admin's) choice, or null
     * @param historySize   messages kept, or -1 if the database cannot be read
     * @param lastSeen      the last time one of its clients was seen (epoch millis), or null
     * @param settings      the settings on the account row, by {@link AccountSetting#key()}
     */
    record AccountRow(String username, boolean mirrored, Boolean override, List<ResourceRow> online, long historySize, Long lastSeen,
                      Map<String, AccountValue> settings) {
    }

    /**
     * One setting of an account, as the page shows it.
     *
     * @param own        the account's own choice, as typed (hours for durations), or null: it follows the server
     * @param effective  what the account gets now: its own choice within the server maximum, else the server's value
     */
    record AccountValue(String own, String effective) {
        /** Every setting on the account row, for one account, as the resolver answers it. */
        public static Map<String, AccountValue> of(EffectiveSettings settings, JID account) {
            Map<String, AccountValue> values = new LinkedHashMap<>();
            for (AccountSetting<?> setting : Settings.ACCOUNT) {
                if (setting.onAccountRow()) {
                    values.put(setting.key(), of(settings, account, setting));
                }
            }
            return values;
        }

        private static <T> AccountValue of(EffectiveSettings settings, JID account, AccountSetting<T> setting) {
            return new AccountValue(settings.own(account, setting).map(setting::format).orElse(null),
                    setting.format(settings.value(account, setting)));
        }
    }

    record AccountPage(List<AccountRow> rows, int total, int page, int pages) {
    }
}
