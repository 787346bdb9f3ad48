package org.xmpproxy.core.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpproxy.core.rule.MirrorRule;
import org.xmpproxy.core.rule.RoutedMessage;
import org.xmpproxy.core.stanza.JidSet;
import org.xmpproxy.core.stanza.Jids;

/**
 * One history row of a message a failed node routed, as a node that saw the message reach its sessions would write it
 * in the failed node's place ({@link MirrorEngine#writeInPlaceOf}), and the clients of the row's account that missed
 * it. What the failed node did is not known, only what reached this node: where it cannot be told whether a client
 * got the message, it counts as missed (twice at worst, never lost).
 *
 * <pre>
 *  the row of                  got it                                   missed it
 *  the sender's account        this node's sessions it reached          the account's other sessions here and on the
 *                                                                       failed node, but the sender
 *  the recipient's account,    the addressee, if the failed node held   every other session of the account here or
 *  to a full JID               it; sessions here it reached             on the failed node
 *  to the bare JID             sessions here it reached; else the one   every other: the failed node's sessions if
 *                              session the failed node held, if one     it reached some here (a tie or carbons there)
 *  to the bare JID, no session anywhere                                 nobody: Openfire stored it offline
 * </pre>
 *
 * @param routed the message as the row's account had it
 * @param at     the row's time: when this node first saw the message
 * @param missed the account's sessions that missed it (here, or on the failed node as it was)
 */
record RowInPlace(RoutedMessage routed, long at, Set<JID> missed) {
    /** The two nodes' clocks may differ this much: a row the failed node wrote is looked for this far around. */
    static final long CLOCKS_APART_MILLIS = 60_000;

    /**
     * The rows of a message seen here: the sender's and the recipient's account's, each when it is mirrored and keeps a
     * history; none for a message that is not copied at all (a chat state, a no-copy hint).
     *
     * @param here an account's available sessions on this node now
     */
    static List<RowInPlace> of(WitnessedMessages.Seen seen, MirrorRule rule, Predicate<JID> mirrored,
                               Predicate<JID> keepsHistory, Function<JID, Set<JID>> here) {
        Message original = seen.original();
        List<RowInPlace> rows = new ArrayList<>(2);
        JID sender = original.getFrom();
        JID to = original.getTo();
        if (rule.eligibility().check(original, sender, to).isPresent()) {
            return rows;
        }
        JID senderAccount = sender.asBareJID();
        if (mirrored.test(senderAccount) && keepsHistory.test(senderAccount)) {
            Set<JID> got = MirrorEngine.onlyOf(senderAccount, seen.have());
            Set<JID> missed = new JidSet();
            addAll(missed, senderAccount, here.apply(senderAccount), got, sender);
            addAll(missed, senderAccount, seen.there(), got, sender);
            rows.add(new RowInPlace(RoutedMessage.sent(original, sender, got, Set.of()), seen.at, missed));
        }
        JID account = to.asBareJID();
        if (!Jids.sameAccount(account, senderAccount) && mirrored.test(account) && keepsHistory.test(account)
                && to.getNode() != null && to.getDomain().equals(senderAccount.getDomain())) {
            rows.add(received(seen, original, account, here.apply(account)));
        }
        return rows;
    }

    private static RowInPlace received(WitnessedMessages.Seen seen, Message original, JID account, Set<JID> hereNow) {
        JID to = original.getTo();
        Set<JID> got = MirrorEngine.onlyOf(account, seen.have());
        Set<JID> there = MirrorEngine.onlyOf(account, seen.there());
        Set<JID> original1 = new JidSet();
        original1.addAll(got);
        Set<JID> undecided = new JidSet();
        if (to.getResource() != null) {
            if (there.contains(to)) {
                original1.add(to); // delivered on the failed node, in its routing
            } else if (!got.contains(to) && hereNow.contains(to)) {
                undecided.add(to); // Openfire's delivery to it here was a cluster task that never came
            }
        } else if (got.isEmpty() && there.size() == 1) {
            original1.addAll(there); // the only session it can have gone to
        } else if (got.isEmpty() && there.isEmpty()) {
            undecided.addAll(MirrorEngine.onlyOf(account, hereNow)); // delivery here never came; nobody anywhere: stored offline
        }
        RoutedMessage routed = RoutedMessage.received(original, account, original1, Set.of(), undecided);
        Set<JID> missed = new JidSet();
        if (routed.reachedTheAccount()) {
            addAll(missed, account, hereNow, original1, null);
            addAll(missed, account, there, original1, null);
        }
        return new RowInPlace(routed, seen.at, missed);
    }

    /**
     * Who names this row among the nodes writing in {@code failedNode}'s place (not by its time: each node saw the
     * message at its own).
     */
    String tag(String failedNode) {
        return failedNode + "\u0000" + routed.account().toBareJID() + "\u0000" + routed.direction() + "\u0000"
                + routed.peer() + "\u0000" + routed.stanza().getID();
    }

    private static void addAll(Set<JID> into, JID account, Set<JID> resources, Set<JID> got, JID sender) {
        for (JID resource : resources) {
            if (Jids.sameAccount(account, resource) && !got.contains(resource) && !resource.equals(sender)) {
                into.add(resource);
            }
        }
    }
}
