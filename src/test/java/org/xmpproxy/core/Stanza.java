package org.xmpproxy.core;

import org.dom4j.DocumentException;
import org.dom4j.DocumentHelper;
import org.xmpp.packet.Message;

/** Builds test messages from XML, as they would arrive on the wire. */
public final class Stanza {
    private Stanza() {
    }

    public static Message message(String xml) {
        try {
            return new Message(DocumentHelper.parseText(xml).getRootElement());
        } catch (DocumentException e) {
            throw new IllegalArgumentException(xml, e);
        }
    }

    public static Message chat(String id, String from, String to, String body) {
        return message("<message xmlns='jabber:client' type='chat' id='" + id + "' from='" + from + "' to='" + to
                + "'><body>" + body + "</body></message>");
    }
}
