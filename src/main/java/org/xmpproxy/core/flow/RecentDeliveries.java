package org.xmpproxy.core.flow;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import org.dom4j.Element;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpproxy.core.stanza.Namespaces;

/**
 * What the engine saw delivered to each resource lately (originals and the server's carbons), so that a message
 * Openfire routes again from a closing session (XEP-0198) is known for one that session had, and nothing else is:
 * a stranger can write the server's delay stamp too. Kept only for accounts that keep a history (only their
 * redeliveries are refused), as one 32-bit fingerprint per delivery, the last {@value #PER_RESOURCE} per resource
 * (older ones, if Openfire routes them again, are routed as Openfire would), for at most {@value #RESOURCES_PER_ACCOUNT}
 * resources per account; a resource's record goes with its session. At most about 150 bytes per resource that
 * received something: 50,000 accounts with two busy resources each hold about 15 MB.
 */
final class RecentDeliveries {
    static final int PER_RESOURCE = 32;
    static final int RESOURCES_PER_ACCOUNT = 8;
    private static final int FIRST_SIZE = 4;

    /** By username (it caches its hash; a JID's hash builds its text): every resource is of this server's domain. */
    private final ConcurrentHashMap<String, Account> byAccount = new ConcurrentHashMap<>();

    /** {@code resource} (a full JID of this server) got {@code stanza}. */
    void add(JID resource, Message stanza) {
        if (resource.getNode() == null || resource.getResource() == null) {
            return;
        }
        int fingerprint = fingerprint(stanza);
        byAccount.computeIfAbsent(resource.getNode(), node -> new Account()).add(resource.getResource(), fingerprint);
    }

    /** Whether {@code resource} got a stanza that reads as {@code stanza} does (a copy Openfire made of it, delay added). */
    boolean delivered(JID resource, Message stanza) {
        Account account = resource.getNode() == null ? null : byAccount.get(resource.getNode());
        return account != null && resource.getResource() != null && account.contains(resource.getResource(), fingerprint(stanza));
    }

    /** The resource's session is gone: so is what it got. */
    void forget(JID resource) {
        if (resource.getNode() == null || resource.getResource() == null) {
            return;
        }
        byAccount.computeIfPresent(resource.getNode(), (node, account) -> account.remove(resource.getResource()) ? null : account);
    }

    /** How many resources have a record (for tests). */
    int resources() {
        return byAccount.values().stream().mapToInt(Account::size).sum();
    }

    /**
     * What identifies a delivered stanza, and what Openfire keeps when it routes it again (it routes a copy, with a
     * delay added when it has none): its addresses, id and body, and those of the message a carbon forwards.
     */
    static int fingerprint(Message stanza) {
        Element element = stanza.getElement();
        int hash = mix(17, element.attributeValue("to"));
        hash = mix(hash, element.attributeValue("from"));
        hash = mix(hash, element.attributeValue("id"));
        hash = mix(hash, element.elementText("body"));
        for (int i = 0, n = element.nodeCount(); i < n; i++) {
            if (element.node(i) instanceof Element child && child.getNamespaceURI().startsWith(Namespaces.CARBONS_PREFIX)) {
                Element forwarded = child.element("forwarded");
                Element original = forwarded == null ? null : forwarded.element("message");
                if (original != null) {
                    hash = mix(hash, original.attributeValue("to"));
                    hash = mix(hash, original.attributeValue("from"));
                    hash = mix(hash, original.attributeValue("id"));
                    hash = mix(hash, original.elementText("body"));
                }
            }
        }
        return hash;
    }

    private static int mix(int hash, String value) {
        return 31 * 31 * hash + 31 * (value == null ? -1 : value.length()) + (value == null ? 0 : value.hashCode());
    }

    /** One account's resources and their fingerprints; small, so guarded by itself. */
    private static final class Account {
        private String[] resources = new String[0];
        private int[][] rings = new int[0][];
        /** Per resource: how many fingerprints were added (the next slot is that modulo the ring's size). */
        private int[] added = new int[0];

        synchronized void add(String resource, int fingerprint) {
            int index = indexOf(resource);
            if (index < 0) {
                index = newResource(resource);
            }
            int[] ring = rings[index];
            if (added[index] == ring.length && ring.length < PER_RESOURCE) {
                ring = rings[index] = Arrays.copyOf(ring, Math.min(PER_RESOURCE, ring.length * 2));
            }
            ring[added[index] % ring.length] = fingerprint;
            added[index]++;
            if (added[index] >= 2 * PER_RESOURCE) {
                added[index] -= PER_RESOURCE; // the ring is full: the same slot next, and no overflow ever
            }
        }

        synchronized boolean contains(String resource, int fingerprint) {
            int index = indexOf(resource);
            if (index < 0) {
                return false;
            }
            int[] ring = rings[index];
            for (int i = 0, n = Math.min(added[index], ring.length); i < n; i++) {
                if (ring[i] == fingerprint) {
                    return true;
                }
            }
            return false;
        }

        /** Removes the resource; whether none is left. */
        synchronized boolean remove(String resource) {
            int index = indexOf(resource);
            if (index >= 0) {
                drop(index);
            }
            return resources.length == 0;
        }

        synchronized int size() {
            return resources.length;
        }

        private int indexOf(String resource) {
            for (int i = 0; i < resources.length; i++) {
                if (resources[i].equals(resource)) {
                    return i;
                }
            }
            return -1;
        }

        private int newResource(String resource) {
            if (resources.length == RESOURCES_PER_ACCOUNT) {
                drop(0); // the longest held: its session ended unseen, or this account has many clients at once
            }
            int index = resources.length;
            resources = Arrays.copyOf(resources, index + 1);
            rings = Arrays.copyOf(rings, index + 1);
            added = Arrays.copyOf(added, index + 1);
            resources[index] = resource;
            rings[index] = new int[FIRST_SIZE];
            return index;
        }

        private void drop(int index) {
            int n = resources.length;
            String[] keptResources = new String[n - 1];
            int[][] keptRings = new int[n - 1][];
            int[] keptAdded = new int[n - 1];
            for (int from = 0, to = 0; from < n; from++) {
                if (from != index) {
                    keptResources[to] = resources[from];
                    keptRings[to] = rings[from];
                    keptAdded[to] = added[from];
                    to++;
                }
            }
            resources = keptResources;
            rings = keptRings;
            added = keptAdded;
        }
    }
}
