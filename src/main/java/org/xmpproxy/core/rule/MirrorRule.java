package org.xmpproxy.core.rule;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpproxy.core.stanza.Jids;
import org.xmpproxy.core.stanza.Namespaces;
import org.xmpproxy.core.stanza.Stanzas;

/**
 * The copy rule: for a routed message and a snapshot of the account's available resources, which
 * resource gets which copy. Read it as a table; for each resource the first row that matches decides.
 *
 * <pre>
 *  message level                                  -> outcome
 *  account's mirroring is off                      -> no copies (MIRRORING_OFF)
 *  not eligible (XEP-0280 6.1, XEP-0334)           -> no copies (see {@link Eligibility})
 *  to or from a service of this server (the bot)   -> no copies, no history (SERVICE, in {@link Eligibility})
 *  between two resources of the account itself     -> no copies (WITHIN_ACCOUNT: deliberately addressed)
 *  received, and no resource got the original      -> no copies (NOBODY_RECEIVED: offline store owns it)
 *    (nor may have: a tie Openfire broke on another
 *    cluster node, see RoutedMessage.undecided)
 *
 *  resource level
 *  it sent the original                            -> none (SENT_ORIGINAL)
 *  it received the original                        -> none (RECEIVED_ORIGINAL)
 *  its mode is off                                 -> none (MODE_OFF)
 *  Openfire sent or will send it a carbon          -> none (NATIVE_CARBONS)
 *  mode carbons, or auto with carbons enabled      -> XEP-0280 wrapper
 *  mode auto/legacy, and a legacy client shows it  -> legacy form
 *  otherwise                                       -> none (LEGACY_CANNOT_SHOW)
 *
 *  what a legacy client shows ({@link #showsAsLegacy}); a sent message's copy comes from the peer's JID:
 *  received, anything                              -> yes: as the original would have looked
 *  sent, with text (also a XEP-0308 correction)    -> yes: the text, marked as the account's own
 *  sent, a XEP-0424 retraction                     -> yes: it removes the copy of the message it retracts
 *  sent, only a chat state, receipt or marker      -> no: from the peer's JID, "composing" would show the
 *                                                     peer typing, a receipt or "displayed" the peer reading
 *  sent, an error, no 'to', or in a room           -> no
 *
 *  catch-up and replay (a message from the history, later; {@link #catchupForm})
 *  OTR (recorded by an older version)              -> none: a session between two clients ({@link EndToEnd})
 *  only a chat state                               -> none: it was about that moment ("composing" now
 *                                                     would show the peer typing)
 *  replay of OMEMO                                 -> its fallback text only ({@link EndToEnd#forReplay}): the
 *                                                     client may have decrypted it once already
 *  carbons wanted (mode carbons, or enabled and    -> XEP-0280 wrapper
 *    mode not legacy)
 *  a legacy client shows it                        -> legacy form
 *  otherwise                                       -> none
 *
 *  what the bot's status says a resource gets ({@link #serviceOf}): the resource-level rows above
 *  for a sent chat message with text (which Openfire's own carbons copy too)
 * </pre>
 * Every form keeps the message's id, and a correction or retraction keeps its reference to the
 * original's id, so a client matches it to the copy of the original it showed. This class is the only
 * place that chooses a form: live copies, catch-up, replay and the bot's status all ask it.
 */
public final class MirrorRule {
    /** What one resource gets of the account's conversation, as the bot's {@code status} tells the user. */
    public enum Service {
        /** Its mode is off. */
        NOTHING,
        /** Openfire's own XEP-0280 carbons (the client enabled them); xmpproxy adds nothing. */
        SERVER_CARBONS,
        /** XEP-0280 wrappers from xmpproxy. */
        CARBON_COPIES,
        /** The legacy form from xmpproxy. */
        PLAIN_COPIES
    }

    private final Eligibility eligibility;
    private final OpenfireCarbons openfireCarbons;

    public MirrorRule(String localDomain) {
        this.eligibility = new Eligibility(localDomain);
        this.openfireCarbons = new OpenfireCarbons(localDomain);
    }

    public Eligibility eligibility() {
        return eligibility;
    }

    /**
     * @param message         the routed message, as seen from one account
     * @param eligibleBefore  the eligibility verdict taken before routing (the server strips
     *                        {@code <private/>} while routing), or empty when it was eligible
     * @param mirroringOn     whether the account has mirroring on
     * @param resources       the account's available resources
     */
    public Plan decide(RoutedMessage message, Optional<SkipReason> eligibleBefore, boolean mirroringOn,
                       List<AccountResource> resources) {
        return decide(message, eligibleBefore, mirroringOn, () -> resources);
    }

    /** As above; the resources are looked up only when the message passes the message-level rows. */
    public Plan decide(RoutedMessage message, Optional<SkipReason> eligibleBefore, boolean mirroringOn,
                       Supplier<List<AccountResource>> resourceLookup) {
        if (!mirroringOn) {
            return Plan.skipped(SkipReason.MIRRORING_OFF);
        }
        if (eligibleBefore.isPresent()) {
            return Plan.skipped(eligibleBefore.get());
        }
        if (isWithinAccount(message)) {
            return Plan.skipped(SkipReason.WITHIN_ACCOUNT);
        }
        if (message.direction() == Direction.RECEIVED && !message.reachedTheAccount()) {
            return Plan.skipped(SkipReason.NOBODY_RECEIVED);
        }
        // The same for every resource: read once (Tinder builds an address's text on every read of 'to').
        boolean openfireCarbonsIt = openfireCarbons.isEligible(message.stanza()) && openfireSendsCarbon(message);
        boolean legacyShows = showsAsLegacy(message);
        List<Plan.Copy> copies = new ArrayList<>();
        List<Plan.Skip> skips = new ArrayList<>();
        for (AccountResource resource : resourceLookup.get()) {
            Optional<SkipReason> skip = skipReason(message, resource, openfireCarbonsIt, legacyShows);
            if (skip.isPresent()) {
                skips.add(new Plan.Skip(resource.address(), skip.get()));
            } else {
                copies.add(new Plan.Copy(resource.address(), form(message, resource)));
            }
        }
        return new Plan(Optional.empty(), copies, skips);
    }

    private static boolean isWithinAccount(RoutedMessage message) {
        JID from = message.stanza().getFrom();
        JID to = message.stanza().getTo();
        boolean fromAccount = from != null && Jids.sameAccount(message.account(), from);
        boolean toAccount = to == null || Jids.sameAccount(message.account(), to);
        return fromAccount && toAccount;
    }

    /**
     * @param openfireCarbonsIt whether Openfire sends this message's carbon to every carbons-enabled resource
     * @param legacyShows       whether a legacy client shows its legacy form ({@link #showsAsLegacy})
     */
    private Optional<SkipReason> skipReason(RoutedMessage message, AccountResource resource, boolean openfireCarbonsIt,
                                            boolean legacyShows) {
        JID address = resource.address();
        if (address.equals(message.sender())) {
            return Optional.of(SkipReason.SENT_ORIGINAL);
        }
        if (message.receivedOriginal().contains(address)) {
            return Optional.of(SkipReason.RECEIVED_ORIGINAL);
        }
        boolean serverCarbon = message.gotNativeCarbon().contains(address) || (resource.carbonsEnabled() && openfireCarbonsIt);
        return ownRows(resource, serverCarbon, legacyShows);
    }

    /** The resource-level rows after the original's own sender and recipients: mode, server carbons, what a legacy client shows. */
    private static Optional<SkipReason> ownRows(AccountResource resource, boolean serverCarbon, boolean legacyShows) {
        if (resource.mode() == ResourceMode.OFF) {
            return Optional.of(SkipReason.MODE_OFF);
        }
        if (serverCarbon) {
            return Optional.of(SkipReason.NATIVE_CARBONS);
        }
        if (wantsCarbonForm(resource) || legacyShows) {
            return Optional.empty();
        }
        return Optional.of(SkipReason.LEGACY_CANNOT_SHOW);
    }

    /**
     * What {@code resource} gets of the account's conversation, as the bot's status shows it: the rows
     * for a chat message with text that another resource of the account sent (Openfire carbons it to
     * every resource that enabled carbons).
     */
    public static Service serviceOf(AccountResource resource) {
        Optional<SkipReason> skip = ownRows(resource, resource.carbonsEnabled(), true);
        if (skip.isPresent()) {
            return skip.get() == SkipReason.MODE_OFF ? Service.NOTHING : Service.SERVER_CARBONS;
        }
        return wantsCarbonForm(resource) ? Service.CARBON_COPIES : Service.PLAIN_COPIES;
    }

    /**
     * Whether Openfire itself sends carbons-enabled resources a copy of this message. Sent messages:
     * always ({@code MessageRouter} sends {@code <sent/>}). Received: only a message to a full JID that
     * was delivered there ({@code RoutingTableImpl.ccMessage}); a message to the bare JID reaches
     * carbons-enabled resources as the original, which {@code receivedOriginal} already records.
     */
    private static boolean openfireSendsCarbon(RoutedMessage message) {
        if (message.direction() == Direction.SENT) {
            return true;
        }
        JID to = message.stanza().getTo();
        return to != null && to.getResource() != null && message.receivedOriginal().contains(to);
    }

    /**
     * Mode carbons, or the client enabled carbons and its mode is not legacy. (A resource whose mode is
     * off gets no live copy; a replay it asks for comes in the form it would get in auto.)
     */
    private static boolean wantsCarbonForm(AccountResource resource) {
        return resource.mode() == ResourceMode.CARBONS
                || (resource.mode() != ResourceMode.LEGACY && resource.carbonsEnabled());
    }

    private static boolean showsAsLegacy(RoutedMessage message) {
        return showsAsLegacy(message.direction(), message.stanza());
    }

    /**
     * Whether a client without carbons shows the legacy form correctly. Received messages: yes, they
     * look exactly as the original would have. Sent ones arrive from the peer's JID, so only text can
     * be shown (marked as the account's own), or a retraction of text it showed; a sent typing
     * notification would look like the peer typing, a sent receipt or marker like the peer reading.
     */
    public static boolean showsAsLegacy(Direction direction, Message stanza) {
        if (direction == Direction.RECEIVED) {
            return true;
        }
        return (Stanzas.hasBody(stanza) || Stanzas.isRetraction(stanza))
                && stanza.getType() != Message.Type.error
                && stanza.getTo() != null
                && !Stanzas.hasChild(stanza, "x", Namespaces.MUC_USER);
    }

    /**
     * The form of a catch-up or replay copy of a message from the account's history for {@code resource},
     * or empty when it gets none (see the table above). Whether the resource is caught up at all is
     * the caller's decision.
     */
    public static Optional<CopyForm> catchupForm(Direction direction, Message stanza, AccountResource resource) {
        if (Stanzas.isOnlyChatState(stanza) || EndToEnd.isOffTheRecord(stanza)) {
            return Optional.empty();
        }
        boolean carbons = wantsCarbonForm(resource);
        if (!carbons && !showsAsLegacy(direction, stanza)) {
            return Optional.empty();
        }
        return Optional.of(form(direction, carbons));
    }

    private static CopyForm form(RoutedMessage message, AccountResource resource) {
        return form(message.direction(), wantsCarbonForm(resource));
    }

    private static CopyForm form(Direction direction, boolean carbons) {
        boolean sent = direction == Direction.SENT;
        if (carbons) {
            return sent ? CopyForm.CARBON_SENT : CopyForm.CARBON_RECEIVED;
        }
        return sent ? CopyForm.LEGACY_SENT : CopyForm.LEGACY_RECEIVED;
    }
}
