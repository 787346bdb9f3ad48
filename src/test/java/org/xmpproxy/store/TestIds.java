package org.xmpproxy.store;

import java.util.concurrent.atomic.AtomicLong;

/** History id blocks for tests: one sequence for the whole JVM, as SequenceManager gives one for the whole cluster. */
public final class TestIds {
    private static final AtomicLong LAST_BLOCK = new AtomicLong();

    /** Never the same block twice in this JVM, whichever store asks. */
    public static final HistoryStore.IdBlocks BLOCKS = LAST_BLOCK::incrementAndGet;

    private TestIds() {
    }
}
