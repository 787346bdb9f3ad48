package org.jivesoftware.openfire;

import java.util.Date;
import org.dom4j.Element;
import org.xmpp.packet.Message;

/**
 * Compile-only mirror of Openfire 5.1.1 {@code OfflineMessage} (a class): a message from the offline store,
 * as {@code PresenceUpdateHandler.initSession} hands it to a session that just became available (with a
 * XEP-0203 delay stamped by the server).
 */
public class OfflineMessage extends Message {
    public OfflineMessage(Date creationDate, Element element) {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public Date getCreationDate() {
        throw new UnsupportedOperationException("compile-only mirror");
    }
}
