package org.xmpproxy.openfire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpproxy.core.rule.Direction;
import org.xmpproxy.core.rule.MessageKey;

/** What the offline store still holds is known by the keys the history knows its rows by: who wrote it, and its id. */
class OfflineStoreWatchTest {
    @Test
    void aStoredMessageIsKnownByItsWritersBareJidAndItsId() {
        Message fromWork = message("john@example.org/work", "r74-work");
        Message noId = message("john@example.org/home", null);
        Message noSender = message(null, "x");
        assertEquals(Set.of(new MessageKey(Direction.RECEIVED, "john@example.org", "r74-work")),
                OfflineStoreWatch.keysOf(List.of(fromWork, noId, noSender)), "one without a sender or id matches no row");
    }

    private static Message message(String from, String id) {
        Message message = new Message();
        message.setType(Message.Type.chat);
        message.setTo(new JID("jane@example.org"));
        if (from != null) {
            message.setFrom(new JID(from));
        }
        message.setID(id);
        message.setBody("hi");
        return message;
    }
}
