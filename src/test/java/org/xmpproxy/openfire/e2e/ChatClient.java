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

/** One real XMPP client (Smack over TCP) that records, in order, every message stanza it receives. */
final class ChatClient implements AutoCloseable {
    final String user;
    final String resource;
    private final XMPPTCPConnection connection;
    private final List<Message> inbox = new ArrayList<>();

    private ChatClient(String user, String resource, XMPPTCPConnection connection) {
        this.user = user;
        this.resource = resource;
        this.connection = connection;
    }

    static ChatClient connect(OpenfireServer server, String user, String resource, boolean carbons) throws Exception {
        XMPPTCPConnectionConfiguration config = XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(OpenfireServer.DOMAIN)
                .setHostAddress(InetAddress.getLoopbackAddress())
                .setPort(server.clientPort)
                .setUsernameAndPassword(user, OpenfireServer.PASSWORD)
                .setResource(resource)
                .setSecurityMode(SecurityMode.disabled)
                .setSendPresence(true)
                .build();
        XMPPTCPConnection connection = new XMPPTCPConnection(config);
        ChatClient client = new ChatClient(user, resource, connection);
        connection.addSyncStanzaListener(stanza -> client.record(stanza.toXML().toString()), StanzaTypeFilter.MESSAGE);
        connection.connect().login();
        if (carbons) {
            CarbonManager.getInstanceFor(connection).enableCarbons();
        }
        return client;
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

    @Override
    public void close() {
        connection.disconnect();
    }
}
