package org.xmpproxy.bot;

import java.util.List;
import org.xmpp.packet.JID;
import org.xmpproxy.core.rule.AccountResource;
import org.xmpproxy.core.rule.ResourceMode;

/**
 * What the bot may read and change. Every method takes the account it acts on; the bot passes the
 * sender's own bare JID, except in admin commands, which it checks with {@link #isAdmin} first.
 * Called on the bot's own thread, never on the packet path: database reads are fine here.
 */
public interface BotBackend {
    /** Whether this is a registered, non-anonymous user of this server. */
    boolean isLocalUser(JID user);

    boolean isAdmin(JID user);

    List<AccountResource> availableResources(JID account);

    /** Resource names the account has used or configured, online or not. */
    List<String> knownResources(JID account);

    boolean isMirroringOn(JID account);

    /** Whether the account made its own choice (as opposed to following the server's enrollment). */
    boolean hasMirroringChoice(JID account);

    void setMirroring(JID account, boolean on);

    void setMode(JID account, String resource, ResourceMode mode);

    boolean isHistoryOn(JID account);

    void setHistory(JID account, boolean on);

    /** Messages in the account's history, or -1 when the database cannot be read. */
    long historySize(JID account);

    /** Deletes the account's history; false when the database cannot be reached. */
    boolean clearHistory(JID account);

    /** Catch-up limits as a user reads them: count and age in hours. */
    int catchupCount(JID account);

    long catchupAgeHours(JID account);

    /** Sends the resource the last {@code count} messages of its account's history; returns how many, or -1 on failure. */
    int replay(JID resource, int count);

    int replayDefault();

    int replayMaximum();

    /** Accounts that made their own choice, by username, sorted; a page of them. */
    List<String> accountsWithChoices(int offset, int limit);

    int accountsWithChoicesCount();

    /** Server-wide counters since the plugin started, as label/value lines. */
    List<String> stats();
}
