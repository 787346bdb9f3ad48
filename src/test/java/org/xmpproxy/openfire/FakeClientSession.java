package org.xmpproxy.openfire;

import java.lang.reflect.Proxy;
import org.jivesoftware.openfire.session.ClientSession;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;

/** A client session of Openfire's that answers its address and whether it is closed, and a chat message it sent. */
final class FakeClientSession {
    private FakeClientSession() {
    }

    static ClientSession of(JID address, boolean closed) {
        return (ClientSession) Proxy.newProxyInstance(ClientSession.class.getClassLoader(), new Class<?>[] {ClientSession.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getAddress" -> address;
                    case "isClosed" -> closed;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** A chat message {@code from} sends jane, with its id. */
    static Message chatToJane(JID from, String id) {
        Message message = new Message();
        message.setType(Message.Type.chat);
        message.setID(id);
        message.setFrom(from);
        message.setTo("jane@example.org");
        message.setBody("text of " + id);
        return message;
    }
}
