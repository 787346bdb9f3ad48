package org.xmpproxy.core.rule;

/** Which way a message crossed the account's boundary. */
public enum Direction {
    /** Sent by one of the account's resources. */
    SENT,
    /** Arriving for the account, to its bare JID or to one of its full JIDs. */
    RECEIVED
}
