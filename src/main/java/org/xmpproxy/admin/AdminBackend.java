package org.xmpproxy.admin;

import java.util.List;
import javax.servlet.http.HttpServletRequest;
import org.xmpproxy.core.stats.Counter;

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

    /** Whether the database counts column lengths in bytes of UTF-8 (Oracle, DB2) rather than in characters. */
    default boolean lengthsInBytes() {
        return false;
    }

    /** What the plugin counted since it started: the same list the bot's {@code stats} shows. */
    List<Counter> counters();

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
     */
    record AccountRow(String username, boolean mirrored, Boolean override, List<ResourceRow> online, long historySize, Long lastSeen) {
    }

    record AccountPage(List<AccountRow> rows, int total, int page, int pages) {
    }
}
