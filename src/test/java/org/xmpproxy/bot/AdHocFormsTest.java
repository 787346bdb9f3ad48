package org.xmpproxy.bot;

import org.xmpproxy.testing.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;
import org.xmpp.forms.DataForm;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.PacketError;

/**
 * Issue 9.4: the forms the bot waits for are bounded per user and in all, and expire by age, so no
 * user can crowd out another. Driven below the rate limit, as if over a long time (the clock is the test's).
 */
class AdHocFormsTest {
    private static final JID BOT = new JID("xmpproxy.example.org");
    private static final JID JOHN = new JID("john@example.org/home");
    private static final JID JANE = new JID("jane@example.org/laptop");

    private final FakeBackend backend = new FakeBackend();
    private final MutableClock clock = new MutableClock();
    private final PendingForms forms = new PendingForms(clock);
    private final AdHocCommands adHoc = new AdHocCommands(new CommandHandler(backend), forms);
    private final BotText english = BotText.forLanguage("en", getClass().getClassLoader());

    AdHocFormsTest() {
        backend.users.add(JOHN.asBareJID());
        backend.users.add(JANE.asBareJID());
    }

    private IQ request(JID from, String action, String sessionId) {
        IQ iq = new IQ(IQ.Type.set);
        iq.setFrom(from);
        iq.setTo(BOT);
        Element command = iq.setChildElement("command", AdHocCommands.NAMESPACE);
        command.addAttribute("node", "history");
        command.addAttribute("action", action);
        if (sessionId != null) {
            command.addAttribute("sessionid", sessionId);
        }
        return iq;
    }

    /** Opens a "history" form; its session id, or the error. */
    private IQ open(JID user) {
        return adHoc.execute(request(user, "execute", null), english);
    }

    private static String session(IQ answer) {
        assertEquals(IQ.Type.result, answer.getType(), answer.toXML());
        return answer.getChildElement().attributeValue("sessionid");
    }

    private IQ submit(JID user, String sessionId, String action) {
        IQ iq = request(user, "complete", sessionId);
        DataForm form = new DataForm(DataForm.Type.submit);
        form.addField("action", null, null).addValue(action);
        iq.getChildElement().add(form.getElement());
        return adHoc.execute(iq, english);
    }

    private static void assertCompleted(IQ answer) {
        assertEquals(IQ.Type.result, answer.getType(), answer.toXML());
        assertEquals("completed", answer.getChildElement().attributeValue("status"));
    }

    private static void assertNoLongerOpen(IQ answer) {
        assertEquals(PacketError.Condition.bad_request, answer.getError().getCondition(), answer.toXML());
        assertTrue(answer.getError().getText().startsWith("That form is no longer open"), answer.getError().getText());
    }

    @Test
    void oneUserOpeningManyFormsKeepsOnlyTheirLatestAndNobodyElseLosesOne() {
        String janes = session(open(JANE));
        List<String> johns = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            johns.add(session(open(JOHN)));
        }
        assertEquals(PendingForms.PER_USER, forms.openBy(JOHN.asBareJID()));
        assertEquals(PendingForms.PER_USER + 1, forms.size(), "john's flood holds " + PendingForms.PER_USER + " forms, not thousands");

        assertCompleted(submit(JANE, janes, "off"));
        assertNoLongerOpen(submit(JOHN, johns.get(0), "off"));
        assertCompleted(submit(JOHN, johns.get(johns.size() - 1), "off"));
        assertEquals(List.of("jane@example.org history false", "john@example.org history false"), backend.changes);
    }

    @Test
    void formsFromManyUsersNeverWipeEachOther() {
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < PendingForms.TOTAL; i++) {
            JID user = new JID("u" + i + "@example.org/x");
            backend.users.add(user.asBareJID());
            sessions.add(session(open(user)));
        }
        IQ refused = open(JOHN); // the 1,001st
        assertEquals(PacketError.Condition.resource_constraint, refused.getError().getCondition());
        assertEquals("Too many forms are open on this server right now; please try again in a few minutes.", refused.getError().getText());
        assertEquals(1, forms.refused());

        assertCompleted(submit(new JID("u0@example.org/x"), sessions.get(0), "off")); // the old code had cleared it
        String johns = session(open(JOHN)); // one closed: room for one
        assertCompleted(submit(JOHN, johns, "on"));
        assertCompleted(submit(new JID("u999@example.org/x"), sessions.get(999), "on"));
    }

    @Test
    void formsExpireByAge() {
        String early = session(open(JOHN));
        clock.advance(PendingForms.MAX_AGE.minusMinutes(1));
        String later = session(open(JOHN));
        clock.advance(Duration.ofMinutes(1).plusMillis(1));
        assertNoLongerOpen(submit(JOHN, early, "off"));
        assertCompleted(submit(JOHN, later, "off"));
        assertEquals(0, forms.size());

        for (int i = 0; i < PendingForms.TOTAL; i++) {
            JID user = new JID("u" + i + "@example.org/x");
            backend.users.add(user.asBareJID());
            session(open(user));
        }
        assertEquals(PacketError.Condition.resource_constraint, open(JOHN).getError().getCondition());
        clock.advance(PendingForms.MAX_AGE.plusMillis(1)); // abandoned forms close by themselves
        session(open(JOHN));
        assertEquals(1, forms.size());
    }

    @Test
    void anotherUserCannotUseOrSpoilMyForm() {
        String johns = session(open(JOHN));
        assertNoLongerOpen(submit(JANE, johns, "clear"));
        adHoc.execute(request(JANE, "cancel", johns), english);
        assertCompleted(submit(JOHN, johns, "off")); // still open for john
        assertEquals(List.of("john@example.org history false"), backend.changes);
    }
}
