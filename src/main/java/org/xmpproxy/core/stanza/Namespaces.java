package org.xmpproxy.core.stanza;

/** XML namespaces the rule and the copy forms read or write. */
public final class Namespaces {
    /** The project's own extension: marks every copy xmpproxy delivers. */
    public static final String XMPPROXY = "urn:xmpproxy:copy:0";
    /** The element, in {@link #XMPPROXY}, that marks a copy: {@code <copy xmlns="urn:xmpproxy:copy:0"/>}. */
    public static final String COPY_MARK = "copy";
    public static final String CLIENT = "jabber:client";
    public static final String CARBONS = "urn:xmpp:carbons:2";
    /** Prefix shared by every version of the carbons namespace (Openfire matches on it). */
    public static final String CARBONS_PREFIX = "urn:xmpp:carbons";
    public static final String FORWARD = "urn:xmpp:forward:0";
    public static final String HINTS = "urn:xmpp:hints";
    public static final String DELAY = "urn:xmpp:delay";
    public static final String RECEIPTS = "urn:xmpp:receipts";
    public static final String CHAT_STATES = "http://jabber.org/protocol/chatstates";
    public static final String CHAT_MARKERS_PREFIX = "urn:xmpp:chat-markers";
    public static final String MUC_USER = "http://jabber.org/protocol/muc#user";
    public static final String CONFERENCE = "jabber:x:conference";

    private Namespaces() {
    }
}
