package org.xmpproxy.core.catchup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.dom4j.DocumentHelper;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpproxy.core.rule.Direction;

/** Reading a client's archive query (every value the client's choosing), and what Monitoring keeps. */
class ArchiveQueryTest {
    private static final JID LAPTOP = new JID("john@example.org/laptop");
    private static final long NOW = 1_700_000_000_000L;

    record Item(long sentAt, Direction direction, String peer, String messageId) implements HistoryItem {
    }

    private static Optional<ArchiveQuery> read(String xml) throws Exception {
        return ArchiveQuery.of(new IQ(DocumentHelper.parseText(xml).getRootElement()), LAPTOP, NOW);
    }

    private static String query(String ns, String to, String fields) {
        return "<iq type='set' id='q1'" + (to == null ? "" : " to='" + to + "'") + "><query xmlns='" + ns + "' queryid='x'>"
                + (fields.isEmpty() ? "" : "<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE' type='hidden'><value>"
                + ns + "</value></field>" + fields + "</x>") + "</query></iq>";
    }

    private static String field(String var, String value) {
        return "<field var='" + var + "'><value>" + value + "</value></field>";
    }

    @Test
    void aQueryOfTheWholeArchiveInEveryVersionMonitoringAnswers() throws Exception {
        for (String ns : new String[] {"urn:xmpp:mam:2", "urn:xmpp:mam:1", "urn:xmpp:mam:0"}) {
            assertEquals(Optional.of(new ArchiveQuery(NOW, null, null, null)), read(query(ns, null, "")), ns);
            assertEquals(Optional.of(new ArchiveQuery(NOW, null, null, null)), read(query(ns, "john@example.org", "")), ns);
        }
    }

    @Test
    void startEndAndWithNarrowIt() throws Exception {
        ArchiveQuery q = read(query("urn:xmpp:mam:2", null, field("start", "2023-11-14T22:13:20Z")
                + field("end", "2023-11-14T23:13:20.500+01:00") + field("with", "Jane@Example.org"))).orElseThrow();
        assertEquals(new ArchiveQuery(NOW, NOW, NOW + 500, "jane@example.org"), q);
        assertTrue(q.returns(new Item(NOW, Direction.RECEIVED, "jane@example.org", "a")));
        assertFalse(q.returns(new Item(NOW - 1, Direction.RECEIVED, "jane@example.org", "a")), "before start");
        assertFalse(q.returns(new Item(NOW + 501, Direction.RECEIVED, "jane@example.org", "a")), "after end");
        assertFalse(q.returns(new Item(NOW, Direction.SENT, "mary@example.org", "a")), "another peer");
    }

    @Test
    void nothingIsReturnedThatWasRoutedAfterTheQuery() {
        ArchiveQuery q = new ArchiveQuery(NOW, null, null, null);
        assertFalse(q.returns(new Item(NOW + 1, Direction.RECEIVED, "jane@example.org", "a")));
        assertTrue(q.returnsAllAfter(5L));
        assertTrue(new ArchiveQuery(NOW, 6L, null, null).returnsAllAfter(5L));
        assertFalse(new ArchiveQuery(NOW, 7L, null, null).returnsAllAfter(5L));
        assertFalse(new ArchiveQuery(NOW, null, null, "jane@example.org").returnsAllAfter(5L));
    }

    @Test
    void whatIsNoQueryOfTheAccountsOwnArchiveIsNone() throws Exception {
        assertEquals(Optional.empty(), read("<iq type='get' id='f'><query xmlns='urn:xmpp:mam:2'/></iq>"), "asks for the form");
        assertEquals(Optional.empty(), read("<iq type='result' id='f'><query xmlns='urn:xmpp:mam:2'/></iq>"));
        assertEquals(Optional.empty(), read(query("urn:xmpp:mam:2", "room@conference.example.org", "")), "a room's");
        assertEquals(Optional.empty(), read(query("urn:xmpp:mam:2", "jane@example.org", "")), "another account's");
        assertEquals(Optional.empty(), read(query("urn:xmpp:mam:2", "john@example.org/phone", "")), "a full JID");
        assertEquals(Optional.empty(), read(query("urn:xmpp:mam:3", null, "")), "an unknown version");
        assertEquals(Optional.empty(), read("<iq type='set' id='p'><ping xmlns='urn:xmpp:ping'/></iq>"));
        assertEquals(Optional.empty(), read("<iq type='set' id='p'/>"));
    }

    @Test
    void aQueryThatCannotBeReadExactlyTrimsNothing() throws Exception {
        assertEquals(Optional.empty(), read(query("urn:xmpp:mam:2", null, field("withtext", "hello"))), "a search");
        assertEquals(Optional.empty(), read(query("urn:xmpp:mam:2", null, field("start", "yesterday"))));
        assertEquals(Optional.empty(), read(query("urn:xmpp:mam:2", null, field("start", "+999999999-12-31T23:59:59Z"))));
        assertEquals(Optional.empty(), read(query("urn:xmpp:mam:2", null, field("with", "a@b@c"))));
        assertEquals(Optional.empty(), read(query("urn:xmpp:mam:2", null, field("with", "jane@example.org/phone"))), "one client of the peer");
        assertEquals(Optional.of(new ArchiveQuery(NOW, null, null, null)),
                read(query("urn:xmpp:mam:2", null, "<field var='with'/><field var='start'><value> </value></field>")), "empty fields filter nothing");
    }

    @Test
    void monitoringKeepsChatsWithABodyBetweenUsers() throws Exception {
        assertTrue(ArchiveKeeps.keeps(message("<message from='jane@example.org/desk' to='john@example.org' type='chat'><body>hi</body></message>")));
        assertTrue(ArchiveKeeps.keeps(message("<message from='jane@example.org/desk' to='john@example.org'><body>hi</body></message>")));
        assertFalse(ArchiveKeeps.keeps(message("<message from='jane@example.org/desk' to='john@example.org' type='chat'>"
                + "<retract xmlns='urn:xmpp:message-retract:1' id='a'/></message>")), "no body");
        assertFalse(ArchiveKeeps.keeps(message("<message from='jane@example.org' to='john@example.org' type='headline'><body>x</body></message>")));
        assertFalse(ArchiveKeeps.keeps(message("<message from='bot.example.org' to='john@example.org' type='chat'><body>x</body></message>")), "a component");
        assertFalse(ArchiveKeeps.keeps(message("<message to='john@example.org' type='chat'><body>x</body></message>")));
    }

    private static Message message(String xml) throws Exception {
        return new Message(DocumentHelper.parseText(xml).getRootElement());
    }
}
