package org.xmpproxy.bot;

import java.util.List;
import java.util.Optional;
import org.xmpp.packet.JID;
import org.xmpproxy.core.catchup.HistoryItem;
import org.xmpproxy.core.rule.AccountResource;
import org.xmpproxy.core.rule.ResourceMode;
import org.xmpproxy.core.stats.CounterReport;

/**
 * What the bot reads and changes, one plain question or change each: what to make of the answers (paging,
 * counting, limits, replies) is the bot's. Every method takes the account it acts on; the bot passes the
 * sender's own bare JID, except in admin commands, which it checks with {@link #isAdmin} first.
 * Called on the bot's own thread, never on the packet path: database reads are fine here.
 */
public interface BotBackend {
    /**
     * Catch-up limits in the units users type: at most {@code count} messages, none older than
     * {@code ageHours}.
     */
    record CatchupLimits(int count, long ageHours) {
    }

    /** Whether this is a registered, non-anonymous user of this server. */
    boolean isLocalUser(JID user);

    boolean isAdmin(JID user);

    List<AccountResource> availableResources(JID account);

    /** Resource names the account has used or configured, online or not. */
    List<String> knownResources(JID account);

    boolean isMirroringOn(JID account);

    void setMirroring(JID account, boolean on);

    void setMode(JID account, String resource, ResourceMode mode);

    boolean isHistoryOn(JID account);

    void setHistory(JID account, boolean on);

    /** Messages in the account's history, or -1 when the database cannot be read. */
    long historySize(JID account);

    /** Deletes the account's history; false when the database cannot be reached. */
    boolean clearHistory(JID account);

    /** The catch-up limits that apply to the account now. */
    CatchupLimits catchupLimits(JID account);

    /** Whether the server keeps an archive of the account's chats that its clients query themselves (XEP-0313). */
    default boolean hasArchive(JID account) {
        return false;
    }

    /** Whether this client queried its account's archive since it came online. */
    default boolean queriedArchive(JID resource) {
        return false;
    }

    /** How long the catch-up of a carbons client waits for its archive query (seconds). */
    default int archiveWaitSeconds() {
        return 0;
    }

    /** Whether the account chose catch-up limits of its own (rather than following the server's). */
    boolean hasOwnCatchupLimits(JID account);

    /** The server's catch-up limits now: the most an account may choose. */
    CatchupLimits catchupMaximum();

    /**
     * The account's own catch-up limits; null for either follows the server's (both null: no choice).
     * Called with values within {@link #catchupMaximum()}.
     */
    void setCatchup(JID account, Integer count, Long ageHours);

    /** The account's newest {@code count} messages that a client of it received, oldest first; empty when the database cannot be read. */
    Optional<List<? extends HistoryItem>> latestHistory(JID account, int count);

    /**
     * Sends one message of the history to the resource in the form it takes now, with its original time.
     *
     * @return false when it got none (the resource went away, the entry is unreadable, or its form cannot show it)
     */
    boolean sendFromHistory(JID resource, HistoryItem item);

    int replayDefault();

    int replayMaximum();

    /** Accounts that made their own choice, by username, sorted. */
    List<String> accountsWithChoices();

    /** What the plugin counted since it started: the same list the admin page shows. */
    CounterReport counters();

    /** Records a change an admin made with the bot in the server's security audit log. */
    void audit(JID admin, String summary, String details);
}
