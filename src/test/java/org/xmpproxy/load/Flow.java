package org.xmpproxy.load;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One direction of one conversation (the peer writing to client 0, or client 0 writing back): the
 * messages numbered 0..total-1, which client slots must see each of them, and every arrival, by slot.
 * A closed loop: at most {@code window} messages are in flight; a message stops being in flight when
 * every slot that must see it has it, original and copies alike.
 */
final class Flow {
    static final int SLOTS = 4; // 0, 1, 2: the account's clients; 3: the peer

    final char name;
    final int addressee;
    private final boolean[] expected = new boolean[SLOTS];
    final int total;
    private final long[] sentAt;
    private final AtomicIntegerArray[] count = new AtomicIntegerArray[SLOTS];
    private final AtomicLongArray[] arrival = new AtomicLongArray[SLOTS];
    private final AtomicIntegerArray remaining;
    private final int mustSee;
    final Semaphore window;
    final AtomicInteger completed = new AtomicInteger();
    private volatile long lastCompletion;

    Flow(char name, int addressee, int[] copySlots, int total, int window) {
        this.name = name;
        this.addressee = addressee;
        this.total = total;
        this.expected[addressee] = true;
        for (int slot : copySlots) {
            expected[slot] = true;
        }
        this.mustSee = 1 + copySlots.length;
        this.sentAt = new long[total];
        for (int slot = 0; slot < SLOTS; slot++) {
            count[slot] = new AtomicIntegerArray(total);
            arrival[slot] = new AtomicLongArray(total);
        }
        this.remaining = new AtomicIntegerArray(total);
        for (int i = 0; i < total; i++) {
            remaining.set(i, mustSee);
        }
        this.window = new Semaphore(window);
    }

    /** Called by the sending thread just before the message goes out. */
    void sending(int seq) {
        sentAt[seq] = System.nanoTime();
    }

    /** Called by a client's listener thread. */
    void arrived(int slot, int seq, long nanos) {
        if (seq < 0 || seq >= total) {
            return;
        }
        if (count[slot].incrementAndGet(seq) == 1) {
            arrival[slot].set(seq, nanos);
            if (expected[slot] && remaining.decrementAndGet(seq) == 0) {
                lastCompletion = nanos;
                completed.incrementAndGet();
                window.release();
            }
        }
    }

    /** Lets at most {@code inFlight} messages be in flight from now on; call when none is. */
    void narrowWindow(int inFlight) throws InterruptedException {
        int excess = window.availablePermits() - inFlight;
        if (excess > 0) {
            window.acquire(excess);
        }
    }

    long lastCompletion() {
        return lastCompletion;
    }

    /** What the clients saw of messages [from, to): missing, duplicated and unexpected deliveries. */
    Check check(int from, int to) {
        long missing = 0;
        long duplicated = 0;
        long unexpected = 0;
        for (int seq = from; seq < to; seq++) {
            for (int slot = 0; slot < SLOTS; slot++) {
                int n = count[slot].get(seq);
                if (expected[slot]) {
                    missing += n == 0 ? 1 : 0;
                    duplicated += Math.max(0, n - 1);
                } else {
                    unexpected += n;
                }
            }
        }
        return new Check(missing, duplicated, unexpected);
    }

    record Check(long missing, long duplicated, long unexpected) {
        Check plus(Check other) {
            return new Check(missing + other.missing, duplicated + other.duplicated, unexpected + other.unexpected);
        }

        boolean clean() {
            return missing == 0 && duplicated == 0 && unexpected == 0;
        }
    }

    /** Originals' latencies (send to arrival at the addressee), in ns, of messages [from, to). */
    long[] originalLatencies(int from, int to) {
        long[] latencies = new long[to - from];
        int n = 0;
        for (int seq = from; seq < to; seq++) {
            if (count[addressee].get(seq) > 0) {
                latencies[n++] = arrival[addressee].get(seq) - sentAt[seq];
            }
        }
        return java.util.Arrays.copyOf(latencies, n);
    }

    /** How much later than the original each copy arrived (ns; negative when the copy came first). */
    long[] copyDelays(int from, int to) {
        long[] delays = new long[(to - from) * (mustSee - 1)];
        int n = 0;
        for (int seq = from; seq < to; seq++) {
            if (count[addressee].get(seq) == 0) {
                continue;
            }
            long original = arrival[addressee].get(seq);
            for (int slot = 0; slot < SLOTS; slot++) {
                if (slot != addressee && expected[slot] && count[slot].get(seq) > 0) {
                    delays[n++] = arrival[slot].get(seq) - original;
                }
            }
        }
        return java.util.Arrays.copyOf(delays, n);
    }

    /** Deliveries of copies (first arrivals at the slots other than the addressee) of messages [from, to). */
    long copiesDelivered(int from, int to) {
        long copies = 0;
        for (int seq = from; seq < to; seq++) {
            for (int slot = 0; slot < SLOTS; slot++) {
                if (slot != addressee && expected[slot] && count[slot].get(seq) > 0) {
                    copies++;
                }
            }
        }
        return copies;
    }
}
