package org.xmpproxy.core.rule;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpproxy.core.copy.Namespaces;
import org.xmpproxy.core.copy.Stanzas;

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
 *
 *  resource level
 *  it sent the original                            -> none (SENT_ORIGINAL)
 *  it received the original                        -> none (RECEIVED_ORIGINAL)
 *  its mode is off                                 -> none (MODE_OFF)
 *  Openfire sent or will send it a carbon          -> none (NATIVE_CARBONS)
 *  mode carbons, or auto with carbons enabled      -> XEP-0280 wrapper
 *  mode auto/legacy, and a legacy client shows it  -> legacy form
 *  otherwise                                       -> none (LEGACY_CANNOT_SHOW)
 * </pre>
 */
public final class MirrorRule {
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
        if (message.direction() == Direction.RECEIVED && message.receivedOriginal().isEmpty()) {
            return Plan.skipped(SkipReason.NOBODY_RECEIVED);
        }
        boolean openfireCopies = openfireCarbons.isEligible(message.stanza());
        List<Plan.Copy> copies = new ArrayList<>();
        List<Plan.Skip> skips = new ArrayList<>();
        for (AccountResource resource : resourceLookup.get()) {
            Optional<SkipReason> skip = skipReason(message, resource, openfireCopies);
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
        boolean fromAccount = from != null && message.account().equals(from.asBareJID());
        boolean toAccount = to == null || message.account().equals(to.asBareJID());
        return fromAccount && toAccount;
    }

    private Optional<SkipReason> skipReason(RoutedMessage message, AccountResource resource, boolean openfireCopies) {
        JID address = resource.address();
        if (address.equals(message.sender())) {
            return Optional.of(SkipReason.SENT_ORIGINAL);
        }
        if (message.receivedOriginal().contains(address)) {
            return Optional.of(SkipReason.RECEIVED_ORIGINAL);
        }
        if (resource.mode() == ResourceMode.OFF) {
            return Optional.of(SkipReason.MODE_OFF);
        }
        if (message.gotNativeCarbon().contains(address)
                || (resource.carbonsEnabled() && openfireCopies && openfireSendsCarbon(message))) {
            return Optional.of(SkipReason.NATIVE_CARBONS);
        }
        if (wantsCarbonForm(resource) || showsAsLegacy(message)) {
            return Optional.empty();
        }
        return Optional.of(SkipReason.LEGACY_CANNOT_SHOW);
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

    private static boolean wantsCarbonForm(AccountResource resource) {
        return resource.mode() == ResourceMode.CARBONS
                || (resource.mode() == ResourceMode.AUTO && resource.carbonsEnabled());
    }

    /**
     * Whether a client without carbons shows the legacy form correctly. Received messages: yes, they
     * look exactly as the original would have. Sent ones arrive from the peer's JID, so only text can
     * be shown (marked as the account's own); a sent typing notification would look like the peer typing.
     */
    private static boolean showsAsLegacy(RoutedMessage message) {
        if (message.direction() == Direction.RECEIVED) {
            return true;
        }
        Message stanza = message.stanza();
        return Stanzas.hasBody(stanza)
                && stanza.getType() != Message.Type.error
                && stanza.getTo() != null
                && stanza.getChildElement("x", Namespaces.MUC_USER) == null;
    }

    private static CopyForm form(RoutedMessage message, AccountResource resource) {
        boolean sent = message.direction() == Direction.SENT;
        if (wantsCarbonForm(resource)) {
            return sent ? CopyForm.CARBON_SENT : CopyForm.CARBON_RECEIVED;
        }
        return sent ? CopyForm.LEGACY_SENT : CopyForm.LEGACY_RECEIVED;
    }
}
