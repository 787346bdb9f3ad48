package org.xmpproxy.openfire.e2e;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.dom4j.DocumentHelper;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.MessageBuilder;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.carbons.CarbonManager;
import org.jxmpp.jid.impl.JidCreate;
import org.xmpp.packet.Message;

/**
 * One real XMPP client (Smack over TCP, with XEP-0198 stream management as Smack uses it by default) that
 * records, in order, every message stanza it receives. It records each stanza before it reads the next (and
 * so before it counts it as handled for stream management), and it closes its stream as XEP-0198 recommends:
 * unavailable, then an acknowledgement of everything it received, then {@code </stream>}.
 */
final class ChatClient implements AutoCloseable {
    final String user;
    final String resource;
    private final XMPPTCPConnection connection;
    private final List<Message> inbox = new ArrayList<>();
    /** The socket, when the test may freeze or kill it. */
    private volatile FreezableSocket socket;

    private ChatClient(String user, String resource, XMPPTCPConnection connection) {
        this.user = user;
        this.resource = resource;
        this.connection = connection;
    }

    static ChatClient connect(OpenfireServer server, String user, String resource, boolean carbons) throws Exception {
        return connect(server, user, resource, carbons, null, false);
    }

    /** The server's admin (the account the autosetup creates), for the bot's admin commands. */
    static ChatClient connectAsAdmin(OpenfireServer server, String resource) throws Exception {
        return connect(server, "admin", OpenfireServer.ADMIN_PASSWORD, resource, false, null, false);
    }

    /** A client in the given language (its stream's {@code xml:lang}). */
    static ChatClient connectInLanguage(OpenfireServer server, String user, String resource, java.util.Locale language)
            throws Exception {
        return connect(server, user, resource, false, language, false);
    }

    /**
     * A client with stream management but no resumption (a stream that breaks is over at once), whose connection
     * the test can freeze (it reads, and so acknowledges, nothing more) and kill (the socket closed, no
     * {@code </stream>}).
     */
    static ChatClient connectKillable(OpenfireServer server, String user, String resource) throws Exception {
        return connect(server, user, resource, false, null, true);
    }

    private static ChatClient connect(OpenfireServer server, String user, String resource, boolean carbons,
                                      java.util.Locale language, boolean killable) throws Exception {
        return connect(server, user, OpenfireServer.PASSWORD, resource, carbons, language, killable);
    }

    private static ChatClient connect(OpenfireServer server, String user, String password, String resource, boolean carbons,
                                      java.util.Locale language, boolean killable) throws Exception {
        XMPPTCPConnectionConfiguration.Builder builder = XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(OpenfireServer.DOMAIN)
                .setHostAddress(InetAddress.getByName(server.host))
                .setPort(server.clientPort)
                .setUsernameAndPassword(user, password)
                .setResource(resource)
                .setSecurityMode(SecurityMode.disabled)
                .setSendPresence(true);
        if (language != null) {
            builder.setLanguage(language);
        }
        ChatClient[] created = new ChatClient[1];
        if (killable) {
            builder.setSocketFactory(new javax.net.SocketFactory() {
                @Override
                public java.net.Socket createSocket() {
                    FreezableSocket made = new FreezableSocket();
                    created[0].socket = made;
                    return made;
                }

                @Override
                public java.net.Socket createSocket(String host, int port) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public java.net.Socket createSocket(String host, int port, InetAddress local, int localPort) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public java.net.Socket createSocket(InetAddress host, int port) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public java.net.Socket createSocket(InetAddress address, int port, InetAddress local, int localPort) {
                    throw new UnsupportedOperationException();
                }
            });
        }
        XMPPTCPConnection connection = new XMPPTCPConnection(builder.build());
        if (killable) {
            connection.setUseStreamManagement(true);
            connection.setUseStreamManagementResumption(false);
        }
        ChatClient client = new ChatClient(user, resource, connection);
        created[0] = client;
        // Called on the reading thread before it reads on: nothing received is missing from the inbox.
        connection.addStanzaListener(stanza -> client.record(stanza.toXML().toString()), StanzaTypeFilter.MESSAGE);
        connection.connect().login();
        if (carbons) {
            CarbonManager.getInstanceFor(connection).enableCarbons();
        }
        return client;
    }

    /** Sends an available presence with this priority, and waits until the server has it. */
    void setPriority(int priority) throws Exception {
        connection.sendStanza(StanzaBuilder.buildPresence().ofType(org.jivesoftware.smack.packet.Presence.Type.available)
                .setPriority(priority).build());
        org.jivesoftware.smackx.ping.PingManager.getInstanceFor(connection).pingMyServer(false);
    }

    /**
     * Waits until the server holds no session of {@code fullJid} (another connection of this test): a ping to it is
     * answered, by the server with an error once the session is gone, instead of vanishing into a session that is
     * closed but not yet torn down. A client that logs in with that resource before then replaces the closing session
     * (Openfire answers it with {@code <conflict/>}), and the test would race Openfire's teardown.
     */
    void awaitNoSessionOf(String fullJid) throws Exception {
        org.jivesoftware.smackx.ping.PingManager pings = org.jivesoftware.smackx.ping.PingManager.getInstanceFor(connection);
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(20);
        while (java.time.Instant.now().isBefore(deadline)) {
            try {
                pings.ping(JidCreate.entityFullFrom(fullJid), 500); // true or false (an error): answered either way
                return;
            } catch (org.jivesoftware.smack.SmackException.NoResponseException stillClosing) {
                // the closing session took it: try again
            }
        }
        throw new AssertionError("the server still holds a session of " + fullJid + " after 20 s");
    }

    /** Whether the server enabled stream management (XEP-0198) for this client. */
    boolean usesStreamManagement() {
        return connection.isSmEnabled();
    }

    /** Acknowledges everything received so far (XEP-0198), and waits until the server has read it. */
    void acknowledge() throws Exception {
        connection.sendSmAcknowledgement();
        org.jivesoftware.smackx.ping.PingManager.getInstanceFor(connection).pingMyServer(false);
    }

    /** Stops reading: what the server sends from now on stays unread and unacknowledged. */
    void freeze() {
        socket.freeze();
    }

    /** Ends the connection as a dropped network would: the socket closes, without {@code </stream>}. */
    void kill() throws java.io.IOException {
        socket.kill();
        connection.instantShutdown();
    }

    /** A socket whose reading can be stopped, and which can be closed under the client. */
    private static final class FreezableSocket extends java.net.Socket {
        private final java.util.concurrent.CountDownLatch thawed = new java.util.concurrent.CountDownLatch(1);
        private volatile boolean frozen;
        private volatile boolean killed;

        void freeze() {
            frozen = true;
        }

        void kill() throws java.io.IOException {
            killed = true;
            setSoLinger(true, 0); // a reset, as when a phone loses its network
            close();
            thawed.countDown();
        }

        @Override
        public java.io.InputStream getInputStream() throws java.io.IOException {
            java.io.InputStream in = super.getInputStream();
            return new java.io.FilterInputStream(in) {
                @Override
                public int read() throws java.io.IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws java.io.IOException {
                    waitWhileFrozen();
                    int n = super.read(b, off, len);
                    waitWhileFrozen(); // what arrived while it was frozen is not handed on either
                    return n;
                }

                private void waitWhileFrozen() throws java.io.IOException {
                    if (frozen) {
                        try {
                            thawed.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    if (killed) {
                        throw new java.io.IOException("killed");
                    }
                }
            };
        }
    }

    private void record(String xml) {
        try {
            Message message = new Message(DocumentHelper.parseText(xml).getRootElement());
            synchronized (inbox) {
                inbox.add(message);
            }
        } catch (Exception e) {
            throw new IllegalStateException("unparseable stanza " + xml, e);
        }
    }

    List<Message> inbox() {
        synchronized (inbox) {
            return List.copyOf(inbox);
        }
    }

    XMPPTCPConnection connection() {
        return connection;
    }

    String fullJid() {
        return user + "@" + OpenfireServer.DOMAIN + "/" + resource;
    }

    void send(String to, String id, org.jivesoftware.smack.packet.Message.Type type, String body,
              ExtensionElement... extensions) throws Exception {
        MessageBuilder message = StanzaBuilder.buildMessage(id).to(JidCreate.from(to)).ofType(type).setBody(body);
        for (ExtensionElement extension : extensions) {
            message.addExtension(extension);
        }
        connection.sendStanza(message.build());
    }

    void chat(String to, String id) throws Exception {
        send(to, id, org.jivesoftware.smack.packet.Message.Type.chat, "text of " + id);
    }

    static ExtensionElement element(String name, String namespace) {
        return StandardExtensionElement.builder(name, namespace).build();
    }

    /**
     * Leaves as XEP-0198 recommends (and as the rest of the suite assumes of a client that leaves in order):
     * unavailable first, then, once the server has read that, an acknowledgement of everything received, then
     * {@code </stream>}. Without it, the server would count the last few stanzas as not received and send them again.
     */
    @Override
    public void close() {
        if (connection.isAuthenticated() && connection.isSmEnabled()) {
            try {
                connection.sendStanza(StanzaBuilder.buildPresence().ofType(org.jivesoftware.smack.packet.Presence.Type.unavailable).build());
                acknowledge();
            } catch (Exception e) {
                // leaving anyway
            }
        }
        connection.disconnect();
    }
}
