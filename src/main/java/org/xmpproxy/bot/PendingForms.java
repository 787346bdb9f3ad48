package org.xmpproxy.bot;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.xmpp.packet.JID;

/**
 * The ad-hoc command forms the bot sent and waits to get back, bounded three ways so that no user can
 * crowd out another: a form expires {@link #MAX_AGE} after it was sent; a user has at most
 * {@link #PER_USER} open (opening another drops that user's oldest); the server at most
 * {@link #TOTAL} (beyond that, new forms are refused until some expire or are answered; open ones are
 * never dropped for someone else). Synchronized: small, and used from the bot's one thread.
 */
final class PendingForms {
    static final int PER_USER = 5;
    static final int TOTAL = 1000;
    static final Duration MAX_AGE = Duration.ofMinutes(10);

    /** One open form: whose, for which command, sent when. */
    record Form(String id, JID user, String node, long sentAtMillis) {
    }

    /** Why a form could not be opened, or was not found on submission. */
    enum Refusal { SERVER_FULL, UNKNOWN_OR_EXPIRED }

    private final Clock clock;
    /** Oldest first. */
    private final LinkedHashMap<String, Form> forms = new LinkedHashMap<>();
    private final Map<JID, Deque<String>> byUser = new HashMap<>();
    private long refused;

    PendingForms(Clock clock) {
        this.clock = clock;
    }

    /** Opens a form for {@code user} (a bare JID); empty when the server has {@link #TOTAL} open. */
    synchronized Optional<String> open(JID user, String node) {
        long now = clock.millis();
        expire(now);
        Deque<String> own = byUser.computeIfAbsent(user, u -> new ArrayDeque<>());
        while (own.size() >= PER_USER) {
            forms.remove(own.removeFirst());
        }
        if (forms.size() >= TOTAL) {
            refused++;
            if (own.isEmpty()) {
                byUser.remove(user);
            }
            return Optional.empty();
        }
        String id = UUID.randomUUID().toString();
        forms.put(id, new Form(id, user, node, now));
        own.addLast(id);
        return Optional.of(id);
    }

    /**
     * The form {@code id}, if it was sent to {@code user} for {@code node} and has not expired; it is
     * used up. A form of another user, or of another command, is left alone (and not revealed).
     */
    synchronized Optional<Form> take(String id, JID user, String node) {
        expire(clock.millis());
        Form form = forms.get(id);
        if (form == null || !form.user().equals(user) || !form.node().equals(node)) {
            return Optional.empty();
        }
        remove(form);
        return Optional.of(form);
    }

    /** A cancelled form: removed if it is the user's. */
    synchronized void cancel(String id, JID user) {
        Form form = forms.get(id);
        if (form != null && form.user().equals(user)) {
            remove(form);
        }
    }

    synchronized int size() {
        return forms.size();
    }

    synchronized int openBy(JID user) {
        Deque<String> own = byUser.get(user);
        return own == null ? 0 : own.size();
    }

    /** Forms refused because the server had {@link #TOTAL} open. */
    synchronized long refused() {
        return refused;
    }

    private void expire(long now) {
        long oldest = now - MAX_AGE.toMillis();
        for (Iterator<Form> it = forms.values().iterator(); it.hasNext(); ) {
            Form form = it.next();
            if (form.sentAtMillis() > oldest) {
                break; // insertion order is age order
            }
            it.remove();
            forgetForUser(form);
        }
    }

    private void remove(Form form) {
        forms.remove(form.id());
        forgetForUser(form);
    }

    private void forgetForUser(Form form) {
        Deque<String> own = byUser.get(form.user());
        if (own != null) {
            own.remove(form.id());
            if (own.isEmpty()) {
                byUser.remove(form.user());
            }
        }
    }
}
