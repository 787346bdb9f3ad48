package org.xmpproxy.core.rule;

import java.util.Objects;
import org.xmpp.packet.JID;

/**
 * One available resource of an account, as the rule needs to see it.
 *
 * @param address         the resource's full JID
 * @param carbonsEnabled  whether the client sent XEP-0280 {@code <enable/>}
 * @param mode            how it wants copies
 */
public record AccountResource(JID address, boolean carbonsEnabled, ResourceMode mode) {
    public AccountResource {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(mode, "mode");
        if (address.getResource() == null) {
            throw new IllegalArgumentException("a resource needs a full JID: " + address);
        }
    }
}
