package org.xmpproxy.load;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jxmpp.jid.Jid;
import org.xmpproxy.openfire.e2e.OpenfireServer;

/**
 * One account with three clients (slots 0, 1, 2) and a peer (slot 3, another local account): the
 * peer writes to client 0 (flow {@code a}) and client 0 writes back to the peer (flow {@code b}),
 * each as fast as its window allows. On a cluster, client 0 and the peer share a node and clients 1 and 2 are on
 * the other ({@link #node}).
 */
final class Conversation implements AutoCloseable {
    private static final String TEXT = " Hi! Are we still on for lunch tomorrow at the usual place? Let me know soon.";

    final int index;
    final List<LoadClient> clients; // by slot
    final Flow a;
    final Flow b;
    private final Map<Integer, Set<Integer>> probes = new ConcurrentHashMap<>();
    private volatile long lastArrival = System.nanoTime();

    private Conversation(int index, List<LoadClient> clients, Flow a, Flow b) {
        this.index = index;
        this.clients = clients;
        this.a = a;
        this.b = b;
        for (LoadClient client : clients) {
            client.onArrival(this::arrived);
        }
    }

    static String account(int index) {
        return "acct" + index;
    }

    static String peer(int index) {
        return "peer" + index;
    }

    /**
     * The node (0-based, of {@code nodes}) where conversation {@code index}'s client in {@code slot} connects. On two
     * nodes every copy crosses nodes: client 0 and the peer (each message's sender and addressee) are on one node,
     * clients 1 and 2 (the copies' receivers) on the other; odd conversations route on node 1, even ones on node 2, so
     * that with several both nodes route.
     */
    static int node(int index, int slot, int nodes) {
        int home = (index - 1) % nodes;
        return slot == 0 || slot == 3 ? home : (home + 1) % nodes;
    }

    /** Where the clients are, for the report: empty on one server. */
    static String placement(int nodes) {
        return nodes < 2 ? "" : "client 0 and the peer on node 1, clients 1 and 2 on node 2 (every copy crosses nodes;"
                + " with several conversations, every other one the other way round)";
    }

    static Conversation connect(LoadServers servers, int index, LoadConfig config, int total, int window,
                                String botDomain) throws Exception {
        List<LoadClient> clients = new java.util.ArrayList<>();
        try {
            for (int slot = 0; slot < 3; slot++) {
                clients.add(LoadClient.connect(servers.nodeFor(index, slot), account(index), OpenfireServer.PASSWORD,
                        "c" + slot, slot, config.carbons, botDomain));
            }
            clients.add(LoadClient.connect(servers.nodeFor(index, 3), peer(index), OpenfireServer.PASSWORD, "peer", 3,
                    config.carbons, botDomain));
        } catch (Exception e) {
            clients.forEach(LoadClient::close);
            throw e;
        }
        int[] copySlots = config.copies ? new int[] {1, 2} : new int[0];
        return new Conversation(index, clients, new Flow('a', 0, copySlots, total, window),
                new Flow('b', 3, copySlots, total, window));
    }

    private void arrived(int slot, char flow, int seq, long nanos) {
        lastArrival = nanos;
        switch (flow) {
            case 'a' -> a.arrived(slot, seq, nanos);
            case 'b' -> b.arrived(slot, seq, nanos);
            case 'p' -> probes.computeIfAbsent(seq, k -> ConcurrentHashMap.newKeySet()).add(slot);
            default -> { }
        }
    }

    long lastArrival() {
        return lastArrival;
    }

    /**
     * Waits until the server routes as this configuration should: a probe from the peer reaches client 0
     * and, when there are copies, clients 1 and 2 (their presences and carbons are in place).
     */
    void awaitReady(boolean copies, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<Integer> expected = copies ? Set.of(0, 1, 2) : Set.of(0);
        for (int probe = 0; System.nanoTime() < deadline; probe++) {
            clients.get(3).send(clients.get(0).fullJid(), "probe-" + index + "-" + probe, "p#" + probe + " ready?");
            long probeDeadline = Math.min(deadline, System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
            while (System.nanoTime() < probeDeadline) {
                if (probes.getOrDefault(probe, Set.of()).containsAll(expected)) {
                    return;
                }
                Thread.sleep(10);
            }
        }
        throw new IllegalStateException("conversation " + index + " never became ready: probes seen " + probes);
    }

    /** The two senders of messages [from, to), each in its own thread. */
    List<Thread> senders(int from, int to, List<Throwable> failures) throws Exception {
        return List.of(sender(a, clients.get(3), clients.get(0).fullJid(), from, to, failures),
                sender(b, clients.get(0), clients.get(3).bareJid(), from, to, failures));
    }

    private Thread sender(Flow flow, LoadClient from, Jid to, int first, int end, List<Throwable> failures) {
        Thread thread = new Thread(() -> {
            try {
                for (int seq = first; seq < end; seq++) {
                    if (!flow.window.tryAcquire(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("flow " + flow.name + " of conversation " + index
                                + " stalled: no message completed for 30 s (" + flow.completed.get() + " completed)");
                    }
                    flow.sending(seq);
                    from.send(to, "m" + index + flow.name + seq, flow.name + "#" + seq + TEXT);
                }
            } catch (Throwable e) {
                failures.add(e);
            }
        }, "load-" + index + flow.name);
        thread.setDaemon(true);
        return thread;
    }

    @Override
    public void close() {
        clients.forEach(LoadClient::close);
    }
}
