package org.xmpproxy.core.catchup;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.xmpproxy.core.rule.MessageKey;

/**
 * Which messages of the account's history a resource that just came online is sent. Read as rules:
 * <ol>
 *   <li>only messages routed after the resource's catch-up mark (it had everything before) and up to
 *       the moment it came online (later ones reach it live);</li>
 *   <li>not during a live span (it was online then and got them as they came), and none it is known
 *       to have got live (around the moment it came online, by its history row: who wrote it, its id and when it
 *       was routed, {@link GotLive}; a writer reusing an id hides no other message of its);</li>
 *   <li>nothing older than the age bound; at most the newest {@code maxCount};</li>
 *   <li>a resource never seen before (no mark) gets only the newest {@code newResourceCount};</li>
 *   <li>oldest first.</li>
 * </ol>
 * The history given holds only messages a client of the account received ({@link CatchupPort#window}):
 * what reached nobody is Openfire's to deliver (its offline store), or was blocked.
 */
public final class CatchupSelector {
    /**
     * The limits of one catch-up.
     *
     * @param maxCount          at most this many messages
     * @param maxAgeMillis      none routed longer ago than this
     * @param newResourceCount  what a resource never seen before gets
     */
    public record Limits(int maxCount, long maxAgeMillis, int newResourceCount) {
    }

    /**
     * What one selection chose, and how many it could have chosen.
     *
     * @param chosen   the messages to send, oldest first
     * @param missed   the messages of the history given that the resource missed (rules 1 and 2), of any age:
     *                 more than {@code chosen.size()} when the bounds (rule 3) left some out
     */
    public record Selection<T>(List<T> chosen, int missed) {
        /** How many the bounds left out. */
        public int leftOut() {
            return Math.max(0, missed - chosen.size());
        }
    }

    private CatchupSelector() {
    }

    /**
     * @param history      the account's messages routed up to {@code availableAt}, oldest first
     * @param mark         the resource's catch-up mark, or null if it was never seen
     * @param live         spans after the mark when it was online
     * @param availableAt  when it came online
     * @param now          the time of the selection (for the age bound)
     */
    public static <T extends HistoryItem> List<T> select(List<T> history, Long mark, LiveSpans live, long availableAt,
                                                         long now, Limits limits) {
        return select(history, mark, live, GotLive.NONE, availableAt, now, limits);
    }

    /** @param gotLive the messages the resource is known to have received live, by key alone (any time) */
    public static <T extends HistoryItem> List<T> select(List<T> history, Long mark, LiveSpans live, Set<MessageKey> gotLive,
                                                         long availableAt, long now, Limits limits) {
        return choose(history, mark, live, GotLive.ofKeys(gotLive), availableAt, now, limits).chosen();
    }

    /** @param gotLive the messages the resource is known to have received live */
    public static <T extends HistoryItem> List<T> select(List<T> history, Long mark, LiveSpans live, GotLive gotLive,
                                                         long availableAt, long now, Limits limits) {
        return choose(history, mark, live, gotLive, availableAt, now, limits).chosen();
    }

    /** As {@link #select}, also counting what the resource missed, so that what the bounds left out can be told. */
    public static <T extends HistoryItem> Selection<T> choose(List<T> history, Long mark, LiveSpans live, GotLive gotLive,
                                                              long availableAt, long now, Limits limits) {
        long oldest = now - limits.maxAgeMillis();
        int count = mark == null ? Math.min(limits.newResourceCount(), limits.maxCount()) : limits.maxCount();
        List<T> chosen = new ArrayList<>();
        int missed = 0;
        for (T item : history) {
            long at = item.sentAt();
            boolean inWindow = (mark == null || at > mark) && at <= availableAt;
            boolean hadIt = live.covers(at) || gotLive.had(item);
            if (inWindow && !hadIt) {
                missed++;
                if (at >= oldest) {
                    chosen.add(item);
                }
            }
        }
        List<T> newest = count <= 0 ? List.of() : List.copyOf(chosen.subList(Math.max(0, chosen.size() - count), chosen.size()));
        return new Selection<>(newest, missed);
    }
}
