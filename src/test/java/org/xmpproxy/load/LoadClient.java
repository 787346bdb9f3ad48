package org.xmpproxy.load;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.carbons.CarbonManager;
import org.jivesoftware.smackx.carbons.packet.CarbonExtension;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.xmpproxy.openfire.e2e.OpenfireServer;

/**
 * One Smack client of the benchmark. It does as little as a client can per message: it reads the
 * shown text (of the message itself, or of the message inside a carbon), finds the benchmark's
 * {@code <flow>#<seq>} tag in it and reports the arrival; whatever form the message came in (original,
 * Openfire's carbon, xmpproxy's legacy or carbon copy), the tag is in its shown text.
 */
final class LoadClient implements AutoCloseable {
    /** Told about every tagged message this client receives, with the time it arrived. */
    interface Arrivals {
        void arrived(int slot, char flow, int seq, long nanos);
    }

    private static final String CARBONS = "urn:xmpp:carbons:2";

    final String user;
    final String resource;
    final int slot;
    private final XMPPTCPConnection connection;
    /** Messages from this address are the bot's answers (null: no bot, stock Openfire). */
    private final String botDomain;
    private final BlockingQueue<String> fromBot = new LinkedBlockingQueue<>();
    private volatile Arrivals arrivals = (slot, flow, seq, nanos) -> { };

    private LoadClient(String user, String resource, int slot, String botDomain, XMPPTCPConnection connection) {
        this.user = user;
        this.resource = resource;
        this.slot = slot;
        this.botDomain = botDomain;
        this.connection = connection;
    }

    static LoadClient connect(OpenfireServer server, String user, String password, String resource, int slot,
                              boolean carbons, String botDomain) throws Exception {
        XMPPTCPConnectionConfiguration config = XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(OpenfireServer.DOMAIN)
                .setHostAddress(InetAddress.getByName(server.host))
                .setPort(server.clientPort)
                .setUsernameAndPassword(user, password)
                .setResource(resource)
                .setSecurityMode(SecurityMode.disabled)
                .setSendPresence(true)
                .build();
        XMPPTCPConnection connection = new XMPPTCPConnection(config);
        // Logins and the bot's answers wait on the server; a loaded server may take a while.
        connection.setReplyTimeout(Duration.ofSeconds(60).toMillis());
        LoadClient client = new LoadClient(user, resource, slot, botDomain, connection);
        connection.addSyncStanzaListener(stanza -> client.received((Message) stanza), StanzaTypeFilter.MESSAGE);
        connection.connect().login();
        if (carbons) {
            CarbonManager.getInstanceFor(connection).enableCarbons();
        }
        return client;
    }

    void onArrival(Arrivals listener) {
        this.arrivals = listener;
    }

    private void received(Message message) {
        long now = System.nanoTime();
        if (message.getFrom() != null && botDomain != null && botDomain.equals(message.getFrom().toString())) {
            if (message.getBody() != null) {
                fromBot.add(message.getBody());
            }
            return;
        }
        String text = shownText(message);
        if (text == null) {
            return; // chat states, receipts, the bot's presence-less noise: not ours
        }
        int hash = text.indexOf('#');
        if (hash < 1) {
            return;
        }
        int seq = 0;
        int i = hash + 1;
        while (i < text.length() && Character.isDigit(text.charAt(i))) {
            seq = seq * 10 + (text.charAt(i++) - '0');
        }
        if (i == hash + 1) {
            return;
        }
        arrivals.arrived(slot, text.charAt(hash - 1), seq, now);
    }

    /** The text a client shows: the body, or the body of the message a carbon carries. */
    private static String shownText(Message message) {
        String body = message.getBody();
        if (body != null) {
            return body;
        }
        for (String direction : new String[] {"received", "sent"}) {
            ExtensionElement carbon = message.getExtension(direction, CARBONS);
            if (carbon instanceof CarbonExtension parsed && parsed.getForwarded() != null) {
                return parsed.getForwarded().getForwardedStanza().getBody();
            }
            if (carbon instanceof StandardExtensionElement raw) {
                StandardExtensionElement forwarded = raw.getFirstElement("forwarded");
                StandardExtensionElement inner = forwarded == null ? null : forwarded.getFirstElement("message");
                StandardExtensionElement innerBody = inner == null ? null : inner.getFirstElement("body");
                return innerBody == null ? null : innerBody.getText();
            }
        }
        return null;
    }

    void send(Jid to, String id, String body) throws Exception {
        connection.sendStanza(StanzaBuilder.buildMessage(id).to(to).ofType(Message.Type.chat).setBody(body).build());
    }

    /** Sends a chat command to the bot and returns its answer. */
    String askBot(String command, Duration timeout) throws Exception {
        fromBot.clear();
        send(JidCreate.from(botDomain), "cmd-" + System.nanoTime(), command);
        String answer = fromBot.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (answer == null) {
            throw new IllegalStateException("the bot did not answer '" + command + "' within " + timeout);
        }
        return answer;
    }

    Jid fullJid() throws Exception {
        return JidCreate.from(user + "@" + OpenfireServer.DOMAIN + "/" + resource);
    }

    Jid bareJid() throws Exception {
        return JidCreate.from(user + "@" + OpenfireServer.DOMAIN);
    }

    @Override
    public void close() {
        connection.disconnect();
    }
}
