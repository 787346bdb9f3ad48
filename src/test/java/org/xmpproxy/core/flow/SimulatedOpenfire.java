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
 */
final class SimulatedOpenfire implements ResourceDirectory, CopySink {
    static final String DOMAIN = "example.org";

    final class Client {
        final JID address;
        boolean carbons;
        int priority;
        boolean available = true;
        final List<Message> inbox = new ArrayList<>();
        long lastActive;

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
    /** Who gets what is sent to the server's own address ({@code xmpp.forward.admins}, or the console's admins). */
    final List<JID> admins = new ArrayList<>();
    /** Another plugin's interceptor, after ours: it rejects the messages it matches before they are routed. */
    java.util.function.Predicate<Message> rejectedByAnotherInterceptor = message -> false;

    Client connect(String fullJid, boolean carbons) {
        return connect(fullJid, carbons, 0);
    }

    Client connect(String fullJid, boolean carbons, int priority) {
        Client client = new Client(new JID(fullJid), carbons, priority);
        clients.put(client.address, client);
        return client;
    }

    /** {@code SessionManager.removeSession}, then the session-destroyed event ({@code openfire/SessionEnds}). */
    void disconnect(Client client) {
        clients.remove(client.address);
        engine.sessionEnded(client.address);
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
        routePacket(to, packet);
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
                offlineStore.add(packet);
            }
            return;
        }
        Client target = clients.get(to);
        if (target != null && target.available) {
            ccMessage(to, packet);
            process(target, packet);
        } else if (packet.getType() == Message.Type.chat) {
            // routingFailed: retry to the bare JID when an available non-negative session exists
            if (routes(to.asBareJID()).stream().anyMatch(c -> c.priority >= 0)) {
                routePacket(to.asBareJID(), packet);
            } else {
                offlineStore.add(packet);
            }
        } else {
            offlineStore.add(packet);
        }
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
        int highest = nonNegative.stream().mapToInt(c -> c.priority).max().getAsInt();
        Client target = nonNegative.stream().filter(c -> c.priority == highest)
                .max(Comparator.comparingLong(c -> c.lastActive)).orElseThrow();
        if (!(target.carbons && carbonsEligible)) {
            process(target, packet);
        }
        return true;
    }

    /** {@code LocalSession.process}: deliver, then the outgoing interceptors with processed=true. */
    private void process(Client client, Message packet) {
        client.inbox.add(packet);
        engine.delivered(packet, client.address);
    }

    List<Client> routes(JID bare) {
        return clients.values().stream().filter(c -> c.available && c.address.asBareJID().equals(bare)).toList();
    }

    @Override
    public List<ResourcePresence> availableResources(JID account) {
        return routes(account.asBareJID()).stream()
                .map(c -> new ResourcePresence(c.address, c.carbons)).toList();
    }

    @Override
    public void deliver(JID resource, Message copy) {
        Client client = clients.get(resource);
        if (client != null) {
            process(client, copy);
        }
    }

}
