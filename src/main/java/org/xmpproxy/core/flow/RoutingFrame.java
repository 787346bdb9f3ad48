package org.xmpproxy.core.flow;

import java.util.Optional;
import java.util.Set;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpproxy.core.stanza.JidSet;
import org.xmpproxy.core.rule.SkipReason;

/**
 * What is learnt about one message while the server routes it: who it came from, the eligibility
 * verdict taken before routing, and which local resources got the original or a server carbon.
 */
final class RoutingFrame {
    final Message message;
    /** The local resource that sent it, or null when it did not come from one or its account needs nothing (not mirrored, ...). */
    final JID sender;
    /** The local account it is addressed to, or null when it is not for a local user or that account needs nothing. */
    final JID recipientAccount;
    /**
     * The local client session that sent it, whether its account needs anything or not; null for a message from
     * elsewhere. Openfire can break off such a routing half way and close that session ({@link MirrorEngine#brokenOff}).
     */
    final JID senderSession;
    final Optional<SkipReason> verdict;
    /** When the router took it (epoch millis): its place in the conversation. */
    final long routedAt;
    final Set<JID> receivedOriginal = new JidSet();
    final Set<JID> gotNativeCarbon = new JidSet();
    /** Whether the recipient's and the sender's account keep a history; read at the first delivery that needs it. */
    Boolean recipientKeepsHistory;
    Boolean senderKeepsHistory;
    /**
     * Written by the routing thread after each delivery it notes, read first by a thread that completes a routing
     * Openfire broke off: what the routing thread noted before is then seen whole.
     */
    volatile int deliveriesNoted;
    /** Completed by another thread (Openfire broke its routing off): the routing thread's stack no longer takes deliveries into it. */
    volatile boolean completedElsewhere;
    /** For a client-sent message: when the engine began following it ({@code System.nanoTime}), finer than {@link #routedAt}. */
    long order;
    /** Openfire's offline store took it (it reached no session): its row says so, for {@link MirrorEngine#storedOffline}. */
    boolean storedOffline;

    RoutingFrame(Message message, JID sender, JID recipientAccount, Optional<SkipReason> verdict) {
        this(message, sender, recipientAccount, null, verdict, System.currentTimeMillis());
    }

    RoutingFrame(Message message, JID sender, JID recipientAccount, Optional<SkipReason> verdict, long routedAt) {
        this(message, sender, recipientAccount, null, verdict, routedAt);
    }

    RoutingFrame(Message message, JID sender, JID recipientAccount, JID senderSession, Optional<SkipReason> verdict, long routedAt) {
        this.routedAt = routedAt;
        this.message = message;
        this.sender = sender;
        this.recipientAccount = recipientAccount;
        this.senderSession = senderSession;
        this.verdict = verdict;
    }
}
