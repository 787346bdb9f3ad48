package org.xmpproxy.openfire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;
import org.xmpproxy.core.rule.Direction;
import org.xmpproxy.core.rule.MessageAt;

/** What one node hands another of a carbon a failed node was to send: read back as it was, any id; garbage is refused. */
class CarbonCheckTest {
    @Test
    void whatIsPackedIsReadBackAlsoAnIdWithLineBreaks() {
        JID tab = new JID("jane@example.org/tab with spaces");
        MessageAt message = new MessageAt(Direction.RECEIVED, "john@example.org", "an id\nwith\nlines", 1_764_000_000_123L);
        CarbonCheck.Unpacked back = CarbonCheck.unpack(CarbonCheck.pack(tab, message));
        assertEquals(tab, back.resource());
        assertEquals(message, back.message());
    }

    @Test
    void whatAnotherVersionSentIsRefusedNotMisread() {
        assertNull(CarbonCheck.unpack("jane@example.org/tab"));
        assertNull(CarbonCheck.unpack("jane@example.org/tab\nR\njohn@example.org\nnot a time\nid"));
        assertNull(CarbonCheck.unpack("@@\nR\njohn@example.org\n1\nid"));
        assertNull(CarbonCheck.unpack(null));
    }
}
