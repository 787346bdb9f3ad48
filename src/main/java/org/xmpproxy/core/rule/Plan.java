package org.xmpproxy.core.rule;

import java.util.List;
import java.util.Optional;
import org.xmpp.packet.JID;

/**
 * What the rule decided for one routed message: the copies to deliver and, for every resource that
 * gets none, why. A message-level reason means no resource was even considered.
 */
public record Plan(Optional<SkipReason> messageSkipped, List<Copy> copies, List<Skip> skips) {
    public Plan {
        copies = List.copyOf(copies);
        skips = List.copyOf(skips);
    }

    public static Plan skipped(SkipReason reason) {
        return new Plan(Optional.of(reason), List.of(), List.of());
    }

    /** One copy to deliver. */
    public record Copy(JID to, CopyForm form) {
    }

    /** One resource that gets no copy, and why. */
    public record Skip(JID resource, SkipReason reason) {
    }
}
