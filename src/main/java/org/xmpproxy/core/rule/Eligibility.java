package org.xmpproxy.core.rule;

import java.util.Optional;
import java.util.Set;
import org.dom4j.Element;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpproxy.core.stanza.Namespaces;
import org.xmpproxy.core.stanza.Stanzas;

/**
 * Whether a message is copied at all: XEP-0280 "Recommended Rules" (6.1) plus XEP-0334 hints, read
 * top to bottom; the first rule that matches decides. An empty result means "eligible".
 */
public final class Eligibility {
    /** The element names of the IM payloads, by namespace (Openfire's own carbons check looks for the same ones). */
    static final Set<String> RECEIPTS = Set.of("request", "received");
    static final Set<String> CHAT_STATES = Set.of("active", "inactive", "gone", "composing", "paused");
    static final Set<String> MARKERS = Set.of("markable", "received", "displayed", "acknowledged");

    private final String localDomain;

    public Eligibility(String localDomain) {
        this.localDomain = localDomain;
    }

    public Optional<SkipReason> check(Message message) {
        return check(message, message.getFrom(), message.getTo());
    }

    /** As {@link #check(Message)}, with the message's own 'from' and 'to' already read (Tinder builds both addresses' text on every read). */
    public Optional<SkipReason> check(Message message, JID from, JID to) {
        Message.Type type = message.getType();
        if (Stanzas.isOwnCopy(message)) {
            return Optional.of(SkipReason.OWN_COPY); // never copy a copy: no loops
        }
        if (type == Message.Type.groupchat) {
            return Optional.of(SkipReason.GROUPCHAT);
        }
        if (type == Message.Type.headline) {
            return Optional.of(SkipReason.HEADLINE);
        }
        if (isServiceOfThisServer(from) || isServiceOfThisServer(to)) {
            return Optional.of(SkipReason.SERVICE); // e.g. commands to the xmpproxy bot and its replies
        }
        if (Stanzas.hasChild(message, "private", Namespaces.CARBONS)) {
            return Optional.of(SkipReason.PRIVATE);
        }
        if (Stanzas.hasChild(message, "no-copy", Namespaces.HINTS)) {
            return Optional.of(SkipReason.NO_COPY);
        }
        if (EndToEnd.isOffTheRecord(message)) {
            return Optional.of(SkipReason.OFF_THE_RECORD); // as <private/>: no copy, no history (EndToEnd)
        }
        if (Stanzas.isCarbon(message)) {
            return Optional.of(SkipReason.ALREADY_A_CARBON); // also what a forged carbon looks like
        }
        if (Stanzas.carriesForwarded(message)) {
            return Optional.of(SkipReason.FORWARDED);
        }
        Element mucUser = Stanzas.child(message, "x", Namespaces.MUC_USER);
        if (mucUser != null) {
            if (mucUser.element("invite") != null || Stanzas.hasChild(message, "x", Namespaces.CONFERENCE)) {
                return Optional.empty(); // invitations are copied
            }
            if (isFromOccupantToLocalUser(from, to)) {
                return Optional.of(SkipReason.MUC_PRIVATE_FROM_OCCUPANT);
            }
        }
        if (type == Message.Type.error) {
            return to != null && to.getResource() != null
                    ? Optional.of(SkipReason.ERROR_TO_RESOURCE)
                    : Optional.empty(); // XEP-0280 copies errors only when they are addressed to the account
        }
        if (type == Message.Type.chat) {
            return Optional.empty();
        }
        if (Stanzas.hasBody(message)) {
            return Optional.empty(); // "normal" with a body
        }
        if (hasImPayload(message)) {
            return Optional.empty();
        }
        return Optional.of(SkipReason.NOT_CONVERSATION);
    }

    /** Receipts (XEP-0184), chat states (XEP-0085) and markers (XEP-0333): what IM clients exchange besides text. */
    public static boolean hasImPayload(Message message) {
        return Stanzas.hasChild(message, RECEIPTS, Namespaces.RECEIPTS)
                || Stanzas.hasChild(message, CHAT_STATES, Namespaces.CHAT_STATES)
                || Stanzas.hasChild(message, MARKERS, Namespaces.CHAT_MARKERS_PREFIX);
    }

    /**
     * An address of this server itself or of one of its components (the xmpproxy bot at
     * {@code xmpproxy.<domain>}, the MUC or pubsub service): a domain-only JID on this domain or a
     * subdomain of it. What a user exchanges with a service is a command or a notice for that one
     * client, not a conversation: it is neither mirrored nor kept in the history.
     */
    private boolean isServiceOfThisServer(JID address) {
        if (address == null || address.getNode() != null) {
            return false;
        }
        String domain = address.getDomain();
        return domain.equals(localDomain) || domain.endsWith("." + localDomain);
    }

    private boolean isFromOccupantToLocalUser(JID from, JID to) {
        return from != null && from.getResource() != null
                && to != null && to.getNode() != null && localDomain.equals(to.getDomain())
                && !localDomain.equals(from.getDomain());
    }
}
