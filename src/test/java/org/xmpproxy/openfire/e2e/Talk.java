package org.xmpproxy.openfire.e2e;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.xmpproxy.core.flow.ConversationView;

/**
 * A conversation that goes on while a cluster test breaks something: john (home, work) and jane (desk, with carbons;
 * phone), one client of each on either node, each client writing one message a round from a background thread, to
 * the other account's bare JID or one of its full JIDs by turns. Every message should be shown by the three clients
 * that did not send it, live or by catch-up, once. Clients of a node that goes away log in again, with the same
 * resource, on the other; a resource's shown messages are summed over its sessions.
 */
final class Talk implements AutoCloseable {
    private static final String JOHN = "john@" + OpenfireServer.DOMAIN;
    private static final String JANE = "jane@" + OpenfireServer.DOMAIN;
    /** The four resources; the first two on the first node given, the others on the second. */
    private static final List<String> RESOURCES = List.of(JOHN + "/home", JANE + "/desk", JOHN + "/work", JANE + "/phone");
    /** Between rounds: a steady flow rather than a burst, so that each fault falls among many rounds. */
    private static final long PACE_MILLIS = 100;

    /** What a message was: its sender's resource and the round it was sent in. */
    private record Sent(String from, int round) {
    }

    private final String run;
    private final Map<String, ChatClient> current = new ConcurrentHashMap<>();
    private final Map<String, OpenfireServer> nodeOf = new ConcurrentHashMap<>();
    private final Map<String, List<ChatClient>> sessions = new ConcurrentHashMap<>();
    /** The sessions that were replaced (what they sent last may not have reached the server). */
    private final Set<ChatClient> replaced = ConcurrentHashMap.newKeySet();
    private final Map<String, Sent> sent = new ConcurrentHashMap<>();
    private final Map<String, ChatClient> sentBy = new ConcurrentHashMap<>();
    private final AtomicInteger round = new AtomicInteger();
    private final AtomicBoolean flowing = new AtomicBoolean(true);
    private final List<Throwable> trouble = new CopyOnWriteArrayList<>();
    private final Thread sender;

    private Talk(String run) {
        this.run = run;
        this.sender = new Thread(this::talk, "talk-" + run);
    }

    /** Connects the four clients (home and desk on node {@code a}, work and phone on node {@code b}) and starts talking once each account's copies flow. */
    static Talk start(OpenfireCluster cluster, String run, int a, int b) throws Exception {
        Talk talk = new Talk(run);
        try {
            for (int i = 0; i < RESOURCES.size(); i++) {
                talk.connect(RESOURCES.get(i), cluster.nodes.get((i < 2 ? a : b) - 1));
            }
            Await.mirroring(talk.current.get(RESOURCES.get(0)), talk.current.get(RESOURCES.get(2)), JANE, run + "-ready-john");
            Await.mirroring(talk.current.get(RESOURCES.get(3)), talk.current.get(RESOURCES.get(1)), JOHN, run + "-ready-jane");
        } catch (Exception | AssertionError e) {
            talk.closeAll();
            throw e;
        }
        talk.sender.start();
        return talk;
    }

    private void connect(String resource, OpenfireServer node) throws Exception {
        String user = resource.substring(0, resource.indexOf('@'));
        String name = resource.substring(resource.indexOf('/') + 1);
        ChatClient client = ChatClient.connect(node, user, name, name.equals("desk"));
        client.connection().addConnectionListener(new org.jivesoftware.smack.ConnectionListener() {
            @Override
            public void connectionClosedOnError(Exception e) {
                if (e instanceof org.jivesoftware.smack.XMPPException.StreamErrorException error
                        && error.getStreamError().getCondition() == org.jivesoftware.smack.packet.StreamError.Condition.internal_server_error) {
                    int r = round.get();
                    brokenOff.add(new Window(List.of(resource), Math.max(0, r - 10), r)); // its routing took a while: a second back
                }
            }
        });
        sessions.computeIfAbsent(resource, r -> new CopyOnWriteArrayList<>()).add(client);
        nodeOf.put(resource, node);
        current.put(resource, client);
    }

    /** Rounds {@code [first, last]} of a fault, and the resources it concerns (as senders). */
    record Window(List<String> senders, int first, int last) {
        boolean holds(String sender, int round) {
            return senders.contains(sender) && during(round);
        }

        boolean during(int round) {
            return round >= first && round <= last;
        }
    }

    /** The resources whose clients are on {@code node} now. */
    List<String> on(OpenfireServer node) {
        return RESOURCES.stream().filter(r -> nodeOf.get(r) == node).toList();
    }

    /** The rounds sent so far. */
    int round() {
        return round.get();
    }

    /** Waits until {@code rounds} rounds have been sent. */
    void awaitRounds(int rounds) throws InterruptedException {
        Await.orFail(() -> round.get() >= rounds || !sender.isAlive(), "round " + rounds + " of " + run);
        if (!sender.isAlive()) {
            throw new AssertionError("the talk stopped: " + trouble);
        }
    }

    /**
     * The clients on {@code gone} (stopped, killed) log in again on {@code to}, as clients do after a lost connection.
     * Each then checks that it is reachable: a ping from a client of its account that stayed answered by the new
     * session. Openfire removes a failed node's routes by full JID, and a session that bound its resource meanwhile can
     * lose its route to that (Openfire's race, not xmpproxy's): such a client receives nothing, and logs in again, as
     * its user would; how often is counted ({@link #relogins}).
     */
    void moveFrom(OpenfireServer gone, OpenfireServer to) throws Exception {
        List<String> moving = RESOURCES.stream().filter(r -> nodeOf.get(r) == gone).toList();
        int movedAt = round.get();
        for (String resource : moving) {
            ChatClient old = current.get(resource);
            replaced.add(old);
            old.connection().instantShutdown();
            ChatClient witness = witnessFor(resource, moving);
            if (witness != null) {
                awaitGone(witness, resource);
            }
            connect(resource, to);
        }
        for (String resource : moving) {
            ChatClient witness = witnessFor(resource, moving);
            for (int attempt = 0; witness != null && !reachable(witness, resource); attempt++) {
                if (attempt == 3) {
                    System.out.println("WARNING " + resource + " did not answer a ping from " + witness.fullJid()
                            + " after logging in again 3 times; the tally will show what it missed");
                    break;
                }
                relogins.incrementAndGet();
                lostRoutes.add(new Window(List.of(resource), movedAt, round.get() + 1));
                ChatClient lost = current.get(resource);
                replaced.add(lost);
                lost.connection().instantShutdown();
                connect(resource, to);
            }
        }
    }

    /** How often a client had to log in again because Openfire lost its new session's route. */
    final AtomicInteger relogins = new AtomicInteger();
    /** The rounds in which such a session sent (what it sent went out from a session Openfire no longer routed to). */
    private final List<Window> lostRoutes = new CopyOnWriteArrayList<>();

    List<Window> lostRoutes() {
        return List.copyOf(lostRoutes);
    }

    /** A client of the resource's account that is not moving, to ping it from. */
    private ChatClient witnessFor(String resource, List<String> moving) throws Exception {
        String account = resource.substring(0, resource.indexOf('/'));
        String witness = RESOURCES.stream().filter(r -> !moving.contains(r) && r.startsWith(account + "/")).findFirst().orElse(null);
        return witness == null ? null : connected(witness);
    }

    /**
     * The rounds in which Openfire closed a session's connection with {@code internal-server-error}: it does so when
     * routing its message to a node that has just left the cluster throws, half-way (delivered to some, no
     * interceptor after routing: no copies, no carbons), as stock Openfire does.
     */
    private final List<Window> brokenOff = new CopyOnWriteArrayList<>();

    List<Window> brokenOff() {
        return List.copyOf(brokenOff);
    }

    /** How often Openfire closed the connection of a client that stayed (it logged in again where it was). */
    final AtomicInteger droppedByServer = new AtomicInteger();

    /**
     * The resource's client, logged in again where it was if Openfire closed its connection: Openfire closes a
     * sender's connection ({@code internal-server-error}) when it routes the message to a node that has just left the
     * cluster, before it has noticed; a client logs in again, as its user would. Counted ({@link #droppedByServer}).
     */
    private ChatClient connected(String resource) throws Exception {
        ChatClient client = current.get(resource);
        if (client.connection().isConnected()) {
            return client;
        }
        System.out.println("Openfire closed the connection of " + resource + ", which stayed where it was: it logs in again");
        replaced.add(client);
        droppedByServer.incrementAndGet();
        connect(resource, nodeOf.get(resource));
        return current.get(resource);
    }

    /**
     * Waits (at most 30 s) until the server answers a ping to {@code fullJid} with an error: it no longer holds a
     * session there. Before, a ping goes to the gone node's session and is answered by nobody, and a client that logs
     * in with that resource races Openfire's clean-up of it.
     */
    private static void awaitGone(ChatClient from, String fullJid) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            org.jivesoftware.smackx.ping.packet.Ping ping = new org.jivesoftware.smackx.ping.packet.Ping(
                    org.jxmpp.jid.impl.JidCreate.entityFullFrom(fullJid));
            try {
                from.connection().createStanzaCollectorAndSend(ping).nextResultOrThrow(1000);
            } catch (org.jivesoftware.smack.XMPPException.XMPPErrorException noSession) {
                return;
            } catch (org.jivesoftware.smack.SmackException.NoResponseException stillRouted) {
                continue;
            } catch (org.jivesoftware.smack.SmackException.NotConnectedException witnessGone) {
                return; // Openfire closed the witness's connection: the ping after the login in again tells
            }
            return; // answered: a session is there (a node that stopped in order closed it already, or it is a new one)
        }
        throw new AssertionError("the server still routes to " + fullJid + " after 30 s");
    }

    private static boolean reachable(ChatClient from, String fullJid) {
        try {
            return org.jivesoftware.smackx.ping.PingManager.getInstanceFor(from.connection())
                    .ping(org.jxmpp.jid.impl.JidCreate.entityFullFrom(fullJid), 3000);
        } catch (Exception noAnswer) {
            return false;
        }
    }

    private void talk() {
        try {
            while (flowing.get()) {
                int r = round.get();
                for (String from : RESOURCES) {
                    String id = run + "-r" + r + "-" + from.substring(from.indexOf('/') + 1);
                    ChatClient client = current.get(from);
                    try {
                        client.chat(to(from, r), id);
                        sent.put(id, new Sent(from, r));
                        sentBy.put(id, client);
                    } catch (Exception connectionGone) {
                        // its node went away: the client is not connected until it logs in again
                    }
                }
                round.incrementAndGet();
                Thread.sleep(PACE_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            trouble.add(e);
        }
    }

    /** Whom {@code from} writes to in round {@code r}: the other account's bare JID, or one of its full JIDs. */
    private static String to(String from, int r) {
        boolean john = from.startsWith(JOHN);
        String other = john ? JANE : JOHN;
        if (r % 2 == 0) {
            return other;
        }
        // odd rounds: the other account's client on the other node than the sender's usual one
        int index = RESOURCES.indexOf(from);
        return other + "/" + (john ? (index < 2 ? "phone" : "desk") : (index < 2 ? "work" : "home"));
    }

    /** Stops talking, waits (at most 30 s) until every message that reached the server is shown by every other client, then tallies. */
    Outcome finish() throws Exception {
        flowing.set(false);
        sender.join();
        if (!trouble.isEmpty()) {
            throw new AssertionError("the talk broke: " + trouble);
        }
        for (String resource : RESOURCES) {
            connected(resource); // one Openfire closed catches up as it logs in again
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!tally().missing().isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        Await.quiet(); // room for a second copy to show up
        return tally();
    }

    private Outcome tally() {
        Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();
        Set<String> shownAnywhere = new HashSet<>();
        for (String resource : RESOURCES) {
            Map<String, Integer> summed = new LinkedHashMap<>();
            for (ChatClient session : sessions.get(resource)) {
                ConversationView.counts(shown(session)).forEach((id, n) -> summed.merge(id, n, Integer::sum));
            }
            counts.put(resource, summed);
            shownAnywhere.addAll(summed.keySet());
        }
        Map<String, List<String>> missing = new TreeMap<>();
        Map<String, Map<String, Integer>> twice = new TreeMap<>();
        int reached = 0;
        int notReached = 0;
        Set<String> refused = new java.util.TreeSet<>();
        for (Map.Entry<String, Sent> message : sent.entrySet()) {
            String id = message.getKey();
            if (refusedToItsSender(id)) {
                refused.add(id); // not routed, and its sender told so: counted apart
                continue;
            }
            // A message sent by a session that was later replaced may have died in its node's socket: it reached the
            // server if anyone shows it. One sent by a session that stayed must have.
            if (replaced.contains(sentBy.get(id)) && !shownAnywhere.contains(id)) {
                notReached++;
                continue;
            }
            reached++;
            for (String resource : RESOURCES) {
                if (resource.equals(message.getValue().from())) {
                    continue;
                }
                int n = counts.get(resource).getOrDefault(id, 0);
                if (n == 0) {
                    missing.computeIfAbsent(resource, r -> new ArrayList<>()).add(id);
                } else if (n > 1) {
                    twice.computeIfAbsent(resource, r -> new TreeMap<>()).put(id, n);
                }
            }
        }
        missing.values().forEach(ids -> ids.sort(null));
        Map<String, Integer> roundOf = new LinkedHashMap<>();
        Map<String, String> fromOf = new LinkedHashMap<>();
        sent.forEach((id, s) -> {
            roundOf.put(id, s.round());
            fromOf.put(id, s.from());
        });
        Set<String> shownByNobody = new HashSet<>(sent.keySet());
        shownByNobody.removeAll(shownAnywhere);
        Set<String> refusedButShown = new java.util.TreeSet<>(refused);
        refusedButShown.retainAll(shownAnywhere);
        return new Outcome(round.get(), reached, notReached, missing, twice, roundOf, fromOf, shownByNobody, refused, refusedButShown);
    }

    /** What a client shows of its inbox: not the errors the server answered its own messages with. */
    private static List<org.xmpp.packet.Message> shown(ChatClient session) {
        return session.inbox().stream().filter(m -> m.getType() != org.xmpp.packet.Message.Type.error).toList();
    }

    /** Whether the server answered message {@code id} with an error to the session that sent it (it was not sent). */
    private boolean refusedToItsSender(String id) {
        ChatClient sender = sentBy.get(id);
        return sender != null && sender.inbox().stream()
                .anyMatch(m -> m.getType() == org.xmpp.packet.Message.Type.error && id.equals(m.getID()));
    }

    /**
     * What the clients showed: per resource, the messages it misses and those it shows more than once (with how often).
     */
    record Outcome(int rounds, int reached, int notReached, Map<String, List<String>> missing,
                   Map<String, Map<String, Integer>> duplicated, Map<String, Integer> roundOf, Map<String, String> fromOf,
                   Set<String> shownByNobody, Set<String> refused, Set<String> refusedButShown) {
        /**
         * The missing messages but those sent by {@code senders} in rounds {@code [first, last]}: what clients of a
         * node whose plugin was not running sent then was routed without xmpproxy (no copies, no history).
         */
        Map<String, List<String>> missingBut(java.util.Collection<String> senders, int first, int last) {
            return missingBut(List.of(new Window(List.copyOf(senders), first, last)));
        }

        /**
         * The missing messages but those of the windows: sent by a window's senders in its rounds, or, in its rounds,
         * shown by no client at all (Openfire's own routing failed: a route to a node that had gone).
         */
        Map<String, List<String>> missingBut(List<Window> windows) {
            Map<String, List<String>> kept = new TreeMap<>();
            missing.forEach((resource, ids) -> ids.stream()
                    .filter(id -> windows.stream().noneMatch(w -> w.holds(fromOf.get(id), roundOf.get(id))
                            || (shownByNobody.contains(id) && w.during(roundOf.get(id)))))
                    .forEach(id -> kept.computeIfAbsent(resource, r -> new ArrayList<>()).add(id)));
            return kept;
        }

        /**
         * The ids of {@code window} (its senders, its rounds) that no client of {@code survivors} shows: a node that dies
         * takes with it what it routed before anything of it (Openfire's own deliveries, its carbons) left it.
         */
        Set<String> unseenBy(List<String> survivors, Window window) {
            Set<String> unseen = new java.util.TreeSet<>();
            fromOf.forEach((id, from) -> {
                if (window.holds(from, roundOf.get(id)) && survivors.stream()
                        .allMatch(s -> s.equals(from) || missing.getOrDefault(s, List.of()).contains(id))) {
                    unseen.add(id);
                }
            });
            return unseen;
        }

        /** The missing messages but {@code ids} and those of the windows. */
        Map<String, List<String>> missingBut(Set<String> ids, List<Window> windows) {
            Map<String, List<String>> kept = new TreeMap<>();
            missingBut(windows).forEach((resource, missed) -> missed.stream().filter(id -> !ids.contains(id))
                    .forEach(id -> kept.computeIfAbsent(resource, r -> new ArrayList<>()).add(id)));
            return kept;
        }

        /** How many of the missing are in the windows (printed: what a fault cost). */
        long missingIn(List<Window> windows) {
            return missing.values().stream().flatMap(List::stream)
                    .filter(id -> windows.stream().anyMatch(w -> w.holds(fromOf.get(id), roundOf.get(id))
                            || (shownByNobody.contains(id) && w.during(roundOf.get(id))))).count();
        }

        /** The duplicates outside rounds {@code [first, last]} of each window (whoever sent them). */
        Map<String, Map<String, Integer>> duplicatedOutside(List<Window> windows) {
            Map<String, Map<String, Integer>> outside = new TreeMap<>();
            duplicated.forEach((resource, ids) -> ids.forEach((id, n) -> {
                int r = roundOf.getOrDefault(id, 0);
                if (windows.stream().noneMatch(w -> r >= w.first() && r <= w.last())) {
                    outside.computeIfAbsent(resource, x -> new TreeMap<>()).put(id, n);
                }
            }));
            return outside;
        }

        /** The duplicates among the messages of round {@code first} on. */
        Map<String, Map<String, Integer>> duplicatedFrom(int first) {
            Map<String, Map<String, Integer>> from = new TreeMap<>();
            duplicated.forEach((resource, ids) -> ids.forEach((id, n) -> {
                if (roundOf.getOrDefault(id, 0) >= first) {
                    from.computeIfAbsent(resource, r -> new TreeMap<>()).put(id, n);
                }
            }));
            return from;
        }

        int duplicateCount() {
            return duplicated.values().stream().mapToInt(Map::size).sum();
        }

        @Override
        public String toString() {
            return ("%d rounds, %d messages reached the server (%d more sent into a connection that went away, %d refused with an"
                    + " error to their sender), missing %d, shown twice %d %s%s")
                    .formatted(rounds, reached, notReached, refused.size(), missing.values().stream().mapToInt(List::size).sum(),
                            duplicateCount(), duplicated, missing.isEmpty() ? "" : " missing: " + missing);
        }
    }

    private void closeAll() {
        for (List<ChatClient> list : sessions.values()) {
            for (ChatClient client : list) {
                try {
                    client.close();
                } catch (RuntimeException e) {
                    // already gone
                }
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        flowing.set(false);
        sender.join();
        closeAll();
    }
}
