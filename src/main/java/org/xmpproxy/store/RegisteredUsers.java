package org.xmpproxy.store;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which usernames are registered accounts, remembered: only those get a history and stored settings
 * (not users that do not exist, not anonymous sessions, whose generated names are not registered).
 * The directory (Openfire's user manager) may read a database or LDAP, so it is asked only on the
 * writer thread ({@link #isRegistered}); the packet path only reads what is already known
 * ({@link #knownNotRegistered}) to skip queueing what would not be written.
 *
 * <p>A deleted user counts as not registered from the moment its deletion starts (Openfire removes it
 * from its directory only after telling listeners) until it is created again. Bounded: at most
 * {@code maxEntries} names; answers expire so that a directory changed behind Openfire's back is seen.
 */
public final class RegisteredUsers {
    private static final Logger LOG = LoggerFactory.getLogger(RegisteredUsers.class);
    private static final OnceLog ONCE = new OnceLog(LOG);

    /** The source of truth. May block; never called on the packet path. */
    @FunctionalInterface
    public interface Directory {
        boolean isRegistered(String username);
    }

    /** Every name counts as registered (tests, and a store used without Openfire). */
    public static RegisteredUsers everyone() {
        return new RegisteredUsers(username -> true, Clock.systemUTC(), Duration.ofDays(1), Duration.ofDays(1), 10_000);
    }

    private enum State { REGISTERED, NOT_REGISTERED, DELETED }

    private record Known(State state, long until) {
    }

    private final Directory directory;
    private final Clock clock;
    private final long registeredMillis;
    private final long notRegisteredMillis;
    private final int maxEntries;
    private final Map<String, Known> known = new ConcurrentHashMap<>();

    /**
     * @param registeredFor     how long a "registered" answer is trusted (deletions through Openfire are seen at once)
     * @param notRegisteredFor  how long a "not registered" answer is trusted (a user created since is seen at once too)
     */
    public RegisteredUsers(Directory directory, Clock clock, Duration registeredFor, Duration notRegisteredFor, int maxEntries) {
        this.directory = directory;
        this.clock = clock;
        this.registeredMillis = registeredFor.toMillis();
        this.notRegisteredMillis = notRegisteredFor.toMillis();
        this.maxEntries = maxEntries;
    }

    /** Packet path: true only if the name is already known not to be a registered account. No I/O. */
    public boolean knownNotRegistered(String username) {
        Known k = username == null ? null : known.get(username);
        return k != null && k.state != State.REGISTERED && (k.state == State.DELETED || k.until > clock.millis());
    }

    /** Writer thread: the remembered answer, or the directory's. If the directory fails, the name counts as registered (not remembered). */
    boolean isRegistered(String username) {
        if (username == null || username.isEmpty()) {
            return false;
        }
        long now = clock.millis();
        Known k = known.get(username);
        if (k != null && (k.state == State.DELETED || k.until > now)) {
            return k.state == State.REGISTERED;
        }
        boolean registered;
        try {
            registered = directory.isRegistered(username);
        } catch (RuntimeException e) {
            ONCE.warn("directory", "xmpproxy: cannot tell whether {} is a registered user ({}); keeping its data", username, e.toString());
            return true;
        }
        remember(username, new Known(registered ? State.REGISTERED : State.NOT_REGISTERED,
                now + (registered ? registeredMillis : notRegisteredMillis)));
        return registered;
    }

    /** The user is being deleted: not registered from now on, whatever the directory says, until {@link #created}. */
    void deleted(String username) {
        remember(username, new Known(State.DELETED, Long.MAX_VALUE));
    }

    /** A user was created (perhaps again under an old name): ask the directory next time. */
    public void created(String username) {
        known.remove(username);
    }

    private void remember(String username, Known k) {
        known.put(username, k);
        if (known.size() > maxEntries) {
            trim();
        }
    }

    /** Drops expired answers, then any answers but deletions, until a tenth is free. */
    private void trim() {
        long now = clock.millis();
        known.values().removeIf(k -> k.state != State.DELETED && k.until <= now);
        Iterator<Map.Entry<String, Known>> it = known.entrySet().iterator();
        while (known.size() > maxEntries * 9L / 10 && it.hasNext()) {
            if (it.next().getValue().state != State.DELETED) {
                it.remove();
            }
        }
        it = known.entrySet().iterator();
        while (known.size() > maxEntries && it.hasNext()) { // only deletions left: once Openfire has deleted a user, its directory says so too
            it.next();
            it.remove();
        }
    }
}
