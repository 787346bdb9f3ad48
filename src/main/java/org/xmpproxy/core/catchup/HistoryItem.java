package org.xmpproxy.core.catchup;

/** What catch-up needs to know of a message in an account's history. */
public interface HistoryItem {
    /** When the server routed it (epoch millis). */
    long sentAt();

    /** The message's id attribute, or null. */
    String messageId();

    /** Whether a resource of the account received it (if not, Openfire's offline store delivers it). */
    boolean delivered();
}
