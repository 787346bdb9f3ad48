package org.xmpproxy.openfire.e2e;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import org.xmpproxy.core.flow.ConversationView;

/** The end-to-end tests' waits: polled conditions, ids a client shows, a quiet pause, mirroring ready. */
final class Await {
    /** How long a wait lasts unless told otherwise. */
    static final Duration WAIT = Duration.ofSeconds(20);
    /** Room for a message that must not come (a second copy, a late catch-up) to show up before the counts are taken. */
    static final Duration QUIET = Duration.ofMillis(1500);

    private Await() {
    }

    /** Waits up to {@link #WAIT} for the condition; returns silently either way. */
    static void until(BooleanSupplier condition) throws InterruptedException {
        until(condition, WAIT);
    }

    /** Waits up to {@code timeout} for the condition; returns silently either way. */
    static void until(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean() && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
    }

    /** Waits up to {@link #WAIT} for the condition, else fails "not within PT20S: {@code what}". */
    static void orFail(BooleanSupplier condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within " + WAIT + ": " + what);
            }
            Thread.sleep(50);
        }
    }

    /** Waits up to {@code timeout} for the condition, else fails "condition not met within {@code timeout}". */
    static void orFail(Callable<Boolean> condition, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.call()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("condition not met within " + timeout);
            }
            Thread.sleep(50);
        }
    }

    /** Waits up to {@link #WAIT} until the client shows all the ids; returns silently either way. */
    static void shown(ChatClient client, Collection<String> ids) throws InterruptedException {
        shown(client, ids, WAIT);
    }

    /** Waits up to {@code timeout} until the client shows all the ids; returns silently either way. */
    static void shown(ChatClient client, Collection<String> ids, Duration timeout) throws InterruptedException {
        until(() -> ConversationView.shownIds(client.inbox()).containsAll(ids), timeout);
    }

    /** Waits up to {@link #WAIT} until the client shows all the ids, else fails. */
    static void shownOrFail(ChatClient client, Collection<String> ids) throws InterruptedException {
        orFail(() -> ConversationView.shownIds(client.inbox()).containsAll(ids), client.fullJid() + " gets " + ids);
    }

    /** A fixed pause of {@link #QUIET}: room for a message that must not come. */
    static void quiet() throws InterruptedException {
        Thread.sleep(QUIET.toMillis());
    }

    /**
     * Waits until a message {@code from} sends {@code peer} reaches {@code to} as a copy: both are known online to
     * the plugin. Sends {@code idPrefix-0}, {@code idPrefix-1}, ... a second apart, for up to {@link #WAIT}.
     */
    static void mirroring(ChatClient from, ChatClient to, String peer, String idPrefix) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        for (int i = 0; Instant.now().isBefore(deadline); i++) {
            String id = idPrefix + "-" + i;
            from.chat(peer, id);
            Instant next = Instant.now().plusSeconds(1);
            while (Instant.now().isBefore(next)) {
                if (ConversationView.shownIds(to.inbox()).contains(id)) {
                    return;
                }
                Thread.sleep(20);
            }
        }
        throw new AssertionError(to.fullJid() + " never got a copy of what " + from.fullJid() + " sent");
    }
}
