package org.xmpproxy.core.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xmpproxy.core.Stanza.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;
import org.xmpproxy.core.rule.RoutedMessage;
import org.xmpproxy.core.settings.Enrollment;
import org.xmpproxy.core.settings.InMemoryAccountSettings;

/**
 * What a message between accounts that do not mirror costs: the load benchmark found the interceptor
 * still following such messages through routing (frames, eligibility, plans, the server's enrollment
 * setting read twice per message). Now only the two accounts' own choices are read. Likewise an account that
 * mirrors but has one client and no history: nothing could be copied or kept for it.
 */
class MirroringOffFastPathTest {
    private static final JID JOHN = new JID("john@example.org");
    private static final JID JANE = new JID("jane@example.org");

    private final SimulatedOpenfire server = new SimulatedOpenfire();
    private final InMemoryAccountSettings settings = new InMemoryAccountSettings();
    private final List<RoutedMessage> history = new ArrayList<>();
    private final AtomicInteger enrollmentReads = new AtomicInteger();
    private final AtomicInteger resourceLookups = new AtomicInteger();

    @BeforeEach
    void start() {
        FixedMirrorConfig config = new FixedMirrorConfig(() -> true, () -> {
            enrollmentReads.incrementAndGet();
            return Enrollment.ALL;
        });
        ResourceDirectory counted = new ResourceDirectory() {
            @Override
            public java.util.List<ResourcePresence> availableResources(JID account) {
                resourceLookups.incrementAndGet();
                return server.availableResources(account);
            }

            @Override
            public int availableCount(JID account) {
                return server.availableResources(account).size();
            }
        };
        server.engine = new MirrorEngine(SimulatedOpenfire.DOMAIN, config, settings, counted, server, new MirrorCounters(),
                (routed, routedAt) -> history.add(routed));
    }

    @Test
    void whenNeitherAccountMirrorsOnlyTheirOwnChoicesAreRead() {
        var home = server.connect("john@example.org/home", false);
        var work = server.connect("john@example.org/work", false);
        var jane = server.connect("jane@example.org/laptop", false);
        settings.setMirroring(JOHN, false);
        settings.setMirroring(JANE, false);

        server.route(chat("in", "jane@example.org/laptop", "john@example.org/home", "hello"), jane);
        server.route(chat("out", "john@example.org/home", "jane@example.org", "hi"), home);

        assertEquals(List.of("in"), ConversationView.shownIds(home.inbox));
        assertTrue(work.inbox.isEmpty(), "no copies");
        assertTrue(history.isEmpty(), "nothing recorded");
        assertEquals(0, enrollmentReads.get(), "the accounts chose: the server's default is not consulted");
        assertEquals(0, resourceLookups.get(), "no resources looked up");
    }

    @Test
    void whenOnlyThePeerMirrorsItsSideIsStillRecordedAndTheAccountGetsNoCopies() {
        var home = server.connect("john@example.org/home", false);
        var work = server.connect("john@example.org/work", false);
        var jane = server.connect("jane@example.org/laptop", false);
        settings.setMirroring(JOHN, false);

        server.route(chat("in", "jane@example.org/laptop", "john@example.org/home", "hello"), jane);

        assertEquals(List.of("in"), ConversationView.shownIds(home.inbox));
        assertTrue(work.inbox.isEmpty(), "john's mirroring is off");
        assertEquals(List.of("SENT jane@example.org in"),
                history.stream().map(r -> r.direction() + " " + r.account() + " " + r.stanza().getID()).toList());
    }

    @Test
    void aMirroredAccountWithOneClientAndNoHistoryIsNotFollowed() {
        var home = server.connect("john@example.org/home", false);
        var jane = server.connect("jane@example.org/laptop", false);
        server.engine.keepsHistory(account -> false);
        settings.setMirroring(JOHN, false);

        server.route(chat("in", "jane@example.org/laptop", "john@example.org/home", "hello"), jane);
        server.route(chat("out", "john@example.org/home", "jane@example.org", "hi"), home);

        assertEquals(List.of("out"), ConversationView.shownIds(jane.inbox));
        assertTrue(history.isEmpty(), "nothing kept");
        assertEquals(0, resourceLookups.get(), "no plan made for jane's one client");
    }

    @Test
    void itsCopiesStartWithItsSecondClient() {
        var home = server.connect("john@example.org/home", false);
        var laptop = server.connect("jane@example.org/laptop", false);
        server.engine.keepsHistory(account -> false);
        settings.setMirroring(JOHN, false);
        server.route(chat("before", "john@example.org/home", "jane@example.org", "hi"), home);

        var phone = server.connect("jane@example.org/phone", false);
        server.route(chat("after", "john@example.org/home", "jane@example.org", "still there?"), home);
        server.route(chat("reply", "jane@example.org/laptop", "john@example.org/home", "yes"), laptop);

        assertEquals(List.of("before", "after"), ConversationView.shownIds(laptop.inbox));
        assertEquals(List.of("after", "reply"), ConversationView.shownIds(phone.inbox), "the phone sees the conversation from its start");
    }
}
