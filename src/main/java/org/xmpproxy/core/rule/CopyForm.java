package org.xmpproxy.core.rule;

/** The shape of a copy, as docs/design.md "Behaviour" 5 defines them. */
public enum CopyForm {
    /** Incoming message as the client would have received it, addressed to it. */
    LEGACY_RECEIVED,
    /** Outgoing message shown in the conversation with the peer: from the peer, body marked, original forwarded. */
    LEGACY_SENT,
    /** XEP-0280 {@code <received/>} wrapper. */
    CARBON_RECEIVED,
    /** XEP-0280 {@code <sent/>} wrapper. */
    CARBON_SENT
}
