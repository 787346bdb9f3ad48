package org.xmpproxy.core.flow;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dom4j.QName;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpproxy.core.copy.CopyFactory;
import org.xmpproxy.core.rule.OpenfireCarbons;
import org.xmpproxy.core.stanza.Stanzas;

/**
 * A model of how Openfire 5.1.1 routes a message and calls interceptors, written from
 * {@code MessageRouter.route}, {@code RoutingTableImpl.routeToLocalDomain/ccMessage/routeToBareJID} and
 * {@code LocalSession.process}. It lets the engine be tested in the exact event order the server
 * produces, without a server. The end-to-end suite checks the same against a real Openfire.
 *
 * <p>It is also a cluster of two nodes ({@link #connectOn}, {@link #engineOnNode2}): a message is routed, and its
 * interceptors before and after routing run, on the node of the sending session (or {@link #arrivalNode}); a
 * delivery to a session of the other node is a cluster task ({@code ProcessPacketTask}, or
 * {@code RemotePacketExecution} for a full JID, which routes it there again without the router's interceptors), run
 * after the routing with a serialised copy of the stanza, outside any routing frame. Each node's engine sees the
 * cluster-wide view of the account's sessions through {@link #node}. With every client on node 1 it is one server.
 */
final class SimulatedOpenfire implements ResourceDirectory, CopySink {
    static final String DOMAIN = "example.org";

    final class Client {
        final JID address;
        boolean carbons;
        int priority;
        /** Openfire's rank of the presence show (1 chat, 2 none, 3 away, 4 xa, 5 dnd). */
        int showRank = ResourcePresence.SHOW_NONE;
        boolean available = true;
        final List<Message> inbox = new ArrayList<>();
        long lastActive;
        /** The cluster node that holds the session. */
        int node = 1;
        /** Its connection fails: what is delivered to it throws ({@code LocalSession.process} on a broken channel). */
        boolean deliveryThrows;

        Client(JID address, boolean carbons, int priority) {
            this.address = address;
            this.carbons = carbons;
            this.priority = priority;
        }
    }

    private final Map<JID, Client> clients = new LinkedHashMap<>();
    final List<Message> offlineStore = new ArrayList<>();
    final List<Message> remoteOutbox = new ArrayList<>();
    private final OpenfireCarbons carbonRules = new OpenfireCarbons(DOMAIN);
    private long clock;
    MirrorEngine engine;
    /** The engine of the second node of a cluster (null: one server). */
    MirrorEngine engineOnNode2;
    /** Where a message that no local session sent arrives (another server's connection, on some node). */
    int arrivalNode = 1;
    /** {@code route.all-resources}, {@code route.really-all-resources}. */
    BareJidRouting bareJidRouting = BareJidRouting.ONE_OF_THE_HIGHEST;
    /** The node whose thread runs now; deliveries to sessions of another node are cluster tasks, run later. */
    private int running = 1;
    private final java.util.ArrayDeque<Runnable> clusterTasks = new java.util.ArrayDeque<>();
    private int routingDepth;
    /** Our own cluster tasks for copies a node left to the session's node, run in the order they were sent. */
    int copiesLeftToTheSessionsNode;
    /** Nodes killed: a cluster task to one of them is lost (with whatever it would have sent on). */
    final java.util.Set<Integer> failedNodes = new java.util.HashSet<>();
    /**
     * Nodes killed right after Openfire's routing: what Openfire delivered went out, xmpproxy's copies after it did not
     * (nor its history rows: the engines' history sinks are the tests').
     */
    final java.util.Set<Integer> diesBeforeItsCopies = new java.util.HashSet<>();
    /**
     * Nodes that have just left the cluster while Openfire's routing table still lists their sessions: a cluster task to
     * one throws ({@code ClusteredCacheFactory.doClusterTask}: "Requested node not found in cluster"), and xmpproxy's
     * view of the other nodes' sessions no longer has theirs ({@code OtherNodeSessions.leftCluster(nodeID)}).
     */
    final java.util.Set<Integer> leftButStillRouted = new java.util.HashSet<>();
    /**
     * Nodes that have left the cluster themselves (shutting down): their view has only their own sessions, as
     * {@code OtherNodeSessions.leftCluster()} forgets every other node's.
     */
    final java.util.Set<Integer> leftTheCluster = new java.util.HashSet<>();
    /** When each node's view of the other nodes' sessions last changed as a whole ({@code OtherNodeSessions.changedAt}). */
    final Map<Integer, Long> membershipChangedAt = new java.util.HashMap<>();
    /** Run once, after the next routing's deliveries and before its after-routing call (something that happens meanwhile). */
    Runnable meanwhile = () -> { };

    /** Node {@code number} leaves the cluster as it shuts down: from now on it knows only its own sessions. */
    void leaves(int number) {
        membershipChangedAt.put(number, System.currentTimeMillis());
        leftTheCluster.add(number);
    }

    /** Messages whose routing Openfire broke off with an exception, closing the sender's connection. */
    final List<Message> brokenOff = new ArrayList<>();
    /**
     * Cluster tasks run at once on a thread of their own (an executor thread of their node, outside any routing), as
     * Openfire's may while the routing node is still routing; by default they run after the routing is done.
     */
    boolean clusterTasksAtOnce;
    /** Who gets what is sent to the server's own address ({@code xmpp.forward.admins}, or the console's admins). */
    final List<JID> admins = new ArrayList<>();
    /** Another plugin's interceptor, after ours: it rejects the messages it matches before they are routed. */
    java.util.function.Predicate<Message> rejectedByAnotherInterceptor = message -> false;

    Client connect(String fullJid, boolean carbons) {
        return connect(fullJid, carbons, 0);
    }

    Client connect(String fullJid, boolean carbons, int priority) {
        return connectOn(1, fullJid, carbons, priority);
    }

    /** A session held by cluster node {@code node} (1 or 2). */
    Client connectOn(int node, String fullJid, boolean carbons, int priority) {
        Client client = new Client(new JID(fullJid), carbons, priority);
        client.node = node;
        clients.put(client.address, client);
        return client;
    }

    /** The engines of a third node and beyond (a cluster of more than two). */
    final Map<Integer, MirrorEngine> moreEngines = new java.util.HashMap<>();

    /** The node that holds {@code resource}'s session (0 if none). */
    int nodeNumberOf(JID resource) {
        Client client = clients.get(resource);
        return client == null ? 0 : client.node;
    }

    MirrorEngine engineOn(int node) {
        return node == 1 ? engine : node == 2 ? engineOnNode2 : moreEngines.get(node);
    }

    /** {@code SessionManager.removeSession}, then the session-destroyed event ({@code openfire/SessionEnds}). */
    void disconnect(Client client) {
        clients.remove(client.address);
        engineOn(client.node).sessionEnded(client.address);
    }

    /**
     * {@code PresenceUpdateHandler.initSession}: the client's first available presence takes the account's offline
     * messages, each stamped with a XEP-0203 delay by the server ({@code OfflineMessageStore.getMessages}), through
     * {@code LocalSession.process}, outside any routing. Returns what the interceptor refused (one of our copies for
     * another resource), as {@code MirroringInterceptor} does.
     */
    List<Message> takeOfflineMessages(Client client) {
        List<Message> refused = new ArrayList<>();
        for (Message stored : List.copyOf(offlineStore)) {
            if (!stored.getTo().asBareJID().equals(client.address.asBareJID())) {
                continue;
            }
            offlineStore.remove(stored);
            Message offline = stored.createCopy();
            if (offline.getChildElement("delay", "urn:xmpp:delay") == null) {
                offline.addChildElement("delay", "urn:xmpp:delay").addAttribute("from", DOMAIN);
            }
            engine.dropForgedCopyMarks(offline);
            if (Stanzas.isOwnCopy(offline) && engine.isMisdirectedCopy(offline, client.address, false, true)) {
                engine.copyNotDelivered(offline);
                refused.add(offline);
                continue;
            }
            client.inbox.add(offline);
            engine.deliveredFromOfflineStore(offline, client.address);
        }
        return refused;
    }

    /**
     * A client's stream ends without resumption ({@code SessionManager}'s close listener): its presence goes
     * unavailable, then {@code StreamManager.onClose} routes again each message it left unacknowledged, with a
     * delay stamped by the server, while the closed session is still known; then the session is removed. Each
     * goes through the interceptor's checks first, as {@code MirroringInterceptor} makes them; returns those routed.
     */
    List<Message> dropStream(Client client, List<Message> unacknowledged) {
        return dropStream(client, unacknowledged, () -> { });
    }

    /** As {@link #dropStream(Client, List)}, with {@code meanwhile} run while the session is closing, before the re-routing. */
    List<Message> dropStream(Client client, List<Message> unacknowledged, Runnable meanwhile) {
        client.available = false;
        closing.add(client.address);
        meanwhile.run();
        List<Message> routedAgain = new ArrayList<>();
        for (Message stanza : unacknowledged) {
            Message again = stanza.createCopy();
            if (again.getChildElement("delay", "urn:xmpp:delay") == null) {
                again.addChildElement("delay", "urn:xmpp:delay").addAttribute("from", DOMAIN);
            }
            if (route(again, null)) {
                routedAgain.add(again);
            }
        }
        closing.remove(client.address);
        disconnect(client);
        return routedAgain;
    }

    private final java.util.Set<JID> closing = new java.util.HashSet<>();

    @Override
    public java.util.Set<JID> closingResources(JID account) {
        return closing.stream().filter(r -> r.asBareJID().equals(account.asBareJID())).collect(java.util.stream.Collectors.toSet());
    }

    /** Messages the interceptor refused before routing (our copies routed again, redeliveries). */
    final List<Message> refused = new ArrayList<>();

    /**
     * {@code MessageRouter.route}: a message sent by a local client session, or arriving from elsewhere. First the
     * checks {@code MirroringInterceptor} makes before routing; returns whether the message was routed (not refused).
     */
    boolean route(Message packet, Client senderSession) {
        int node = senderSession != null ? senderSession.node : arrivalNode;
        int before = running;
        running = node;
        routingDepth++;
        try {
            return routeOn(engineOn(node), packet, senderSession);
        } catch (IllegalArgumentException e) {
            if (routingDepth > 1 || senderSession == null) {
                throw e;
            }
            // NettyConnectionHandler.channelRead0: the connection is closed (internal-server-error), its session removed
            brokenOff.add(packet);
            disconnect(senderSession);
            return false;
        } finally {
            routingDepth--;
            running = before;
            if (routingDepth == 0) {
                runClusterTasks();
            }
        }
    }

    /** The cluster tasks the routing sent, each on its node's executor, outside any routing. */
    private void runClusterTasks() {
        Runnable task;
        while ((task = clusterTasks.poll()) != null) {
            task.run();
        }
    }

    /** A cluster task to run on {@code node} (its deliveries there are local). */
    private void onNode(int node, Runnable task) {
        if (leftButStillRouted.contains(node)) {
            throw new IllegalArgumentException("Requested node node" + node + " not found in cluster");
        }
        if (failedNodes.contains(node)) {
            return; // Hazelcast cannot hand it over: lost
        }
        Runnable onItsNode = () -> {
            int before = running;
            running = node;
            try {
                task.run();
            } finally {
                running = before;
            }
        };
        if (!clusterTasksAtOnce) {
            clusterTasks.add(onItsNode);
            return;
        }
        Thread executor = new Thread(onItsNode, "cluster task on node " + node);
        executor.start();
        try {
            executor.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private boolean routeOn(MirrorEngine engine, Message packet, Client senderSession) {
        engine.dropForgedCopyMarks(packet);
        if (engine.isStrayCopy(packet)) {
            engine.copyNotDelivered(packet);
            refused.add(packet);
            return false;
        }
        if (engine.refuseRedelivery(packet)) {
            refused.add(packet);
            return false;
        }
        if (senderSession != null) {
            senderSession.lastActive = ++clock;
        }
        engine.beforeRouting(packet, senderSession == null ? null : senderSession.address);
        if (rejectedByAnotherInterceptor.test(packet)) {
            return false; // PacketRejectedException: neither routed nor given the after-routing call
        }
        JID to = packet.getTo() != null ? packet.getTo() : packet.getFrom().asBareJID();
        if (to.getNode() == null && to.getResource() == null && DOMAIN.equals(to.getDomain())) {
            // sendMessageToAdmins: a copy to each admin, routed anew; then return, skipping the after-routing call
            for (JID admin : admins) {
                Message forward = packet.createCopy();
                forward.setTo(admin);
                route(forward, senderSession);
            }
            return true;
        }
        try {
            routePacket(to, packet);
        } catch (IllegalArgumentException e) {
            // MessageRouter: "Failed to route packet", then routingFailed (here: dropped)
        }
        // The loop of sent carbons is outside that try: an exception in it leaves the router, skipping the after-routing call.
        if (senderSession != null && carbonRules.isEligible(packet)) {
            for (Client other : routes(packet.getFrom().asBareJID())) {
                if (!other.address.equals(senderSession.address) && other.carbons) {
                    Message carbon = new Message();
                    carbon.setType(packet.getType());
                    carbon.setFrom(packet.getFrom().asBareJID());
                    carbon.setTo(other.address);
                    carbon.getElement().addElement(QName.get("sent", "urn:xmpp:carbons:2"))
                            .add(CopyFactory.forwarded(packet));
                    process(other, carbon);
                }
            }
        }
        Runnable change = meanwhile;
        meanwhile = () -> { };
        change.run();
        engine.afterRouting(packet);
        return true;
    }

    private void routePacket(JID to, Message packet) {
        if (!DOMAIN.equals(to.getDomain())) {
            remoteOutbox.add(packet);
            return;
        }
        packet.getElement().elements(QName.get("private", "urn:xmpp:carbons:2")).forEach(packet.getElement()::remove);
        if (to.getResource() == null) {
            if (!routeToBareJid(to, packet)) {
                storeOffline(packet);
            }
            return;
        }
        Client target = clients.get(to);
        if (target != null && target.available && target.node != running) {
            // RemotePacketExecution: the target's node routes it again (routingTable.routePacket, no router interceptors)
            Message serialised = packet.createCopy();
            onNode(target.node, () -> {
                ccMessage(to, serialised);
                process(target, serialised);
            });
        } else if (target != null && target.available) {
            ccMessage(to, packet);
            process(target, packet);
        } else if (packet.getType() == Message.Type.chat) {
            // routingFailed: retry to the bare JID when an available non-negative session exists
            if (routes(to.asBareJID()).stream().anyMatch(c -> c.priority >= 0)) {
                routePacket(to.asBareJID(), packet);
            } else {
                storeOffline(packet);
            }
        } else {
            storeOffline(packet);
        }
    }

    /** {@code OfflineMessageStrategy.store}: stored, then its listeners told on the routing thread. */
    private void storeOffline(Message packet) {
        offlineStore.add(packet);
        engine.storedOffline(packet.createCopy()); // an OfflineMessage is built from the stanza's element
    }

    private void ccMessage(JID originalRecipient, Message message) {
        if (!carbonRules.isEligible(message)) {
            return;
        }
        for (Client other : routes(originalRecipient.asBareJID())) {
            if (!other.address.equals(originalRecipient) && other.carbons) {
                Message carbon = new Message();
                carbon.setType(message.getType());
                carbon.setFrom(other.address.asBareJID());
                carbon.setTo(other.address);
                carbon.getElement().addElement(QName.get("received", "urn:xmpp:carbons:2"))
                        .add(CopyFactory.forwarded(message));
                process(other, carbon);
            }
        }
    }

    private boolean routeToBareJid(JID to, Message packet) {
        List<Client> nonNegative = routes(to).stream().filter(c -> c.priority >= 0).toList();
        if (packet.getType() == Message.Type.error) {
            return true; // dropped
        }
        if (nonNegative.isEmpty()) {
            return false;
        }
        boolean carbonsEligible = carbonRules.isEligible(packet);
        for (Client client : nonNegative) {
            if (packet.getType() == Message.Type.headline || (client.carbons && carbonsEligible)) {
                process(client, packet);
            }
        }
        if (packet.getType() == Message.Type.headline) {
            return true;
        }
        if (bareJidRouting == BareJidRouting.ALL_NON_NEGATIVE) {
            nonNegative.stream().filter(c -> !(c.carbons && carbonsEligible)).forEach(c -> process(c, packet));
            return true;
        }
        int highest = nonNegative.stream().mapToInt(c -> c.priority).max().getAsInt();
        List<Client> top = nonNegative.stream().filter(c -> c.priority == highest).toList();
        if (bareJidRouting == BareJidRouting.ALL_OF_THE_HIGHEST && top.size() > 1) {
            top.stream().filter(c -> !(c.carbons && carbonsEligible)).forEach(c -> process(c, packet));
            return true;
        }
        int bestShow = top.stream().mapToInt(c -> c.showRank).min().getAsInt();
        Client target = top.stream().filter(c -> c.showRank == bestShow)
                .max(Comparator.comparingLong(c -> c.lastActive)).orElseThrow();
        if (!(target.carbons && carbonsEligible)) {
            process(target, packet);
        }
        return true;
    }

    /**
     * {@code LocalSession.process}: deliver, then the outgoing interceptors with processed=true; for a session of the
     * other node, {@code RemoteClientSession.process}: a {@code ProcessPacketTask} there, with a serialised copy.
     */
    private void process(Client client, Message packet) {
        if (client.node != running) {
            Message serialised = packet.createCopy();
            onNode(client.node, () -> process(client, serialised));
            return;
        }
        if (client.deliveryThrows) {
            throw new IllegalStateException("the connection of " + client.address + " failed");
        }
        client.inbox.add(packet);
        engineOn(client.node).delivered(packet, client.address);
    }

    /** What one node's engine sees: every node's sessions, those of the other node marked so; delivery from there. */
    final class Node implements ResourceDirectory, CopySink {
        final int number;

        Node(int number) {
            this.number = number;
        }

        @Override
        public List<ResourcePresence> availableResources(JID account) {
            return routes(account.asBareJID()).stream().filter(this::known)
                    .map(c -> new ResourcePresence(c.address, c.carbons, c.node != number, c.priority, c.showRank)).toList();
        }

        /** xmpproxy's view: the sessions of a node that has left the cluster are forgotten, Openfire's table still has them. */
        private boolean known(Client client) {
            return client.node == number || (!leftButStillRouted.contains(client.node) && !leftTheCluster.contains(number));
        }

        @Override
        public long membershipChangedAt() {
            return membershipChangedAt.getOrDefault(number, Long.MIN_VALUE);
        }

        @Override
        public boolean hasResourcesOnOtherNodes(JID account) {
            return routes(account.asBareJID()).stream().filter(this::known).anyMatch(c -> c.node != number);
        }

        @Override
        public boolean clustered() {
            return engineOnNode2 != null;
        }

        @Override
        public BareJidRouting bareJidRouting() {
            return bareJidRouting;
        }

        @Override
        public String nodeOf(JID resource) {
            Client client = clients.get(resource);
            return client == null || !client.available || client.node == number || !known(client) ? null : "node" + client.node;
        }

        @Override
        public java.util.Set<JID> closingResources(JID account) {
            return SimulatedOpenfire.this.closingResources(account);
        }

        @Override
        public void deliver(JID resource, Message copy) {
            Client client = clients.get(resource);
            if (client != null && !diesBeforeItsCopies.contains(number)) {
                int before = running;
                running = number;
                try {
                    process(client, copy);
                } finally {
                    running = before;
                }
            }
        }

        /** xmpproxy's cluster task to the session's node: delivered there unless the original reached it there. */
        @Override
        public void deliverUnlessItGotTheOriginal(JID resource, Message copy, String original) {
            Client client = clients.get(resource);
            if (client == null || diesBeforeItsCopies.contains(number)) {
                return;
            }
            if (client.node == number) {
                deliver(resource, copy); // a session of this node: delivered here (OpenfireResources)
                return;
            }
            copiesLeftToTheSessionsNode++;
            Message serialised = copy.createCopy();
            onNode(client.node, () -> {
                if (!engineOn(client.node).gotOriginalFromAnotherNode(resource, original)) {
                    process(client, serialised);
                }
            });
        }
    }

    private final Node node1 = new Node(1);
    private final Map<Integer, Node> nodes = new java.util.HashMap<>(Map.of(1, node1));

    Node node(int number) {
        return nodes.computeIfAbsent(number, Node::new);
    }

    List<Client> routes(JID bare) {
        return clients.values().stream().filter(c -> c.available && c.address.asBareJID().equals(bare)).toList();
    }

    /** Node 1's view (one server: every session). */
    @Override
    public List<ResourcePresence> availableResources(JID account) {
        return node1.availableResources(account);
    }

    @Override
    public boolean hasResourcesOnOtherNodes(JID account) {
        return node1.hasResourcesOnOtherNodes(account);
    }

    @Override
    public BareJidRouting bareJidRouting() {
        return bareJidRouting;
    }

    @Override
    public void deliver(JID resource, Message copy) {
        node1.deliver(resource, copy);
    }

    @Override
    public void deliverUnlessItGotTheOriginal(JID resource, Message copy, String original) {
        node1.deliverUnlessItGotTheOriginal(resource, copy, original);
    }

}
