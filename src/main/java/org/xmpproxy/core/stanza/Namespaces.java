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
    /**
     * XEP-0313 Message Archive Management, every version Openfire's Monitoring plugin answers (0, 1 and 2). A client's
     * {@code <query/>} in one of them asks the server's archive for what it missed.
     */
    public static final java.util.List<String> MAM = java.util.List.of("urn:xmpp:mam:2", "urn:xmpp:mam:1", "urn:xmpp:mam:0");
    /** XEP-0004 data forms: the MAM query's filter. */
    public static final String DATA_FORMS = "jabber:x:data";
    public static final String FORWARD = "urn:xmpp:forward:0";
    public static final String HINTS = "urn:xmpp:hints";
    public static final String DELAY = "urn:xmpp:delay";
    public static final String RECEIPTS = "urn:xmpp:receipts";
    public static final String CHAT_STATES = "http://jabber.org/protocol/chatstates";
    public static final String CHAT_MARKERS_PREFIX = "urn:xmpp:chat-markers";
    /** XEP-0022 message events, what old clients answer with "delivered", "displayed" and "composing". */
    public static final String MESSAGE_EVENTS = "jabber:x:event";
    /** XEP-0308 Last Message Correction: {@code <replace id="..."/>}. */
    public static final String CORRECTION = "urn:xmpp:message-correct:0";
    /** XEP-0424 Message Retraction, current: {@code <retract id="..."/>}. */
    public static final String RETRACTION = "urn:xmpp:message-retract:1";
    /** XEP-0424 before version 0.4: {@code <retract/>} in this namespace inside a fastening {@code <apply-to/>}. */
    public static final String RETRACTION_0 = "urn:xmpp:message-retract:0";
    /** XEP-0422 Message Fastening: {@code <apply-to id="..."/>}. */
    public static final String FASTEN = "urn:xmpp:fasten:0";
    /** XEP-0428 Fallback Indication: says which part of the message is only there for clients that lack a feature. */
    public static final String FALLBACK = "urn:xmpp:fallback:0";
    /** XEP-0359 Unique and Stable Stanza IDs: {@code <origin-id id="..."/>}, the id the sender gave its message. */
    public static final String STANZA_IDS = "urn:xmpp:sid:0";
    public static final String MUC_USER = "http://jabber.org/protocol/muc#user";
    public static final String CONFERENCE = "jabber:x:conference";
    /** XEP-0380 Explicit Message Encryption: {@code <encryption namespace=".."/>} names the encryption a message uses. */
    public static final String EME = "urn:xmpp:eme:0";
    /** The name XEP-0380 gives OTR (whose messages are text in the body). */
    public static final String OTR = "urn:xmpp:otr:0";
    /** OMEMO as deployed (Conversations, Dino, Gajim...): {@code <encrypted xmlns="eu.siacs.conversations.axolotl"/>}. */
    public static final String OMEMO_LEGACY = "eu.siacs.conversations.axolotl";
    /** XEP-0384 OMEMO, current version. */
    public static final String OMEMO = "urn:xmpp:omemo:2";

    private Namespaces() {
    }
}
