package org.xmpproxy.core.stanza;

import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.xmpp.packet.JID;

/**
 * A set of a few addresses (an account's resources), compared with {@code equals} one by one. A
 * {@code HashSet<JID>} builds each address's full text to hash it (Tinder's {@code JID.hashCode}), on every add
 * and lookup; an account has a handful of resources, and the packet path fills and asks such sets per message.
 */
public final class JidSet extends AbstractSet<JID> {
    private final List<JID> members = new ArrayList<>(4);

    public JidSet() {
    }

    /** An unmodifiable set of these addresses; null is refused, as {@link Set#copyOf} does. */
    public static Set<JID> copyOf(Collection<JID> addresses) {
        JidSet copy = new JidSet();
        for (JID address : addresses) {
            copy.add(address);
        }
        return Collections.unmodifiableSet(copy);
    }

    @Override
    public boolean add(JID address) {
        Objects.requireNonNull(address, "address");
        if (contains(address)) {
            return false;
        }
        return members.add(address);
    }

    @Override
    public boolean contains(Object candidate) {
        for (JID member : members) {
            if (member.equals(candidate)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Iterator<JID> iterator() {
        return members.iterator();
    }

    @Override
    public int size() {
        return members.size();
    }
}
