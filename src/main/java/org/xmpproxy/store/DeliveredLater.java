package org.xmpproxy.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.xmpproxy.core.rule.MessageKey;

/**
 * Marks history entries as received by the account when Openfire's offline store hands a message to one of
 * its clients ({@link HistoryStore#markDelivered}), in the writer's transaction: the packet path only queues.
 * The entry of a message may still be on its way (it is queued when routing ends, and a client may pick the
 * message from the offline store just before): a key not found yet is looked for again in the next few
 * turns of the writer. Catch-ups flush the writer before they read, so they see the change.
 */
public final class DeliveredLater {
    /** The writer's turns a key is looked for before it is given up (the message was not kept in the history). */
    static final int ATTEMPTS = 5;
    /** Entries with the same peer searched for the key. */
    static final int SEARCHED = 2000;
    private static final String WRITE_KEY = "history.deliveredLater";
    private static final int MAX_QUEUED = 20_000;

    /** Told, after the update, of each entry that reached nobody until now; called on the writer's thread: must not block. */
    @FunctionalInterface
    public interface Listener {
        /** @param recipientResource the resource the offline store handed it to */
        void changed(HistoryEntry entry, String recipientResource);
    }

    private record Pending(String username, MessageKey key, String resource, int attempts) {
    }

    private final StoreWriter writer;
    private final HistoryStore store;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private volatile Listener listener = (entry, resource) -> { };

    public DeliveredLater(StoreWriter writer, HistoryStore store) {
        this.writer = writer;
        this.store = store;
    }

    public void onChanged(Listener listener) {
        this.listener = listener;
    }

    /** Queues the change; never blocks. */
    public void delivered(String username, MessageKey key, String resource) {
        if (queue.size() < MAX_QUEUED) {
            queue.add(new Pending(username, key, resource, 0));
            writer.submit(WRITE_KEY, this::apply);
        }
    }

    private void apply(Connection c, long now) throws SQLException {
        List<Pending> taken = new ArrayList<>();
        for (Pending pending; (pending = queue.poll()) != null; ) {
            taken.add(pending);
        }
        Map<String, List<Pending>> byUser = new LinkedHashMap<>();
        taken.forEach(p -> byUser.computeIfAbsent(p.username(), u -> new ArrayList<>()).add(p));
        List<Runnable> tell = new ArrayList<>();
        List<Pending> again = new ArrayList<>();
        try {
            for (Map.Entry<String, List<Pending>> user : byUser.entrySet()) {
                Set<MessageKey> keys = new LinkedHashSet<>();
                user.getValue().forEach(p -> keys.add(p.key()));
                HistoryStore.Marked marked = store.markDelivered(c, user.getKey(), keys, SEARCHED);
                for (Pending pending : user.getValue()) {
                    if (!marked.found().contains(pending.key()) && pending.attempts() + 1 < ATTEMPTS) {
                        again.add(new Pending(pending.username(), pending.key(), pending.resource(), pending.attempts() + 1));
                    }
                }
                for (HistoryEntry entry : marked.changed()) {
                    String resource = user.getValue().stream().filter(p -> p.key().equals(entry.key()))
                            .map(Pending::resource).findFirst().orElse(null);
                    tell.add(() -> listener.changed(entry, resource));
                }
            }
        } catch (SQLException | RuntimeException e) {
            queue.addAll(taken); // the writer retries the transaction: all of it again
            throw e;
        }
        if (!again.isEmpty()) {
            queue.addAll(again);
            writer.submit(WRITE_KEY, this::apply);
        }
        for (Runnable told : tell) {
            try {
                told.run();
            } catch (RuntimeException e) {
                // the listener's trouble must not roll back the writer's transaction (the plugin may be stopping)
            }
        }
    }
}
