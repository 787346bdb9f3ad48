package org.xmpproxy.core.catchup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xmpproxy.core.rule.Direction;
import org.xmpproxy.core.rule.MessageKey;

class CatchupSelectorTest {
    record Item(long sentAt, Direction direction, String peer, String messageId) implements HistoryItem {
        Item(long sentAt) {
            this(sentAt, Direction.RECEIVED, "jane@example.org", "m" + sentAt);
        }
    }

    private static final CatchupSelector.Limits WIDE = new CatchupSelector.Limits(1000, 1_000_000, 0);

    private static List<Item> history(long... times) {
        List<Item> items = new ArrayList<>();
        for (long t : times) {
            items.add(new Item(t));
        }
        return items;
    }

    private static List<Long> times(List<Item> items) {
        return items.stream().map(Item::sentAt).toList();
    }

    @Test
    void theWindowIsAfterTheMarkUpToComingOnline() {
        assertEquals(List.of(20L, 30L, 40L),
                times(CatchupSelector.select(history(10, 20, 30, 40, 50), 10L, LiveSpans.NONE, 40, 60, WIDE)));
    }

    @Test
    void whatItGotLiveIsKnownByWhoWroteItAndTheIdNotTheIdAlone() {
        List<Item> items = List.of(
                new Item(20, Direction.RECEIVED, "bob@example.org", "1"),
                new Item(30, Direction.RECEIVED, "jane@example.org", "1"),
                new Item(40, Direction.SENT, "jane@example.org", "1"),
                new Item(45, Direction.RECEIVED, "jane@example.org", null));
        Set<MessageKey> gotLive = Set.of(new MessageKey(Direction.RECEIVED, "jane@example.org", "1"));
        assertEquals(List.of(20L, 40L, 45L),
                times(CatchupSelector.select(items, 10L, LiveSpans.NONE, gotLive, 50, 60, WIDE)),
                "only jane's own message 1 was had; bob's 1 and the account's own 1 to jane were not");
    }

    @Test
    void liveSpansAreSkipped() {
        LiveSpans live = LiveSpans.parse("25-35");
        assertEquals(List.of(20L, 40L), times(CatchupSelector.select(history(20, 30, 35, 40), 10L, live, 50, 60, WIDE)));
    }

    @Test
    void boundedByCountKeepingTheNewestAndByAge() {
        var limits = new CatchupSelector.Limits(2, 1_000_000, 0);
        assertEquals(List.of(40L, 50L), times(CatchupSelector.select(history(20, 30, 40, 50), 10L, LiveSpans.NONE, 50, 60, limits)));
        var young = new CatchupSelector.Limits(100, 25, 0);
        assertEquals(List.of(40L, 50L), times(CatchupSelector.select(history(20, 30, 40, 50), 10L, LiveSpans.NONE, 50, 60, young)));
    }

    @Test
    void aNewResourceGetsOnlyWhatTheServerAllowsNewDevices() {
        assertEquals(List.of(), times(CatchupSelector.select(history(20, 30), null, LiveSpans.NONE, 50, 60, WIDE)));
        var three = new CatchupSelector.Limits(100, 1_000_000, 3);
        assertEquals(List.of(30L, 40L, 50L), times(CatchupSelector.select(history(10, 20, 30, 40, 50), null, LiveSpans.NONE, 50, 60, three)));
    }

    @Test
    void liveSpansSurviveTheirTextFormAndStayBounded() {
        LiveSpans spans = LiveSpans.NONE;
        for (int i = 0; i < 30; i++) {
            spans = spans.plus(new LiveSpans.Span(i * 10, i * 10 + 5), 0);
        }
        assertEquals(LiveSpans.MAX, spans.spans().size());
        assertEquals(spans, LiveSpans.parse(spans.format()));
        assertEquals(LiveSpans.NONE, LiveSpans.parse("garbage-"));
        assertEquals(List.of(new LiveSpans.Span(280, 285), new LiveSpans.Span(290, 295)), spans.after(280).spans());
        // The most spans, at today's times, fit their column (VARCHAR(1024)).
        LiveSpans full = LiveSpans.NONE;
        long now = 1_800_000_000_000L;
        for (int i = 0; i < 40; i++) {
            full = full.plusKeepingGaps(new LiveSpans.Span(now + i * 1000, now + i * 1000 + 999));
        }
        assertEquals(LiveSpans.MAX, full.spans().size());
        assertTrue(full.format().length() <= 1024, full.format().length() + " characters");
    }

    /** Issue 17.6: a bot sends every message with the same id, some without one; what it got live is known by row. */
    @Test
    void whatItGotLiveHidesOnlyThatRowNotOthersWithItsKey() {
        List<Item> history = List.of(new Item(10, Direction.RECEIVED, "bot@gw.example", "same"),
                new Item(20, Direction.RECEIVED, "bot@gw.example", "same"),
                new Item(30, Direction.RECEIVED, "bot@gw.example", "same"),
                new Item(40, Direction.RECEIVED, "bot@gw.example", null),
                new Item(50, Direction.RECEIVED, "bot@gw.example", null));
        GotLive gotLive = new GotLive(100);
        gotLive.add(history.get(1).at());
        gotLive.add(history.get(4).at());
        assertEquals(List.of(10L, 30L, 40L), times(CatchupSelector.select(history, 0L, LiveSpans.NONE, gotLive, 60, 60, WIDE)));
    }
}
