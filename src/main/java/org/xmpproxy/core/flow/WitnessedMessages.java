package org.xmpproxy.core.flow;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpproxy.core.rule.Direction;
import org.xmpproxy.core.rule.MessageKey;
import org.xmpproxy.core.stanza.JidSet;

/**
 * On a node of a cluster: messages a client of another node sent, routed there, as this node saw them reach its own
 * sessions (the original, one of Openfire's carbons of it, or one of xmpproxy's copies). The routing node writes their
 * history rows through its write queue; if it fails first, the rows die with it, and the clients that were to get
 * them by catch-up (or by a copy it never sent) never do. Then this node writes them in its place
 * ({@link MirrorEngine#writeInPlaceOf}), from what it saw here.
 *
 * <p>Bounded: the newest {@value #MAX} messages; older than {@value #MAX_AGE_MILLIS} ms they are not written in a
 * failed node's place (its queue writes within a second or two; a database down for minutes loses more on any node).
 * Only messages with an id are kept: a row is matched to its message by the id.
 */
final class WitnessedMessages {
    static final int MAX = 4096;
    static final long MAX_AGE_MILLIS = 120_000;

    /** A message as both sides' rows name it: who wrote it and to whom (bare JIDs), and its id. */
    record Key(String from, String to, String id) {
        /** The message a copy or carbon of {@code account}'s conversation stands for. */
        static Key of(JID account, MessageKey key) {
            String own = account.toBareJID();
            return key.direction() == Direction.SENT ? new Key(own, key.peer(), key.id()) : new Key(key.peer(), own, key.id());
        }
    }

    /** One message: what this node saw of it. Guarded by the map's lock. */
    static final class Seen {
        final Key key;
        /** When this node first saw it: the time of a row written in the routing node's place. */
        final long at;
        /** The original as routed (null while only who had it is known: then nothing can be written from it). */
        Message original;
        /** The node that routed it, the sender's (null while not known). */
        String node;
        /** This node's sessions that got it (the original, a carbon, a copy). */
        final Set<JID> have = new JidSet();
        /** The accounts' other sessions on the routing node as the message arrived (they die with it). */
        final Set<JID> there = new JidSet();

        Seen(Key key, long at) {
            this.key = key;
            this.at = at;
        }

        Message original() {
            return original;
        }

        Set<JID> have() {
            return have;
        }

        Set<JID> there() {
            return there;
        }
    }

    /** Guarded by itself; in the order first seen, the oldest goes first when full. */
    private final Map<Key, Seen> seen = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Seen> eldest) {
            return size() > MAX;
        }
    };
    private volatile boolean any;

    boolean isEmpty() {
        return !any;
    }

    /**
     * {@code original}, routed by {@code node}, reached {@code recipient} here (itself or in a carbon); {@code there}:
     * the accounts' sessions on that node as it arrived. The original is copied once, at its first sighting.
     */
    void original(Message original, String node, JID recipient, Set<JID> there, long now) {
        Objects.requireNonNull(node, "node");
        Key key = new Key(original.getFrom().toBareJID(), original.getTo().toBareJID(), original.getID());
        synchronized (seen) {
            Seen one = seen.computeIfAbsent(key, k -> new Seen(k, now));
            if (one.original == null) {
                one.original = original.createCopy();
                one.node = node;
                one.there.addAll(there);
            }
            one.have.add(recipient);
            any = true;
        }
    }

    /** A carbon of the message with this key, routed by a node not known here, reached {@code recipient}: who had it, only. */
    void had(Key key, JID recipient, long now) {
        synchronized (seen) {
            seen.computeIfAbsent(key, k -> new Seen(k, now)).have.add(recipient);
            any = true;
        }
    }

    /** Whether the message with this key reached {@code recipient} (the original, a carbon or a copy). */
    boolean had(Key key, JID recipient) {
        synchronized (seen) {
            Seen one = seen.get(key);
            return one != null && one.have.contains(recipient);
        }
    }

    /** Whether the message this copy of {@code recipient}'s account is of ({@code key}) was seen. */
    boolean knows(MessageKey key, JID recipient) {
        Key of = Key.of(recipient.asBareJID(), key);
        synchronized (seen) {
            return seen.containsKey(of);
        }
    }

    /** One of xmpproxy's copies of a message seen already ({@code key}: of {@code recipient}'s account) reached {@code recipient}. */
    void copy(MessageKey key, JID recipient) {
        Key of = Key.of(recipient.asBareJID(), key);
        synchronized (seen) {
            Seen one = seen.get(of);
            if (one != null) {
                one.have.add(recipient);
            }
        }
    }

    /** {@code node} left the cluster: the messages it routed that this node saw, seen at most {@value #MAX_AGE_MILLIS} ms before {@code now}, taken out, oldest first. */
    List<Seen> nodeLeft(String node, long now) {
        List<Seen> taken = new ArrayList<>();
        synchronized (seen) {
            for (Iterator<Seen> it = seen.values().iterator(); it.hasNext(); ) {
                Seen one = it.next();
                if (node.equals(one.node)) {
                    it.remove();
                    if (one.at >= now - MAX_AGE_MILLIS) {
                        taken.add(one);
                    }
                } else if (one.at < now - MAX_AGE_MILLIS) {
                    it.remove(); // the routing node had long written it, or never will
                }
            }
            any = !seen.isEmpty();
        }
        return taken;
    }

    /** Two lists as one. */
    static List<Seen> both(List<Seen> first, List<Seen> second) {
        List<Seen> both = new ArrayList<>(first);
        both.addAll(second);
        return both;
    }

    /** How many messages are kept (for tests). */
    int size() {
        synchronized (seen) {
            return seen.size();
        }
    }
}
