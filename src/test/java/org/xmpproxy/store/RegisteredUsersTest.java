package org.xmpproxy.store;

import org.xmpproxy.testing.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The registered-account check: remembered, bounded, deletions seen before the directory sees them. */
class RegisteredUsersTest {
    private final Set<String> directory = new HashSet<>(Set.of("john", "jane"));
    private final AtomicInteger asked = new AtomicInteger();
    private final MutableClock clock = new MutableClock();
    private final RegisteredUsers users = new RegisteredUsers(username -> {
        asked.incrementAndGet();
        return directory.contains(username);
    }, clock, Duration.ofHours(1), Duration.ofMinutes(1), 100);


    @Test
    void answersAreRememberedAndExpire() {
        assertFalse(users.knownNotRegistered("anon1"), "unknown: the packet path queues it, the writer decides");
        assertTrue(users.isRegistered("john"));
        assertFalse(users.isRegistered("anon1"));
        assertTrue(users.isRegistered("john"));
        assertFalse(users.isRegistered("anon1"));
        assertEquals(2, asked.get());
        assertTrue(users.knownNotRegistered("anon1"));
        assertFalse(users.knownNotRegistered("john"));

        directory.add("anon1"); // created behind Openfire's back: seen when the answer expires
        clock.advance(Duration.ofMinutes(1).plusMillis(1));
        assertFalse(users.knownNotRegistered("anon1"));
        assertTrue(users.isRegistered("anon1"));
        assertFalse(users.isRegistered(""));
        assertFalse(users.isRegistered(null));
    }

    @Test
    void aDeletedUserIsNotRegisteredUntilCreatedAgain() {
        assertTrue(users.isRegistered("john"));
        users.deleted("john"); // Openfire tells listeners before it removes the user: the directory still says yes
        assertFalse(users.isRegistered("john"));
        assertTrue(users.knownNotRegistered("john"));
        clock.advance(Duration.ofDays(30));
        assertFalse(users.isRegistered("john"), "a deletion does not expire");
        users.created("john");
        assertTrue(users.isRegistered("john"));
    }

    @Test
    void aFailingDirectoryKeepsDataAndIsAskedAgain() {
        RegisteredUsers failing = new RegisteredUsers(username -> {
            asked.incrementAndGet();
            throw new IllegalStateException("LDAP is away");
        }, clock, Duration.ofHours(1), Duration.ofMinutes(1), 100);
        assertTrue(failing.isRegistered("john"));
        assertTrue(failing.isRegistered("john"));
        assertEquals(2, asked.get());
    }

    @Test
    void boundedInSize() {
        for (int i = 0; i < 1_000; i++) {
            users.isRegistered("user" + i);
        }
        users.deleted("jane");
        for (int i = 1_000; i < 2_000; i++) {
            users.isRegistered("user" + i);
        }
        assertTrue(users.knownNotRegistered("jane"), "deletions are kept over answers");
        int before = asked.get();
        for (int i = 0; i < 1_000; i++) {
            users.isRegistered("user" + i);
        }
        assertTrue(asked.get() - before > 800, "most of the early answers were forgotten: at most 100 are kept");
    }
}
